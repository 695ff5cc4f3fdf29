"""The clip perceiver: the perceiver contract and the plumbing (labels, probabilities,
determinism, image selection, errors) with small randomly initialised models, not accuracy.

Two kinds of model here: a tiny pure-torch stand-in through ``loader`` (runs wherever torch
is installed), and open_clip's own ViT-B-32 with ``pretrained="random"`` plus the offline
weight lookup (marked ``open_clip``; they run where the [clip] extra imports and skip
otherwise). open_clip's torchvision breaks ``import transformers`` in the project venv, so
``make test`` deselects the marker in its main pytest and runs this folder again in a second
one, with the extra's packages (installed to ``.venv/clip-deps``) on ``PYTHONPATH`` and skips
forbidden. The transformers backend has its own file, test_vision_clip_transformers.py.
"""

from __future__ import annotations

import importlib.util
import math
import socket
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from agentkit_vision import (
    BrokenImageError,
    ClipPerceiver,
    ClipSetupError,
    ClipWeightsMissing,
    LoadedClip,
    resolve_weights,
)

from agentkit.environment import Observation
from agentkit.perception import run_perceivers
from agentkit.testing.contracts import PerceiverContract

torch = pytest.importorskip("torch")

LABELS = ["a tree", "water", "a cow", "a zombie", "stone"]


def open_clip_importable() -> bool:
    if importlib.util.find_spec("open_clip") is None:
        return False
    try:
        from agentkit_vision.clip import import_open_clip

        import_open_clip()
    except Exception:
        return False
    return True


def needs_open_clip(test: Any) -> Any:
    """Marked ``open_clip`` (make test runs it beside the extra) and skipped without it."""
    skip = pytest.mark.skipif(
        not open_clip_importable(),
        reason="open_clip (extra [clip]) does not import here: make test runs these with "
        "PYTHONPATH=.venv/clip-deps; see docs/plugins/vision.md",
    )
    return pytest.mark.open_clip(skip(test))


class TinyClip(torch.nn.Module):
    """A seeded stand-in with CLIP's interface: encode_image, encode_text, logit_scale."""

    def __init__(self) -> None:
        super().__init__()
        generator = torch.Generator().manual_seed(0)
        self.image = torch.nn.Parameter(torch.randn(3 * 16 * 16, 8, generator=generator))
        self.words = torch.nn.Parameter(torch.randn(256, 8, generator=generator))
        self.logit_scale = torch.nn.Parameter(torch.tensor(math.log(10.0)))

    def encode_image(self, batch):
        return batch.flatten(1) @ self.image

    def encode_text(self, tokens):
        return self.words[tokens].mean(dim=1)


def tiny_preprocess(image):
    array = np.asarray(image.resize((16, 16)), dtype=np.float32) / 255.0
    return torch.from_numpy(array).permute(2, 0, 1).contiguous()


def tiny_tokenizer(texts):
    rows = [list(text.encode("utf-8"))[:24] for text in texts]
    return torch.tensor([row + [0] * (24 - len(row)) for row in rows])


def tiny_loader() -> LoadedClip:
    return LoadedClip(model=TinyClip(), preprocess=tiny_preprocess, tokenizer=tiny_tokenizer)


def frame(seed: int = 0, size: int = 48) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8)


class TestClipContract(PerceiverContract):
    entry_point = "vision"

    def make_perceiver(self) -> ClipPerceiver:
        return ClipPerceiver(LABELS, loader=tiny_loader)

    def make_observation(self) -> Observation:
        return Observation(text="a field", images={"rgb": frame()})


def test_probabilities_form_a_distribution_and_the_text_ranks_them():
    clip = ClipPerceiver(LABELS, top_k=2, loader=tiny_loader)
    percept = clip.perceive(Observation(text="", images={"rgb": frame(1), "map": frame(2)}))
    assert percept is not None and percept.source == "clip"
    scores = percept.data["labels"]
    assert list(scores) == ["rgb", "map"]
    for key, row in scores.items():
        assert sorted(row) == sorted(LABELS)
        assert sum(row.values()) == pytest.approx(1.0, abs=1e-5)
        ranked = list(row.items())
        assert [p for _, p in ranked] == sorted(row.values(), reverse=True)
        (first, p1), (second, p2) = ranked[:2]
        assert f"{key}: {first} {p1:.2f}, {second} {p2:.2f}" in percept.text
    assert percept.text.count(",") == 2  # top_k=2 per image: one comma each
    assert percept.data["weights"] == "custom" and percept.data["backend"] == "custom"


def test_classify_shapes():
    rows = ClipPerceiver(loader=tiny_loader).classify([frame(1), frame(2, 31)], LABELS[:3])
    assert len(rows) == 2 and all(len(row) == 3 for row in rows)
    assert all(sum(row) == pytest.approx(1.0) for row in rows)


def test_environment_labels_override_the_users():
    clip = ClipPerceiver(["ignored"], loader=tiny_loader)
    observation = Observation(text="", images={"rgb": frame()}, extras={"labels": ["x", "y"]})
    percept = clip.perceive(observation)
    assert percept is not None and sorted(percept.data["labels"]["rgb"]) == ["x", "y"]


def test_no_labels_or_no_image_means_no_percept_and_nothing_loaded():
    clip = ClipPerceiver(loader=tiny_loader)
    assert clip.perceive(Observation(text="", images={"rgb": frame()})) is None
    assert ClipPerceiver(LABELS, loader=tiny_loader).perceive(Observation(text="")) is None
    assert not clip.loaded


def test_image_blocks_instead_leaves_the_frame_to_the_model():
    clip = ClipPerceiver(LABELS, image_blocks="instead", loader=tiny_loader)
    assert clip.perceive(Observation(text="", images={"rgb": frame()})) is None
    percept = clip.perceive(Observation(text="", images={"rgb": frame(), "map": frame(3)}))
    assert percept is not None and list(percept.data["labels"]) == ["map"]


def test_broken_image_is_reported_by_run_perceivers():
    clip = ClipPerceiver(LABELS, loader=tiny_loader)
    observation = Observation(text="", images={"rgb": np.zeros((4, 4, 7), np.uint8)})
    with pytest.raises(BrokenImageError, match="shape"):
        clip.perceive(observation)
    percepts, errors = run_perceivers([clip], observation)
    assert percepts == [] and errors[0].startswith("perceiver clip failed: BrokenImageError")


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="top_k"):
        ClipPerceiver(top_k=0)
    with pytest.raises(ValueError, match="template"):
        ClipPerceiver(template="a photo")


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@needs_open_clip
def test_missing_weights_are_a_clear_error_without_network(tmp_path, no_network, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    clip = ClipPerceiver(
        LABELS, backend="open_clip", pretrained="laion2b_s34b_b79k", cache_dir=str(tmp_path)
    )
    observation = Observation(text="", images={"rgb": frame()})
    with pytest.raises(ClipWeightsMissing, match="never downloads") as caught:
        clip.perceive(observation)
    assert "AGENTKIT_CLIP_PRETRAINED" in str(caught.value)
    assert "laion/CLIP-ViT-B-32-laion2B-s34B-b79K" in str(caught.value)
    percepts, errors = run_perceivers([clip], observation)
    assert percepts == [] and "ClipWeightsMissing" in errors[0]
    with pytest.raises(ClipWeightsMissing, match="neither a file nor a pretrained tag"):
        resolve_weights("ViT-B-32", "no-such-tag", str(tmp_path))


@needs_open_clip
def test_weights_are_found_in_a_local_hf_cache_or_as_a_file(tmp_path):
    snapshot = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "models--laion--CLIP-ViT-B-32-laion2B-s34B-b79K"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(snapshot)
    weights = repo / "snapshots" / snapshot / "open_clip_model.safetensors"
    weights.parent.mkdir(parents=True)
    weights.write_bytes(b"stand-in")
    path, cfg = resolve_weights("ViT-B-32", "laion2b_s34b_b79k", str(tmp_path))
    assert Path(path) == weights and cfg["hf_hub"].startswith("laion/")
    assert resolve_weights("ViT-B-32", str(weights)) == (str(weights), {})


def test_without_open_clip_the_backend_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "open_clip", None)  # importing it now fails, installed or not
    with pytest.raises(ClipSetupError, match=r"xmodal-agentkit-vision\[clip\]"):
        ClipPerceiver(LABELS, backend="open_clip", pretrained="random")._load()


@needs_open_clip
def test_unknown_model_is_a_clear_error():
    with pytest.raises(ClipSetupError, match="unknown open_clip model"):
        ClipPerceiver(LABELS, model_name="ViT-Nope", pretrained="random")._load()


@pytest.mark.slow  # about 14 s on two shared cores: torch, open_clip and a 150M-parameter init
@needs_open_clip
def test_open_clip_random_vit_b_32_end_to_end(no_network):
    observation = Observation(text="", images={"rgb": frame(size=96)})
    first = ClipPerceiver(LABELS, pretrained="random", top_k=5).perceive(observation)
    again = ClipPerceiver(LABELS, pretrained="random", top_k=5).perceive(observation)
    assert first is not None and again is not None
    assert first.model_dump() == again.model_dump()  # seeded random init: deterministic
    assert first.data["weights"] == "open_clip:ViT-B-32/random-init (untrained)"
    assert first.data["backend"] == "open_clip"
    assert sum(first.data["labels"]["rgb"].values()) == pytest.approx(1.0, abs=1e-5)
