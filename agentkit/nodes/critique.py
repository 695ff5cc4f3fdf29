"""critique: self-verification, and the routing that closes the loop.

The environment's programmatic check decides where it has one (for the task and for the
current sub-goal); otherwise the controller judges the sub-goal every
``critique_interval`` steps. A failed action sends its feedback back round the loop
(bounded by ``max_retries``), after which the plan is revised. With ``runtime.verify`` off
(an ablation) nothing is checked: a task ends when its step budget is spent.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END

from agentkit.nodes._events import emit
from agentkit.nodes.choose import idle_key
from agentkit.nodes.decide import current_subgoal
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node
from agentkit.steps import Decision


def make_critique(runtime: AgentRuntime) -> Node:
    def critique(state: AgentState) -> dict[str, Any]:
        runtime.sync(dict(state))
        outcome = state.get("outcome") or {}
        step = state.get("step", 0)
        update: dict[str, Any] = {"feedback": ""}
        task = state.get("task", "")
        task_done = runtime.env.check(task) if runtime.verify else None
        if task_done:
            update.update(success=True, done=True, verdict=_verdict(True, "environment", ""))
            emit(
                "critique", step=step, success=True, source="environment", critique="task complete"
            )
            return update
        if outcome.get("done") or step >= state.get("max_steps", 0):
            reason = "the world ended" if outcome.get("done") else "out of steps for this task"
            update.update(
                done=True,
                success=False if task_done is False else None,
                verdict=_verdict(False, "environment" if runtime.verify else "none", reason),
            )
            return update

        decision = Decision.from_fields(state.get("action") or {})
        choice, name = decision.key, decision.action
        # A step of a rule-based plan reports its own success (an item gained), which is
        # progress even when the world shows no event; only failures count against it.
        planned = decision.planned
        streak: list[Any] = (
            [choice, 0] if planned and outcome.get("ok") else _streak(state, name, outcome)
        )
        update["streak"] = streak
        if outcome.get("ok", True) and streak[1] >= runtime.repeat_limit:
            # A small model can loop on one harmless action forever, or alternate its
            # arguments (goto tree, goto grass, ...): the streak counts the action's name
            # and blocks the whole action until the world shows progress.
            outcome = {
                **outcome,
                "ok": False,
                "feedback": f"{name} used {streak[1]} times with no effect; try another action",
            }
            update["streak"] = [name, 0]
            choice = name
        if not outcome.get("ok", True):
            update["blocked"] = [*state.get("blocked", []), choice]
            if outcome.get("presses") == 0:
                # Failed without touching the world: while the world stays as it is, the
                # same choice fails the same way (see ``idle_key``).
                update["blocked"].append(idle_key(choice, state.get("env_steps", 0)))
            retries = state.get("retries", 0) + 1
            if retries > runtime.max_retries:
                update.update(retries=0, replan=True, feedback=outcome.get("feedback", ""))
            else:
                update.update(retries=retries, feedback=outcome.get("feedback", ""))
            return update
        update["retries"] = 0
        if _progress(outcome) or planned:
            # Only progress releases blocked choices: releasing them on any success let
            # SmolLM2 walk straight back into the loop it had just been moved out of.
            update["blocked"] = []

        if not runtime.verify:
            if step % runtime.replan_interval == 0:
                update["replan"] = True
            return update
        subgoal = current_subgoal(state)
        verdict = runtime.env.check(subgoal)
        source = "environment"
        if (
            verdict is None
            and runtime.critic
            and not planned  # a rule's step is verified by the world's counters
            and step % runtime.critique_interval == 0
        ):
            result, stats, fell_back = runtime.controller.critique(
                task, subgoal, state.get("percept", ""), outcome.get("feedback", "") or "ok"
            )
            update["llm"] = {"critique": stats.as_dict()}
            verdict, source = (None if fell_back else result.success), "controller"
            if result.critique and not result.success:
                update["feedback"] = result.critique[:300]
        if verdict:
            update["subgoal"] = state.get("subgoal", 0) + 1
            if update["subgoal"] >= len(state.get("plan") or []):
                update["replan"] = True
                if task_done is None and source == "controller" and runtime.plan_ends_task:
                    # Every sub-goal verified and the world cannot check the task itself.
                    update.update(success=True, done=True, verdict=_verdict(True, source, ""))
            emit("critique", step=step, success=True, source=source, critique=f"done: {subgoal}")
        elif step % runtime.replan_interval == 0:
            update["replan"] = True
        return update

    return critique


def _verdict(success: bool, source: str, critique: str) -> dict[str, Any]:
    return {"success": success, "source": source, "critique": critique}


def _progress(outcome: dict[str, Any]) -> bool:
    """A positive reward, or events that cost nothing (a health drop is not progress)."""
    reward = outcome.get("reward") or 0
    return reward > 0 or (reward == 0 and bool(outcome.get("events")))


def _streak(state: AgentState, choice: str, outcome: dict[str, Any]) -> list[Any]:
    """How many times in a row the action ``choice`` was taken without progress."""
    if _progress(outcome):
        return [choice, 0]
    last, count = (state.get("streak") or [None, 0])[:2]
    return [choice, count + 1 if last == choice else 1]


def route_after_critique(state: AgentState) -> str:
    """Back to perceive, or end the episode."""
    return END if state.get("done") else "perceive"


def route_to_learn(state: AgentState) -> str:
    """Lifelong runs: a finished task attempt goes to learn, otherwise back to perceive."""
    return "learn" if state.get("done") else "perceive"
