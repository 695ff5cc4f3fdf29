"""Perceivers: translators from one modality of an observation into text.

In the "1 + N" design each modality is a foreign language for the language model; a
perceiver is its translator. Perceivers are plugins (``register_perceivers``); a crashing
perceiver is reported in the percept text and skipped, never ending the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from agentkit.environment import Observation

__all__ = ["Perceiver", "Percept", "run_perceivers"]


class Percept(BaseModel):
    """One perceiver's reading of an observation."""

    source: str
    text: str
    embedding: list[float] | None = None
    data: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class Perceiver(Protocol):
    """Anything with a name and a ``perceive`` method is a perceiver."""

    name: str

    def perceive(self, observation: Observation) -> Percept | None:
        """Translate the modalities this perceiver understands; None if none are present."""
        ...


def run_perceivers(
    perceivers: list[Any], observation: Observation, *, covered: Sequence[str] = ()
) -> tuple[list[Percept], list[str]]:
    """Run every perceiver; return the percepts and one error line per perceiver that failed.

    ``covered`` names images the observation's text already states
    (``Environment.text_covers``); perceivers get the observation without them.
    """
    if covered and any(key in observation.images for key in covered):
        images = {k: v for k, v in observation.images.items() if k not in covered}
        observation = observation.model_copy(update={"images": images})
    percepts: list[Percept] = []
    errors: list[str] = []
    for perceiver in perceivers:
        name = getattr(perceiver, "name", type(perceiver).__name__)
        try:
            percept = perceiver.perceive(observation)
        except Exception as error:
            errors.append(f"perceiver {name} failed: {type(error).__name__}: {error}")
            continue
        if percept is not None:
            percepts.append(percept)
    return percepts, errors
