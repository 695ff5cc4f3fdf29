"""The runs of a home folder as rows: kind, environment, status, steps, outcome.

Each row is built from a run's small files (``run.json``, ``summary.json`` or
``learning.json``) and cached by their modification times, so listing 1,000 runs after the
first time costs a few ``stat`` calls per run and reads only the runs that changed.

Status: ``complete`` once the run wrote its summary; ``running`` while its trajectory or
``run.json`` changed in the last :data:`LIVE_SECONDS`; else ``stopped``. A run that is not
complete and has a checkpoint database can be resumed (``agentkit run --resume <id>``, or
``agentkit learn --resume <id>`` for a lifelong run).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["LIVE_SECONDS", "RunIndex", "run_folder", "valid_run_id"]

LIVE_SECONDS = 120.0
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")
_WATCHED = ("run.json", "summary.json", "learning.json")


def valid_run_id(run_id: str) -> bool:
    """A folder name under ``runs/``: no separators, no ``..``."""
    return bool(_RUN_ID.match(run_id)) and ".." not in run_id


def run_folder(home: Path, run_id: str) -> Path | None:
    """``<home>/runs/<run_id>`` if it is a run folder, else None."""
    if not valid_run_id(run_id):
        return None
    folder = home / "runs" / run_id
    return folder if (folder / "run.json").is_file() else None


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def describe(folder: Path) -> dict[str, Any] | None:
    """The static part of a run's row (everything but ``status``, which depends on time)."""
    meta = _read_json(folder / "run.json")
    if meta is None:
        return None  # being created right now, or not a run
    config = meta.get("config") or {}
    kind = "learn" if config.get("kind") == "learn" else "run"
    row: dict[str, Any] = {
        "id": meta.get("run_id", folder.name),
        "kind": kind,
        "env": config.get("env"),
        "task": config.get("task") or config.get("tasks"),
        "model": config.get("model"),
        "seed": config.get("seed"),
        "created": _created(folder.name, folder),
        "has_gif": (folder / "replay.gif").exists(),
        "has_frames": (folder / "frames").is_dir(),
        "has_checkpoints": (folder / "checkpoints.sqlite").exists(),
    }
    episodes = meta.get("episodes") or {}
    row["episodes"] = len(episodes)
    row["episodes_planned"] = config.get("episodes") or config.get("iterations")
    row["steps"] = sum(int(e.get("steps", 0) or 0) for e in episodes.values())
    summary = _read_json(folder / ("learning.json" if kind == "learn" else "summary.json"))
    row["complete"] = summary is not None
    if kind == "run" and summary is not None:
        row["steps"] = summary.get("steps", row["steps"])
        row["wall_s"] = summary.get("wall_s")
        row["llm_calls"] = summary.get("llm_calls")
        row["success_rate"] = summary.get("success_rate")
        row["reward"] = sum(
            float(e.get("reward") or 0.0) for e in (summary.get("episodes") or {}).values()
        )
        achievements: set[str] = set()
        for episode in (summary.get("episodes") or {}).values():
            achievements.update((episode.get("env") or {}).get("achievements") or [])
        row["achievements"] = sorted(achievements)
    elif summary is not None:  # a lifelong run
        row["steps"] = summary.get("steps", row["steps"])
        row["wall_s"] = summary.get("wall_s")
        row["llm_calls"] = summary.get("llm_calls")
        row["tasks_completed"] = summary.get("tasks_completed")
        row["iterations"] = summary.get("iterations")
        row["skills_learned"] = summary.get("skills_learned") or []
        row["achievements"] = sorted(summary.get("achievements") or [])
    return row


def _created(name: str, folder: Path) -> float:
    match = re.match(r"^(\d{8}-\d{6})", name)
    if match:
        try:
            return time.mktime(time.strptime(match.group(1), "%Y%m%d-%H%M%S"))
        except ValueError:
            pass
    return _mtime(folder / "run.json") / 1e9


class RunIndex:
    """Rows for every run under ``<home>/runs``, rebuilt per run only when its files change."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._rows: dict[str, tuple[tuple[int, ...], dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def rows(self, now: float | None = None) -> list[dict[str, Any]]:
        """Every run, newest first, each with its current ``status`` and ``resumable``."""
        now = time.time() if now is None else now
        runs = self.home / "runs"
        try:
            names = [entry.name for entry in os.scandir(runs) if entry.is_dir()]
        except FileNotFoundError:
            names = []
        rows = []
        with self._lock:
            for name in names:
                row = self._row(runs / name, now)
                if row is not None:
                    rows.append(row)
            for gone in set(self._rows) - set(names):
                del self._rows[gone]
        rows.sort(key=lambda row: (row["created"], row["id"]), reverse=True)
        return rows

    def row(self, run_id: str, now: float | None = None) -> dict[str, Any] | None:
        folder = run_folder(self.home, run_id)
        if folder is None:
            return None
        with self._lock:
            return self._row(folder, time.time() if now is None else now)

    def _row(self, folder: Path, now: float) -> dict[str, Any] | None:
        stamp = tuple(_mtime(folder / name) for name in _WATCHED)
        cached = self._rows.get(folder.name)
        if cached is None or cached[0] != stamp:
            static = describe(folder)
            if static is None:
                return None
            cached = self._rows[folder.name] = (stamp, static)
        row = dict(cached[1])
        if row["complete"]:
            row["status"] = "complete"
        else:
            touched = max(_mtime(folder / "trajectory.jsonl"), stamp[0]) / 1e9
            row["status"] = "running" if now - touched < LIVE_SECONDS else "stopped"
        row["resumable"] = not row["complete"] and row["has_checkpoints"]
        return row

    def query(
        self,
        *,
        env: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        text: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> dict[str, Any]:
        """A page of rows matching the filters, with the total and the filter choices."""
        rows = self.rows()
        facets = {
            "env": sorted({str(r["env"]) for r in rows if r["env"]}),
            "status": sorted({r["status"] for r in rows}),
            "kind": sorted({r["kind"] for r in rows}),
        }
        needle = (text or "").lower()
        chosen = [
            r
            for r in rows
            if (not env or r["env"] == env)
            and (not status or r["status"] == status)
            and (not kind or r["kind"] == kind)
            and (
                not needle
                or needle in r["id"].lower()
                or needle in str(r["task"] or "").lower()
                or needle in str(r["model"] or "").lower()
            )
        ]
        return {
            "total": len(chosen),
            "offset": offset,
            "runs": chosen[offset : offset + limit],
            "facets": facets,
        }
