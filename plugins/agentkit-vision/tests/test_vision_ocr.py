"""The ocr perceiver with the real bundled RapidOCR models: the perceiver contract, English
and Chinese rendered text, reading order, image selection, broken images, no network."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import numpy as np
import pytest
from agentkit_vision import BrokenImageError, OcrLine, OcrPerceiver
from agentkit_vision.ocr import reading_order
from agentkit_vision.samples import find_font, render_lines

from agentkit.environment import Observation
from agentkit.perception import run_perceivers
from agentkit.testing.contracts import PerceiverContract

pytest.importorskip("rapidocr_onnxruntime")

EN_FONT = find_font("en")
ZH_FONT = find_font("zh")
needs_en_font = pytest.mark.skipif(EN_FONT is None, reason="no Latin font on this machine")
needs_zh_font = pytest.mark.skipif(
    ZH_FONT is None, reason="no CJK font (apt-get install fonts-wqy-microhei)"
)

_ENGINE: list[object] = []


def shared_ocr(**options: object) -> OcrPerceiver:
    """A perceiver sharing one loaded engine, so each test does not pay the model load."""
    if not _ENGINE:
        _ENGINE.append(OcrPerceiver()._load())
    return OcrPerceiver(engine=_ENGINE[0], **options)  # type: ignore[arg-type]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@needs_en_font
class TestOcrContract(PerceiverContract):
    entry_point = "vision"

    def make_perceiver(self) -> OcrPerceiver:
        return shared_ocr()

    def make_observation(self) -> Observation:
        assert EN_FONT is not None
        image = render_lines(["Press E to open the inventory"], EN_FONT, 24)
        return Observation(text="a sign", images={"rgb": image})


@needs_en_font
def test_reads_a_rendered_english_sentence():
    assert EN_FONT is not None
    sentence = "The quick brown fox jumps over the lazy dog"
    percept = shared_ocr().perceive(
        Observation(text="", images={"rgb": render_lines([sentence], EN_FONT, 24)})
    )
    assert percept is not None and percept.source == "ocr"
    assert percept.text.startswith('text read: "') and percept.text.endswith('"')
    assert squash(sentence) in squash(percept.text)
    (box,) = percept.data["images"]["rgb"]
    assert 0.5 <= box["confidence"] <= 1.0 and len(box["box"]) == 4


@needs_zh_font
def test_reads_a_rendered_chinese_sentence():
    assert ZH_FONT is not None
    sentence = "今天天气很好，我们去公园散步。"
    percept = shared_ocr().perceive(
        Observation(text="", images={"rgb": render_lines([sentence], ZH_FONT, 24)})
    )
    assert percept is not None
    assert sentence in percept.text


@needs_en_font
def test_lines_are_read_top_to_bottom():
    assert EN_FONT is not None
    image = render_lines(["First line here", "Second line below"], EN_FONT, 24)
    percept = shared_ocr().perceive(Observation(text="", images={"rgb": image}))
    assert percept is not None
    first, second = percept.text.removeprefix('text read: "').rstrip('"').split(" | ")
    assert squash(first) == "firstlinehere" and squash(second) == "secondlinebelow"


def test_reading_order_groups_rows_then_sorts_left_to_right():
    boxes = [
        OcrLine("right", 0.9, 300, 12, 400, 40),
        OcrLine("below", 0.9, 10, 60, 120, 90),
        OcrLine("left", 0.9, 10, 10, 100, 38),
    ]
    rows = reading_order(boxes)
    assert [[b.text for b in row] for row in rows] == [["left", "right"], ["below"]]


def test_no_image_means_no_percept_and_no_model_load():
    ocr = OcrPerceiver()
    assert ocr.perceive(Observation(text="text only")) is None
    assert ocr.perceive(Observation(text="", images={"rgb": None})) is None
    assert not ocr.loaded


def test_an_image_without_text_gives_no_percept():
    blank = np.full((96, 96, 3), 255, dtype=np.uint8)
    assert shared_ocr().perceive(Observation(text="", images={"rgb": blank})) is None


@needs_en_font
def test_image_keys_and_image_blocks_instead():
    assert EN_FONT is not None
    images = {
        "rgb": render_lines(["Frame text"], EN_FONT, 24),
        "page": render_lines(["Page text"], EN_FONT, 24),
    }
    both = shared_ocr().perceive(Observation(text="", images=images))
    assert both is not None
    assert both.text.startswith('text read in rgb: "') and '; in page: "' in both.text
    only_page = shared_ocr(images=["page"]).perceive(Observation(text="", images=images))
    assert only_page is not None and list(only_page.data["images"]) == ["page"]
    instead = shared_ocr(image_blocks="instead").perceive(Observation(text="", images=images))
    assert instead is not None and list(instead.data["images"]) == ["page"]
    assert (
        shared_ocr(image_blocks="instead").perceive(
            Observation(text="", images={"rgb": images["rgb"]})
        )
        is None
    )


@needs_en_font
def test_min_confidence_filters_and_max_chars_truncates():
    assert EN_FONT is not None
    image = render_lines(["Insert coin to continue"], EN_FONT, 24)
    observation = Observation(text="", images={"rgb": image})
    assert shared_ocr(min_confidence=1.0).perceive(observation) is None
    short = shared_ocr(max_chars=20).perceive(observation)
    assert short is not None and len(short.text) == 20 and short.text.endswith("…")


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((10, 10, 5), dtype=np.uint8), "shape"),
        (np.zeros((0, 10, 3), dtype=np.uint8), "empty"),
        ("not an image", "dtype"),
        (np.full((8, 8, 3), 300, dtype=np.int32), "outside 0..255"),
    ],
)
def test_broken_image_raises_clearly_and_run_perceivers_reports_it(image, message):
    ocr = OcrPerceiver()
    observation = Observation(text="", images={"rgb": image})
    with pytest.raises(BrokenImageError, match=message):
        ocr.perceive(observation)
    percepts, errors = run_perceivers([ocr], observation)
    assert percepts == []
    (error,) = errors
    assert error.startswith("perceiver ocr failed: BrokenImageError: image 'rgb'")
    assert not ocr.loaded  # checked before any model is touched


def test_grey_and_rgba_images_are_accepted():
    ocr = shared_ocr()
    assert (
        ocr.perceive(Observation(text="", images={"g": np.full((40, 40), 255, np.uint8)})) is None
    )
    rgba = np.full((40, 40, 4), 255, dtype=np.uint8)
    assert ocr.perceive(Observation(text="", images={"a": rgba})) is None


def test_models_ship_in_the_wheel_and_nothing_goes_to_the_network(monkeypatch):
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    names = sorted(p.name for p in models.glob("*.onnx"))
    assert names == [
        "ch_PP-OCRv4_det_infer.onnx",
        "ch_PP-OCRv4_rec_infer.onnx",
        "ch_ppocr_mobile_v2.0_cls_infer.onnx",
    ]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    ocr = OcrPerceiver()  # a fresh engine, loaded with the network refused
    ocr.read(np.full((64, 64, 3), 255, dtype=np.uint8))
    assert ocr.loaded


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="min_confidence"):
        OcrPerceiver(min_confidence=1.5)
    with pytest.raises(ValueError, match="image_blocks"):
        OcrPerceiver(image_blocks="over")  # type: ignore[arg-type]
