"""agentkit plugin: vision perceivers ``ocr`` (RapidOCR, Chinese and English) and ``clip``
(zero-shot labels with open_clip or Hugging Face transformers), both offline and loaded
lazily."""

from agentkit_vision.clip import (
    ClipPerceiver,
    ClipSetupError,
    ClipWeightsMissing,
    LoadedClip,
    resolve_backend,
    resolve_weights,
)
from agentkit_vision.images import BLOCK_IMAGE_KEY, BrokenImageError, ImageBlocks
from agentkit_vision.ocr import OcrLine, OcrPerceiver, OcrSetupError
from agentkit_vision.settings import clip_from_env, enabled_perceivers, ocr_from_env

__all__ = [
    "BLOCK_IMAGE_KEY",
    "BrokenImageError",
    "ClipPerceiver",
    "ClipSetupError",
    "ClipWeightsMissing",
    "ImageBlocks",
    "LoadedClip",
    "OcrLine",
    "OcrPerceiver",
    "OcrSetupError",
    "clip_from_env",
    "enabled_perceivers",
    "ocr_from_env",
    "resolve_backend",
    "resolve_weights",
]
