"""The wordllama embedder with the real shipped weights: offline, 256 dimensions, unit length,
deterministic, hash-checked, equal to wordllama's own inference, registered as a plugin."""

from __future__ import annotations

import importlib.util
import logging
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from agentkit_wordllama import DIMENSION, WordLlamaEmbedder, WordLlamaSetupError, wordllama_files
from agentkit_wordllama import embedder as embedder_module

from agentkit.testing.contracts import EmbedderContract

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="wordllama is not installed"
)


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


SHARED = WordLlamaEmbedder()  # loads on first use; shared so the weights are read once


@pytest.fixture(scope="module")
def wordllama() -> WordLlamaEmbedder:
    return SHARED


@needs_model
class TestWordLlamaContract(EmbedderContract):
    entry_point = "wordllama"
    registered_name = "wordllama"

    def make_embedder(self) -> WordLlamaEmbedder:
        return SHARED


def test_registered_through_the_entry_point_with_dimension_256():
    from agentkit.memory.embedders import RegisteredEmbedder, resolve_embedder
    from agentkit.plugins import load_plugins

    registry = load_plugins()
    entry = registry.embedders["wordllama"]
    assert entry.extra["dimension"] == DIMENSION == 256
    assert entry.factory is WordLlamaEmbedder
    assert entry.plugin == "wordllama"
    resolved = resolve_embedder("wordllama", registry)
    assert isinstance(resolved, RegisteredEmbedder)
    assert (resolved.name, resolved.dimension) == ("wordllama", 256)
    assert len(resolved.embed(["craft a wooden pickaxe"])[0]) == 256  # wordllama is a dependency


def test_factory_is_lazy():
    embedder = WordLlamaEmbedder()
    assert not embedder.loaded
    assert embedder.embed([]) == []
    assert not embedder.loaded


def test_missing_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(embedder_module, "MODEL_PACKAGE", "no_such_model_package_xyz")
    with pytest.raises(WordLlamaSetupError, match=re.escape("pip install wordllama==0.4.0.post1")):
        wordllama_files()
    with pytest.raises(WordLlamaSetupError, match="wordllama"):
        WordLlamaEmbedder().embed(["anything"])


def _copy_files(tmp_path: Path) -> Path:
    weights, tokenizer = wordllama_files()
    for source, relative in (
        (weights, embedder_module.WEIGHTS_FILE),
        (tokenizer, embedder_module.TOKENIZER_FILE),
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp_path / relative)
    return tmp_path


@needs_model
def test_a_tampered_weights_file_fails_the_hash_check(tmp_path):
    folder = _copy_files(tmp_path)
    assert WordLlamaEmbedder(folder).embed(["an untouched copy loads"])
    weights = folder / embedder_module.WEIGHTS_FILE
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01
    weights.write_bytes(bytes(data))
    embedder = WordLlamaEmbedder(folder)
    with pytest.raises(WordLlamaSetupError, match=r"SHA-256 .* expected 64b47a2d") as caught:
        embedder.embed(["craft a wooden pickaxe"])
    assert "pip install wordllama==0.4.0.post1 --force-reinstall" in str(caught.value)
    assert not embedder.loaded
    shutil.copyfile(wordllama_files()[0], weights)
    (folder / embedder_module.TOKENIZER_FILE).unlink()
    with pytest.raises(WordLlamaSetupError, match=re.escape("tokenizer_config.json is missing")):
        wordllama_files(folder)


@needs_model
def test_vectors_have_256_dimensions_and_unit_length(wordllama):
    vectors = wordllama.embed(["craft a wooden pickaxe", "drink water", "", "日本語 😀"])
    assert len(vectors) == 4
    for vector in vectors:
        assert len(vector) == 256
        assert math.sqrt(sum(x * x for x in vector)) == pytest.approx(1.0, abs=1e-5)
    assert wordllama.loaded


@needs_model
def test_paraphrases_score_higher_than_unrelated_sentences(wordllama):
    pairs = [
        ("make a pickaxe out of wood", "craft a wooden pickaxe at a crafting table"),
        ("find something to drink", "drink fresh water from a lake"),
        ("go to sleep when it gets dark", "rest in a shelter through the night"),
    ]
    unrelated = "the stock market fell sharply on Tuesday"
    for task, skill in pairs:
        task_v, skill_v, other_v = wordllama.embed([task, skill, unrelated])
        assert cosine(task_v, skill_v) > cosine(task_v, other_v) + 0.1, (task, skill)
    tasks = wordllama.embed([task for task, _ in pairs])
    skills = wordllama.embed([skill for _, skill in pairs])
    for i, task_v in enumerate(tasks):
        scores = [cosine(task_v, skill_v) for skill_v in skills]
        assert scores.index(max(scores)) == i


@needs_model
def test_deterministic_and_batch_independent(wordllama):
    texts = [f"collect {n} pieces of wood near the river" for n in range(10)]
    first = wordllama.embed(texts)
    assert first == wordllama.embed(texts)
    assert WordLlamaEmbedder().embed(texts) == first
    assert wordllama.embed([texts[4]])[0] == first[4]
    assert wordllama.embed([*texts[:3], "a much longer text " * 30])[:3] == first[:3]


@needs_model
def test_equal_to_wordllamas_own_inference(wordllama):
    from safetensors import safe_open
    from tokenizers import Tokenizer

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:  # importing wordllama calls logging.basicConfig; undo it for the other tests
        from wordllama.inference import WordLlamaInference
    finally:
        root.handlers[:], root.level = handlers, level
    weights, tokenizer = wordllama_files()
    with safe_open(str(weights), framework="np", device="cpu") as handle:
        matrix = handle.get_tensor("embedding.weight")
    reference = WordLlamaInference(matrix, Tokenizer.from_file(str(tokenizer)))
    texts = ["place a crafting table", "plase a crafitng table", "coal", "日本語", "x " * 200]
    expected = reference.embed(texts, norm=True).tolist()
    for ours, theirs in zip(wordllama.embed(texts), expected, strict=True):
        assert ours == pytest.approx(theirs, abs=1e-6)


@needs_model
def test_loading_and_embedding_never_touch_the_network():
    """In a fresh interpreter whose sockets refuse to connect, the embedder loads and embeds,
    and neither wordllama (which may download) nor requests is imported."""
    script = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("network access")
socket.socket.connect = refuse
socket.create_connection = refuse
from agentkit_wordllama import WordLlamaEmbedder
assert len(WordLlamaEmbedder().embed(["craft a wooden pickaxe"])[0]) == 256
assert "wordllama" not in sys.modules and "requests" not in sys.modules, sorted(sys.modules)
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
