"""perceive: run every perceiver on the raw observation; compose the text the controller reads."""

from __future__ import annotations

from typing import Any

from agentkit.perception import run_perceivers
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node


def make_perceive(runtime: AgentRuntime) -> Node:
    def perceive(state: AgentState) -> dict[str, Any]:
        runtime.begin_step(dict(state))
        observation = runtime.sync(dict(state))
        percepts, errors = run_perceivers(
            runtime.perceivers, observation, covered=runtime.env.text_covers
        )
        parts = [observation.text]
        parts += [f"[{p.source}] {p.text}" for p in percepts if p.text]
        parts += [f"[warning] {e}" for e in errors]
        return {"percept": "\n".join(parts)}

    return perceive
