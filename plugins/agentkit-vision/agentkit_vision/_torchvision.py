"""Import torchvision when its compiled ops cannot load (the CUDA wheel beside CPU torch).

PyPI's torchvision 0.28.0 is built against CUDA torch; with the CPU torch 2.13.0 this
project pins, its ``_C`` extension does not load. torchvision then works for what
open_clip needs (transforms, ``FrozenBatchNorm2d``) except that its import fails, because
two fake-tensor registrations (``nms``, ``qnms``) are not guarded by ``_has_ops()`` like
the others. Declaring those two operator schemas, without kernels, lets the import finish;
calling ``torchvision.ops.nms`` then fails with a clear "no kernel" error, and CLIP never
calls it. Nothing is done when torchvision imports normally (a matching CPU build).
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["import_torchvision"]

_SCHEMAS = (
    "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
)
_LIBRARIES: list[Any] = []  # a torch.library.Library drops its definitions when collected


def import_torchvision() -> Any:
    """torchvision, importable even when its compiled ops are missing (see module doc)."""
    if "torchvision" in sys.modules:
        return sys.modules["torchvision"]
    try:
        import torchvision
    except RuntimeError as error:
        if "torchvision::nms" not in str(error) or _LIBRARIES:
            raise
        import torch

        library = torch.library.Library("torchvision", "FRAGMENT")
        for schema in _SCHEMAS:
            library.define(schema)
        _LIBRARIES.append(library)
        for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
            if name.endswith("_meta_registrations"):
                del sys.modules[name]
        import torchvision
    return torchvision
