"""curriculum: choose the next task of a lifelong run, or end it.

A lifelong run keeps one world across tasks, as Voyager does; when the world ends (the
agent died) the next task starts in a fresh world with the next seed. Per-task fields are
reset here, so each task starts with no plan, no blocked choices and its own step budget.
"""

from __future__ import annotations

import time
from typing import Any

from langgraph.graph import END

from agentkit.nodes._events import emit
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node, llm_totals

__all__ = ["make_curriculum_node", "route_after_curriculum"]


def make_curriculum_node(runtime: AgentRuntime) -> Node:
    def curriculum(state: AgentState) -> dict[str, Any]:
        runtime.begin_step(dict(state))
        iteration = state.get("iteration", -1) + 1
        if iteration >= state.get("iterations", 0):
            return {"finished": True}
        update: dict[str, Any] = {}
        if (state.get("outcome") or {}).get("done"):
            update["seed"] = state.get("seed", 0) + 1
            update["world_start"] = state.get("env_steps", 0)
        observation = runtime.sync({**state, **update})
        completed = list(state.get("completed") or [])
        failed = list(state.get("failed") or [])
        task = None
        llm: dict[str, dict[str, float]] = {}
        for _ in range(64):
            task, stats = runtime.curriculum.next_task(
                completed, failed, observation.text, runtime.controller, iteration
            )
            if stats is not None:
                llm = {"curriculum": stats.as_dict()}
            if task is None or not (runtime.verify and runtime.env.check(task)):
                break
            # Already done in this world on the way to something else: nothing to learn.
            completed.append(task)
            emit("curriculum", iteration=iteration, task=task, skipped="already complete")
        if task is None:
            return {"finished": True, "completed": completed, "llm": llm}
        totals = llm_totals(state.get("llm"))  # before the proposal: it counts to the task
        step = state.get("step", 0)
        emit("curriculum", iteration=iteration, task=task)
        return {
            **update,
            "llm": llm,
            "task": task,
            "iteration": iteration,
            "completed": completed,
            "failed": failed,
            "plan": [],
            "subgoal": 0,
            "replan": False,
            "references": [],
            "skills": [],
            "blocked": [],
            "streak": [None, 0],
            "retries": 0,
            "feedback": "",
            "success": None,
            "done": False,
            "outcome": None,
            "action": None,
            "task_actions": [],
            "program": "",
            "verdict": {},
            "max_steps": step + runtime.task_steps,
            "task_started": {
                "step": step,
                "calls": totals.get("calls", 0),
                "tokens": totals.get("tokens", 0),
                "time": time.time(),
            },
        }

    return curriculum


def route_after_curriculum(state: AgentState) -> str:
    """On to the next task, or the end of the run."""
    return END if state.get("finished") else "perceive"
