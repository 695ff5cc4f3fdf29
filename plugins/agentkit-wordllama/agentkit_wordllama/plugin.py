"""The agentkit entry point: registers the embedder ``wordllama`` (256 dimensions).

Registering costs nothing: the factory only builds a :class:`WordLlamaEmbedder`, which
reads and checks the weights on its first ``embed`` call, so ``agentkit plugins`` stays
fast and never fails because the ``wordllama`` package is missing.
"""

from __future__ import annotations

from collections.abc import Callable

from agentkit.plugins.hookspecs import hookimpl
from agentkit_wordllama.embedder import DIMENSION, WordLlamaEmbedder

__all__ = ["register_embedders"]


@hookimpl
def register_embedders(register: Callable[..., None]) -> None:
    register("wordllama", WordLlamaEmbedder, DIMENSION)
