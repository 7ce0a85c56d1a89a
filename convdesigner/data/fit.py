"""Fitting an input image to a design's input shape: channels converted, then centred (numpy only).

Used by the app when the design's input shape changes under an image the user already has.
"""

from __future__ import annotations

import numpy as np

from convdesigner.data.loaders import LUMA_WEIGHTS
from convdesigner.design import InputSpec


def fit_image_to_spec(image: np.ndarray, spec: InputSpec) -> np.ndarray:
    """``image`` ``[C, H, W]`` made ``spec.shape``: channels converted (1 → C repeats, 3 → 1 takes
    the ITU-R 601 luma that :func:`convdesigner.data.loaders.convert_channels` uses, otherwise the
    first channels are kept and missing ones are zero), then centred on a zero field of the new
    size (cropped when smaller) -- the way LeNet put 28×28 digits in 32×32.
    Returns a new float32 array."""
    image = np.asarray(image, dtype=np.float32)
    channels, height, width = spec.shape
    if image.shape[0] == channels:
        converted = image
    elif image.shape[0] == 1:
        converted = np.repeat(image, channels, axis=0)
    elif image.shape[0] == 3 and channels == 1:
        converted = np.tensordot(LUMA_WEIGHTS, image, axes=1)[None]
    else:
        converted = np.zeros((channels, *image.shape[1:]), dtype=np.float32)
        kept = min(channels, image.shape[0])
        converted[:kept] = image[:kept]
    result = np.zeros(spec.shape, dtype=np.float32)
    src_h, src_w = converted.shape[1:]
    copy_h, copy_w = min(height, src_h), min(width, src_w)
    dst_y, dst_x = (height - copy_h) // 2, (width - copy_w) // 2
    src_y, src_x = (src_h - copy_h) // 2, (src_w - copy_w) // 2
    result[:, dst_y:dst_y + copy_h, dst_x:dst_x + copy_w] = \
        converted[:, src_y:src_y + copy_h, src_x:src_x + copy_w]
    return result
