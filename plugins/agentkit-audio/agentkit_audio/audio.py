"""The audio convention of agentkit observations, and its conversion to what recognisers eat.

An environment that makes sound puts one clip per observation in ``observation.extras``::

    extras["audio"] = {"samples": ..., "sample_rate": 16000, "channels": 1}

``samples`` is one of: a NumPy array of int16 (shape ``(n,)`` or ``(n, channels)``); a NumPy
float array in [-1, 1] (same shapes); an ``array.array("h")``; raw little-endian int16 PCM
``bytes`` (interleaved when ``channels`` > 1); or the bytes of a whole WAV file, whose header
then gives the rate and channels. ``sample_rate`` is in Hz and required except for WAV
bytes; ``channels`` defaults to 1 (or the array's second dimension).

Conversion uses the standard library only (no NumPy import, no ``audioop``, which Python
3.13 removed), so the perceiver works wherever the clip came from.
"""

from __future__ import annotations

import array
import io
import sys
import wave
from collections.abc import Mapping
from typing import Any

__all__ = [
    "AUDIO_KEY",
    "TARGET_RATE",
    "AudioFormatError",
    "resample",
    "to_mono",
    "to_pcm16_mono",
]

AUDIO_KEY = "audio"
"""The key in ``Observation.extras`` that holds the clip."""

TARGET_RATE = 16_000
"""The rate pocketsphinx's US English model was trained on."""

_MIN_RATE, _MAX_RATE = 4_000, 192_000


class AudioFormatError(ValueError):
    """The clip in ``extras["audio"]`` does not follow the convention; the message says why."""


def _wav_bytes(data: bytes) -> tuple[array.array[int], int, int]:
    try:
        with wave.open(io.BytesIO(data)) as clip:
            width, rate, channels = clip.getsampwidth(), clip.getframerate(), clip.getnchannels()
            frames = clip.readframes(clip.getnframes())
    except (wave.Error, EOFError) as error:
        raise AudioFormatError(
            f"samples look like a WAV file but cannot be read: {error}"
        ) from error
    if width != 2:
        raise AudioFormatError(f"WAV files must be 16-bit PCM, got {8 * width}-bit")
    return _pcm16(frames), rate, channels


def _pcm16(data: bytes) -> array.array[int]:
    if len(data) % 2:
        raise AudioFormatError(f"int16 PCM bytes must have an even length, got {len(data)}")
    samples = array.array("h", data)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _numpy_samples(samples: Any) -> tuple[array.array[int], int]:
    """Read a NumPy array through its own methods, so NumPy stays an optional import."""
    kind, ndim = samples.dtype.kind, samples.ndim
    if ndim not in (1, 2):
        raise AudioFormatError(
            f"sample arrays must be (n,) or (n, channels), got shape {samples.shape}"
        )
    channels = 1 if ndim == 1 else int(samples.shape[1])
    if kind == "f":
        samples = (samples.clip(-1.0, 1.0) * 32767.0).round()
    elif not (kind == "i" and samples.dtype.itemsize == 2):
        raise AudioFormatError(
            f"sample arrays must be int16 or float in [-1, 1], got dtype {samples.dtype}"
        )
    return _pcm16(samples.astype("<i2").tobytes()), channels


def to_pcm16_mono(clip: Any) -> tuple[array.array[int], int]:
    """Decode one clip of the convention into mono int16 samples and their rate.

    Raises :class:`AudioFormatError` with the reason when the clip is malformed.
    """
    if not isinstance(clip, Mapping):
        raise AudioFormatError(
            f'extras["{AUDIO_KEY}"] must be a dict with "samples" and "sample_rate", '
            f"got {type(clip).__name__}"
        )
    if "samples" not in clip:
        raise AudioFormatError(f'extras["{AUDIO_KEY}"] has no "samples"')
    samples = clip["samples"]
    channels = clip.get("channels", 1)
    rate = clip.get("sample_rate")
    if isinstance(samples, bytes | bytearray | memoryview):
        data = bytes(samples)
        if data[:4] == b"RIFF":
            pcm, rate, channels = _wav_bytes(data)
        else:
            pcm = _pcm16(data)
    elif isinstance(samples, array.array):
        if samples.typecode != "h":
            raise AudioFormatError(
                f'array.array samples must have typecode "h", got "{samples.typecode}"'
            )
        pcm = array.array("h", samples)
    elif hasattr(samples, "dtype") and hasattr(samples, "ndim"):
        pcm, array_channels = _numpy_samples(samples)
        if samples.ndim == 2:
            channels = array_channels
    else:
        raise AudioFormatError(
            "samples must be an int16 or float NumPy array, array.array('h'), int16 PCM bytes "
            f"or WAV bytes, got {type(samples).__name__}"
        )
    if isinstance(rate, bool) or not isinstance(rate, int) or not _MIN_RATE <= rate <= _MAX_RATE:
        raise AudioFormatError(
            f"sample_rate must be an int in Hz between {_MIN_RATE} and {_MAX_RATE}, got {rate!r}"
        )
    if isinstance(channels, bool) or not isinstance(channels, int) or channels < 1:
        raise AudioFormatError(f"channels must be a positive int, got {channels!r}")
    if len(pcm) % channels:
        raise AudioFormatError(f"{len(pcm)} samples do not divide into {channels} channels")
    return to_mono(pcm, channels), rate


def to_mono(pcm: array.array[int], channels: int) -> array.array[int]:
    """Average interleaved channels into one."""
    if channels == 1:
        return pcm
    mixed = [sum(pcm[i : i + channels]) // channels for i in range(0, len(pcm), channels)]
    return array.array("h", mixed)


def resample(pcm: array.array[int], rate: int, target: int = TARGET_RATE) -> array.array[int]:
    """Resample by linear interpolation; when shrinking, a box filter first tames aliasing.

    Crude next to a polyphase filter, but the recogniser only looks below 6.8 kHz and the
    difference did not show in the measured word error rate.
    """
    if rate == target or not pcm:
        return pcm
    source: list[float] | array.array[int] = pcm
    ratio = rate / target
    if ratio > 1:
        width = max(2, round(ratio))
        total, window, smoothed = 0, [0] * width, []
        for index, sample in enumerate(pcm):
            total += sample - window[index % width]
            window[index % width] = sample
            smoothed.append(total / min(index + 1, width))
        shift = (width - 1) / 2  # the box filter delays by half its width
        source = smoothed
    else:
        shift = 0.0
    last = len(source) - 1
    count = max(1, int(len(pcm) / ratio))
    out = array.array("h", bytes(2 * count))
    for i in range(count):
        position = min(i * ratio + shift, last)
        left = int(position)
        right = min(left + 1, last)
        fraction = position - left
        value = source[left] + (source[right] - source[left]) * fraction
        out[i] = max(-32768, min(32767, round(value)))
    return out
