"""Small reusable widgets with no knowledge of the design: eliding labels and buttons, number
fields, the code highlighter, the kernel paint area."""
