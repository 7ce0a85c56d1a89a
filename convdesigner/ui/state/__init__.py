"""The app's state, apart from any widget: the document (the one source of truth, with its undo
stack), the selection, the explained pixel's highlight, the settings, and the live worker that
turns the document into frames. Widgets listen to these objects' signals and call their methods."""
