"""recall: before planning, fetch the skills and the past successes most like this task.

Skills become choices (select mode) or callable functions (code mode); successful episodes
become reference plans for the planner (GITM). Recall runs only when a plan is about to be
made, so it costs one embedding per plan, not per step.
"""

from __future__ import annotations

from typing import Any

from agentkit.nodes._events import emit
from agentkit.nodes.plan import needs_plan
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node

__all__ = ["make_recall", "reference_plan"]

MIN_SKILL_SCORE = 0.3
REFERENCE_EPISODES = 2


def reference_plan(task: str, plan: list[str], actions: list[str]) -> str:
    """How a past success is shown to the planner: its task, plan and first actions."""
    steps = "; ".join(plan) or "none"
    done = ", ".join(a.split(":")[0] for a in actions[:6])
    return f"for '{task}' the plan [{steps}] worked" + (f" (actions: {done})" if done else "")


def make_recall(runtime: AgentRuntime) -> Node:
    def recall(state: AgentState) -> dict[str, Any]:
        if (runtime.skills is None and runtime.episodes is None) or not needs_plan(state):
            return {}
        task = state.get("task", "")
        update: dict[str, Any] = {}
        if runtime.skills is not None:
            hits = runtime.skills.search(task, k=runtime.recall_k, environment=runtime.env.name)
            update["skills"] = [
                {
                    "name": hit.skill.name,
                    "version": hit.skill.version,
                    "description": hit.skill.description,
                    "score": round(float(hit.score), 3),
                }
                for hit in hits
                if hit.score >= MIN_SKILL_SCORE
            ]
        if runtime.episodes is not None:
            hits = runtime.episodes.search(
                task, k=REFERENCE_EPISODES, success=True, environment=runtime.env.name
            )
            update["references"] = [
                reference_plan(h.episode.task, h.episode.plan, h.episode.actions) for h in hits
            ]
        emit(
            "recall",
            step=state.get("step", 0),
            skills=[s["name"] for s in update.get("skills", [])],
            references=len(update.get("references", [])),
        )
        return update

    return recall
