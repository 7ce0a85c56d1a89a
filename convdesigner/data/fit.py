"""Fitting an input image to a design's input shape: channels converted, then centred (numpy only).

Used by the app when the design's input shape changes under an image the user already has, and
(:func:`centre_on`) wherever smaller digits are put on a design's larger input -- the command
line's ``run``, training and evaluation -- so that all of them place a digit on the same pixels.
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
    dst_y, dst_x = centred_offset(copy_h, height), centred_offset(copy_w, width)
    src_y, src_x = centred_offset(copy_h, src_h), centred_offset(copy_w, src_w)
    result[:, dst_y:dst_y + copy_h, dst_x:dst_x + copy_w] = \
        converted[:, src_y:src_y + copy_h, src_x:src_x + copy_w]
    return result


def centred_offset(inner: int, outer: int) -> int:
    """Where a run of ``inner`` pixels starts when centred in ``outer`` (an odd leftover pixel
    goes after it, at the bottom or right)."""
    return (outer - inner) // 2


def fits_inside(shape: tuple[int, ...], spec: InputSpec) -> bool:
    """Whether an image of ``shape`` ``(C, H, W)`` can be centred on ``spec``'s input without
    losing a pixel: the same channels and neither side longer."""
    channels, height, width = shape
    return channels == spec.channels and height <= spec.height and width <= spec.width


def centre_on(images: np.ndarray, height: int, width: int) -> np.ndarray:
    """``images`` ``[..., h, w]`` centred on a zero field ``[..., height, width]`` (each side at
    least as long; the placement :func:`fit_image_to_spec` uses -- LeNet-5's 28×28 digits on its
    32×32 input). Returns ``images`` itself when the size already matches, else a new array of
    the same dtype."""
    inner_h, inner_w = images.shape[-2:]
    if (inner_h, inner_w) == (height, width):
        return images
    if inner_h > height or inner_w > width:
        raise ValueError(f"{inner_h}×{inner_w} images do not fit in {height}×{width}")
    result = np.zeros((*images.shape[:-2], height, width), dtype=images.dtype)
    top, left = centred_offset(inner_h, height), centred_offset(inner_w, width)
    result[..., top:top + inner_h, left:left + inner_w] = images
    return result
