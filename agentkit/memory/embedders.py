"""Embedders for the skill library and episodic memory: lookup by name, and hosted providers.

Every embedder the memory uses has a ``name`` and a ``dimension`` as well as ``embed``: the
memory stores both next to its index, so vectors from two embedders are never mixed.
Plugins register bare factories (``register(name, factory, dimension)``);
:func:`resolve_embedder` wraps what they build so that the name and dimension always come
from the registration and every vector's length is checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from agentkit.plugins import Registry

__all__ = [
    "HOSTED",
    "Embedder",
    "EmbedderError",
    "HostedEmbedder",
    "HostedSpec",
    "RegisteredEmbedder",
    "UnknownEmbedder",
    "register_hosted",
    "resolve_embedder",
]


@runtime_checkable
class Embedder(Protocol):
    """What the memory needs: a stable name, a fixed dimension and batch embedding."""

    name: str
    dimension: int

    def embed(self, texts: list[str]) -> list[list[float]]: ...


class EmbedderError(RuntimeError):
    """An embedder could not produce vectors (missing key, package or network, bad output)."""


class UnknownEmbedder(LookupError):
    """No embedder of that name is registered."""


class RegisteredEmbedder:
    """A plugin's embedder under its registered name and dimension, with lengths checked."""

    def __init__(self, name: str, dimension: int, impl: Any) -> None:
        self.name = name
        self.dimension = int(dimension)
        self.impl = impl

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = [[float(x) for x in vector] for vector in self.impl.embed(list(texts))]
        if len(vectors) != len(texts):
            raise EmbedderError(
                f"embedder {self.name!r} returned {len(vectors)} vectors for {len(texts)} texts"
            )
        for vector in vectors:
            if len(vector) != self.dimension:
                raise EmbedderError(
                    f"embedder {self.name!r} is registered with dimension {self.dimension} "
                    f"but returned a vector of length {len(vector)}"
                )
        return vectors

    def __repr__(self) -> str:
        return f"RegisteredEmbedder({self.name!r}, {self.dimension})"


def resolve_embedder(name: str, registry: Registry | None = None) -> Embedder:
    """The registered embedder ``name``, built now (loading a model waits for first use)."""
    if registry is None:
        from agentkit.plugins import get_registry

        registry = get_registry()
    entry = registry.embedders.get(name)
    if entry is None:
        known = ", ".join(sorted(registry.embedders)) or "none"
        raise UnknownEmbedder(
            f"no embedder named {name!r} is registered (registered: {known}); install a plugin "
            "that provides it, e.g. pip install -e plugins/agentkit-minilm for 'minilm'"
        )
    return RegisteredEmbedder(name, int(entry.extra["dimension"]), entry.factory())


@dataclass(frozen=True)
class HostedSpec:
    """A hosted embedding model reached through one of Chroma's embedding functions."""

    name: str
    provider: str
    model: str
    dimension: int
    env_vars: tuple[str, ...]
    package: str


HOSTED: tuple[HostedSpec, ...] = (
    HostedSpec(
        "openai:text-embedding-3-small",
        "openai",
        "text-embedding-3-small",
        1536,
        ("OPENAI_API_KEY", "CHROMA_OPENAI_API_KEY"),
        "openai",
    ),
    HostedSpec(
        "openai:text-embedding-3-large",
        "openai",
        "text-embedding-3-large",
        3072,
        ("OPENAI_API_KEY", "CHROMA_OPENAI_API_KEY"),
        "openai",
    ),
    HostedSpec(
        "cohere:embed-english-v3.0",
        "cohere",
        "embed-english-v3.0",
        1024,
        ("COHERE_API_KEY", "CHROMA_COHERE_API_KEY"),
        "cohere",
    ),
)


def _chroma_function(spec: HostedSpec, env_var: str) -> Callable[[list[str]], Any]:
    from chromadb.utils import embedding_functions

    if spec.provider == "openai":
        return embedding_functions.OpenAIEmbeddingFunction(
            model_name=spec.model, api_key_env_var=env_var
        )
    if spec.provider == "cohere":
        return embedding_functions.CohereEmbeddingFunction(
            model_name=spec.model, api_key_env_var=env_var
        )
    raise EmbedderError(f"unknown hosted provider {spec.provider!r}")


class HostedEmbedder:
    """A hosted model through Chroma's embedding function, built on the first ``embed``.

    Building it late keeps registration free: listing plugins never needs a key, a package
    or the network. Every failure (no key, package missing, request failed) becomes an
    :class:`EmbedderError` whose message says what to do.
    """

    def __init__(self, spec: HostedSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.dimension = spec.dimension
        self._function: Callable[[list[str]], Any] | None = None

    def _build(self) -> Callable[[list[str]], Any]:
        if self._function is None:
            env_var = next((var for var in self.spec.env_vars if os.environ.get(var)), None)
            if env_var is None:
                names = " or ".join(self.spec.env_vars)
                raise EmbedderError(
                    f"the {self.name} embedder needs an API key: set {names} in the environment"
                )
            try:
                self._function = _chroma_function(self.spec, env_var)
            except ValueError as error:  # Chroma's way of saying a package is missing
                raise EmbedderError(
                    f"the {self.name} embedder could not start ({error}); it needs the "
                    f"{self.spec.package!r} package: pip install {self.spec.package}"
                ) from error
        return self._function

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        function = self._build()
        try:
            vectors = function(list(texts))
        except Exception as error:
            raise EmbedderError(
                f"the {self.name} embedder's request failed ({type(error).__name__}: {error}); "
                f"check the network and the key in {' or '.join(self.spec.env_vars)}"
            ) from error
        return [[float(x) for x in vector] for vector in vectors]


def register_hosted(register: Callable[..., None], specs: Sequence[HostedSpec] = HOSTED) -> None:
    """Register the hosted embedders through a ``register_embedders`` callback."""
    for spec in specs:
        register(spec.name, _factory(spec), spec.dimension)


def _factory(spec: HostedSpec) -> Callable[[], HostedEmbedder]:
    def build() -> HostedEmbedder:
        return HostedEmbedder(spec)

    build.__name__ = f"hosted_{spec.provider}"
    return build
