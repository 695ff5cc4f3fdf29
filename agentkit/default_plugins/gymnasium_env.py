"""``gymnasium:<env id>``: any Gymnasium environment with a discrete action space.

Text comes from a renderer: the environment's own ``ansi`` rendering where it has one,
else a description of the observation. Pass ``renderer=`` (a function of observation and
info returning text) to give the controller something better: that is the text-rendering
hook. Action names come from ``action_names=`` or default to ``action_0 ...``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from agentkit.environment import ActionSpec, Environment, Observation, StepResult
from agentkit.plugins.hookspecs import hookimpl

TextRenderer = Callable[[Any, dict[str, Any]], str]

# Names for the toy-text environments whose action meanings Gymnasium documents.
KNOWN_ACTION_NAMES: dict[str, list[str]] = {
    "FrozenLake": ["left", "down", "right", "up"],
    "CliffWalking": ["up", "right", "down", "left"],
    "Taxi": ["south", "north", "east", "west", "pickup", "dropoff"],
    "CartPole": ["push_left", "push_right"],
    "Blackjack": ["stick", "hit"],
}


_HIGHLIGHT = re.compile(r"\x1b\[4\dm(.*?)\x1b\[0m")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain_text(ansi: str) -> str:
    """ANSI text without colour codes; a highlighted cell (the agent) becomes ``[X]``."""
    return _ANSI.sub("", _HIGHLIGHT.sub(r"[\1]", ansi))


def describe(value: Any) -> str:
    """A compact text form of an observation value (arrays rounded to 3 decimals)."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {describe(v)}" for k, v in value.items())
    if isinstance(value, tuple):
        return "(" + ", ".join(describe(v) for v in value) + ")"
    if isinstance(value, np.ndarray):
        if value.size > 64:
            return f"array of shape {value.shape}"
        return np.array2string(np.round(value, 3), separator=", ")
    return str(value)


class GymnasiumEnvironment(Environment):
    """An agentkit environment over ``gymnasium.make(env_id)``."""

    fallback_action = "action_0"

    def __init__(
        self,
        env_id: str,
        *,
        renderer: TextRenderer | None = None,
        action_names: Sequence[str] | None = None,
        max_episode_steps: int | None = None,
        **make_kwargs: Any,
    ):
        import gymnasium
        from gymnasium.envs.registration import load_env_creator

        if not env_id:
            raise ValueError(
                "name a Gymnasium environment: gymnasium:<env id>, e.g. gymnasium:FrozenLake-v1"
            )
        # The render modes are class metadata: read them without building the env twice.
        spec = gymnasium.spec(env_id)
        creator = load_env_creator(spec.entry_point) if isinstance(spec.entry_point, str) else None
        modes = getattr(creator, "metadata", {}).get("render_modes", [])
        self._text_mode = "ansi" in modes
        if self._text_mode:
            make_kwargs.setdefault("render_mode", "ansi")
        self.env = gymnasium.make(env_id, max_episode_steps=max_episode_steps, **make_kwargs)
        if not isinstance(self.env.action_space, gymnasium.spaces.Discrete):
            raise ValueError(
                f"{env_id} has action space {self.env.action_space}; the generic adapter "
                "supports Discrete action spaces only"
            )
        self.name = f"gymnasium:{env_id}"
        family = env_id.split("-")[0]
        n = int(self.env.action_space.n)
        names = list(action_names or KNOWN_ACTION_NAMES.get(family, []))
        self.action_names = names if len(names) == n else [f"action_{i}" for i in range(n)]
        self.fallback_action = self.action_names[0]
        self.renderer = renderer
        self._steps = 0
        self._return = 0.0
        self._terminated = False
        self._seed: int | None = None
        self._last: Observation | None = None

    def _observe(self, obs: Any, info: dict[str, Any]) -> Observation:
        if self.renderer is not None:
            text = self.renderer(obs, info)
        elif self._text_mode:
            text = plain_text(str(self.env.render())).strip() + f"\nobservation: {describe(obs)}"
        else:
            text = f"observation: {describe(obs)}"
        self._last = Observation(
            text=text, extras={"observation": describe(obs), "info": dict(info)}
        )
        return self._last

    def reset(self, seed: int | None = None) -> Observation:
        self._seed = seed
        self._steps, self._return, self._terminated = 0, 0.0, False
        obs, info = self.env.reset(seed=seed)
        return self._observe(obs, info)

    def actions(self) -> list[ActionSpec]:
        return [
            ActionSpec(name=name, description=f"Gymnasium action {i}", kind="raw")
            for i, name in enumerate(self.action_names)
        ]

    def _raw_step(self, index: int) -> tuple[Observation, float, bool]:
        obs, reward, terminated, truncated, info = self.env.step(index)
        self._steps += 1
        self._return += float(reward)
        self._terminated = bool(terminated)
        return self._observe(obs, info), float(reward), bool(terminated or truncated)

    def step(self, action: str, argument: str | None = None) -> StepResult:
        if action not in self.action_names:
            # Programs and skills may name anything: refuse with feedback, never raise.
            return StepResult(
                observation=self._last or self.reset(self._seed),
                ok=False,
                feedback=f"unknown action {action!r}; choose from {', '.join(self.action_names)}",
            )
        index = self.action_names.index(action)
        observation, reward, done = self._raw_step(index)
        return StepResult(
            observation=observation,
            reward=reward,
            done=done,
            raw_actions=[index],
            feedback=f"reward {reward:g}",
        )

    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        observation = None
        for index in raw_actions:
            observation, _, _ = self._raw_step(int(index))
        if observation is None:
            return self.reset(self._seed)
        return observation

    def check(self, task: str) -> bool | None:
        if "goal" in task.lower() or "reward" in task.lower():
            return self._terminated and self._return > 0
        return None

    def metrics(self) -> dict[str, Any]:
        return {"return": self._return, "env_steps": self._steps}

    @property
    def steps_taken(self) -> int:
        return self._steps

    def close(self) -> None:
        self.env.close()


@hookimpl
def register_environments(register: Callable[..., None]) -> None:
    register(
        "gymnasium",
        lambda spec="", **options: GymnasiumEnvironment(spec, **options),
        description="Any Gymnasium environment with a Discrete action space: gymnasium:<env id>",
    )
