"""The dockable panels: layers, layer settings, input (paint canvas, digits, value grid), kernel
editor, explain a pixel, lessons. Each takes the state objects it needs in ``__init__``."""
