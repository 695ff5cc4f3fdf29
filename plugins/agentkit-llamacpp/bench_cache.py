"""What the prompt-prefix cache saves, measured on real agent runs.

Each configuration is one ``agentkit run crafter`` through the real harness (same seed,
temperature 0) with the llama.cpp model option ``prefix_cache`` set to ``off`` (every
prompt evaluated in full), ``shared`` (one context: llama.cpp reuses the prefix shared
with the previous prompt, whatever its kind) or ``slots`` (a context per kind of prompt).
Reported per configuration: prompt tokens, tokens evaluated and tokens reused per
decision, seconds per decision (median, p95), the process's peak memory.

    python plugins/agentkit-llamacpp/bench_cache.py --models qwen2.5-coder-1.5b \\
        --caches off,slots --steps 20 [--no-knowledge] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RUNNER = r"""
import json, resource, sys
from pathlib import Path
from agentkit.runs.single import RunConfig, start_run
config = RunConfig(**json.loads(sys.argv[1]))
result = start_run(config, home=Path(sys.argv[2]))
folder = Path(result.folder)
lines = [json.loads(l) for l in (folder / "trajectory.jsonl").read_text().splitlines()]
summary = json.loads((folder / "summary.json").read_text())
print(json.dumps({"lines": lines, "summary": summary,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(
    model: str,
    cache: str,
    steps: int,
    seed: int,
    knowledge: bool,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One agent run in a fresh process; ``options`` are more llama.cpp model options."""
    config = {
        "env": "crafter",
        "model": model,
        "max_steps": steps,
        "seed": seed,
        "knowledge": knowledge,
        "model_options": {"prefix_cache": cache, **(options or {})},
    }
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, json.dumps(config), home],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{model} {cache} {options or ''}: run failed:\n{done.stderr[-2000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    lines, summary = data["lines"], data["summary"]
    totals: dict[str, float] = {}
    for node in summary["episodes"]["0"]["llm"].values():
        for key, value in node.items():
            totals[key] = totals.get(key, 0) + value
    calls = int(totals.get("calls", 0)) or 1
    per_step, before = [], 0.0
    for record in lines:
        if record["llm_calls"] and record["llm_seconds"] > before:
            per_step.append(record["llm_seconds"] - before)
        before = record["llm_seconds"]
    prompt, cached = totals.get("prompt_tokens", 0), totals.get("cached_tokens", 0)
    return {
        "model": model,
        "prefix_cache": cache,
        **(options or {}),
        "knowledge": knowledge,
        "steps": len(lines),
        "llm_calls": int(totals.get("calls", 0)),
        "prompt_tokens_per_call": round(prompt / calls, 1),
        "evaluated_tokens_per_call": round((prompt - cached) / calls, 1),
        "reused_tokens_per_call": round(cached / calls, 1),
        "completion_tokens_per_call": round(totals.get("completion_tokens", 0) / calls, 1),
        "seconds_per_call": round(totals.get("latency_s", 0) / calls, 3),
        "llm_seconds_per_step_median": round(statistics.median(per_step), 3) if per_step else 0,
        "llm_seconds_per_step_p95": round(percentile(per_step, 0.95), 3),
        "max_rss_mb": round(data["max_rss_mb"], 1),
        "wall_s": round(wall, 1),
        "actions": [record.get("label") or record["action"] for record in lines],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="qwen2.5-coder-1.5b")
    parser.add_argument("--caches", default="off,slots")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--no-knowledge", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    load = [round(x, 2) for x in os.getloadavg()]  # other work on the cores slows decisions
    rows = []
    for model in args.models.split(","):
        for cache in args.caches.split(","):
            row = measure(model, cache, args.steps, args.seed, not args.no_knowledge)
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "actions"}), flush=True)
    result = {
        "benchmark": "llama.cpp prompt-prefix cache on agent runs",
        "command": " ".join(["python", *sys.argv]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "load_average_at_start": load,
        },
        "rows": rows,
    }
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
