"""The crossmodal hall: the goal is written only on a sign, the password only spoken.

Four coloured doors and a guard. The sign (``images["sign"]``) names the door that leads
out; the guard's speech (``extras["audio"]``) gives the password. The text observation
describes the hall, which is the same for every seed, so the controller can succeed only
through an image-of-text perceiver (``ocr``) and a speech perceiver (``asr``).

Rules, chosen so that guessing cannot be turned into search: say the right password, then
open the right door. A wrong password or a wrong door ends the episode; opening a door
before the guard unlocks it ends it too. Blind play therefore succeeds with probability
1/4 x 1/4 = 1/16 at best, and the per-episode budget (``max_actions``) bounds the rest.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import numpy as np
from agentkit.environment import ActionSpec, Environment, Observation, StepResult

from agentkit_crossmodal.render import render_frame, render_sign
from agentkit_crossmodal.speech import VOICE, speak

__all__ = [
    "DOORS",
    "TASK_OPEN",
    "TASK_SAY",
    "UNLOCKED",
    "WORDS",
    "CrossmodalEnvironment",
    "sign_text",
    "spoken_text",
    "world_of",
]

DOORS = ("red", "green", "blue", "yellow")
WORDS = ("apple", "candle", "river", "tiger")
"""Passwords: common words in pocketsphinx's dictionary that sound unlike each other."""

TASK_SAY = "say the password the guard speaks"
TASK_OPEN = "say the password the guard speaks, then open the door the sign names"
UNLOCKED = "The guard nods: the doors are unlocked."
"""Status line after the right password; the percept-reading agent keys on it."""

_INTRO = (
    "You are in a hall with four closed doors: red, green, blue and yellow. A sign hangs on "
    "the wall and a guard by the doors keeps repeating something aloud. The guard unlocks "
    "the doors only for the right password (say it); then one door leads out (open it). A "
    "wrong password or a wrong door ends your visit."
)


def sign_text(door: str) -> str:
    """What the sign reads for the goal ``door``."""
    return f"OPEN THE {door.upper()} DOOR"


def spoken_text(word: str) -> str:
    """What the guard says for the password ``word``."""
    return f"the password is {word}"


def world_of(seed: int) -> tuple[str, str]:
    """The (goal door, password) of ``seed``.

    Seeds come in blocks of 16 that hold every combination once, in an order shuffled per
    block, so any 16 consecutive seeds from a multiple of 16 are balanced: a blind fixed
    guess then scores exactly 1/16 there instead of whatever a small sample happens to give.
    """
    combinations = [(door, word) for door in DOORS for word in WORDS]
    block, index = divmod(seed, len(combinations))
    random.Random(f"crossmodal:{block}").shuffle(combinations)
    return combinations[index]


class CrossmodalEnvironment(Environment):
    """The hall; ``reset(seed)`` draws the goal door and the password from the seed.

    Options: ``max_actions`` (accepted actions per episode, default 3: the two needed plus
    one spare), ``seed`` (used when ``reset`` gets none), ``voice`` and ``speed`` (espeak-ng).
    """

    name = "crossmodal"

    def __init__(
        self,
        max_actions: int | str = 3,
        seed: int | str = 0,
        voice: str = VOICE,
        speed: int | str = 150,
    ) -> None:
        self.max_actions = int(max_actions)
        if self.max_actions < 2:
            raise ValueError(f"max_actions must be at least 2 (say, then open), not {max_actions}")
        self.default_seed = int(seed)
        self.voice = voice
        self.speed = int(speed)
        self._seed = self.default_seed
        self.goal = DOORS[0]
        self.password = WORDS[0]
        self._clear()

    def _clear(self) -> None:
        self._taken = 0
        self._unlocked = False
        self._opened: str | None = None
        self._said: list[str] = []
        self._done = False
        self._success = False
        self._status = "The guard waits for the password."

    # -- the world

    def reset(self, seed: int | None = None) -> Observation:
        self._seed = self.default_seed if seed is None else int(seed)
        self.goal, self.password = world_of(self._seed)
        self._clear()
        return self._observation()

    def _observation(self) -> Observation:
        left = max(self.max_actions - self._taken, 0)
        text = f"{_INTRO}\n{self._status}\nActions left: {left}."
        clip = speak(spoken_text(self.password), voice=self.voice, speed=self.speed)
        # The candidates restrict the registered asr perceiver to this world's sentences
        # without telling it which one is spoken.
        clip["sentences"] = [spoken_text(word) for word in WORDS]
        clip["vocabulary"] = list(WORDS)
        return Observation(
            text=text,
            images={"sign": render_sign(sign_text(self.goal))},
            extras={"audio": clip},
        )

    def actions(self) -> list[ActionSpec]:
        return [
            ActionSpec(
                name="say",
                description="say a word to the guard (the password unlocks the doors)",
                argument="word",
                choices=list(WORDS),
            ),
            ActionSpec(
                name="open",
                description="open a door (only the one the sign names leads out)",
                argument="door",
                choices=list(DOORS),
            ),
        ]

    def step(self, action: str, argument: str | None = None) -> StepResult:
        choices = {spec.name: spec.choices or [] for spec in self.actions()}
        if action not in choices:
            return self._refuse(f"unknown action {action!r}; choose one of {sorted(choices)}")
        if argument not in choices[action]:
            return self._refuse(f"{action} needs one of {choices[action]}, got {argument!r}")
        if self._done:
            return self._refuse("the visit is over; nothing more happens", done=True)
        reward, events, ok = self._apply(action, argument)
        return StepResult(
            observation=self._observation(),
            ok=ok,
            feedback=self._status,
            reward=reward,
            done=self._done,
            raw_actions=[[action, argument]],
            events=events,
        )

    def _refuse(self, feedback: str, done: bool = False) -> StepResult:
        return StepResult(observation=self._observation(), ok=False, feedback=feedback, done=done)

    def _apply(self, action: str, argument: str) -> tuple[float, list[str], bool]:
        """One accepted action: (reward, events, ok). The whole world is in these few fields."""
        self._taken += 1
        reward, events, ok = 0.0, [], True
        if action == "say":
            self._said.append(argument)
            if self._unlocked:
                self._status = "The guard has already unlocked the doors."
            elif argument == self.password:
                self._unlocked, self._status = True, UNLOCKED
                reward, events = 0.5, ["unlocked"]
            else:
                self._status = f"You said {argument}. Wrong password: the guard sends you away."
                self._done, ok = True, False
        else:
            self._opened = argument
            self._done = True
            if not self._unlocked:
                self._status = f"The {argument} door is locked; the guard sends you away."
                ok = False
            elif argument == self.goal:
                self._status = f"You open the {argument} door and walk out. You made it!"
                self._success, reward, events = True, 1.0, ["escaped"]
            else:
                self._status = f"The {argument} door opens onto a brick wall. Wrong door."
                ok = False
        if not self._done and self._taken >= self.max_actions:
            self._done = True
            self._status += " You are out of actions."
        return reward, events, ok

    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        for action, argument in raw_actions:
            if not self._done:
                self._apply(str(action), str(argument))
        return self._observation()

    # -- optional capabilities

    def tasks(self) -> list[str]:
        return [TASK_SAY, TASK_OPEN]

    def check(self, task: str) -> bool | None:
        if task.strip().lower() == TASK_SAY:
            return self._unlocked
        if task.strip().lower() == TASK_OPEN:
            return self._success
        return None

    def frame(self) -> np.ndarray:
        return render_frame(sign_text(self.goal), DOORS, self._opened, self._unlocked)

    def metrics(self) -> dict[str, Any]:
        return {
            "success": self._success,
            "unlocked": self._unlocked,
            "opened": self._opened,
            "said": list(self._said),
            "goal": self.goal,
            "password": self.password,
        }

    @property
    def steps_taken(self) -> int:
        return self._taken
