"""The agentkit entry point: registers the perceivers ``ocr`` and ``clip``.

Registering is cheap: it builds the perceiver objects from environment variables (see
:mod:`agentkit_vision.settings`) and imports neither onnxruntime nor torch; each model
loads on the first observation it has work for.
"""

from __future__ import annotations

from collections.abc import Callable

from agentkit.plugins.hookspecs import hookimpl
from agentkit_vision.settings import clip_from_env, enabled_perceivers, ocr_from_env

__all__ = ["register_perceivers"]


@hookimpl
def register_perceivers(register: Callable[..., None]) -> None:
    enabled = enabled_perceivers()
    if "ocr" in enabled:
        register(ocr_from_env())
    if "clip" in enabled:
        register(clip_from_env())
