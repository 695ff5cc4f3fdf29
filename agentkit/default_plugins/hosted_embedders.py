"""Built-in plugin: hosted embedders (OpenAI, Cohere) through Chroma's embedding functions.

Registering is free: nothing is imported or contacted until an embedder is first used, and
then a missing key or package is one clear error naming the variable or the install.
"""

from __future__ import annotations

from collections.abc import Callable

from agentkit.plugins.hookspecs import hookimpl

__all__ = ["register_embedders"]


@hookimpl
def register_embedders(register: Callable[..., None]) -> None:
    from agentkit.memory.embedders import register_hosted

    register_hosted(register)
