"""Pictures of the hall: the sign (the only place the goal is written) and the replay frame."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = ["DOOR_RGB", "render_frame", "render_sign"]

DOOR_RGB: dict[str, tuple[int, int, int]] = {
    "red": (200, 40, 40),
    "green": (40, 160, 60),
    "blue": (40, 80, 200),
    "yellow": (230, 200, 40),
}


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: no system font is needed, so the sign looks the same anywhere.
    return ImageFont.load_default(size=size)


def _sign_image(text: str, size: int) -> Image.Image:
    # Words are set a full em apart: at normal spacing the OCR model ran them together
    # ("OPENTHEREDDOOR"), which hides the colour from a reader that matches whole words.
    font = _font(size)
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    words = text.split()
    boxes = [[round(v) for v in measure.textbbox((0, 0), word, font=font)] for word in words]
    gap, pad = size, size // 2
    width = sum(b[2] - b[0] for b in boxes) + gap * (len(words) - 1) + 2 * pad
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    image = Image.new("RGB", (width, bottom - top + 2 * pad), (245, 240, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, image.width - 1, image.height - 1], outline=(90, 60, 30), width=3)
    x = pad
    for word, box in zip(words, boxes, strict=True):
        draw.text((x - box[0], pad - top), word, fill=(20, 20, 20), font=font)
        x += box[2] - box[0] + gap
    return image


def render_sign(text: str, size: int = 32) -> np.ndarray:
    """The sign as an RGB uint8 array: dark capitals on a light board, large enough for OCR."""
    return np.asarray(_sign_image(text, size), dtype=np.uint8)


def render_frame(sign: str, doors: Sequence[str], opened: str | None, unlocked: bool) -> np.ndarray:
    """The hall for replays: the sign on the wall, the guard, the doors (an open one is dark)."""
    width, height = 520, 300
    image = Image.new("RGB", (width, height), (150, 140, 130))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 240, width, height], fill=(100, 85, 70))  # floor
    board = _sign_image(sign, 22)
    image.paste(board, ((width - board.width) // 2, 16))
    door_w, gap = 70, (width - 70 * len(doors)) // (len(doors) + 1)
    for index, colour in enumerate(doors):
        x = gap + index * (door_w + gap)
        fill = (15, 15, 15) if colour == opened else DOOR_RGB.get(colour, (120, 120, 120))
        draw.rectangle([x, 110, x + door_w, 240], fill=fill, outline=(40, 30, 20), width=3)
        draw.rectangle([x, 110, x + door_w, 122], fill=DOOR_RGB.get(colour, (120, 120, 120)))
        if colour != opened:
            draw.ellipse([x + door_w - 16, 172, x + door_w - 8, 180], fill=(30, 30, 30))
    # The guard, with a green badge once the password was accepted.
    gx = width - 25
    draw.ellipse([gx - 10, 180, gx + 10, 200], fill=(230, 190, 150))
    draw.rectangle([gx - 12, 200, gx + 12, 240], fill=(40, 40, 90))
    draw.ellipse([gx - 5, 210, gx + 5, 220], fill=(40, 200, 40) if unlocked else (200, 40, 40))
    return np.asarray(image, dtype=np.uint8)
