"""Which llama.cpp settings make decisions fastest here, measured on real agent runs.

Every combination of the values given is one ``agentkit run crafter`` through the real
harness (same seed, temperature 0, the prefix cache in slots as shipped), repeated
``--repeats`` times in an interleaved order so that drifting load on the machine falls on
every setting alike. Reported per setting: seconds per model call (median over repeats),
tokens evaluated and generated per call, and the process's peak memory.

    python plugins/agentkit-llamacpp/bench_settings.py --model qwen2.5-coder-1.5b \\
        --set n_threads=1,2 --set n_batch=64,512 --set n_ctx=2048,4096 --steps 12 \\
        --out docs/benchmarks/llamacpp_settings.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_cache import measure  # a script beside this one

INTEGER_OPTIONS = ("n_threads", "n_batch", "n_ctx")


def parse_set(text: str) -> tuple[str, list[int]]:
    """``n_batch=64,512`` -> ("n_batch", [64, 512]); only integer llama.cpp options."""
    name, _, values = text.partition("=")
    if name not in INTEGER_OPTIONS or not values:
        raise argparse.ArgumentTypeError(
            f"--set takes NAME=V1,V2 with NAME one of {', '.join(INTEGER_OPTIONS)}: {text!r}"
        )
    return name, [int(v) for v in values.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--set", dest="sets", type=parse_set, action="append", required=True)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    names = [name for name, _ in args.sets]
    combos = itertools.product(*(values for _, values in args.sets))
    settings = [dict(zip(names, combo, strict=True)) for combo in combos]
    load = [round(x, 2) for x in os.getloadavg()]
    runs: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(settings))}
    for repeat in range(args.repeats):
        order = list(range(len(settings)))
        if repeat % 2:
            order.reverse()  # interleave: no setting always runs first or last
        for index in order:
            row = measure(args.model, "slots", args.steps, args.seed, True, settings[index])
            row["load_average"] = round(os.getloadavg()[0], 2)
            runs[index].append(row)
            print(json.dumps({**settings[index], "s/call": row["seconds_per_call"]}), flush=True)
    rows = []
    for index, setting in enumerate(settings):
        measured = runs[index]
        first = measured[0]
        rows.append(
            {
                **setting,
                "seconds_per_call_median": round(
                    statistics.median(r["seconds_per_call"] for r in measured), 3
                ),
                "seconds_per_call_each": [r["seconds_per_call"] for r in measured],
                "llm_calls": first["llm_calls"],
                "evaluated_tokens_per_call": first["evaluated_tokens_per_call"],
                "completion_tokens_per_call": first["completion_tokens_per_call"],
                "same_actions_every_repeat": all(
                    r["actions"] == first["actions"] for r in measured
                ),
                "max_rss_mb": max(r["max_rss_mb"] for r in measured),
                "load_average_each": [r["load_average"] for r in measured],
            }
        )
    rows.sort(key=lambda row: row["seconds_per_call_median"])
    for row in rows:
        print(json.dumps(row))
    if args.out:
        result = {
            "benchmark": "llama.cpp settings on agent runs (seconds per model call)",
            "command": " ".join(["python", *sys.argv]),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "model": args.model,
            "steps": args.steps,
            "seed": args.seed,
            "machine": {
                "cpus": os.cpu_count(),
                "processor": platform.processor() or platform.machine(),
                "python": platform.python_version(),
                "load_average_at_start": load,
            },
            "rows": rows,
        }
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
