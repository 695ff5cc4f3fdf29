"""The run folder: everything one ``agentkit run`` leaves behind, under ``<home>/runs/<id>/``.

    run.json           the configuration (what ``--resume`` restarts), episode status, and
                       while it runs, the world's live view (``Environment.live_view``)
    checkpoints.sqlite LangGraph's checkpoints, one thread per episode
    trajectory.jsonl   one line per agent step, in order, never duplicated
    actions.jsonl      the raw actions each step applied to the world (what a resume replays)
    frames/epN/*.png   rendered frames, when the environment renders
    replay.gif         the frames as an animation
    summary.json       totals and per-episode results

The trajectory is written while the graph runs, so a kill can land between a line and its
checkpoint; on resume the lines after the last checkpointed step are cut and written again.
Lines are flushed to the operating system as they are written, which is all a killed
process needs; ``fsync=True`` also forces them to the disk (what a power cut needs).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image

from agentkit.runtime import ActionLogGap
from agentkit.steps import StepRecord

__all__ = ["FileActionLog", "RunFolder", "default_home", "list_runs", "new_run_id"]

MAX_GIF_FRAMES = 600


def default_home() -> Path:
    """``$AGENTKIT_HOME`` or ``./.agentkit``."""
    return Path(os.environ.get("AGENTKIT_HOME", ".agentkit"))


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


def _write_line(handle: IO[str], text: str, fsync: bool) -> None:
    handle.write(text + "\n")
    handle.flush()  # in the kernel's hands: a killed process loses nothing written
    if fsync:
        os.fsync(handle.fileno())


class FileActionLog:
    """An :class:`agentkit.runtime.ActionLog` in ``actions.jsonl``, one line per step.

    Append-only: a line is ``{"episode", "at", "raw"}``; reading applies the lines in order,
    each cutting the log at ``at`` before adding its actions, so a step redone after a
    resume replaces the attempt the kill interrupted. A torn last line is skipped.
    """

    def __init__(self, path: Path, episode: int, *, fsync: bool = False) -> None:
        self.path = path
        self.episode = episode
        self.fsync = fsync
        self._handle: IO[str] | None = None

    def write(self, at: int, raw: Sequence[Any]) -> None:
        if self._handle is None:
            self._handle = self.path.open("a")
        line = json.dumps({"episode": self.episode, "at": at, "raw": list(raw)}, default=str)
        _write_line(self._handle, line, self.fsync)

    def read(self, start: int, stop: int) -> list[Any]:
        actions: list[Any] = []
        lines = self.path.read_text().splitlines() if self.path.exists() else []
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line from a kill
            if entry.get("episode") != self.episode:
                continue
            del actions[entry["at"] :]
            if len(actions) == entry["at"]:
                actions.extend(entry["raw"])
        if stop > len(actions):
            raise ActionLogGap(
                f"{self.path} holds {len(actions)} raw actions of episode {self.episode}, "
                f"the checkpoint needs {stop}: the run cannot be resumed exactly"
            )
        return actions[start:stop]

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class RunFolder:
    """Files of one run. ``fsync``: force trajectory lines to the disk, not just the OS."""

    def __init__(self, path: Path, *, fsync: bool = False):
        self.path = path
        self.fsync = fsync
        self._trajectory: IO[str] | None = None

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

    def action_log(self, episode: int) -> FileActionLog:
        """The raw actions of ``episode`` (``actions.jsonl``), what a resume replays."""
        return FileActionLog(self.path / "actions.jsonl", episode, fsync=self.fsync)

    def meta(self) -> dict[str, Any]:
        return json.loads((self.path / "run.json").read_text())

    def write_meta(self, meta: dict[str, Any]) -> None:
        tmp = self.path / "run.json.tmp"
        tmp.write_text(json.dumps(meta, indent=2))
        tmp.replace(self.path / "run.json")

    def set_live_view(self, url: str | None) -> None:
        """Where the world can be watched while the run is in progress (None: nowhere now)."""
        meta = self.meta()
        if url is None:
            meta.pop("live_view", None)
        else:
            meta["live_view"] = url
        self.write_meta(meta)

    def set_episode(self, episode: int, **values: Any) -> None:
        meta = self.meta()
        meta["episodes"].setdefault(str(episode), {}).update(values)
        self.write_meta(meta)

    # trajectory ----------------------------------------------------------------------
    def append(self, record: dict[str, Any]) -> None:
        if self._trajectory is None:
            self._trajectory = self.trajectory.open("a")
        _write_line(self._trajectory, json.dumps(record, default=str), self.fsync)

    def close(self) -> None:
        """Close the trajectory file (``append`` opens it again when needed)."""
        if self._trajectory is not None:
            self._trajectory.close()
            self._trajectory = None

    def records(self) -> list[dict[str, Any]]:
        """The lines of ``trajectory.jsonl`` as written (see :meth:`steps` for typed ones)."""
        if not self.trajectory.exists():
            return []
        lines = self.trajectory.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def steps(self) -> list[StepRecord]:
        """The steps of ``trajectory.jsonl``, typed."""
        return [StepRecord.from_line(line) for line in self.records()]

    def truncate(self, episode: int, step: int) -> int:
        """Drop lines of ``episode`` after ``step`` (and any torn last line); return how many."""
        self.close()  # the file is replaced: a handle left open would write to the old one
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
        # the fastest zlib level: a third less time than the default, files a third larger
        Image.fromarray(np.asarray(frame, dtype=np.uint8)).save(
            folder / f"{step:06d}.png", compress_level=1
        )

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
