"""A thread checkpointed by a loop with other node names is refused, not silently ended.

LangGraph resumes a checkpoint whose next node the graph lacks by doing nothing, so a run
checkpointed before ``act``/``observe`` became ``decide``/``execute`` would look finished.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph

from agentkit.runs.engine import CheckpointMismatch, _check_nodes


class _State(TypedDict, total=False):
    n: int


def _loop(*names: str) -> StateGraph:
    graph = StateGraph(_State)
    for name in names:
        graph.add_node(name, lambda state: {"n": state.get("n", 0) + 1})
    graph.add_edge(START, names[0])
    for before, after in pairwise(names):
        graph.add_edge(before, after)
    graph.add_edge(names[-1], END)
    return graph


@pytest.mark.parametrize("stop_before", ["act", "observe"])
def test_a_checkpoint_of_the_old_node_names_is_refused_with_the_renames(stop_before: str) -> None:
    saver = InMemorySaver()
    config: Any = {"configurable": {"thread_id": "t"}}
    old = _loop("plan", "act", "observe", "critique").compile(
        checkpointer=saver, interrupt_before=[stop_before]
    )
    old.invoke({"n": 0}, config)
    _check_nodes(old, config)  # the loop that wrote it resumes it
    new = _loop("plan", "decide", "execute", "critique").compile(checkpointer=saver)
    with pytest.raises(CheckpointMismatch, match="act -> decide") as refused:
        _check_nodes(new, config)
    assert "start a new run" in str(refused.value)


def test_a_thread_of_this_loop_passes() -> None:
    saver = InMemorySaver()
    config: Any = {"configurable": {"thread_id": "t"}}
    graph = _loop("plan", "decide", "execute", "critique").compile(
        checkpointer=saver, interrupt_before=["execute"]
    )
    graph.invoke({"n": 0}, config)
    _check_nodes(graph, config)
