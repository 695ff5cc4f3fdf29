"""Rendered text images for the OCR tests and benchmark: known ground truth, no data files.

Fonts come from the machine (fontconfig); Chinese needs a CJK font such as
``fonts-wqy-microhei`` or ``fonts-noto-cjk``, and :func:`find_font` returns None without
one so callers can skip rather than fail.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np

__all__ = ["find_font", "render_lines"]

_KNOWN = {
    "en": [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ],
    "zh": [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ],
}


def find_font(lang: str = "en") -> str | None:
    """A font file able to draw ``lang`` ("en" or "zh"), or None when the machine has none."""
    for path in _KNOWN.get(lang, []):
        if Path(path).is_file():
            return path
    if shutil.which("fc-list"):
        query = ":lang=zh" if lang == "zh" else ":lang=en"
        listing = subprocess.run(
            ["fc-list", query, "file"], capture_output=True, text=True, check=False
        ).stdout
        files = sorted(line.split(":")[0].strip() for line in listing.splitlines() if line)
        if files:
            return files[0]
    return None


def render_lines(
    lines: list[str],
    font_path: str,
    size: int = 24,
    *,
    margin: int | None = None,
    foreground: tuple[int, int, int] = (20, 20, 20),
    background: tuple[int, int, int] = (250, 250, 245),
) -> np.ndarray:
    """``lines`` drawn one under another on a plain background: an H x W x 3 uint8 array."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(font_path, size)
    pad = margin if margin is not None else max(8, size // 2)
    boxes = [font.getbbox(line) for line in lines]
    line_height = int(size * 1.5)
    width = int(max(box[2] for box in boxes)) + 2 * pad
    height = line_height * len(lines) + 2 * pad
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((pad, pad + index * line_height), line, fill=foreground, font=font)
    return np.asarray(image, dtype=np.uint8).copy()
