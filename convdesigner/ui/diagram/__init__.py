"""The architecture diagram (textbook boxes of the stack, editable) and the groups wiring view."""
