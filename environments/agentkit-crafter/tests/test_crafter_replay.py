"""Replaying the recorded raw actions after a reset restores the episode exactly."""

from __future__ import annotations

import numpy as np

from agentkit_crafter import CrafterEnvironment

SCRIPT = [
    ("goto", "tree"),
    ("interact", "tree"),
    ("explore", "north"),
    ("goto", "tree"),
    ("interact", "tree"),
    ("place", "table"),
    ("move_left", None),
    ("explore", "west"),
    ("do", None),
    ("goto", "cow"),
    ("interact", "cow"),
]


def _play(env: CrafterEnvironment, script: list[tuple[str, str | None]]) -> list[int]:
    raw: list[int] = []
    for name, arg in script:
        raw.extend(env.step(name, arg).raw_actions)
    return raw


def _snapshot(env: CrafterEnvironment) -> tuple:
    obs = env.observe()
    choices = [(s.name, s.choices) for s in env.actions()]
    return (
        env.fingerprint(),
        obs.text,
        obs.extras,
        choices,
        env.metrics(),
        env.seen.seen_count,
        sorted(env.seen.objects.items()),
    )


def test_replay_in_a_fresh_environment_restores_everything() -> None:
    original = CrafterEnvironment(render=True)
    original.reset(seed=1)
    raw = _play(original, SCRIPT)
    assert len(raw) > 20 and all(isinstance(a, int) for a in raw)
    expected = _snapshot(original)
    frame = original.frame().copy()

    restored = CrafterEnvironment(render=True)
    restored.reset(seed=1)
    restored.replay(raw)
    assert _snapshot(restored) == expected
    assert np.array_equal(restored.frame(), frame)
    assert restored.steps_taken == len(raw)

    other_seed = CrafterEnvironment(render=False)
    other_seed.reset(seed=2)
    other_seed.replay(raw)
    assert other_seed.fingerprint() != expected[0]


def test_resumed_episode_continues_like_the_original() -> None:
    tail = [("explore", "south"), ("goto", "tree"), ("interact", "tree"), ("noop", None)]
    original = CrafterEnvironment(render=False)
    original.reset(seed=9)
    head_raw = _play(original, SCRIPT)
    after_original = [original.step(n, a).model_dump(exclude={"observation"}) for n, a in tail]

    resumed = CrafterEnvironment(render=False)
    resumed.reset(seed=9)
    resumed.replay(head_raw)
    after_resumed = [resumed.step(n, a).model_dump(exclude={"observation"}) for n, a in tail]
    assert after_resumed == after_original
    assert resumed.fingerprint() == original.fingerprint()


def test_replay_on_a_used_environment_starts_over() -> None:
    env = CrafterEnvironment(render=False)
    env.reset(seed=4)
    raw = _play(env, SCRIPT[:3])
    expected = env.fingerprint()
    env.step("explore", "east")  # drift away, then replay the prefix
    env.replay(raw)
    assert env.fingerprint() == expected
