"""The ``ocr`` perceiver: text in the observation's images, Chinese and English.

It runs RapidOCR (PaddleOCR's PP-OCRv4 detection and recognition models converted to ONNX)
through onnxruntime. The three model files ship inside the ``rapidocr-onnxruntime`` wheel,
so installing it is the whole setup and nothing is fetched at run time. The engine loads on
the first image, not at registration, so ``agentkit plugins`` stays fast.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agentkit.environment import Observation
from agentkit.perception import Percept
from agentkit_vision.images import ImageBlocks, as_rgb, select_images

__all__ = ["INSTALL_HINT", "OcrLine", "OcrPerceiver", "OcrSetupError", "reading_order"]

INSTALL_HINT = "pip install rapidocr-onnxruntime==1.4.4 onnxruntime==1.32.0"


class OcrSetupError(RuntimeError):
    """rapidocr-onnxruntime (or its bundled models) is missing."""


@dataclass(frozen=True)
class OcrLine:
    """One detected text box: its text, recognition confidence and axis-aligned bounds."""

    text: str
    confidence: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def reading_order(boxes: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Group boxes into rows (top to bottom), each row left to right.

    A box joins a row when its vertical middle falls inside the row's first box: text of
    one line is detected as several boxes when words are far apart, and a plain sort by top
    edge would interleave boxes whose tops differ by a pixel or two.
    """
    rows: list[list[OcrLine]] = []
    for box in sorted(boxes, key=lambda b: (b.middle, b.left)):
        for row in rows:
            anchor = row[0]
            if anchor.top <= box.middle <= anchor.bottom:
                row.append(box)
                break
        else:
            rows.append([box])
    rows.sort(key=lambda row: min(b.middle for b in row))
    return [sorted(row, key=lambda b: b.left) for row in rows]


class OcrPerceiver:
    """Reads text in images; ``[ocr] text read: "line one | line two"``.

    - ``images``: image keys to read, in order; None (default) reads every image.
    - ``min_confidence``: boxes recognised with a lower score are dropped (0..1).
    - ``max_side``: the detector works on the image scaled so its longer side is at most
      this many pixels (RapidOCR's own default scales the *shorter* side up to 736, which
      makes a wide screenshot several times slower for no gain on rendered text).
    - ``max_chars``: the percept is cut to this length so a page of text cannot flood the
      prompt (the full reading stays in ``Percept.data``).
    - ``image_blocks``: ``"instead"`` skips the image agentkit sends to a vision model as a
      content block (``images["rgb"]``); see :mod:`agentkit_vision.images`.
    - ``threads``: onnxruntime threads per model; None is onnxruntime's default (a spinning
      thread per core). One thread is the default: on two cores shared with an LLM or a
      benchmark it read 3-4x faster than the default pool (see docs/plugins/vision.md).

    Returns None when no selected image is present or no text is found, so environments
    without text add nothing to the prompt.
    """

    name = "ocr"

    def __init__(
        self,
        images: Sequence[str] | None = None,
        *,
        min_confidence: float = 0.5,
        max_side: int = 960,
        max_chars: int = 600,
        image_blocks: ImageBlocks = "beside",
        threads: int | None = 1,
        engine: Any = None,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be within 0..1, not {min_confidence}")
        if image_blocks not in ("beside", "instead"):
            raise ValueError(f"image_blocks must be 'beside' or 'instead', not {image_blocks!r}")
        self.images = list(images) if images is not None else None
        self.min_confidence = float(min_confidence)
        self.max_side = int(max_side)
        self.max_chars = int(max_chars)
        self.image_blocks: ImageBlocks = image_blocks
        self.threads = threads
        self._engine = engine
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def _load(self) -> Any:
        with self._lock:
            if self._engine is None:
                try:
                    from rapidocr_onnxruntime import RapidOCR
                except ImportError as error:
                    raise OcrSetupError(
                        f"the ocr perceiver needs rapidocr-onnxruntime: {INSTALL_HINT}"
                    ) from error
                options: dict[str, Any] = {
                    "det_limit_type": "max",
                    "det_limit_side_len": self.max_side,
                    # Filtering happens here, so every score is visible in Percept.data.
                    "text_score": 0.0,
                }
                if self.threads is not None:
                    options["intra_op_num_threads"] = self.threads
                    options["inter_op_num_threads"] = 1
                self._engine = RapidOCR(**options)
        return self._engine

    def read(self, image: np.ndarray) -> list[list[OcrLine]]:
        """The text boxes of one RGB image above ``min_confidence``, in reading order."""
        engine = self._load()
        bgr = np.ascontiguousarray(image[:, :, ::-1])  # RapidOCR takes arrays as OpenCV BGR
        result, _elapsed = engine(bgr)
        boxes: list[OcrLine] = []
        for points, text, score in result or []:
            text = str(text).strip()
            if not text or float(score) < self.min_confidence:
                continue
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            boxes.append(OcrLine(text, round(float(score), 4), min(xs), min(ys), max(xs), max(ys)))
        return reading_order(boxes)

    def perceive(self, observation: Observation) -> Percept | None:
        selected = select_images(observation, self.images, self.image_blocks)
        if not selected:
            return None
        readings: dict[str, list[str]] = {}
        data: dict[str, Any] = {}
        for key, raw in selected:
            rows = self.read(as_rgb(key, raw))
            if not rows:
                continue
            readings[key] = [" ".join(box.text for box in row) for row in rows]
            data[key] = [
                {
                    "text": box.text,
                    "confidence": box.confidence,
                    "box": [round(box.left), round(box.top), round(box.right), round(box.bottom)],
                }
                for row in rows
                for box in row
            ]
        if not readings:
            return None
        if len(selected) == 1:
            (lines,) = readings.values()
            text = f'text read: "{" | ".join(lines)}"'
        else:
            parts = [f'in {key}: "{" | ".join(lines)}"' for key, lines in readings.items()]
            text = "text read " + "; ".join(parts)
        if len(text) > self.max_chars:
            text = text[: self.max_chars - 1] + "…"
        return Percept(source=self.name, text=text, data={"images": data})
