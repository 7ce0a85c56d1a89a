"""ConvDesigner: design stacks of ``nn.Conv2d`` layers and see how convolution works, live.

Package layers, imported one way only:

* :mod:`convdesigner.design`  -- the pure design model (no torch, no Qt);
* :mod:`convdesigner.data`    -- input files and the bundled MNIST digits (numpy, Pillow);
* :mod:`convdesigner.compute` -- the PyTorch engine (torch, no Qt);
* :mod:`convdesigner.ui`      -- the desktop app (PySide6 + pyqtgraph).

The command line (:mod:`convdesigner.cli`) uses everything but the ui.
"""

__version__ = "0.1.0"
