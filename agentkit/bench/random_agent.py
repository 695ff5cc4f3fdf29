"""The random baseline: uniform random raw actions straight on the Crafter environment.

No LLM and no graph: it measures what the world gives for nothing, in the same harness and
on the same world seeds as the agent, so the agent's figures have a floor beside them.
"""

from __future__ import annotations

import random
import time
from typing import Any

from agentkit.environment import Environment
from agentkit.environments import make_environment
from agentkit.plugins import Registry

__all__ = ["make_raw_crafter", "run_random_episode"]


def make_raw_crafter(length: int, registry: Registry | None = None, **options: Any) -> Environment:
    """Crafter exposing exactly its 17 raw actions (no primitives, no mask), not rendered."""
    options = {"render": False, **options, "raw": True, "primitives": False, "mask": False}
    return make_environment("crafter", registry, length=length, **options)


def run_random_episode(env: Environment, world_seed: int, max_steps: int) -> dict[str, Any]:
    """One episode of uniformly random raw actions; the action RNG is seeded by the world seed."""
    rng = random.Random(world_seed)
    env.reset(world_seed)
    names = [spec.name for spec in env.actions() if spec.kind == "raw"]
    started = time.perf_counter()
    steps, reward, done = 0, 0.0, False
    while not done and steps < max_steps:
        result = env.step(rng.choice(names))
        steps += 1
        reward += result.reward
        done = result.done
    metrics = env.metrics()
    return {
        "world_seed": world_seed,
        "achievements": list(metrics.get("achievements", [])),
        "reward": round(reward, 3),
        "length": int(metrics.get("env_steps", steps)),
        "controller_steps": steps,
        "llm_calls": 0,
        "llm_tokens": 0,
        "fallbacks": 0,
        "wall_s": round(time.perf_counter() - started, 3),
    }
