"""The run folder: everything one ``agentkit run`` leaves behind, under ``<home>/runs/<id>/``.

    run.json           the configuration (what ``--resume`` restarts) and episode status
    checkpoints.sqlite LangGraph's checkpoints, one thread per episode
    trajectory.jsonl   one line per agent step, in order, never duplicated
    frames/epN/*.png   rendered frames, when the environment renders
    replay.gif         the frames as an animation
    summary.json       totals and per-episode results

The trajectory is written while the graph runs, so a kill can land between a line and its
checkpoint; on resume the lines after the last checkpointed step are cut and written again.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

__all__ = ["RunFolder", "default_home", "list_runs", "new_run_id"]

MAX_GIF_FRAMES = 600


def default_home() -> Path:
    """``$AGENTKIT_HOME`` or ``./.agentkit``."""
    return Path(os.environ.get("AGENTKIT_HOME", ".agentkit"))


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


class RunFolder:
    """Files of one run."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def create(cls, home: Path, run_id: str, config: dict[str, Any]) -> RunFolder:
        path = home / "runs" / run_id
        if path.exists():
            raise FileExistsError(f"run {run_id} already exists at {path}")
        path.mkdir(parents=True)
        folder = cls(path)
        folder.write_meta({"run_id": run_id, "config": config, "episodes": {}})
        return folder

    @classmethod
    def open(cls, home: Path, run_id: str) -> RunFolder:
        path = home / "runs" / run_id
        if not (path / "run.json").exists():
            runs = (
                sorted(p.name for p in (home / "runs").glob("*"))
                if (home / "runs").exists()
                else []
            )
            hint = f"; runs under {home}: {', '.join(runs[-5:])}" if runs else ""
            raise FileNotFoundError(f"no run {run_id!r} under {home}{hint}")
        return cls(path)

    # metadata ------------------------------------------------------------------------
    @property
    def checkpoints(self) -> Path:
        return self.path / "checkpoints.sqlite"

    @property
    def trajectory(self) -> Path:
        return self.path / "trajectory.jsonl"

    def meta(self) -> dict[str, Any]:
        return json.loads((self.path / "run.json").read_text())

    def write_meta(self, meta: dict[str, Any]) -> None:
        tmp = self.path / "run.json.tmp"
        tmp.write_text(json.dumps(meta, indent=2))
        tmp.replace(self.path / "run.json")

    def set_episode(self, episode: int, **values: Any) -> None:
        meta = self.meta()
        meta["episodes"].setdefault(str(episode), {}).update(values)
        self.write_meta(meta)

    # trajectory ----------------------------------------------------------------------
    def append(self, record: dict[str, Any]) -> None:
        with self.trajectory.open("a") as handle:
            handle.write(json.dumps(record, default=str) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def records(self) -> list[dict[str, Any]]:
        if not self.trajectory.exists():
            return []
        lines = self.trajectory.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def truncate(self, episode: int, step: int) -> int:
        """Drop lines of ``episode`` after ``step`` (and any torn last line); return how many."""
        if not self.trajectory.exists():
            return 0
        kept, dropped = [], 0
        for line in self.trajectory.read_text().splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                dropped += 1
                continue
            if record.get("episode") == episode and record.get("step", 0) > step:
                dropped += 1
                continue
            kept.append(line)
        tmp = self.trajectory.with_suffix(".tmp")
        tmp.write_text("".join(line + "\n" for line in kept))
        tmp.replace(self.trajectory)
        return dropped

    # frames --------------------------------------------------------------------------
    def save_frame(self, episode: int, step: int, frame: Any) -> None:
        folder = self.path / "frames" / f"ep{episode}"
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.asarray(frame, dtype=np.uint8)).save(folder / f"{step:06d}.png")

    def write_replay(self) -> Path | None:
        """Assemble all episodes' frames into ``replay.gif`` (evenly thinned if very long)."""
        files = sorted(
            (self.path / "frames").glob("ep*/*.png"), key=lambda p: (int(p.parent.name[2:]), p.name)
        )
        if not files:
            return None
        stride = max(1, len(files) // MAX_GIF_FRAMES)
        images = [Image.open(f).convert("RGB") for f in files[::stride]]
        out = self.path / "replay.gif"
        images[0].save(out, save_all=True, append_images=images[1:], duration=120, loop=0)
        return out

    def write_summary(self, summary: dict[str, Any]) -> Path:
        out = self.path / "summary.json"
        out.write_text(json.dumps(summary, indent=2, default=str))
        return out


def list_runs(home: Path) -> list[dict[str, Any]]:
    """One summary row per run under ``home``, oldest first (what ``agentkit runs`` shows)."""
    rows = []
    for meta_file in sorted((home / "runs").glob("*/run.json")):
        try:
            meta = json.loads(meta_file.read_text())
        except (OSError, json.JSONDecodeError):
            continue  # a folder being created right now, or not ours
        config = meta.get("config", {})
        if config.get("kind") == "learn":
            rows.append(_learn_row(meta, meta_file.parent))
            continue
        episodes = meta.get("episodes", {})
        finished = sum(1 for e in episodes.values() if e.get("finished"))
        rows.append(
            {
                "run_id": meta.get("run_id", meta_file.parent.name),
                "env": config.get("env"),
                "task": config.get("task"),
                "model": config.get("model"),
                "episodes": f"{finished}/{config.get('episodes', '?')}",
                "steps": sum(e.get("steps", 0) for e in episodes.values()),
                "complete": finished == config.get("episodes"),
                "folder": str(meta_file.parent),
            }
        )
    return rows


def _learn_row(meta: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A lifelong run (``agentkit learn``): progress is task attempts, not episodes."""
    config = meta.get("config", {})
    attempts = folder / "iterations.jsonl"
    records = []
    for line in attempts.read_text().splitlines() if attempts.exists() else []:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a torn last line from a kill
    done = len({r.get("iteration") for r in records})
    return {
        "run_id": meta.get("run_id", folder.name),
        "env": config.get("env"),
        "task": f"learn ({config.get('tasks')}, {config.get('mode')} mode)",
        "model": config.get("model"),
        "episodes": f"{done}/{config.get('iterations', '?')} tasks",
        "steps": sum(int(r.get("steps", 0)) for r in records),
        "complete": (folder / "learning.json").exists(),
        "folder": str(folder),
    }
