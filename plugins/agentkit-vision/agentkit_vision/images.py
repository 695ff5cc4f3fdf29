"""Choosing and checking the images of an observation, shared by the vision perceivers.

Environments hand over raw arrays; a wrong shape or dtype is an environment bug, so it is
raised as :class:`BrokenImageError` with what was wrong (agentkit reports it as a warning
line and the run goes on) instead of being passed to a model that would fail obscurely.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from agentkit.environment import Observation

__all__ = [
    "BLOCK_IMAGE_KEY",
    "BrokenImageError",
    "ImageBlocks",
    "as_rgb",
    "select_images",
]

#: The image agentkit sends to a vision-capable model as a content block (``run --images``).
BLOCK_IMAGE_KEY = "rgb"

#: ``"beside"``: read every selected image, even the one the model also sees as a block;
#: ``"instead"``: leave that image to the model and read only the others.
ImageBlocks = Literal["beside", "instead"]


class BrokenImageError(ValueError):
    """An observation image is not an H x W (x 1, 3 or 4) array of pixels."""


def select_images(
    observation: Observation,
    keys: Sequence[str] | None,
    image_blocks: ImageBlocks = "beside",
) -> list[tuple[str, Any]]:
    """The ``(key, image)`` pairs to read: ``keys`` in their order (all when None), present
    ones only, without the block image when ``image_blocks == "instead"``."""
    images = observation.images or {}
    wanted = list(images) if keys is None else [key for key in keys if key in images]
    if image_blocks == "instead":
        wanted = [key for key in wanted if key != BLOCK_IMAGE_KEY]
    return [(key, images[key]) for key in wanted if images[key] is not None]


def as_rgb(key: str, image: Any) -> np.ndarray:
    """``image`` as a contiguous H x W x 3 uint8 RGB array, or a clear BrokenImageError.

    Grey (H x W or H x W x 1) is repeated into three channels and RGBA drops its alpha.
    Float images are accepted in [0, 1] (scaled to 0..255) as many renderers produce them.
    """
    try:
        array = np.asarray(image)
    except Exception as error:
        raise BrokenImageError(
            f"image {key!r} is not an array ({type(image).__name__}): {error}"
        ) from error
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    ):
        raise BrokenImageError(
            f"image {key!r} has dtype {array.dtype}; expected uint8 pixels (H x W x 3)"
        )
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise BrokenImageError(
            f"image {key!r} has shape {array.shape}; expected H x W x 3 (RGB), "
            "H x W x 4 (RGBA) or H x W (grey)"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise BrokenImageError(f"image {key!r} is empty (shape {array.shape})")
    array = array[:, :, :3]
    if np.issubdtype(array.dtype, np.floating):
        if not np.isfinite(array).all():
            raise BrokenImageError(f"image {key!r} contains NaN or infinite values")
        high = 1.0 if float(array.max()) <= 1.0 else 255.0
        array = np.clip(array * (255.0 / high), 0, 255).round()
    elif array.dtype != np.uint8:
        if int(array.min()) < 0 or int(array.max()) > 255:
            raise BrokenImageError(f"image {key!r} has values outside 0..255 (dtype {array.dtype})")
    return np.ascontiguousarray(array, dtype=np.uint8)
