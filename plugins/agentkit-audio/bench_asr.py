"""Word error rate and latency of the ``asr`` perceiver on instructions spoken by espeak-ng.

Usage: ``.venv/bin/python plugins/agentkit-audio/bench_asr.py [--voice V] [--speed WPM]
[--show]``. Synthesises the thirty instructions of ``agentkit_audio.testing``, then decodes
each with the default model, with the game's vocabulary (``vocabulary=``) and with the
instructions themselves as a closed set (``sentences=``). Prints one table row per setting.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from agentkit_audio import AsrPerceiver
from agentkit_audio.testing import (
    DEFAULT_VOICE,
    GAME_VOCABULARY,
    SPOKEN_INSTRUCTIONS,
    synthesise,
    word_error_rate,
)


def settings() -> dict[str, dict[str, Any]]:
    return {
        "default model": {},
        f"vocabulary ({len(GAME_VOCABULARY)} words)": {"vocabulary": GAME_VOCABULARY},
        "sentences (closed set)": {"sentences": SPOKEN_INSTRUCTIONS},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default=DEFAULT_VOICE)
    parser.add_argument("--speed", type=int, default=150)
    parser.add_argument("--show", action="store_true", help="print every transcript")
    args = parser.parse_args()

    clips = [synthesise(text, voice=args.voice, speed=args.speed) for text in SPOKEN_INSTRUCTIONS]
    audio_seconds = [len(c["samples"]) / 2 / c["sample_rate"] for c in clips]
    print(
        f"voice {args.voice}, {args.speed} wpm; {len(clips)} utterances, "
        f"{sum(len(t.split()) for t in SPOKEN_INSTRUCTIONS)} words, "
        f"{statistics.mean(audio_seconds):.2f} s of speech each on average"
    )
    print("| setting | WER | load s | latency mean s | median s | max s | real-time factor |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, options in settings().items():
        perceiver = AsrPerceiver(**options)
        began = time.perf_counter()
        perceiver.load()
        load = time.perf_counter() - began
        pairs, latencies = [], []
        for text, clip in zip(SPOKEN_INSTRUCTIONS, clips, strict=True):
            began = time.perf_counter()
            heard = perceiver.transcribe(clip) or ""
            latencies.append(time.perf_counter() - began)
            pairs.append((text, heard))
            if args.show:
                print(f"    {text!r} -> {heard!r}")
        factor = sum(latencies) / sum(audio_seconds)
        print(
            f"| {label} | {word_error_rate(pairs):.3f} | {load:.2f} | "
            f"{statistics.mean(latencies):.3f} | {statistics.median(latencies):.3f} | "
            f"{max(latencies):.3f} | {factor:.2f} |"
        )


if __name__ == "__main__":
    main()
