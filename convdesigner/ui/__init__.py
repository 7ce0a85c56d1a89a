"""The desktop app: PySide6 widgets and pyqtgraph views over the design model and the engine."""
