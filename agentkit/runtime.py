"""What the graph's nodes use but never checkpoint: the world, the controller, perceivers.

The runtime is bound into the graph when it is built, so the compiled graph can be embedded,
served or resumed without passing live objects through LangGraph's config. It also keeps the
environment in step with the checkpointed state: after a restart the first node to run
resets the world with the episode's seed and replays the recorded raw actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.controller import Controller
from agentkit.environment import Environment, Observation

__all__ = ["AgentRuntime"]


@dataclass
class AgentRuntime:
    """Live dependencies of one agent.

    ``skills`` and ``episodes`` are the lifelong memory (``agentkit.memory``), None when off;
    ``mode`` is ``select`` (choose a primitive or a skill) or ``code`` (write a program);
    ``verify`` turns self-verification off altogether (an ablation: tasks then end at
    their step budget and count as done, as in Voyager without self-verification).
    ``plan_ends_task``: when the world cannot check the task, every sub-goal verified by the
    controller ends it as a success (lifelong runs, whose tasks are meant to end); off for
    open-ended runs, which re-plan instead. ``use_knowledge``: when the world gives its
    rules (``Environment.knowledge``), plan from them and choose among the steps they
    allow (off is an ablation); ``reason_first``: the model writes its reason before its
    choice.
    """

    env: Environment
    controller: Controller
    perceivers: list[Any] = field(default_factory=list)
    tools: list[Any] = field(default_factory=list)
    critic: bool = True
    critique_interval: int = 5
    max_retries: int = 2
    replan_interval: int = 25
    repeat_limit: int = 4
    observation: Observation | None = None
    applied: int = 0
    episode_key: tuple[Any, ...] | None = None
    step_listeners: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)
    skills: Any = None
    episodes: Any = None
    curriculum: Any = None
    mode: str = "select"
    verify: bool = True
    recall_k: int = 3
    task_steps: int = 20
    plan_ends_task: bool = False
    run_id: str = ""
    workdir: Path | None = None
    sandbox_limits: Any = None
    task_listeners: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)
    use_knowledge: bool = True
    reason_first: bool = True

    def sync(self, state: dict[str, Any]) -> Observation:
        """Return the current observation, resetting or replaying the world if needed."""
        # A lifelong run keeps one world across tasks until it ends; ``world_start`` marks
        # where the current world's actions begin in the thread's raw-action log.
        raw_actions = (state.get("raw_actions") or [])[state.get("world_start", 0) :]
        key = (state.get("seed"), state.get("world_start", 0))
        new_episode = not raw_actions and not state.get("step") and self.applied > 0
        out_of_step = self.applied != len(raw_actions) or key != self.episode_key
        if self.observation is None or new_episode or out_of_step:
            self.observation = self.env.reset(seed=state.get("seed"))
            self.applied = 0
            if raw_actions:
                self.observation = self.env.replay(raw_actions)
                self.applied = len(raw_actions)
            self.episode_key = key
        return self.observation
