"""Custom stream events: how nodes report progress without knowing who listens.

LangGraph's ``custom`` stream is the one channel a step leaves by: a run's engine
(:mod:`agentkit.runs.engine`) reads it to write the trajectory and feed the observer hooks,
an embedding app reads it with ``stream_mode="custom"``. A node called on its own, outside
a graph (a unit test), has no stream; :func:`capture_events` collects its events instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from langgraph.config import get_stream_writer

_captured: ContextVar[list[dict[str, Any]] | None] = ContextVar("agentkit_events", default=None)


def emit(event: str, **payload: Any) -> None:
    """Send ``{"event": event, **payload}`` on LangGraph's ``custom`` stream mode."""
    chunk = {"event": event, **payload}
    try:
        writer = get_stream_writer()
    except RuntimeError:  # called outside a graph run (unit tests of nodes and helpers)
        captured = _captured.get()
        if captured is not None:
            captured.append(chunk)
        return
    writer(chunk)


@contextmanager
def capture_events() -> Iterator[list[dict[str, Any]]]:
    """Collect the events of nodes called outside a graph (in this context) into a list."""
    events: list[dict[str, Any]] = []
    token = _captured.set(events)
    try:
        yield events
    finally:
        _captured.reset(token)
