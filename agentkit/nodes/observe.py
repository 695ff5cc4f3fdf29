"""observe: carry the chosen action out (in the world, or through a tool) and record the result."""

from __future__ import annotations

import time
from typing import Any

from agentkit.nodes._events import emit
from agentkit.nodes.act import choice_key, current_subgoal
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node, llm_totals


def _run_tool(runtime: AgentRuntime, name: str, argument: str | None) -> tuple[bool, str]:
    tool = next(t for t in runtime.tools if t.name == name)
    try:
        return True, str(tool.invoke(argument or ""))[:500]
    except Exception as error:
        return False, f"tool {name} failed: {type(error).__name__}: {error}"


def make_observe(runtime: AgentRuntime) -> Node:
    def observe(state: AgentState) -> dict[str, Any]:
        runtime.sync(dict(state))
        action = state.get("action") or {"action": "noop", "argument": None}
        name, argument = action["action"], action.get("argument")
        started = time.perf_counter()
        raw: list[Any] = []
        if any(t.name == name for t in runtime.tools):
            ok, feedback = _run_tool(runtime, name, argument)
            reward, done, events, info = 0.0, False, [], {}
        else:
            result = runtime.env.step(name, argument)
            runtime.observation = result.observation
            raw = list(result.raw_actions)
            runtime.applied += len(raw)
            ok, feedback = result.ok, result.feedback
            reward, done, events, info = result.reward, result.done, result.events, result.info
        env_seconds = time.perf_counter() - started
        step = state.get("step", 0) + 1
        env_steps = state.get("env_steps", 0) + len(raw)
        record = {
            "step": step,
            "env_steps": env_steps,
            "action": name,
            "argument": argument,
            "reason": action.get("reason", ""),
            "fallback": bool(action.get("fallback")),
            "ok": ok,
            "feedback": feedback,
            "reward": reward,
            "done": done,
            "events": events,
            "raw_actions": raw,
            "subgoal": current_subgoal(state),
            "env_seconds": round(env_seconds, 5),
            "info": info,
        }
        totals = llm_totals(state.get("llm"))
        record["llm_calls"] = int(totals.get("calls", 0))
        record["llm_seconds"] = round(totals.get("latency_s", 0), 4)
        record["llm_tokens"] = int(totals["tokens"])
        for listener in runtime.step_listeners:
            listener(record)
        emit("step", record=record)
        shown = choice_key(action)
        return {
            "step": step,
            "env_steps": env_steps,
            "raw_actions": raw,
            "reward": state.get("reward", 0.0) + reward,
            "outcome": {
                "ok": ok,
                "feedback": feedback,
                "done": done,
                "events": events,
                "reward": reward,
            },
            "history": [
                f"{shown}: {'ok' if ok else 'failed'}{' - ' + feedback if feedback else ''}"
            ],
        }

    return observe
