"""The Crafter harness: the same seeds, caps and scoring for the random baseline and the agent.

Two protocols fix the episode length in world steps (Crafter presses): ``crafter`` (the
official 10,000) and ``balrog`` (BALROG's 2,000). The agent runs through the real harness
(:func:`agentkit.start_run`, one run per seed under ``<out>/runs/seed<N>``), so its figures
include everything a user's run does; its controller steps are capped separately by
``max_steps`` because one primitive may press several world steps. Episode ``e`` of seed
``s`` plays world ``s * 1000 + e`` for every agent.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from agentkit.bench.random_agent import make_raw_crafter, run_random_episode
from agentkit.bench.scores import crafter_score, mean_sem, mean_std, progression, success_rates
from agentkit.models import DEFAULT_MODEL, resolve_model
from agentkit.plugins import Registry, get_registry
from agentkit.runs.parallel import map_seeds
from agentkit.runs.single import DEFAULT_TASK, RunConfig, start_run
from agentkit.state import llm_totals

__all__ = ["PROTOCOLS", "BenchConfig", "Protocol", "aggregate", "run_crafter_bench", "world_seed"]

SEED_STRIDE = 1000
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Protocol:
    """An episode cap in world steps and the environment options that bring us close to it."""

    name: str
    length: int
    env_options: dict[str, Any]
    note: str
    knowledge: bool = True
    """Whether the agent may plan from the world's rules under this protocol."""


PROTOCOLS: dict[str, Protocol] = {
    "crafter": Protocol(
        name="crafter",
        length=10_000,
        env_options={"mask": False},
        note="10,000 world steps per episode; no action mask; raw actions and primitives",
    ),
    "balrog": Protocol(
        name="balrog",
        length=2_000,
        env_options={"mask": False, "primitives": False, "text": "balrog"},
        note="2,000 world steps per episode; no action mask; the 17 raw actions only; "
        "BALROG's text; the model alone (no rules knowledge, no skills)",
        knowledge=False,
    ),
}


@dataclass
class BenchConfig:
    """What ``agentkit bench crafter`` runs; ``episodes`` is per seed."""

    protocol: str = "crafter"
    agent: str = "llm"
    model: str = DEFAULT_MODEL
    seeds: list[int] = field(default_factory=lambda: [0])
    episodes: int = 1
    max_steps: int | None = None
    task: str = DEFAULT_TASK
    env_options: dict[str, Any] = field(default_factory=dict)
    knowledge: bool = True
    """Plan from Crafter's rules (``data.yaml``); the balrog protocol never does."""
    model_options: dict[str, Any] = field(default_factory=dict)
    workers: int = 1
    """Seeds run at once, one Ray task each (:mod:`agentkit.runs.parallel`)."""
    ray_address: str | None = None
    """An existing Ray cluster for the seeds (``auto``, ``ray://host:10001``)."""

    @property
    def parallel(self) -> bool:
        """The seeds go to Ray (several workers, or a cluster), not one after another."""
        return self.workers > 1 or self.ray_address is not None

    def uses_knowledge(self) -> bool:
        return self.agent == "llm" and self.knowledge and self.protocol_spec().knowledge

    def protocol_spec(self) -> Protocol:
        if self.protocol not in PROTOCOLS:
            raise ValueError(f"unknown protocol {self.protocol!r}; choose {', '.join(PROTOCOLS)}")
        return PROTOCOLS[self.protocol]

    def step_cap(self) -> int:
        """Controller steps per episode: ``max_steps``, else the protocol's world-step cap."""
        return self.max_steps or self.protocol_spec().length


def world_seed(seed: int, episode: int) -> int:
    return seed * SEED_STRIDE + episode


def run_crafter_bench(
    config: BenchConfig,
    out: Path,
    *,
    registry: Registry | None = None,
    model: Any = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run every seed's episodes and return the results (see :func:`aggregate`).

    ``model`` overrides ``config.model`` with a ready chat model (tests pass a scripted one).
    ``progress(done, label)`` gets the number of episodes finished so far (fractional
    within an episode).
    """
    protocol = config.protocol_spec()
    if config.agent not in {"llm", "random"}:
        raise ValueError(f"unknown agent {config.agent!r}; choose llm or random")
    registry = registry or get_registry()
    out.mkdir(parents=True, exist_ok=True)
    env_options = {"render": False, **protocol.env_options, **config.env_options}
    started = time.perf_counter()
    if config.agent == "random":
        episodes = _random_episodes(config, protocol, registry, progress)
        model_name = "none (uniform random raw actions)"
    else:
        episodes, model_name = _agent_episodes(
            config, protocol, env_options, out, registry, model, progress
        )
    results = aggregate(episodes, config.seeds)
    cap = config.step_cap()
    results.update(
        benchmark="crafter",
        protocol={**asdict(protocol), "env_options": env_options},
        agent=config.agent,
        model=model_name,
        mode=_mode(config, env_options),
        seeds=config.seeds,
        episodes_per_seed=config.episodes,
        world_step_cap=protocol.length,
        controller_step_cap=cap,
        capped=cap < protocol.length,
        task=config.task if config.agent == "llm" else None,
        available={
            "knowledge": config.uses_knowledge(),
            "skills": False,
            "percept": "text of the 9x7 local view and the inventory"
            if config.agent == "llm"
            else "none",
        },
        workers={"count": config.workers, "ray_address": config.ray_address},
        wall_s=round(time.perf_counter() - started, 2),
        date=time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        machine=machine(),
        episodes=episodes,
    )
    return results


def _mode(config: BenchConfig, env_options: dict[str, Any]) -> str:
    if config.agent == "random":
        return "random baseline: 17 raw actions, uniform, no LLM"
    actions = "raw" if env_options.get("primitives") is False else "raw + primitives"
    mask = "masked" if env_options.get("mask", True) else "no mask"
    if config.uses_knowledge():
        return (
            "agentkit graph with Crafter's rules as knowledge (the model chooses among the "
            f"steps they allow); no skill library; actions: {actions}, {mask}"
        )
    return f"agentkit graph, no knowledge, no skill library; actions: {actions}, {mask}"


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _random_episodes(
    config: BenchConfig, protocol: Protocol, registry: Registry, progress: Progress | None
) -> list[dict[str, Any]]:
    # a registry object stays in this process: Ray workers load their own
    work = partial(_random_seed, config, protocol, None if config.parallel else registry)
    return _map_seeds(config, work, progress)


def _map_seeds(
    config: BenchConfig, work: Callable[[int], list[dict[str, Any]]], progress: Progress | None
) -> list[dict[str, Any]]:
    """Every seed's episodes through :func:`map_seeds`, progress counted in episodes."""

    def on_seed(seed: int, finished: int) -> None:
        if progress is not None:
            progress(finished * config.episodes, f"seed {seed} done")

    return map_seeds(
        work, config.seeds, workers=config.workers, address=config.ray_address, on_seed=on_seed
    )


def _random_seed(
    config: BenchConfig, protocol: Protocol, registry: Registry | None, seed: int
) -> list[dict[str, Any]]:
    """One seed's random episodes (in this process or a Ray worker)."""
    options = {k: v for k, v in config.env_options.items() if k != "length"}
    env = make_raw_crafter(protocol.length, registry or get_registry(), **options)
    try:
        return [
            {
                "seed": seed,
                "episode": episode,
                **run_random_episode(env, world_seed(seed, episode), config.step_cap()),
            }
            for episode in range(config.episodes)
        ]
    finally:
        env.close()


def _agent_episodes(
    config: BenchConfig,
    protocol: Protocol,
    env_options: dict[str, Any],
    out: Path,
    registry: Registry,
    model: Any,
    progress: Progress | None,
) -> tuple[list[dict[str, Any]], str]:
    model_name = (
        config.model if model is None else getattr(model, "_llm_type", type(model).__name__)
    )
    if config.parallel:
        if model is not None:
            raise ValueError("a ready model object cannot go to Ray workers: pass its name")
        work = partial(_agent_seed, config, protocol, env_options, out, None, None, None)
        return _map_seeds(config, work, progress), model_name
    if model is None:  # load once, not once per seed
        model = resolve_model(config.model, registry, **config.model_options)
    episodes = []
    for index, seed in enumerate(config.seeds):
        episodes += _agent_seed(
            config, protocol, env_options, out, registry, model, progress, seed, index
        )
    return episodes, model_name


def _agent_seed(
    config: BenchConfig,
    protocol: Protocol,
    env_options: dict[str, Any],
    out: Path,
    registry: Registry | None,
    model: Any,
    progress: Progress | None,
    seed: int,
    index: int = 0,
) -> list[dict[str, Any]]:
    """One seed's episodes as one run ``seed<N>`` in ``out`` (here or in a Ray worker)."""
    registry = registry or get_registry()
    if model is None:
        model = resolve_model(config.model, registry, **config.model_options)
    cap = config.step_cap()
    run_config = RunConfig(
        env="crafter",
        task=config.task,
        model=config.model,
        max_steps=cap,
        episodes=config.episodes,
        seed=world_seed(seed, 0),
        env_options={**env_options, "length": protocol.length},
        model_options=config.model_options,
        knowledge=config.uses_knowledge(),
    )
    done_before = index * config.episodes

    def on_step(episode: int, record: dict[str, Any]) -> None:
        if progress is not None:
            fraction = min(record["step"] / cap, 0.999)
            progress(done_before + episode + fraction, f"seed {seed} ep {episode}")

    result = start_run(
        run_config,
        home=out,
        run_id=f"seed{seed}",
        registry=registry,
        model=model,
        progress=on_step,
    )
    episodes = []
    for key, values in sorted(result.summary["episodes"].items(), key=lambda kv: int(kv[0])):
        episode = int(key)
        llm = values.get("llm", {})
        totals = llm_totals(llm)
        env_metrics = values.get("env", {})
        episodes.append(
            {
                "seed": seed,
                "episode": episode,
                "world_seed": world_seed(seed, episode),
                "achievements": list(env_metrics.get("achievements", [])),
                "reward": values.get("reward", 0.0),
                "length": int(values.get("env_steps", 0)),
                "controller_steps": int(values.get("steps", 0)),
                "llm_calls": int(totals.get("calls", 0)),
                "llm_tokens": int(totals["tokens"]),
                # one fallback action per decide call that fell back
                "fallbacks": int(llm.get("decide", {}).get("fallbacks", 0)),
                "wall_s": values.get("wall_s", 0.0),
                "run": str(result.folder),
            }
        )
    if progress is not None:
        progress(done_before + config.episodes, f"seed {seed} done")
    return episodes


def _summary(episodes: list[dict[str, Any]]) -> dict[str, Any]:
    rates = success_rates([e["achievements"] for e in episodes])
    prog_mean, prog_sem = mean_sem([progression(e["achievements"]) for e in episodes])
    reward_mean, reward_std = mean_std([float(e["reward"]) for e in episodes])
    length_mean, length_std = mean_std([float(e["length"]) for e in episodes])
    steps = sum(e["controller_steps"] for e in episodes)
    calls = sum(e["llm_calls"] for e in episodes)
    tokens = sum(e["llm_tokens"] for e in episodes)
    return {
        "episodes": len(episodes),
        "crafter_score": round(crafter_score(rates), 3),
        "success_rates": {k: round(v, 2) for k, v in rates.items()},
        "progression_mean": round(prog_mean, 3),
        "progression_sem": round(prog_sem, 3),
        "reward_mean": round(reward_mean, 3),
        "reward_std": round(reward_std, 3),
        "length_mean": round(length_mean, 1),
        "length_std": round(length_std, 1),
        "env_interactions": sum(e["length"] for e in episodes),
        "controller_steps": steps,
        "llm_calls": calls,
        "llm_calls_per_step": round(calls / steps, 3) if steps else 0.0,
        "tokens_per_step": round(tokens / steps, 1) if steps else 0.0,
        "fallbacks": sum(e["fallbacks"] for e in episodes),
    }


def aggregate(episodes: list[dict[str, Any]], seeds: list[int]) -> dict[str, Any]:
    """Per-seed summaries, and overall ones: the Crafter score over all episodes and as
    mean and std of the per-seed scores; progression as mean and standard error."""
    per_seed = {str(s): _summary([e for e in episodes if e["seed"] == s]) for s in seeds}
    overall = _summary(episodes)
    score_mean, score_std = mean_std([p["crafter_score"] for p in per_seed.values()])
    overall.update(
        crafter_score_seed_mean=round(score_mean, 3), crafter_score_seed_std=round(score_std, 3)
    )
    return {"per_seed": per_seed, "overall": overall}
