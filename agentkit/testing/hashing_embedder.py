"""A deterministic bag-of-words embedder: a test double for the memory, never for real runs.

It lets tests of the skill library and episodic memory run in milliseconds without a
model: texts sharing words get similar vectors, identical texts identical ones. It knows
nothing of meaning ("drink" and "water" are unrelated to it), so it must never stand in for
a real embedder in runs or benchmarks.
"""

from __future__ import annotations

import hashlib
import math
import re

__all__ = ["HashingEmbedder"]

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Test double: each lower-cased word adds ±1 to one of ``dimension`` hashed buckets,
    and the sum is scaled to unit length (the empty text gives a fixed unit vector)."""

    def __init__(self, dimension: int = 64, name: str = "hashing-test-double") -> None:
        if dimension < 1:
            raise ValueError("dimension must be at least 1")
        self.dimension = dimension
        self.name = name
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dimension
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(x * x for x in vector))
        if norm == 0:
            return [1.0] + [0.0] * (self.dimension - 1)
        return [x / norm for x in vector]

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return [self._vector(text) for text in texts]
