"""Learning curves and benchmark results, shaped for the charts.

Learning curves come from lifelong runs' ``learning.json`` (``curve``: tasks the world
verified, ``accepted_curve``: tasks the agent's critic accepted, one point per attempt).
Bench results are the JSON files that ``agentkit bench`` writes (``<home>/bench/*/``) and
any other folders given to ``agentkit ui --results DIR`` (e.g. ``docs/benchmarks``). A
result becomes chart series where its shape is known (Crafter success rates, learning
summaries with curves) and a table of its numeric fields otherwise.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["bench_results", "learning_curves"]

MAX_RESULT_BYTES = 5 << 20
MAX_NUMBERS = 300


def _load(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_RESULT_BYTES:
            return None
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def learning_curves(rows: Iterable[dict[str, Any]], home: Path) -> list[dict[str, Any]]:
    """One entry per finished lifelong run: its curves and headline figures."""
    curves = []
    for row in rows:
        if row["kind"] != "learn" or not row["complete"]:
            continue
        summary = _load(home / "runs" / row["id"] / "learning.json")
        if not isinstance(summary, dict):
            continue
        curves.append(
            {
                "id": row["id"],
                "env": row["env"],
                "label": f"{row['id']} ({row['env']}, {row['model']})",
                "curve": summary.get("curve") or [],
                "accepted_curve": summary.get("accepted_curve") or [],
                "tasks_completed": summary.get("tasks_completed"),
                "skills_learned": summary.get("skills_learned") or [],
                "llm_calls": summary.get("llm_calls"),
            }
        )
    return curves


def _numbers(value: Any, prefix: str = "", out: list[tuple[str, float]] | None = None) -> Any:
    out = [] if out is None else out
    if len(out) >= MAX_NUMBERS:
        return out
    if isinstance(value, bool):
        return out
    if isinstance(value, int | float):
        out.append((prefix, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _numbers(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and len(value) <= 50:
        for index, item in enumerate(value):
            _numbers(item, f"{prefix}[{index}]", out)
    return out


def _charts(data: Any) -> list[dict[str, Any]]:
    """Chart series for the result shapes agentkit's benchmarks write."""
    charts: list[dict[str, Any]] = []
    if not isinstance(data, dict):
        return charts
    overall = data.get("overall")
    if isinstance(overall, dict) and isinstance(overall.get("success_rates"), dict):
        rates = overall["success_rates"]
        charts.append(
            {
                "type": "bars",
                "title": "success rate per achievement (%)",
                "labels": list(rates),
                "values": [float(v) for v in rates.values()],
            }
        )
    curves = {
        label: value["curve"]
        for label, value in data.items()
        if isinstance(value, dict) and isinstance(value.get("curve"), list) and value["curve"]
    }
    if curves:
        charts.append({"type": "lines", "title": "tasks completed per attempt", "series": curves})
    return charts


def bench_results(folders: Iterable[Path]) -> list[dict[str, Any]]:
    """Every ``*.json`` result under ``folders`` (two levels deep), newest first."""
    found: list[tuple[float, Path]] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in [*folder.glob("*.json"), *folder.glob("*/*.json")]:
            try:
                found.append((os.stat(path).st_mtime, path))
            except OSError:
                continue
    results = []
    for mtime, path in sorted(found, reverse=True):
        data = _load(path)
        if not isinstance(data, dict):
            continue
        results.append(
            {
                "path": str(path),
                "name": f"{path.parent.name}/{path.name}",
                "modified": mtime,
                "charts": _charts(data),
                "numbers": _numbers(data),
            }
        )
    return results
