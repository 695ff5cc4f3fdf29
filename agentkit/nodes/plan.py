"""plan: decompose the task into sub-goals (GITM), only when there is no plan or it must change.

With the world's rules (knowledge mode) the decomposer writes the plan from them and no
model is asked; when the task's own verified skill is about to run (direct reuse,
``agentkit.nodes.reuse``) the plan is the task itself; otherwise the controller proposes
sub-goals.
"""

from __future__ import annotations

from typing import Any

from agentkit.knowledge import Knowledge, Unreachable, chain_for_rule
from agentkit.nodes._events import emit
from agentkit.nodes.choose import knowledge_of, open_goals
from agentkit.nodes.reuse import reusable_skill
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node


def needs_plan(state: AgentState) -> bool:
    """No plan yet, a revision was asked for, or every sub-goal is done."""
    current = state.get("plan") or []
    return not current or bool(state.get("replan")) or state.get("subgoal", 0) >= len(current)


def rule_plan(runtime: AgentRuntime, state: AgentState, knowledge: Knowledge) -> list[str]:
    """The decomposer's chain to the first open goal the task names (no model call)."""
    holdings = runtime.env.holdings()
    for goal in open_goals(runtime, knowledge, state.get("task", "")):
        rule = knowledge.for_goal(goal)
        if rule is None:
            continue
        try:
            return [step.label for step in chain_for_rule(knowledge, rule, holdings)]
        except Unreachable:
            continue
    return [state.get("task", "")]


def make_plan(runtime: AgentRuntime) -> Node:
    def plan(state: AgentState) -> dict[str, Any]:
        if not needs_plan(state):
            return {}
        knowledge = knowledge_of(runtime)
        if knowledge is not None:
            runtime.sync(dict(state))
            subgoals = rule_plan(runtime, state, knowledge)
            emit("plan", step=state.get("step", 0), subgoals=subgoals, fallback=False)
            return {"plan": subgoals, "subgoal": 0, "replan": False}
        if reusable_skill(runtime, state) is not None:
            # the task's own verified skill runs next (decide): nothing to plan
            subgoals = [state.get("task", "")]
            emit("plan", step=state.get("step", 0), subgoals=subgoals, fallback=False)
            return {"plan": subgoals, "subgoal": 0, "replan": False}
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
