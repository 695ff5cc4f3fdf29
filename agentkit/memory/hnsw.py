"""HNSW settings of one Chroma index, and when Chroma actually uses them.

chromadb 1.5 (embedded and server alike) reads a collection's HNSW configuration once, when
a process first loads that index. ``collection.modify(configuration={"hnsw": {"ef_search":
n}})`` afterwards only rewrites the stored configuration: queries keep the breadth the
index was loaded with, and the configuration read back says ``n`` all the same (measured
with chromadb 1.5.9: 10,000 MiniLM skills built with ef_search 10 kept top-5 test accuracy
at 24 % after a modify to 1,000, and reached 54 % once the index was loaded again). So:

- on open, the library modifies ``ef_search`` before anything queries the index;
- :meth:`~agentkit.memory.store.VectorIndex.set_ef_search` modifies it, then closes and
  reopens the embedded client so that the index is loaded again with it (only when no
  other client in this process still holds the same Chroma folder);
- a Chroma server keeps the index it loaded until it restarts.

``ef_construction`` and ``max_neighbors`` (HNSW's ``M``) shape the graph and only apply when
a collection is created.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["HNSW_DEFAULTS", "HnswSettings"]


@dataclass(frozen=True)
class HnswSettings:
    """Chroma's HNSW settings for one index (``configuration={"hnsw": ...}``).

    ``ef_search`` is how many candidates a query keeps: recall against latency. The
    defaults are measured (docs/memory.md, "HNSW settings"): on the templated 100,000-skill
    bench corpus the hand-written targets sit far from the crowd and have few links into
    the graph, so a narrow search misses them (MiniLM, M 32, construction ef 200, top-5 on
    the test set: ef_search 200 33 %, 1,000 40 %, 3,000 45 %, 8,000 49 %, exact 52 %; a
    50-candidate Chroma query 3.9, 8.1, 12.2 and 22.2 ms p50). 1,000 is the widest search
    whose Chroma query stays under 10 ms there.
    """

    ef_search: int = 1000
    ef_construction: int = 200
    max_neighbors: int = 32

    def configuration(self) -> dict[str, Any]:
        return {"hnsw": {"space": "cosine", **asdict(self)}}


HNSW_DEFAULTS = HnswSettings()
