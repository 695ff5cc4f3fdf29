"""The agentkit entry point: registers the embedder ``minilm`` (384 dimensions).

Registering costs nothing: the factory only builds a :class:`MiniLMEmbedder`, which loads
torch and the model on its first ``embed`` call, so ``agentkit plugins`` stays fast and
never fails because the model package is missing.
"""

from __future__ import annotations

from collections.abc import Callable

from agentkit.plugins.hookspecs import hookimpl
from agentkit_minilm.embedder import DIMENSION, MiniLMEmbedder

__all__ = ["register_embedders"]


@hookimpl
def register_embedders(register: Callable[..., None]) -> None:
    register("minilm", MiniLMEmbedder, DIMENSION)
