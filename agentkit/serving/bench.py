"""Steps per second through LangGraph's server against the same graph in-process.

Both sides run ``--threads`` threads at once (the server through ``langgraph-sdk``
streams, in-process through a thread pool over the same :class:`WorldPool` design), each
a Crafter episode of ``--steps`` agent steps with the same model, seeds 0..threads-1.

    python -m agentkit.serving.bench --model local --threads 4 --steps 8 \\
        --out docs/benchmarks/serving.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig

TASK = "survive and unlock as many achievements as you can"


def in_process(model: str, threads: int, steps: int, home: Path) -> dict[str, Any]:
    """The graph compiled here, ``threads`` threads at once, each in its own world."""
    from langgraph.checkpoint.memory import InMemorySaver

    from agentkit.graph import build_graph
    from agentkit.models import resolve_model
    from agentkit.plugins import get_registry
    from agentkit.serving.graph import Served

    registry = get_registry()
    served = Served(registry, "crafter", resolve_model(model, registry), home, max_worlds=threads)
    pool = served.pool
    saver = InMemorySaver()

    def one(seed: int) -> int:
        thread = f"bench-{seed}"
        with pool.world(thread) as runtime:
            graph = build_graph(runtime).compile(checkpointer=saver)
            config: RunnableConfig = {
                "configurable": {"thread_id": thread},
                "recursion_limit": 10 * steps,
            }
            inputs: dict[str, Any] = {"task": TASK, "seed": seed, "max_steps": steps}
            events = graph.stream(inputs, config, stream_mode="custom")
            return sum(1 for e in events if isinstance(e, dict) and e.get("event") == "step")

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as workers:
        done = list(workers.map(one, range(threads)))
    wall = time.perf_counter() - started
    pool.close()
    return {"steps": sum(done), "wall_s": round(wall, 2), "steps_per_s": round(sum(done) / wall, 3)}


def through_server(model: str, threads: int, steps: int, folder: Path) -> dict[str, Any]:
    """The same through ``langgraph dev`` and ``langgraph-sdk`` streams."""
    from langgraph_sdk import get_client

    from agentkit.serving.dev_server import dev_server

    async def drive(url: str) -> tuple[int, float]:
        client = get_client(url=url)

        async def one(seed: int) -> int:
            thread = (await client.threads.create())["thread_id"]
            count = 0
            inputs: dict[str, Any] = {"task": TASK, "seed": seed, "max_steps": steps}
            async for part in client.runs.stream(
                thread, "agent", input=inputs, stream_mode="custom"
            ):
                if part.event == "custom" and part.data.get("event") == "step":
                    count += 1
            return count

        started = time.perf_counter()
        counts = await asyncio.gather(*[one(seed) for seed in range(threads)])
        return sum(counts), time.perf_counter() - started

    with dev_server(folder, model=model, jobs=threads) as server:
        total, wall = asyncio.run(drive(server.url))
    return {"steps": total, "wall_s": round(wall, 2), "steps_per_s": round(total / wall, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="local")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    load = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        server = through_server(args.model, args.threads, args.steps, root / "server")
        local = in_process(args.model, args.threads, args.steps, root / "local")
    result = {
        "benchmark": "agent steps per second: langgraph dev against in-process",
        "command": " ".join(["python -m agentkit.serving.bench", *sys.argv[1:]]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "model": args.model,
        "threads": args.threads,
        "steps_per_thread": args.steps,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": load,
        },
        "server": server,
        "in_process": local,
        "server_over_in_process": round(server["steps_per_s"] / local["steps_per_s"], 3),
    }
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
