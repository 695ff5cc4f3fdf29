"""The embedder contract: what the skill library and episodic memory rely on.

The memory stores each index with the embedder's name and dimension, wraps plugin
embedders in :class:`agentkit.memory.embedders.RegisteredEmbedder` (which checks vector
counts and lengths) and compares vectors by cosine similarity, so vectors must be stable,
finite and of the declared length.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from agentkit.memory.embedders import Embedder, RegisteredEmbedder
from agentkit.testing.contracts._discovery import registered_through

__all__ = ["EmbedderContract"]

_TEXTS = [
    "chop a tree to collect wood",
    "drink water from the lake",
    "",
    "Place a table next to the player, then craft a wooden pickaxe.",
]


class EmbedderContract:
    """Subclass as ``TestX(EmbedderContract)``; implement :meth:`make_embedder`.

    Set ``entry_point`` (and ``registered_name`` when the name passed to ``register``
    differs from the embedder's ``name``) to check that agentkit finds the plugin.
    """

    texts: list[str] = _TEXTS
    entry_point: str | None = None
    registered_name: str | None = None

    def make_embedder(self) -> Any:
        """The embedder under test."""
        raise NotImplementedError("implement make_embedder() to return your embedder")

    def _embed(self, embedder: Any, texts: list[str]) -> list[list[float]]:
        vectors = embedder.embed(list(texts))
        assert isinstance(vectors, list), (
            f"embed() returned {type(vectors).__name__}; return a list of lists of floats "
            "(convert numpy output with .tolist())"
        )
        return vectors

    def test_has_a_name_and_a_dimension(self) -> None:
        embedder = self.make_embedder()
        assert isinstance(getattr(embedder, "name", None), str) and embedder.name.strip(), (
            "the embedder needs a non-empty `name`: the memory stores it with the index"
        )
        dimension = getattr(embedder, "dimension", None)
        assert isinstance(dimension, int) and dimension >= 1, (
            f"the embedder's `dimension` is {dimension!r}; it must be a positive int"
        )
        assert isinstance(embedder, Embedder), "the embedder needs name, dimension and embed()"

    def test_embedding_nothing_gives_nothing(self) -> None:
        assert self._embed(self.make_embedder(), []) == [], "embed([]) must return []"

    def test_one_vector_of_the_declared_length_per_text(self) -> None:
        embedder = self.make_embedder()
        vectors = self._embed(embedder, self.texts)
        assert len(vectors) == len(self.texts), (
            f"embed() returned {len(vectors)} vectors for {len(self.texts)} texts"
        )
        for text, vector in zip(self.texts, vectors, strict=True):
            assert len(vector) == embedder.dimension, (
                f"the vector for {text!r} has length {len(vector)}, but dimension is "
                f"{embedder.dimension}"
            )
        # The wrapper agentkit puts around every registered embedder must accept it too.
        RegisteredEmbedder(embedder.name, embedder.dimension, embedder).embed(self.texts)

    def test_vectors_are_finite_floats(self) -> None:
        for vector in self._embed(self.make_embedder(), self.texts):
            for x in vector:
                assert isinstance(x, float | int) and not isinstance(x, bool), (
                    f"embed() returned a {type(x).__name__} in a vector; return floats"
                )
                assert math.isfinite(x), f"embed() returned a non-finite value {x}"
            assert any(x != 0 for x in vector), (
                "embed() returned an all-zero vector; cosine similarity is undefined for it"
            )

    def test_is_deterministic(self) -> None:
        first = self._embed(self.make_embedder(), self.texts)
        again = self._embed(self.make_embedder(), self.texts)
        alone = [self._embed(self.make_embedder(), [text])[0] for text in self.texts]
        for a, b, c, text in zip(first, again, alone, self.texts, strict=True):
            assert all(math.isclose(x, y, abs_tol=1e-5) for x, y in zip(a, b, strict=True)), (
                f"embedding {text!r} twice gave different vectors; the index needs stable ones"
            )
            assert all(math.isclose(x, y, abs_tol=1e-5) for x, y in zip(a, c, strict=True)), (
                f"{text!r} embeds differently alone than in a batch"
            )

    def test_works_with_the_skill_library(self, tmp_path: Path) -> None:
        from agentkit.memory import Skill, SkillLibrary

        with SkillLibrary.open(tmp_path / "memory", self.make_embedder()) as library:
            library.add(
                Skill(name="collect wood", description="chop a tree to collect wood", code="")
            )
            library.add(Skill(name="drink", description="drink water from the lake", code=""))
            hits = library.search("collect wood from a tree", k=2)
            assert [hit.skill.name for hit in hits][:1] == ["collect wood"], (
                "the skill library did not find the skill whose description matches the query "
                f"best: {[(hit.skill.name, round(hit.score, 3)) for hit in hits]}"
            )

    def test_discoverable_through_its_entry_point(self) -> None:
        if self.entry_point is None:
            pytest.skip("set entry_point = '<name>' to check that agentkit finds the plugin")
        calls = registered_through(self.entry_point, "register_embedders")
        name = self.registered_name or self.make_embedder().name
        registered = {
            (args[0] if args else kwargs.get("name")): (
                args[2] if len(args) > 2 else kwargs.get("dimension")
            )
            for args, kwargs in calls
        }
        assert name in registered, (
            f"plugin {self.entry_point!r} registers embedders {sorted(map(str, registered))}, "
            f"not {name!r}"
        )
        dimension = self.make_embedder().dimension
        assert registered[name] == dimension, (
            f"{name!r} is registered with dimension {registered[name]} but the embedder "
            f"says {dimension}"
        )
