"""Seconds per decision: Qwen2.5-Coder-0.5B in-process vs behind an OpenAI-compatible server.

Same model file, same Crafter run (seed, steps), same sampling (temperature 0, 256 tokens
at most), 2 threads each. In-process is ``--model qwen2.5-coder-0.5b`` (the llama.cpp
plugin: grammar from the JSON schema); the server is llama-cpp-python's
``python -m llama_cpp.server`` reached through langchain-openai (``--model openai:...``)
with each structured-output method given. Writes docs/benchmarks/provider_server.json.

    .venv/bin/python docs/benchmarks/provider_server.py [--steps 10] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

MODEL = "qwen2.5-coder-0.5b"
BIN = Path(sys.executable).parent
OUT = Path(__file__).with_suffix(".json")


def run(model: str, steps: int, extra: list[str], env: dict[str, str]) -> dict[str, Any]:
    home = tempfile.mkdtemp(prefix="provider-bench-")
    command = [
        str(BIN / "agentkit"), "run", "crafter", "--model", model, "--max-steps", str(steps),
        "--seed", "0", "--home", home, "--json", *extra,
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    summary = json.loads(done.stdout)
    folder = Path(home) / "runs" / summary["run_id"]
    records = [json.loads(x) for x in (folder / "trajectory.jsonl").read_text().splitlines()]
    seconds = [r["llm_seconds"] for r in records]
    per_step = [b - a for a, b in zip([0.0, *seconds], seconds, strict=False)]
    totals = summary["llm_totals"]
    calls = max(int(totals["calls"]), 1)
    return {
        "command": " ".join(command[1:]).replace(home, "<tmp>"),
        "process_wall_s": round(wall, 2),
        "steps": summary["steps"],
        "llm_calls": totals["calls"],
        "seconds_per_call": summary["llm_seconds_per_call"],
        "llm_seconds_per_step_median": round(statistics.median(per_step), 3),
        "llm_seconds_per_step_p95": round(sorted(per_step)[int(0.95 * (len(per_step) - 1))], 3),
        "prompt_tokens_per_call": round(totals["prompt_tokens"] / calls, 1),
        "completion_tokens_per_call": round(totals["completion_tokens"] / calls, 1),
        "cached_tokens_per_call": round(totals.get("cached_tokens", 0) / calls, 1),
        "structured_calls": totals.get("structured_calls", 0),
        "repairs": totals["repairs"],
        "fallbacks": totals["fallbacks"],
        "actions": [
            f"{r['action']}({r['argument']})" if r["argument"] else r["action"] for r in records
        ],
        "achievements": sorted({e for r in records for e in r.get("events", [])}),
    }


def serve(port: int, log: Path) -> tuple[subprocess.Popen[bytes], float]:
    path = subprocess.run(
        [str(BIN / "agentkit"), "models", "path", MODEL], capture_output=True, text=True, check=True
    ).stdout.strip()
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", path, "--model_alias", MODEL,
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2",
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    while True:
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2).close()
            return process, time.perf_counter() - started
        except OSError:
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    # llama-cpp-python's server ignores max_completion_tokens (langchain-openai's name for
    # max_tokens), so the cap goes in the body: the same 256 as the plugin's default
    sampling = ["-M", "temperature=0", "-M", 'extra_body={"max_tokens": 256}']
    load_before = os.getloadavg()
    results: dict[str, Any] = {"in_process": run(MODEL, args.steps, [], dict(os.environ))}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = Path(tempfile.mkdtemp()) / "server.log"
    process, startup = serve(port, log)
    env = {
        **os.environ,
        "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1",
        "OPENAI_API_KEY": "dummy",
    }
    try:
        for method in ("function_calling", "json_mode"):
            results[f"server_{method}"] = run(
                f"openai:{MODEL}", args.steps, [*sampling, "--structured-output", method], env
            )
    finally:
        process.terminate()
        process.wait(timeout=30)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    report = {
        "what": __doc__.splitlines()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} shared CPU cores, no GPU; "
        "other jobs were using the cores (load averages below)",
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "commit": commit,
        "server_command": (
            "python -m llama_cpp.server --model $(agentkit models path qwen2.5-coder-0.5b) "
            "--model_alias qwen2.5-coder-0.5b --port PORT --n_ctx 4096 --n_threads 2"
        ),
        "server_env": "OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=dummy",
        "server_startup_s": round(startup, 2),
        "runs": results,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
