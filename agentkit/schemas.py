"""The controller's structured outputs: plan, action and critique.

These pydantic models are the contract between the language model and the loop. Their JSON
schemas constrain decoding where the model supports it; everything else is validated and
repaired (see :mod:`agentkit.controller`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from agentkit.environment import ActionSpec

__all__ = [
    "Action",
    "Choice",
    "Critique",
    "NextTask",
    "Plan",
    "Program",
    "action_schema",
    "choice_schema",
    "task_schema",
]


class Plan(BaseModel):
    """A decomposition of the task into ordered sub-goals (GITM)."""

    subgoals: list[Annotated[str, Field(max_length=80)]] = Field(min_length=1, max_length=6)


class Action(BaseModel):
    """The next action: a name from the action list and its argument, if it takes one."""

    action: str
    argument: str | None = None
    reason: str = ""


class Choice(BaseModel):
    """One of the options the world's rules make possible now (knowledge mode)."""

    option: str
    reason: str = ""


def choice_schema(labels: list[str], reason_first: bool = True) -> dict[str, Any]:
    """Only the offered options; with ``reason_first`` the model writes why before what.

    Decoding follows the order of the properties: a small model that must commit to an
    option first chooses worse than one that has written its reason (issue 12's probe).
    """
    reason = {"type": "string", "maxLength": 80}
    option = {"type": "string", "enum": list(labels)}
    properties = {"reason": reason, "option": option} if reason_first else {"option": option}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


class Critique(BaseModel):
    """Self-verification of the last step."""

    success: bool
    reasoning: str = Field(default="", max_length=120)
    critique: str = Field(default="", max_length=120)


class Program(BaseModel):
    """Code mode: a Python function ``run()`` composing primitives and skills (Voyager)."""

    code: str = Field(min_length=10, max_length=1500)


class NextTask(BaseModel):
    """The automatic curriculum's proposal for the next task."""

    task: str = Field(min_length=3, max_length=80)
    reasoning: str = Field(default="", max_length=120)


def task_schema(candidates: list[str]) -> dict[str, Any]:
    """Restrict the curriculum's proposal to ``candidates`` (tasks the world can check)."""
    return {
        "type": "object",
        "properties": {
            "task": {"type": "string", "enum": list(candidates)},
            "reasoning": {"type": "string", "maxLength": 120},
        },
        "required": ["task", "reasoning"],
        "additionalProperties": False,
    }


def action_schema(specs: list[ActionSpec]) -> dict[str, Any]:
    """A JSON schema that admits only available actions, each with only its own arguments.

    One branch per action (``anyOf`` of ``const`` names), so a grammar-constrained decoder
    can never produce an unknown action or pair an action with another one's argument: that
    is what makes a 135M-parameter model usable as a controller.
    """
    branches = []
    for spec in specs:
        if spec.argument is None:
            argument: dict[str, Any] = {"type": "null"}
        elif spec.choices:
            argument = {"type": "string", "enum": list(spec.choices)}
        else:
            argument = {"type": "string", "maxLength": 200}
        branches.append(
            {
                "type": "object",
                "properties": {
                    "action": {"const": spec.name},
                    "argument": argument,
                    "reason": {"type": "string", "maxLength": 60},
                },
                "required": ["action", "argument", "reason"],
                "additionalProperties": False,
            }
        )
    return {"anyOf": branches}
