"""Random access to a ``trajectory.jsonl`` by line number, through an index of byte offsets.

A 10,000-step trajectory with its prompts is tens of megabytes; the replay asks for a few
steps at a time. :class:`LineIndex` scans the file once in fixed-size chunks for newline
positions (never holding the whole file), then grows with the file as a live run appends:
each refresh reads only the bytes added since the last one. Reading steps ``i..j`` is one
seek and one read of exactly those lines.

A run resumed after a kill rewrites its trajectory (``RunFolder.truncate`` replaces the
file), so a new inode or a shorter file resets the index.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["LineIndex", "LineIndexCache", "parse_line"]

CHUNK = 1 << 20


def parse_line(raw: bytes) -> dict[str, Any]:
    """One trajectory line as a dict; a torn or foreign line becomes ``{"unreadable": ...}``."""
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {"unreadable": raw[:200].decode("utf-8", "replace")}
    return record if isinstance(record, dict) else {"value": record}


class LineIndex:
    """Byte offsets of the complete lines of one growing file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ends = np.empty(0, dtype=np.int64)  # offset of each line's newline
        self._scanned = 0
        self._inode: tuple[int, int] | None = None
        self._lock = threading.Lock()
        self.resets = 0

    def __len__(self) -> int:
        return int(self._ends.size)

    @property
    def scanned(self) -> int:
        """Bytes indexed so far (the end of the last complete line)."""
        return int(self._ends[-1]) + 1 if self._ends.size else 0

    def refresh(self) -> int:
        """Index what was appended since the last call; returns the number of lines."""
        with self._lock:
            try:
                stat = os.stat(self.path)
            except FileNotFoundError:
                self._reset(None)
                return 0
            inode = (stat.st_dev, stat.st_ino)
            if inode != self._inode or stat.st_size < self._scanned:
                self._reset(inode)
            if stat.st_size > self._scanned:
                self._scan(stat.st_size)
            return len(self)

    def _reset(self, inode: tuple[int, int] | None) -> None:
        if self._inode is not None:
            self.resets += 1
        self._ends = np.empty(0, dtype=np.int64)
        self._scanned = 0
        self._inode = inode

    def _scan(self, size: int) -> None:
        found = [self._ends]
        with self.path.open("rb") as handle:
            handle.seek(self._scanned)
            position = self._scanned
            while position < size:
                chunk = handle.read(min(CHUNK, size - position))
                if not chunk:
                    break
                hits = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
                if hits.size:
                    found.append(hits.astype(np.int64) + position)
                position += len(chunk)
        self._ends = np.concatenate(found)
        self._scanned = position

    def span(self, start: int, stop: int) -> tuple[int, int]:
        """Byte range ``[begin, end)`` of lines ``start..stop-1`` (clipped to what exists)."""
        stop = min(stop, len(self))
        if start >= stop:
            return (0, 0)
        begin = int(self._ends[start - 1]) + 1 if start > 0 else 0
        return begin, int(self._ends[stop - 1]) + 1

    def offset_of(self, line: int) -> int:
        """Where line ``line`` begins (the end of the file's complete lines past the last)."""
        if line <= 0:
            return 0
        line = min(line, len(self))
        return int(self._ends[line - 1]) + 1

    def read(self, start: int, count: int) -> list[dict[str, Any]]:
        """Lines ``start .. start+count-1`` parsed, each with its ``_index``."""
        self.refresh()
        begin, end = self.span(max(0, start), max(0, start) + max(0, count))
        if end <= begin:
            return []
        with self.path.open("rb") as handle:
            handle.seek(begin)
            data = handle.read(end - begin)
        records = []
        for number, raw in enumerate(data.split(b"\n")[:-1], start=max(0, start)):
            record = parse_line(raw)
            record["_index"] = number
            records.append(record)
        return records


class LineIndexCache:
    """One :class:`LineIndex` per file, the most recently used ``size`` kept."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[Path, LineIndex] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path) -> LineIndex:
        with self._lock:
            index = self._items.get(path)
            if index is None:
                index = self._items[path] = LineIndex(path)
            self._items.move_to_end(path)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return index
