"""A scripted controller that reads the percepts: the upper bound, and the proof of the design.

It never looks at the world's internals, only at the prompt the controller would get: the
``[ocr]`` line for the door and the ``[asr]`` line for the password. When a line is missing
(its perceiver was removed) it cannot know, and guesses the first choice, which puts it at
chance. Use as ``ScriptedChatModel(default=percept_reader_reply)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from agentkit_crossmodal.env import DOORS, UNLOCKED, WORDS

__all__ = ["percept_reader_reply", "read_percepts"]


def _line(percept: str, source: str) -> str:
    return " ".join(
        line for line in percept.splitlines() if line.strip().startswith(f"[{source}]")
    ).lower()


def _first(text: str, candidates: Sequence[str]) -> str | None:
    found = [(m.start(), c) for c in candidates if (m := re.search(rf"\b{c}\b", text))]
    return min(found)[1] if found else None


def read_percepts(percept: str) -> tuple[str | None, str | None]:
    """(door, password) as the ``[ocr]`` and ``[asr]`` lines give them; None where absent."""
    return _first(_line(percept, "ocr"), DOORS), _first(_line(percept, "asr"), WORDS)


def _text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content)


def percept_reader_reply(messages: Sequence[Any]) -> str:
    """The JSON reply to one controller prompt (plan, act or critique)."""
    prompt = _text(messages[-1])
    if "Break the task into" in prompt:
        return json.dumps({"subgoals": ["say the password", "open the door on the sign"]})
    if "Was the sub-goal achieved" in prompt:
        return json.dumps({"success": False, "reasoning": "", "critique": ""})
    door, word = read_percepts(prompt)
    if UNLOCKED in prompt:
        return json.dumps({"action": "open", "argument": door or DOORS[0], "reason": "sign"})
    return json.dumps({"action": "say", "argument": word or WORDS[0], "reason": "speech"})
