"""act: the controller picks the next action (select mode), constrained to what is available now."""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
from PIL import Image

from agentkit.environment import ActionSpec
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node


def tool_specs(tools: list[Any]) -> list[ActionSpec]:
    """LangChain tools as actions: one free-text argument, the tool's input."""
    return [
        ActionSpec(
            name=tool.name, description=tool.description[:120], argument="input", kind="tool"
        )
        for tool in tools
    ]


def choice_key(action: dict[str, Any]) -> str:
    """``name`` or ``name(argument)``: how a choice is named in history and in ``blocked``."""
    name, argument = action.get("action", ""), action.get("argument")
    return f"{name}({argument})" if argument else str(name)


def without_blocked(specs: list[ActionSpec], blocked: list[str]) -> list[ActionSpec]:
    """The specs minus choices that just failed, so a retry cannot repeat them.

    Constrained decoding makes this binding; it is what turns feedback into a different
    choice for models too small to read the feedback. Never empties the list.
    """
    if not blocked:
        return specs
    kept = []
    for spec in specs:
        if spec.name in blocked:
            continue
        if spec.choices:
            choices = [c for c in spec.choices if f"{spec.name}({c})" not in blocked]
            if not choices:
                continue
            spec = spec.model_copy(update={"choices": choices})
        kept.append(spec)
    return kept or specs


def frame_png_b64(runtime: AgentRuntime) -> str | None:
    """The observation's ``rgb`` image as base64 PNG, for vision-capable chat models."""
    image = runtime.observation.images.get("rgb") if runtime.observation else None
    if image is None:
        return None
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def current_subgoal(state: AgentState) -> str:
    plan = state.get("plan") or []
    index = state.get("subgoal", 0)
    return plan[index] if index < len(plan) else state.get("task", "")


def make_act(runtime: AgentRuntime) -> Node:
    def act(state: AgentState) -> dict[str, Any]:
        runtime.sync(dict(state))
        available = runtime.env.actions() + tool_specs(runtime.tools)
        specs = without_blocked(available, state.get("blocked", []))
        action, stats, fell_back = runtime.controller.act(
            task=state.get("task", ""),
            subgoal=current_subgoal(state),
            percept=state.get("percept", ""),
            specs=specs,
            history=state.get("history", []),
            feedback=state.get("feedback", ""),
            fallback_action=getattr(runtime.env, "fallback_action", "noop"),
            image_png_b64=frame_png_b64(runtime) if runtime.controller.image_blocks else None,
        )
        chosen = action.model_dump()
        chosen["fallback"] = fell_back
        return {"action": chosen, "llm": {"act": stats.as_dict()}}

    return act
