"""The pyqtgraph views of the selected layer: its kernels, the selected kernel, every layer's
feature maps and the sum that makes one output channel.

Every view takes ``(document, selection, live)``, draws from the newest ``live.frameReady`` frame
(kept as ``shown_frame``) and offers accessors that return exactly the raw arrays it draws, so
tests can compare what is shown with PyTorch. Many small images are drawn as mosaics (one
``ImageItem`` each, see :mod:`convdesigner.ui.views.mosaic`), never as one item per tile.
"""

from convdesigner.ui.views.colors import (
    DIVERGING,
    SEQUENTIAL,
    ColorScale,
    diverging_scale,
    output_signs,
    scale_for,
    sequential_scale,
    symmetric_levels,
)
from convdesigner.ui.views.feature_maps import FeatureMapsView
from convdesigner.ui.views.image_panel import HoverInfo, ImagePanel
from convdesigner.ui.views.kernel_matrix import KernelMatrixView
from convdesigner.ui.views.selected_kernel import SelectedKernelView
from convdesigner.ui.views.sum_view import SumView

__all__ = [
    "ColorScale", "DIVERGING", "FeatureMapsView", "HoverInfo", "ImagePanel", "KernelMatrixView",
    "SEQUENTIAL", "SelectedKernelView", "SumView", "diverging_scale", "output_signs", "scale_for",
    "sequential_scale", "symmetric_levels",
]
