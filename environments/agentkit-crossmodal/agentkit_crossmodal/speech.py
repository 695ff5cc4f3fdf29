"""The guard's voice: espeak-ng speech in agentkit's audio convention, cached per sentence.

Every reset and every replay speaks the same few sentences, so each one is synthesised once
per process (about 0.1 s) and reused; the clip is deterministic for a given espeak-ng build.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import wave
from pathlib import Path
from typing import Any

__all__ = ["VOICE", "SpeechSetupError", "speak"]

VOICE = "en-us+klatt2"
"""US English with the Klatt synthesiser: the espeak-ng voice pocketsphinx hears best
(measured by the audio plugin's bench_asr.py)."""

_cache: dict[tuple[str, str, int], tuple[bytes, int]] = {}
_lock = threading.Lock()


class SpeechSetupError(RuntimeError):
    """espeak-ng is missing or failed; the environment cannot speak its clue without it."""


def _synthesise(text: str, voice: str, speed: int) -> tuple[bytes, int]:
    program = shutil.which("espeak-ng")
    if program is None:
        raise SpeechSetupError(
            "the crossmodal environment speaks its password with espeak-ng, which is not "
            "installed: apt-get install -y espeak-ng (Debian/Ubuntu package 'espeak-ng')"
        )
    with tempfile.TemporaryDirectory(prefix="agentkit-crossmodal-") as folder:
        path = Path(folder) / "speech.wav"
        try:
            subprocess.run(
                [program, "-v", voice, "-s", str(speed), "-w", str(path), text],
                check=True,
                capture_output=True,
                timeout=30,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            detail = getattr(error, "stderr", b"") or b""
            raise SpeechSetupError(
                f"espeak-ng failed to speak {text!r}: {error} {detail.decode(errors='replace')}"
            ) from error
        with wave.open(str(path)) as clip:
            if clip.getnchannels() != 1 or clip.getsampwidth() != 2:
                raise SpeechSetupError("espeak-ng wrote audio that is not 16-bit mono")
            return clip.readframes(clip.getnframes()), clip.getframerate()


def speak(text: str, *, voice: str = VOICE, speed: int = 150) -> dict[str, Any]:
    """``text`` spoken as a clip of the audio convention: 16-bit mono PCM bytes and its rate."""
    key = (text, voice, speed)
    with _lock:
        cached = _cache.get(key)
    if cached is None:
        cached = _synthesise(text, voice, speed)
        with _lock:
            _cache[key] = cached
    samples, rate = cached
    return {"samples": samples, "sample_rate": rate, "channels": 1}
