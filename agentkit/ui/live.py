"""Server-sent events that follow a run's ``trajectory.jsonl`` as steps land.

The stream starts at a line number (the client's ``from``, or the ``Last-Event-ID`` that
browsers send when they reconnect), turns it into a byte offset once through the
:class:`~agentkit.ui.trajectory.LineIndex`, then polls the file's size: only the bytes
appended since the last poll are read, and only complete lines are sent. No whole-file
reads, no inotify (which network and container file systems lack).

Events: ``step`` (``id`` = the line number, data = the record), ``status`` (the run's row
when its status changes), ``reset`` (the file was rewritten by a resume: reload), ``end``
(the run wrote its summary and every line was sent). A comment line every
:data:`HEARTBEAT` seconds keeps proxies from closing an idle stream.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from agentkit.ui.trajectory import LineIndex, parse_line

__all__ = ["HEARTBEAT", "POLL", "sse", "tail_events"]

POLL = 0.25
HEARTBEAT = 15.0


def sse(event: str, data: Any, event_id: int | None = None) -> str:
    """One server-sent event (data is JSON on one line)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, default=str)}\n\n"


async def tail_events(
    path: Path,
    start_line: int,
    index: LineIndex,
    status: Callable[[], dict[str, Any] | None],
    disconnected: Callable[[], Awaitable[bool]],
    *,
    poll: float = POLL,
) -> AsyncIterator[str]:
    """Yield SSE text for every line from ``start_line`` on, until the run ends."""
    index.refresh()
    line = max(0, min(start_line, len(index)))
    offset = index.offset_of(line)
    inode: tuple[int, int] | None = None
    pending = b""
    last_status: str | None = None
    last_beat = time.monotonic()
    yield "retry: 1000\n\n"
    while not await disconnected():
        row = status()  # before reading: a summary is written after the run's last line
        try:
            stat = os.stat(path)
            now_inode: tuple[int, int] | None = (stat.st_dev, stat.st_ino)
            size = stat.st_size
        except FileNotFoundError:
            now_inode, size = None, 0
        if inode is not None and (now_inode != inode or size < offset):
            yield sse("reset", {"reason": "the trajectory was rewritten (a resume)"})
            return
        inode = now_inode
        if size > offset:
            with path.open("rb") as handle:
                handle.seek(offset)
                data = pending + handle.read(size - offset)
            offset = size
            *complete, pending = data.split(b"\n")
            for raw in complete:
                record = parse_line(raw)
                record["_index"] = line
                yield sse("step", record, line)
                line += 1
        if row is not None and row["status"] != last_status:
            last_status = row["status"]
            yield sse("status", row)
        if row is not None and row["complete"] and not pending:
            yield sse("end", {"lines": line})
            return
        if time.monotonic() - last_beat > HEARTBEAT:
            last_beat = time.monotonic()
            yield ": heartbeat\n\n"
        await asyncio.sleep(poll)
