"""The skill library's retrieval pipeline: dense + BM25 fused by reciprocal rank, the FTS5
table built from the records when missing, filters, the query-embedding cache and the HNSW
settings."""

from __future__ import annotations

import random
import sqlite3

import pytest

from agentkit.memory import Skill, SkillLibrary
from agentkit.memory.store import EmbeddingCache, HnswSettings, fts_query
from agentkit.testing import HashingEmbedder

pytest.importorskip("chromadb")


class TableEmbedder:
    """Known texts get fixed vectors; anything else a vector of its own far from them.
    Counts the texts it embeds."""

    name = "table-test-double"
    dimension = 4

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table
        self.texts: list[str] = []

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.texts += texts
        return [self.table.get(text, [0.0, 0.0, 0.0, 1.0]) for text in texts]


QUERY = "forge an obsidian lantern"
TARGET = "shape volcanic glass into an obsidian lantern"
DECOYS = [f"decoy number {i} about something else" for i in range(6)]


def decoy_library(folder) -> tuple[SkillLibrary, TableEmbedder]:
    """The query's embedding points at the decoys; only the words point at the target."""
    table = {QUERY: [1.0, 0.0, 0.0, 0.0], TARGET: [0.0, 1.0, 0.0, 0.0]}
    table.update({decoy: [1.0, 0.05 * i, 0.0, 0.0] for i, decoy in enumerate(DECOYS)})
    embedder = TableEmbedder(table)
    library = SkillLibrary.open(folder, embedder)
    library.add_many([skill(f"decoy {i}", text) for i, text in enumerate(DECOYS)])
    library.add(skill("lantern", TARGET))
    return library, embedder


def skill(name: str, description: str, **fields: object) -> Skill:
    return Skill(name=name, description=description, code=f"do('{name}')", **fields)  # type: ignore[arg-type]


def test_fusion_finds_what_only_the_words_match_and_keeps_the_cosine(tmp_path):
    library, _ = decoy_library(tmp_path / "memory")
    with library:
        dense = [h.skill.name for h in library.search(QUERY, k=3, mode="dense")]
        assert "lantern" not in dense and len(dense) == 3
        lexical = library.search(QUERY, k=3, mode="lexical")
        assert [h.skill.name for h in lexical] == ["lantern"]  # no decoy shares a word
        hybrid = library.search(QUERY, k=3)
        assert hybrid[0].skill.name == "lantern"
        # rank 1 by BM25 plus rank 7 of 7 by embedding beats rank 1 by embedding alone
        assert hybrid[0].fused == pytest.approx(1 / 61 + 1 / 67)
        assert hybrid[1].fused == pytest.approx(1 / 61)
        # the score is still the cosine similarity, so recall's threshold means the same
        assert hybrid[0].score == pytest.approx(0.0, abs=1e-6)
        assert hybrid[1].score == pytest.approx(1.0, abs=1e-3)
        assert all(h.fused is None for h in library.search(QUERY, k=3, mode="dense"))
        with pytest.raises(ValueError, match="search mode"):
            library.search(QUERY, mode="nonesuch")  # type: ignore[arg-type]


def test_the_fts_table_is_built_from_the_records_when_missing(tmp_path):
    folder = tmp_path / "memory"
    library, _ = decoy_library(folder)
    library.close()
    conn = sqlite3.connect(folder / "records.sqlite")
    conn.execute("DROP TABLE skills_fts")  # a library written before the FTS table existed
    conn.commit()
    conn.close()
    embedder = TableEmbedder({})
    with SkillLibrary.open(folder, embedder) as library:
        assert library.index.repaired["lexical"] == 7
        assert [h.skill.name for h in library.search(QUERY, k=1, mode="lexical")] == ["lantern"]
        report = library.check()
        assert report["ok"] and not report["lexical_missing"]
        assert embedder.texts == [QUERY]  # no record was re-embedded for it
    conn = sqlite3.connect(folder / "records.sqlite")
    conn.execute("DELETE FROM skills_fts WHERE id='lantern'")
    conn.execute("INSERT INTO skills_fts (id, fp, meta, document) VALUES ('ghost', '', '{}', 'x')")
    conn.commit()
    conn.close()
    with SkillLibrary.open(folder, embedder) as library:
        assert library.index.repaired["lexical"] == 2  # one rewritten, one orphan deleted
        assert library.check()["ok"]


def test_check_reports_a_stale_fts_table(tmp_path):
    library, _ = decoy_library(tmp_path / "memory")
    with library:
        library._store.conn.execute("DELETE FROM skills_fts WHERE id='lantern'")
        report = library.check()
        assert not report["ok"] and report["lexical_missing"] == ["lantern"]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_filters_apply_in_every_mode(tmp_path, mode):
    embedder = HashingEmbedder()
    with SkillLibrary.open(tmp_path / "memory", embedder) as library:
        library.add_many(
            [
                skill("py crafter", "chop a tree for wood", environment="crafter"),
                skill(
                    "js crafter",
                    "chop a tree for wood logs",
                    environment="crafter",
                    language="javascript",
                ),
                skill("py minecraft", "chop a tree for some wood", environment="minecraft"),
                skill(
                    "checked",
                    "chop the tree for wood",
                    environment="crafter",
                    verdicts=[{"success": True}],
                ),
            ]
        )

        def names(**filters: object) -> set[str]:
            hits = library.search("chop a tree for wood", k=5, mode=mode, **filters)  # type: ignore[arg-type]
            return {hit.skill.name for hit in hits}

        assert names() == {"py crafter", "js crafter", "py minecraft", "checked"}
        assert names(environment="minecraft") == {"py minecraft"}
        assert names(environment="crafter", language="python") == {"py crafter", "checked"}
        assert names(language="javascript") == {"js crafter"}
        assert names(verified_only=True) == {"checked"}
        # a verified outcome makes a skill verified: its index entries follow
        library.record_outcome("py minecraft", 1, True, {"success": True})
        assert names(verified_only=True) == {"checked", "py minecraft"}
        assert library.check()["ok"]


def test_a_filter_change_updates_the_index_without_re_embedding(tmp_path):
    library, embedder = decoy_library(tmp_path / "memory")
    with library:
        before = len(embedder.texts)
        library.record_outcome("lantern", 1, True, {"success": True})
        assert len(embedder.texts) == before
        assert [h.skill.name for h in library.search(QUERY, k=5, verified_only=True)] == ["lantern"]


def test_query_embeddings_are_cached(tmp_path):
    library, embedder = decoy_library(tmp_path / "memory")
    with library:
        embedder.texts.clear()
        library.search(QUERY)
        library.search(QUERY, mode="dense")
        library.search(QUERY, environment="elsewhere")
        assert embedder.texts == [QUERY]
        library.search("another task")
        assert embedder.texts == [QUERY, "another task"]
        assert (library.index.cache.hits, library.index.cache.misses) == (2, 2)


def test_the_cache_is_a_bounded_lru():
    cache = EmbeddingCache(size=2)
    cache.put(("e", "a"), [1.0])
    cache.put(("e", "b"), [2.0])
    assert cache.get(("e", "a")) == [1.0]  # now b is the least recently used
    cache.put(("e", "c"), [3.0])
    assert cache.get(("e", "b")) is None and cache.get(("e", "a")) == [1.0]
    assert len(cache) == 2
    assert cache.get(("other embedder", "a")) is None
    off = EmbeddingCache(size=0)
    off.put(("e", "a"), [1.0])
    assert off.get(("e", "a")) is None


def test_hnsw_settings_apply_to_new_indexes_and_ef_search_to_old_ones(tmp_path):
    folder = tmp_path / "memory"
    settings = HnswSettings(ef_search=33, ef_construction=120, max_neighbors=12)
    with SkillLibrary.open(folder, HashingEmbedder(), hnsw=settings) as library:
        library.add(skill("a", "chop a tree"))
        got = library.index.hnsw_configuration()
        assert (got["ef_search"], got["ef_construction"], got["max_neighbors"]) == (33, 120, 12)
        assert got["space"] == "cosine"
    later = HnswSettings(ef_search=44, ef_construction=300, max_neighbors=48)
    with SkillLibrary.open(folder, HashingEmbedder(), hnsw=later) as library:
        got = library.index.hnsw_configuration()
        # the graph of an existing index stays as built; the search breadth follows
        assert (got["ef_search"], got["ef_construction"], got["max_neighbors"]) == (44, 120, 12)
        assert [h.skill.name for h in library.search("chop a tree")] == ["a"]


class RandomEmbedder:
    """Every text its own pseudo-random unit vector: the hardest case for a sparse HNSW graph."""

    name = "random-test-double"
    dimension = 64

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            rng = random.Random(text)
            vector = [rng.gauss(0.0, 1.0) for _ in range(self.dimension)]
            norm = sum(x * x for x in vector) ** 0.5
            vectors.append([x / norm for x in vector])
        return vectors


def dense_recall(library: SkillLibrary, queries: list[str], documents: list[str]) -> float:
    """Share of the exact top 5 (brute-force cosine) that dense search returns."""
    embedder = RandomEmbedder()
    matrix = embedder.embed(documents)
    found = 0
    for query, vector in zip(queries, embedder.embed(queries), strict=True):
        scores = [sum(a * b for a, b in zip(vector, row, strict=True)) for row in matrix]
        exact = sorted(range(len(documents)), key=lambda i: -scores[i])[:5]
        hits = {hit.skill.description for hit in library.search(query, k=5, mode="dense")}
        found += len(hits & {documents[i] for i in exact})
    return found / (5 * len(queries))


def test_a_changed_ef_search_reaches_the_index_that_is_queried(tmp_path):
    # chromadb 1.5 reads ef_search when it loads the index; a later collection.modify only
    # rewrites the stored configuration (hnsw.py). A narrow graph (M 4) searched with
    # ef_search 5 misses most true neighbours; widened, the same graph finds nearly all.
    documents = [f"skill {i}" for i in range(1000)]
    queries = [f"query {i}" for i in range(30)]
    narrow = HnswSettings(ef_search=5, ef_construction=8, max_neighbors=4)
    folder = tmp_path / "memory"
    with SkillLibrary.open(folder, RandomEmbedder(), hnsw=narrow) as library:
        library.add_many([skill(f"s{i}", text) for i, text in enumerate(documents)])
        low = dense_recall(library, queries, documents)
        assert library.index.set_ef_search(1000) is True
        assert library.index.hnsw_configuration()["ef_search"] == 1000
        wide = dense_recall(library, queries, documents)
    assert low < 0.5 < 0.9 <= wide, (low, wide)
    with SkillLibrary.open(folder, RandomEmbedder(), hnsw=narrow) as library:
        assert dense_recall(library, queries, documents) == pytest.approx(low)


def test_fts_query_quotes_words_and_drops_stopwords():
    assert fts_query('go to the "table" AND NOT near') == '"table" OR "not" OR "near"'
    assert fts_query("the a of") == ""
    assert fts_query("Café's wood") == '"café" OR "s" OR "wood"'
