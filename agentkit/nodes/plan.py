"""plan: decompose the task into sub-goals (GITM), only when there is no plan or it must change."""

from __future__ import annotations

from typing import Any

from agentkit.nodes._events import emit
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node


def needs_plan(state: AgentState) -> bool:
    """No plan yet, a revision was asked for, or every sub-goal is done."""
    current = state.get("plan") or []
    return not current or bool(state.get("replan")) or state.get("subgoal", 0) >= len(current)


def make_plan(runtime: AgentRuntime) -> Node:
    def plan(state: AgentState) -> dict[str, Any]:
        if not needs_plan(state):
            return {}
        result, stats, fell_back = runtime.controller.plan(
            state.get("task", ""), state.get("percept", ""), state.get("references", [])
        )
        emit("plan", step=state.get("step", 0), subgoals=result.subgoals, fallback=fell_back)
        return {
            "plan": result.subgoals,
            "subgoal": 0,
            "replan": False,
            "llm": {"plan": stats.as_dict()},
        }

    return plan
