"""The views' own colours: the panels' background and their text, a dark theme that suits both
colour maps (:mod:`convdesigner.ui.views.colors`)."""

PANEL_BACKGROUND = "#1e2026"
TEXT_COLOR = "#e6e6e6"
DIM_TEXT_COLOR = "#a9adb6"
