"""The controller's structured outputs: plan, action and critique.

These pydantic models are the contract between the language model and the loop. Their JSON
schemas constrain decoding where the model supports it; everything else is validated and
repaired (see :mod:`agentkit.controller`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agentkit.environment import ActionSpec

__all__ = ["Action", "Critique", "Plan", "action_schema"]


class Plan(BaseModel):
    """A decomposition of the task into ordered sub-goals (GITM)."""

    subgoals: list[str] = Field(min_length=1, max_length=6)


class Action(BaseModel):
    """The next action: a name from the action list and its argument, if it takes one."""

    action: str
    argument: str | None = None
    reason: str = ""


class Critique(BaseModel):
    """Self-verification of the last step."""

    success: bool
    reasoning: str = ""
    critique: str = ""


def action_schema(specs: list[ActionSpec]) -> dict[str, Any]:
    """A JSON schema that admits only the available action names and argument values.

    Grammar-constrained decoders can then never produce an unknown action, which is what
    makes a 135M-parameter model usable as a controller.
    """
    names = [spec.name for spec in specs]
    choices = sorted({c for spec in specs for c in (spec.choices or [])})
    argument: dict[str, Any] = {"type": ["string", "null"]}
    if choices and all(spec.choices is not None or spec.argument is None for spec in specs):
        argument = {"anyOf": [{"type": "string", "enum": choices}, {"type": "null"}]}
    return {
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": names},
            "argument": argument,
            "reason": {"type": "string", "maxLength": 80},
        },
        "required": ["action", "argument", "reason"],
        "additionalProperties": False,
    }
