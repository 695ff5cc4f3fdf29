"""The clip perceiver's transformers backend: Hugging Face ``CLIPModel`` without
torchvision, run here with the tiny untrained model (``random-tiny``: 32 x 32 images,
2 + 2 layers of width 32, about 60k parameters) and with that model saved to a folder, so
the real-weights path ``from_pretrained(local_dir)`` runs offline. These check the
plumbing (labels, probabilities, determinism, loading, errors), not accuracy: the model is
untrained and its labels mean nothing.

No test may reach the network: HF_HUB_OFFLINE=1 is set (before transformers is imported,
and again per test) and every socket connection raises.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest
from agentkit_vision import ClipPerceiver, ClipWeightsMissing, resolve_backend
from agentkit_vision.clip import open_clip_available
from agentkit_vision.settings import clip_from_env
from PIL import Image

from agentkit.environment import Observation
from agentkit.perception import run_perceivers
from agentkit.testing.contracts import PerceiverContract

# before transformers (and huggingface_hub, which reads them once) is imported
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
pytest.importorskip("torch")
pytest.importorskip("transformers")
clip_transformers = pytest.importorskip("agentkit_vision.clip_transformers")

LABELS = ["a tree", "water", "a cow", "a zombie", "stone"]
TINY = "random-tiny"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    """The tiny model as save_pretrained writes it: a stand-in for a real CLIP folder."""
    return clip_transformers.save_random_tiny(tmp_path_factory.mktemp("clip") / "tiny-clip")


def frame(seed: int = 0, size: int = 48) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8)


def tiny(labels=LABELS, **options) -> ClipPerceiver:
    return ClipPerceiver(labels, backend="transformers", pretrained=TINY, **options)


def check_ranked(percept, key: str, labels: list[str], top_k: int) -> dict[str, float]:
    """The scores for ``key``: every label once, a distribution, ranked in data and text."""
    row = percept.data["labels"][key]
    assert sorted(row) == sorted(labels)
    assert sum(row.values()) == pytest.approx(1.0, abs=1e-5)
    assert all(0.0 <= p <= 1.0 for p in row.values())
    values = list(row.values())
    assert values == sorted(values, reverse=True)
    top = ", ".join(f"{label} {p:.2f}" for label, p in list(row.items())[:top_k])
    assert f"{key}: {top}" in percept.text
    return row


class TestTransformersClipContract(PerceiverContract):
    entry_point = "vision"

    def make_perceiver(self) -> ClipPerceiver:
        return tiny()

    def make_observation(self) -> Observation:
        return Observation(text="a field", images={"rgb": frame()})


def test_labels_from_the_environment_give_a_ranked_line():
    clip = tiny(["ignored"], top_k=2)
    labels = ["a tree", "water", "a cow"]
    observation = Observation(text="", images={"rgb": frame(1)}, extras={"labels": labels})
    percept = clip.perceive(observation)
    assert percept is not None and percept.source == "clip"
    assert percept.text.startswith("rgb: ") and percept.text.count(",") == 1  # top_k=2
    check_ranked(percept, "rgb", labels, top_k=2)
    assert percept.data["backend"] == "transformers"
    assert percept.data["weights"] == "transformers:random-tiny (untrained)"


def test_labels_from_the_user_setting_give_a_ranked_line(tmp_path):
    labels_file = tmp_path / "labels.txt"
    labels_file.write_text("# Crafter\na tree\nwater\na zombie\n", encoding="utf-8")
    clip = clip_from_env(
        {
            "AGENTKIT_CLIP_BACKEND": "transformers",
            "AGENTKIT_CLIP_PRETRAINED": TINY,
            "AGENTKIT_CLIP_LABELS": f"@{labels_file}",
            "AGENTKIT_CLIP_TOP_K": "3",
        }
    )
    percept = clip.perceive(Observation(text="", images={"rgb": frame(2), "map": frame(3)}))
    assert percept is not None and list(percept.data["labels"]) == ["rgb", "map"]
    for key in ("rgb", "map"):
        check_ranked(percept, key, ["a tree", "water", "a zombie"], top_k=3)
    assert percept.text.count(";") == 1  # one part per image


def test_scores_are_deterministic_for_a_seed_and_the_seed_matters():
    observation = Observation(text="", images={"rgb": frame(4)})
    first = tiny(top_k=5).perceive(observation)
    again = tiny(top_k=5).perceive(observation)
    assert first is not None and again is not None
    assert first.model_dump() == again.model_dump()
    other = tiny(top_k=5, seed=1).perceive(observation)
    assert other is not None and other.data["labels"] != first.data["labels"]


def test_the_same_image_twice_gives_the_same_top_label():
    clip = tiny()
    image = frame(5, size=80)
    percept = clip.perceive(Observation(text="", images={"rgb": image, "copy": image.copy()}))
    later = clip.perceive(Observation(text="", images={"rgb": image}))
    assert percept is not None and later is not None
    rows = [percept.data["labels"]["rgb"], percept.data["labels"]["copy"]]
    rows.append(later.data["labels"]["rgb"])
    # the same ranking; a batch of two and a batch of one agree up to float rounding
    assert len({tuple(row) for row in rows}) == 1
    for row in rows[1:]:
        assert row == pytest.approx(rows[0], abs=1e-5)
    assert percept.text.split("; ")[0].split(": ", 1)[1] == later.text.split(": ", 1)[1]


def test_classify_shapes_and_odd_image_sizes():
    rows = tiny().classify([frame(1), frame(2, 31), frame(3, 200)[:, :60]], LABELS[:3])
    assert len(rows) == 3 and all(len(row) == 3 for row in rows)
    assert all(sum(row) == pytest.approx(1.0, abs=1e-6) for row in rows)


def test_a_saved_folder_round_trips_through_from_pretrained(tiny_folder):
    names = {path.name for path in tiny_folder.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= names
    assert "preprocessor_config.json" in names
    observation = Observation(text="", images={"rgb": frame(6)})
    built = tiny(top_k=5).perceive(observation)
    folder = ClipPerceiver(LABELS, backend="transformers", pretrained=str(tiny_folder), top_k=5)
    loaded = folder.perceive(observation)
    assert built is not None and loaded is not None
    assert loaded.data["weights"] == f"transformers:{tiny_folder}"
    # the same weights, tokens and pixels; scores equal up to float rounding
    built_row, loaded_row = built.data["labels"]["rgb"], loaded.data["labels"]["rgb"]
    assert list(built_row) == list(loaded_row)
    for label, p in built_row.items():
        assert loaded_row[label] == pytest.approx(p, abs=1e-5)
    # auto picks transformers for a folder, whether open_clip imports or not
    auto = ClipPerceiver(LABELS, pretrained=str(tiny_folder), top_k=5)
    assert auto.backend_used == "transformers"


def test_a_repository_id_is_found_in_a_local_hf_cache(tmp_path, tiny_folder):
    snapshot = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "models--someone--tiny-clip"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(snapshot)
    shutil.copytree(tiny_folder, repo / "snapshots" / snapshot)
    assert clip_transformers.resolve_folder("someone/tiny-clip", str(tmp_path)) == str(
        repo / "snapshots" / snapshot
    )
    clip = ClipPerceiver(
        LABELS, backend="transformers", pretrained="someone/tiny-clip", cache_dir=str(tmp_path)
    )
    percept = clip.perceive(Observation(text="", images={"rgb": frame()}))
    assert percept is not None and percept.data["weights"] == "transformers:someone/tiny-clip"
    check_ranked(percept, "rgb", LABELS, top_k=3)


def test_missing_default_weights_are_a_clear_error(tmp_path):
    clip = ClipPerceiver(LABELS, backend="transformers", cache_dir=str(tmp_path))
    observation = Observation(text="", images={"rgb": frame()})
    with pytest.raises(ClipWeightsMissing) as caught:
        clip.perceive(observation)
    message = str(caught.value)
    for part in (
        "openai/clip-vit-base-patch32",
        "never downloads",
        str(tmp_path),
        "snapshot_download(",
        "AGENTKIT_CLIP_PRETRAINED=/path/to/clip-vit-base-patch32",
        "random-tiny",
        "untrained",
    ):
        assert part in message
    assert not clip.loaded  # no untrained model was built in its place
    percepts, errors = run_perceivers([clip], observation)
    assert percepts == [] and errors[0].startswith("perceiver clip failed: ClipWeightsMissing")


def test_missing_or_incomplete_folders_are_clear_errors(tmp_path, tiny_folder):
    resolve = clip_transformers.resolve_folder
    with pytest.raises(ClipWeightsMissing, match="there is no CLIP folder at /nowhere/clip"):
        resolve("/nowhere/clip")
    weights = tiny_folder / "model.safetensors"
    with pytest.raises(ClipWeightsMissing, match="is a file; the transformers backend needs"):
        resolve(str(weights))
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(tiny_folder / "config.json", partial)
    with pytest.raises(ClipWeightsMissing, match=r"lacks the weights .*, the tokenizer"):
        resolve(str(partial))
    clip = ClipPerceiver(LABELS, backend="transformers", pretrained=str(partial))
    with pytest.raises(ClipWeightsMissing, match="lacks"):
        clip.perceive(Observation(text="", images={"rgb": frame()}))


def test_the_backend_setting_is_honoured(tmp_path, tiny_folder):
    def backend(env: dict[str, str]) -> str:
        return clip_from_env({"AGENTKIT_CLIP_LABELS": "a, b", **env}).backend_used

    assert backend({"AGENTKIT_CLIP_BACKEND": "transformers"}) == "transformers"
    assert backend({"AGENTKIT_VISION_CLIP_BACKEND": "transformers"}) == "transformers"
    assert backend({"AGENTKIT_CLIP_BACKEND": "open-clip"}) == "open_clip"
    assert backend({"AGENTKIT_CLIP_PRETRAINED": TINY}) == "transformers"
    assert backend({"AGENTKIT_CLIP_PRETRAINED": str(tiny_folder)}) == "transformers"
    assert backend({"AGENTKIT_CLIP_PRETRAINED": "openai/clip-vit-base-patch32"}) == "transformers"
    assert backend({"AGENTKIT_CLIP_PRETRAINED": "random"}) == "open_clip"
    assert backend({"AGENTKIT_CLIP_PRETRAINED": "/models/open_clip.safetensors"}) == "open_clip"
    assert backend({"AGENTKIT_CLIP_PRETRAINED": "laion2b_s34b_b79k"}) == "open_clip"
    expected = "open_clip" if open_clip_available() else "transformers"
    assert backend({}) == expected == resolve_backend()
    with pytest.raises(ValueError, match="AGENTKIT_CLIP_BACKEND='onnx'"):
        clip_from_env({"AGENTKIT_CLIP_BACKEND": "onnx"})
    with pytest.raises(ValueError, match="disagree"):
        clip_from_env(
            {"AGENTKIT_CLIP_BACKEND": "open_clip", "AGENTKIT_VISION_CLIP_BACKEND": "transformers"}
        )
    with pytest.raises(ValueError, match="transformers backend's tiny model"):
        clip_from_env({"AGENTKIT_CLIP_BACKEND": "open_clip", "AGENTKIT_CLIP_PRETRAINED": TINY})
    with pytest.raises(ValueError, match="open_clip's random init"):
        ClipPerceiver(backend="transformers", pretrained="random")
    with pytest.raises(ValueError, match="backend must be one of"):
        ClipPerceiver(backend="tf")
    # the setting reaches the loaded model
    clip = clip_from_env(
        {
            "AGENTKIT_VISION_CLIP_BACKEND": "transformers",
            "AGENTKIT_CLIP_PRETRAINED": str(tiny_folder),
            "AGENTKIT_CLIP_LABELS": "a, b",
        }
    )
    percept = clip.perceive(Observation(text="", images={"rgb": frame()}))
    assert percept is not None and percept.data["backend"] == "transformers"
    assert type(clip._clip.model).__name__ == "HFClipModel"


def test_preprocessing_matches_transformers_clip_image_processor():
    processors = pytest.importorskip("transformers.models.clip.image_processing_pil_clip")
    reference = getattr(processors, "CLIPImageProcessorPil", None)
    if reference is None:
        pytest.skip("this transformers has no Pillow CLIP image processor")
    ours = clip_transformers.ClipImageTransform(224, (224, 224))
    theirs = reference(size={"shortest_edge": 224}, crop_size={"height": 224, "width": 224})
    for shape in [(96, 96, 3), (120, 640, 3), (300, 200, 3), (17, 23, 3)]:
        image = Image.fromarray(np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8))
        expected = np.asarray(theirs(images=image, return_tensors="np")["pixel_values"][0])
        np.testing.assert_allclose(ours(image).numpy(), expected, atol=1e-5)


def test_preprocessor_config_is_read_in_both_forms(tmp_path):
    transform = clip_transformers.ClipImageTransform
    (tmp_path / "preprocessor_config.json").write_text(
        '{"size": 224, "crop_size": 200, "image_mean": [0.5, 0.5, 0.5], "resample": 2}'
    )
    old = transform.from_folder(tmp_path, 32)
    assert (old.size, old.crop, old.resample) == (224, (200, 200), 2)
    assert old.mean.ravel().tolist() == [0.5, 0.5, 0.5]
    (tmp_path / "preprocessor_config.json").write_text(
        '{"size": {"shortest_edge": 64}, "crop_size": {"height": 48, "width": 56}}'
    )
    new = transform.from_folder(tmp_path, 32)
    assert (new.size, new.crop) == (64, (48, 56))
    assert new(Image.new("RGB", (100, 70))).shape == (3, 48, 56)
    (tmp_path / "preprocessor_config.json").unlink()
    default = transform.from_folder(tmp_path, 32)
    assert (default.size, default.crop) == (32, (32, 32))
