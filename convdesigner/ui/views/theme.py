"""The views' own colours: the panels' background and their text, a dark theme that suits both
colour maps (:mod:`convdesigner.ui.views.colors`)."""

PANEL_BACKGROUND = "#1e2026"
TEXT_COLOR = "#e6e6e6"
DIM_TEXT_COLOR = "#a9adb6"


class Theme:
    """The views' colours as one value: :data:`DARK` (the window's) or :data:`LIGHT` (high
    contrast, for a projector and for slides)."""

    def __init__(self, name: str, background: str, text: str, dim_text: str) -> None:
        self.name = name
        self.background = background
        self.text = text
        self.dim_text = dim_text

    @property
    def is_light(self) -> bool:
        return self.name == "light"


DARK = Theme("dark", PANEL_BACKGROUND, TEXT_COLOR, DIM_TEXT_COLOR)
LIGHT = Theme("light", "#ffffff", "#000000", "#333333")
