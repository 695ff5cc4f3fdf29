"""Custom stream events: how nodes report progress without knowing who listens."""

from __future__ import annotations

from typing import Any

from langgraph.config import get_stream_writer


def emit(event: str, **payload: Any) -> None:
    """Send ``{"event": event, **payload}`` on LangGraph's ``custom`` stream mode."""
    try:
        writer = get_stream_writer()
    except RuntimeError:  # called outside a graph run (unit tests of helpers)
        return
    writer({"event": event, **payload})
