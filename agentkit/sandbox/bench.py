"""Start-up cost of the sandbox per program: ``python -m agentkit.sandbox.bench``.

Runs a trivial program (``x = 1``) many times and reports the median and p95 wall time of
``run_program`` end to end (interpreter start, every OS layer, compile, run, reply), with
the layers that applied, as JSON.  The committed results are in docs/benchmarks/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["measure"]


def measure(runs: int = 50) -> dict[str, Any]:
    from agentkit.sandbox import run_program

    seconds = []
    layers: Any = None
    with tempfile.TemporaryDirectory() as folder:
        run_program("x = 1\n", {}, workdir=Path(folder))  # warm the page cache
        for _ in range(runs):
            started = time.perf_counter()
            result = run_program("x = 1\n", {}, workdir=Path(folder))
            seconds.append(time.perf_counter() - started)
            assert result.ok, result.error
            layers = result.isolation.get("layers", result.isolation)
    seconds.sort()
    return {
        "runs": runs,
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(seconds[int(0.95 * (runs - 1))] * 1000, 1),
        "min_ms": round(seconds[0] * 1000, 1),
        "max_ms": round(seconds[-1] * 1000, 1),
        "layers": layers,
        "uid": os.getuid(),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs, Linux {platform.release()}, "
                   f"Python {platform.python_version()}",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)
    print(json.dumps({"label": args.label, **measure(args.runs)}))


if __name__ == "__main__":
    main()
