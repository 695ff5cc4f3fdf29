"""The environment interface every adapter implements.

An environment turns the controller's structured actions into world steps and the world's
state into text the controller can read. Adapters live in their own distributions and
register a factory through the ``register_environments`` hook.

Durability rests on one contract: given the same seed, replaying the raw actions an
episode recorded (``StepResult.raw_actions``) puts the environment back in the same state.
That is how a killed run resumes without pickling simulators.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from agentkit.knowledge import Knowledge

__all__ = ["ActionSpec", "Environment", "Observation", "StepResult"]


class ActionSpec(BaseModel):
    """One action the controller may choose, with the argument it takes (if any)."""

    name: str
    description: str
    argument: str | None = Field(
        default=None, description="Name of the single argument, e.g. 'target'."
    )
    choices: list[str] | None = Field(
        default=None, description="Allowed values of the argument; None means free text."
    )
    kind: str = Field(default="primitive", description="'raw', 'primitive' or 'tool'.")


class Observation(BaseModel):
    """What the world shows after a reset or a step.

    ``text`` is the environment's own rendering; ``images`` and ``extras`` are raw
    modalities that perceivers may translate. Raw arrays never enter graph state.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    text: str
    images: dict[str, Any] = Field(default_factory=dict)
    extras: dict[str, Any] = Field(default_factory=dict)


class StepResult(BaseModel):
    """The outcome of one controller action (which may span several raw world steps)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    observation: Observation
    ok: bool = True
    feedback: str = ""
    reward: float = 0.0
    done: bool = False
    raw_actions: list[Any] = Field(default_factory=list)
    events: list[str] = Field(default_factory=list)
    info: dict[str, Any] = Field(default_factory=dict)


class Environment(ABC):
    """Base class for environment adapters.

    Subclasses implement ``reset``, ``step``, ``actions`` and ``replay``; ``check`` and
    ``frame`` are optional capabilities with safe defaults.
    """

    name: str = "environment"

    text_covers: tuple[str, ...] = ()
    """Keys of ``Observation.images`` whose content ``Observation.text`` already states.

    Perceivers are not shown these images: their readings would only repeat the text or
    misread it (OCR reads Crafter's vitals bar as "5BB5"), at a cost in time and prompt
    tokens on every step. The images stay in the observation for frames and replays. Set
    it to ``()`` on an instance to have perceivers read them anyway.
    """

    @abstractmethod
    def reset(self, seed: int | None = None) -> Observation:
        """Start a new episode; the same seed must give the same world."""

    @abstractmethod
    def step(self, action: str, argument: str | None = None) -> StepResult:
        """Carry out one action chosen by the controller."""

    @abstractmethod
    def actions(self) -> list[ActionSpec]:
        """The actions available now (their argument choices may depend on what was seen)."""

    @abstractmethod
    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        """Re-execute recorded raw actions after ``reset`` to restore the episode's state."""

    def check(self, task: str) -> bool | None:
        """Programmatic success check for ``task``; None when the environment has none."""
        return None

    def knowledge(self) -> Knowledge | None:
        """The world's rules as data (what gives what, what needs what), or None.

        With knowledge the agent plans from the rules and the model chooses among steps
        that are possible now (see docs/knowledge.md); every rule's ``action`` must be one
        of this environment's actions and take the rule's ``argument``.
        """
        return None

    def holdings(self) -> dict[str, int]:
        """What the agent has now, by the names the knowledge uses: the inventory, vitals,
        and stations within reach (count 1), so the decomposer can start from here."""
        return {}

    def goals_in(self, task: str) -> list[str]:
        """The knowledge's goals that ``task`` names (empty: it names none, so all count).

        The default matches goal names word for word; worlds that read tasks more freely
        (synonyms, plurals) override it.
        """
        knowledge = self.knowledge()
        if knowledge is None:
            return []
        text = " ".join(task.lower().replace("_", " ").split())
        return [goal for goal in knowledge.goals if goal.replace("_", " ") in text]

    def tasks(self) -> list[str]:
        """The environment's own task suite, easiest first; empty when it has none.

        The curriculum draws from it, and ``check`` must recognise every task in it.
        """
        return []

    # Programs in the world's own language. Code mode writes Python for the sandbox unless
    # an environment runs programs natively (Minecraft runs JavaScript next to mineflayer);
    # such an environment sets ``program_language`` and implements the methods below.
    program_language: str = "python"

    def program_functions(self, skills: Sequence[dict[str, Any]]) -> list[str]:
        """One line per function a program may call (primitives, then ``skills``)."""
        raise NotImplementedError(f"{self.name} runs no native programs")

    def example_program(self) -> str:
        """A short runnable program defining ``run``, shown to the controller as the shape.

        It is also what runs when the model never writes a valid program, so it should be
        a safe, useful step.
        """
        raise NotImplementedError(f"{self.name} runs no native programs")

    def check_program(self, code: str) -> list[str]:
        """Problems found before running ``code`` (syntax, unknown functions); empty if none."""
        return []

    def run_program(self, code: str, entry: str, skills: dict[str, str]) -> StepResult:
        """Run ``code``'s function ``entry`` with ``skills`` (name -> source) in scope.

        Errors come back as ``ok=False`` with the line in ``code`` in the feedback.
        """
        raise NotImplementedError(f"{self.name} runs no native programs")

    def skill_code(self, name: str, description: str, steps: Sequence[Sequence[Any]]) -> str:
        """A skill ``name`` in the native language from ``(action, argument, ok)`` steps."""
        raise NotImplementedError(f"{self.name} runs no native programs")

    def frame(self) -> Any | None:
        """The current frame as an RGB uint8 array, for replays; None if not rendered."""
        return None

    @property
    def live_view(self) -> str | None:
        """A page where a person can watch this world as it runs (a localhost URL), or None.

        The run engine records it in ``run.json`` while the run is in progress and
        ``agentkit ui`` shows it beside the step list: Minecraft's 3D view of the bot is one.
        """
        return None

    def metrics(self) -> dict[str, Any]:
        """Environment-specific episode metrics for the summary (achievements, ...)."""
        return {}

    @property
    def steps_taken(self) -> int:
        """Raw world steps since the last reset."""
        return 0

    def close(self) -> None:
        """Release simulator resources."""
        return None
