"""execute: carry the chosen decision out (:mod:`agentkit.executor`) and record the step.

The decision says what it is (a world action, a tool call, a learned skill or, in code
mode, a program); the executor dispatches on that kind. The step leaves as one typed
:class:`~agentkit.steps.StepRecord`, sent as a ``step`` event the run engine writes.
"""

from __future__ import annotations

import time
from typing import Any

from agentkit import executor
from agentkit.approval import REVIEWED_KINDS, review, wants_approval
from agentkit.nodes._events import emit
from agentkit.nodes.decide import current_subgoal
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node, llm_totals
from agentkit.steps import Decision, Outcome, StepRecord


def make_execute(runtime: AgentRuntime) -> Node:
    def execute(state: AgentState) -> dict[str, Any]:
        runtime.sync(dict(state))
        decision = Decision.from_fields(state.get("action") or {"action": "noop"})
        recalled = [str(s["name"]) for s in state.get("skills") or []]
        rejected = None
        wanted = state.get("approve") or wants_approval(runtime.approve)
        if decision.kind in REVIEWED_KINDS and wanted:
            decision, rejected = review(decision)  # pauses the graph until a person answers
        started = time.perf_counter()
        if rejected is not None:
            outcome = Outcome(ok=False, feedback=rejected)
        else:
            outcome = executor.execute(runtime, decision, recalled)
        env_seconds = time.perf_counter() - started
        step = state.get("step", 0) + 1
        raw = outcome.raw_actions
        # The raw actions go to the runtime's action log, not the checkpointed state: the
        # state keeps their count, so a checkpoint does not grow with the run.
        runtime.record(state.get("env_steps", 0), raw)
        env_steps = state.get("env_steps", 0) + len(raw)
        totals = llm_totals(state.get("llm"))
        record = StepRecord(
            step=step,
            env_steps=env_steps,
            iteration=state.get("iteration", 0),
            task=state.get("task", ""),
            subgoal=current_subgoal(state),
            decision=decision,
            outcome=outcome,
            env_seconds=round(env_seconds, 5),
            llm_calls=int(totals.get("calls", 0)),
            llm_seconds=round(totals.get("latency_s", 0), 4),
            llm_tokens=int(totals["tokens"]),
        )
        emit("step", record=record.to_line())  # the run engine records it (agentkit.runs.engine)
        ok, feedback = outcome.ok, outcome.feedback
        task_actions = [*state.get("task_actions", []), [decision.action, decision.argument, ok]]
        program = decision.kind == "program"
        return {
            **({"program": decision.code} if program and ok else {}),
            # the prompt and reply are in the trajectory: checkpoints need not carry them
            "action": decision.fields(with_llm=False),
            "task_actions": task_actions[-40:],
            "step": step,
            "env_steps": env_steps,
            "reward": state.get("reward", 0.0) + outcome.reward,
            "outcome": outcome.summary(),
            "history": [
                f"{decision.key}: {'ok' if ok else 'failed'}{' - ' + feedback if feedback else ''}"
            ],
        }

    return execute
