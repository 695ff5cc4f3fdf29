"""How fast ``agentkit ui`` answers on a big home: ``python -m agentkit.ui.bench --out FILE``.

Builds a home with ``--runs`` run folders (copies of one real run's small files under new
ids), a library of ``--skills`` skills (records written straight into ``records.sqlite``
with the memory's own schema and models; the Chroma index is not built, which the viewer
never reads) and one run with a ``--steps``-step trajectory (a real run's lines repeated
with new step numbers). Then serves it with uvicorn on 127.0.0.1 and times, over HTTP, the
requests each page makes, cold (first request) and warm (median of ``--repeats``), plus
random scrubbing in the long trajectory. Raw figures go to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time
import tracemalloc
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["build_home", "main", "measure"]


def _source_run(scratch: Path) -> Path:
    from agentkit import RunConfig, start_run
    from agentkit.bench.overhead import scripted_model

    config = RunConfig(env="crafter", max_steps=20, seed=0)
    return start_run(config, home=scratch, run_id="source", model=scripted_model()).folder


def build_home(home: Path, runs: int, skills: int, steps: int) -> dict[str, Any]:
    from agentkit.memory import Skill, SkillLibrary, memory_folder
    from agentkit.testing import HashingEmbedder

    started = time.perf_counter()
    source = _source_run(home / "scratch")
    meta = json.loads((source / "run.json").read_text())
    summary = json.loads((source / "summary.json").read_text())
    lines = (source / "trajectory.jsonl").read_text().splitlines()
    for number in range(runs):
        run_id = (
            f"20260101-{number // 3600:02d}{number // 60 % 60:02d}{number % 60:02d}-{number:04x}"
        )
        folder = home / "runs" / run_id
        folder.mkdir(parents=True)
        (folder / "run.json").write_text(json.dumps({**meta, "run_id": run_id}))
        (folder / "summary.json").write_text(json.dumps({**summary, "run_id": run_id}))
        shutil.copy(source / "trajectory.jsonl", folder / "trajectory.jsonl")
    long = home / "runs" / "long"
    shutil.copytree(source, long)
    (long / "run.json").write_text(json.dumps({**meta, "run_id": "long"}))
    (long / "summary.json").unlink()  # a run in progress: the status check reads mtimes
    with (long / "trajectory.jsonl").open("w") as handle:
        for step in range(1, steps + 1):
            record = json.loads(lines[(step - 1) % len(lines)])
            record["step"] = step
            handle.write(json.dumps(record) + "\n")
    shutil.rmtree(home / "scratch")
    SkillLibrary.open(memory_folder(home), HashingEmbedder()).close()  # the schema
    conn = sqlite3.connect(memory_folder(home) / "records.sqlite")
    rows = []
    for number in range(skills):
        skill = Skill(
            name=f"skill {number:06d}",
            description=f"do thing number {number} in the world",
            code=f"def run():\n    return collect('tree') and {number}\n",
            environment="crafter" if number % 2 else "minecraft",
            version=1,
            verdicts=[{"success": True, "source": "world"}],
            successes=1,
            created=time.time(),
        )
        rows.append((skill.name, 1, skill.environment, "x", skill.created, skill.model_dump_json()))
    with conn:
        conn.executemany("INSERT INTO skills VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.close()
    return {
        "runs": runs + 1,
        "skills": skills,
        "long_trajectory_steps": steps,
        "long_trajectory_bytes": (long / "trajectory.jsonl").stat().st_size,
        "build_s": round(time.perf_counter() - started, 1),
    }


def _get(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as reply:
        size = len(reply.read())
    return time.perf_counter() - started, size


def measure(home: Path, repeats: int, scrubs: int) -> dict[str, Any]:
    import uvicorn

    from agentkit.ui.app import create_app
    from agentkit.ui.server import free_port

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(home), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    pages = {
        "runs (first 100 of all)": ["/api/overview", "/api/runs?limit=100"],
        "runs filtered (search)": ["/api/runs?q=0a&limit=100"],
        "run": ["/api/runs/long", "/api/runs/long/steps?start=0&count=100"],
        "skills (first 50)": ["/api/overview", "/api/skills?limit=50"],
        "skills search": ["/api/skills?q=0999&limit=50"],
        "skills last page": ["/api/skills?limit=50&offset=99950"],
        "skill": ["/api/skills/skill%20054321"],
        "episodes": ["/api/episodes?limit=50"],
        "learning": ["/api/learning"],
        "plugins": ["/api/plugins"],
    }
    results: dict[str, Any] = {}
    try:
        for name, urls in pages.items():
            times = []
            for _ in range(repeats + 1):
                times.append(sum(_get(base + url)[0] for url in urls))
            results[name] = {
                "requests": urls,
                "cold_s": round(times[0], 4),
                "warm_median_s": round(statistics.median(times[1:]), 4),
                "warm_max_s": round(max(times[1:]), 4),
            }
        rng = random.Random(0)
        total = json.loads(urllib.request.urlopen(base + "/api/runs/long").read())["lines"]
        scrub = [
            _get(f"{base}/api/runs/long/steps?start={rng.randrange(total)}&count=100")
            for _ in range(scrubs)
        ]
        results["scrub: 100 steps at a random place"] = {
            "requests": scrubs,
            "median_s": round(statistics.median(t for t, _ in scrub), 4),
            "max_s": round(max(t for t, _ in scrub), 4),
            "median_bytes": int(statistics.median(size for _, size in scrub)),
        }
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    from agentkit.ui.trajectory import LineIndex

    tracemalloc.start()
    started = time.perf_counter()
    index = LineIndex(home / "runs" / "long" / "trajectory.jsonl")
    index.refresh()
    built = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    results["byte-offset index of the long trajectory"] = {
        "lines": len(index),
        "build_s": round(built, 4),
        "peak_python_bytes": peak,
        "file_bytes": (home / "runs" / "long" / "trajectory.jsonl").stat().st_size,
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--skills", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scrubs", type=int, default=50)
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks/ui.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        built = build_home(home, args.runs, args.skills, args.steps)
        figures = measure(home, args.repeats, args.scrubs)
    report = {
        "benchmark": "agentkit ui: time to answer each page's requests over HTTP on 127.0.0.1",
        "command": "python -m agentkit.ui.bench "
        f"--runs {args.runs} --skills {args.skills} --steps {args.steps} "
        f"--repeats {args.repeats} --scrubs {args.scrubs} --out {args.out}",
        "home": built,
        "pages": figures,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
        },
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["pages"], indent=1))


if __name__ == "__main__":
    main()
