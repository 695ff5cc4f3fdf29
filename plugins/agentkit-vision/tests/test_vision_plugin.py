"""Registration and options: both perceivers registered without loading a model, options
read from environment variables, malformed values named."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from agentkit_vision import ClipPerceiver, OcrPerceiver
from agentkit_vision.settings import clip_from_env, enabled_perceivers, ocr_from_env


def test_registration_builds_both_perceivers_and_loads_no_model():
    code = (
        "import json, sys\n"
        "from agentkit.plugins import load_plugins\n"
        "names = [p.name for p in load_plugins().perceivers]\n"
        "heavy = [m for m in ('torch', 'onnxruntime', 'rapidocr_onnxruntime', 'open_clip',"
        " 'transformers') if m in sys.modules]\n"
        "print(json.dumps([names, heavy]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTKIT_")}
    env["AGENTKIT_LOAD_PLUGINS"] = "vision"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    names, heavy = json.loads(result.stdout.strip().splitlines()[-1])
    assert names == ["ocr", "clip"]
    assert heavy == [], f"registration imported {heavy}"


def test_enabled_perceivers():
    assert enabled_perceivers({}) == ["ocr", "clip"]
    assert enabled_perceivers({"AGENTKIT_VISION_PERCEIVERS": ""}) == []
    assert enabled_perceivers({"AGENTKIT_VISION_PERCEIVERS": " clip "}) == ["clip"]
    with pytest.raises(ValueError, match="AGENTKIT_VISION_PERCEIVERS"):
        enabled_perceivers({"AGENTKIT_VISION_PERCEIVERS": "ocr,yolo"})


def test_ocr_options_from_env():
    ocr = ocr_from_env(
        {
            "AGENTKIT_OCR_IMAGES": "rgb, page",
            "AGENTKIT_OCR_MIN_CONFIDENCE": "0.8",
            "AGENTKIT_OCR_THREADS": "1",
            "AGENTKIT_VISION_IMAGE_BLOCKS": "instead",
        }
    )
    assert isinstance(ocr, OcrPerceiver) and not ocr.loaded
    assert ocr.images == ["rgb", "page"] and ocr.min_confidence == 0.8
    assert ocr.threads == 1 and ocr.image_blocks == "instead"
    defaults = ocr_from_env({})
    assert defaults.images is None and defaults.min_confidence == 0.5 and defaults.threads == 1
    assert ocr_from_env({"AGENTKIT_OCR_THREADS": "auto"}).threads is None
    assert ocr_from_env({"AGENTKIT_OCR_THREADS": "0"}).threads is None
    with pytest.raises(ValueError, match="AGENTKIT_OCR_MIN_CONFIDENCE"):
        ocr_from_env({"AGENTKIT_OCR_MIN_CONFIDENCE": "high"})
    with pytest.raises(ValueError, match="AGENTKIT_VISION_IMAGE_BLOCKS"):
        ocr_from_env({"AGENTKIT_VISION_IMAGE_BLOCKS": "over"})


def test_clip_options_from_env(tmp_path):
    labels = tmp_path / "labels.txt"
    labels.write_text("# things in Crafter\ntree\nwater\n\nzombie\n", encoding="utf-8")
    clip = clip_from_env(
        {
            "AGENTKIT_CLIP_LABELS": f"@{labels}",
            "AGENTKIT_CLIP_MODEL": "ViT-B-16",
            "AGENTKIT_CLIP_PRETRAINED": "/models/clip.safetensors",
            "AGENTKIT_CLIP_TOP_K": "2",
        }
    )
    assert isinstance(clip, ClipPerceiver) and not clip.loaded
    assert clip.labels == ["tree", "water", "zombie"]
    assert (clip.model_name, clip.pretrained, clip.top_k) == (
        "ViT-B-16",
        "/models/clip.safetensors",
        2,
    )
    defaults = clip_from_env({"AGENTKIT_CLIP_LABELS": "a cat, a dog"})
    assert defaults.labels == ["a cat", "a dog"]
    # None: the backend's default weights (open_clip laion2b_s34b_b79k or transformers
    # openai/clip-vit-base-patch32), never an untrained model
    assert (defaults.model_name, defaults.pretrained, defaults.backend) == (
        "ViT-B-32",
        None,
        "auto",
    )
    assert clip_from_env({"AGENTKIT_CLIP_PRETRAINED": "Random"}).pretrained == "random"
    assert clip_from_env({"AGENTKIT_CLIP_PRETRAINED": "random-tiny"}).pretrained == "random-tiny"
    with pytest.raises(ValueError, match="cannot read"):
        clip_from_env({"AGENTKIT_CLIP_LABELS": f"@{tmp_path / 'missing.txt'}"})
