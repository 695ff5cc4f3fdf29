"""Perceiver options from environment variables.

agentkit's ``register_perceivers`` hook takes ready-made perceivers and the command line
has no perceiver options, so this plugin reads its settings from ``AGENTKIT_VISION_*``,
``AGENTKIT_OCR_*`` and ``AGENTKIT_CLIP_*`` when it registers. A malformed value raises
ValueError naming the variable; agentkit then reports the plugin as failed and goes on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from agentkit_vision.clip import BACKENDS, DEFAULT_MODEL, RANDOM, RANDOM_TINY, ClipPerceiver
from agentkit_vision.images import ImageBlocks
from agentkit_vision.ocr import OcrPerceiver

__all__ = ["PERCEIVERS", "clip_from_env", "enabled_perceivers", "ocr_from_env"]

PERCEIVERS = ("ocr", "clip")


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value.strip() if value is not None and value.strip() else None


def _keys(env: Mapping[str, str], name: str) -> list[str] | None:
    value = _get(env, name)
    return [key.strip() for key in value.split(",") if key.strip()] if value else None


def _number(env: Mapping[str, str], name: str, kind: type, default: Any) -> Any:
    value = _get(env, name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError as error:
        raise ValueError(f"{name}={value!r} is not a valid {kind.__name__}") from error


def _image_blocks(env: Mapping[str, str]) -> ImageBlocks:
    value = (_get(env, "AGENTKIT_VISION_IMAGE_BLOCKS") or "beside").lower()
    if value not in ("beside", "instead"):
        raise ValueError(f"AGENTKIT_VISION_IMAGE_BLOCKS={value!r}: use 'beside' or 'instead'")
    return cast(ImageBlocks, value)


def enabled_perceivers(env: Mapping[str, str] | None = None) -> list[str]:
    """``AGENTKIT_VISION_PERCEIVERS``: unset registers both, ``ocr`` or ``clip`` one, and an
    empty value none (the plugin stays installed but adds nothing to the prompt)."""
    env = os.environ if env is None else env
    value = env.get("AGENTKIT_VISION_PERCEIVERS")
    if value is None:
        return list(PERCEIVERS)
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = sorted(set(names) - set(PERCEIVERS))
    if unknown:
        raise ValueError(
            f"AGENTKIT_VISION_PERCEIVERS names {unknown}; choose from {list(PERCEIVERS)}"
        )
    return [name for name in PERCEIVERS if name in names]


def _threads(env: Mapping[str, str]) -> int | None:
    """``AGENTKIT_OCR_THREADS``: a count, or 0 / "auto" for onnxruntime's own default."""
    value = _get(env, "AGENTKIT_OCR_THREADS")
    if value is not None and value.lower() == "auto":
        return None
    threads = _number(env, "AGENTKIT_OCR_THREADS", int, 1)
    return None if threads == 0 else threads


def ocr_from_env(env: Mapping[str, str] | None = None) -> OcrPerceiver:
    """An OcrPerceiver configured from ``AGENTKIT_OCR_*`` (nothing is loaded)."""
    env = os.environ if env is None else env
    return OcrPerceiver(
        images=_keys(env, "AGENTKIT_OCR_IMAGES"),
        min_confidence=_number(env, "AGENTKIT_OCR_MIN_CONFIDENCE", float, 0.5),
        max_side=_number(env, "AGENTKIT_OCR_MAX_SIDE", int, 960),
        max_chars=_number(env, "AGENTKIT_OCR_MAX_CHARS", int, 600),
        threads=_threads(env),
        image_blocks=_image_blocks(env),
    )


def _labels(env: Mapping[str, str]) -> list[str]:
    value = _get(env, "AGENTKIT_CLIP_LABELS")
    if value is None:
        return []
    if value.startswith("@"):
        path = Path(value[1:]).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ValueError(f"AGENTKIT_CLIP_LABELS: cannot read {path}: {error}") from error
        return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [label.strip() for label in value.split(",") if label.strip()]


def _backend(env: Mapping[str, str]) -> str:
    """``AGENTKIT_CLIP_BACKEND`` (``AGENTKIT_VISION_CLIP_BACKEND`` is accepted too)."""
    names = ("AGENTKIT_CLIP_BACKEND", "AGENTKIT_VISION_CLIP_BACKEND")
    given = {name: value.lower() for name in names if (value := _get(env, name)) is not None}
    if len(set(given.values())) > 1:
        raise ValueError(f"{' and '.join(f'{k}={v!r}' for k, v in given.items())} disagree")
    name, value = next(iter(given.items()), (names[0], "auto"))
    value = value.replace("-", "_")  # open-clip is open_clip
    if value not in BACKENDS:
        raise ValueError(f"{name}={value!r}: use {', '.join(BACKENDS)}")
    return value


def _pretrained(env: Mapping[str, str]) -> str | None:
    value = _get(env, "AGENTKIT_CLIP_PRETRAINED")
    if value is not None and value.lower() in (RANDOM, RANDOM_TINY):
        return value.lower()
    return value


def clip_from_env(env: Mapping[str, str] | None = None) -> ClipPerceiver:
    """A ClipPerceiver configured from ``AGENTKIT_CLIP_*`` (nothing is loaded)."""
    env = os.environ if env is None else env
    backend = _backend(env)
    pretrained = _pretrained(env)
    try:
        return ClipPerceiver(
            labels=_labels(env),
            backend=backend,
            model_name=_get(env, "AGENTKIT_CLIP_MODEL") or DEFAULT_MODEL,
            pretrained=pretrained,
            images=_keys(env, "AGENTKIT_CLIP_IMAGES"),
            top_k=_number(env, "AGENTKIT_CLIP_TOP_K", int, 3),
            template=_get(env, "AGENTKIT_CLIP_TEMPLATE") or "a photo of {}",
            cache_dir=_get(env, "AGENTKIT_CLIP_CACHE_DIR"),
            image_blocks=_image_blocks(env),
        )
    except ValueError as error:
        if "pretrained=" in str(error):  # a backend with the other backend's random model
            raise ValueError(
                f"AGENTKIT_CLIP_BACKEND={backend!r} with AGENTKIT_CLIP_PRETRAINED="
                f"{pretrained!r}: {error}"
            ) from error
        raise
