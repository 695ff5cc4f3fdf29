"""The environment contract, and the rules that keep guessing at chance."""

from __future__ import annotations

import numpy as np
import pytest
from agentkit.testing.contracts import EnvironmentContract

from agentkit_crossmodal import (
    DOORS,
    TASK_OPEN,
    TASK_SAY,
    WORDS,
    CrossmodalEnvironment,
    SpeechSetupError,
    sign_text,
    spoken_text,
)
from agentkit_crossmodal.env import world_of


class TestCrossmodalContract(EnvironmentContract):
    entry_point = "crossmodal"
    registered_name = "crossmodal"
    walk_steps = 5

    def make_environment(self) -> CrossmodalEnvironment:
        return CrossmodalEnvironment()


def test_the_text_never_carries_the_goal_or_the_password() -> None:
    env = CrossmodalEnvironment()
    texts = set()
    for seed in range(16):
        observation = env.reset(seed)
        texts.add(observation.text)
        lowered = observation.text.lower()
        assert sign_text(env.goal).lower() not in lowered
        assert spoken_text(env.password) not in lowered
        assert not any(word in lowered for word in WORDS)
        assert [s.model_dump() for s in env.actions()] == [
            s.model_dump() for s in CrossmodalEnvironment().actions()
        ]
    # The same text for every world: the text alone cannot tell worlds apart.
    assert len(texts) == 1


def test_the_image_and_the_audio_carry_them() -> None:
    env = CrossmodalEnvironment()
    first = env.reset(0)
    other = next(s for s in range(1, 16) if world_of(s)[1] != env.password)
    second = env.reset(other)
    assert first.extras["audio"]["samples"] != second.extras["audio"]["samples"]
    clip = second.extras["audio"]
    assert clip["sample_rate"] > 0 and clip["vocabulary"] == list(WORDS)
    assert spoken_text(env.password) in clip["sentences"]
    assert second.images["sign"].dtype == np.uint8 and second.images["sign"].ndim == 3


def test_sixteen_seeds_hold_every_combination_once() -> None:
    assert sorted(world_of(s) for s in range(16)) == sorted(
        (door, word) for door in DOORS for word in WORDS
    )
    assert [world_of(s) for s in range(32)] != [world_of(s) for s in range(16)] * 2


def _play(env: CrossmodalEnvironment, *moves: tuple[str, str]) -> list:
    return [env.step(action, argument) for action, argument in moves]


def test_password_then_door_succeeds_and_check_says_so() -> None:
    env = CrossmodalEnvironment()
    env.reset(5)
    assert env.check(TASK_SAY) is False and env.check(TASK_OPEN) is False
    said, opened = _play(env, ("say", env.password), ("open", env.goal))
    assert said.ok and not said.done and said.reward == 0.5 and env.check(TASK_SAY)
    assert opened.ok and opened.done and opened.reward == 1.0 and env.check(TASK_OPEN)
    assert env.steps_taken == 2 and env.metrics()["success"] is True


@pytest.mark.parametrize(
    "moves",
    [
        [("say", "wrong")],
        [("open", "goal")],
        [("say", "right"), ("open", "wrong")],
    ],
    ids=["wrong-password", "door-before-password", "wrong-door"],
)
def test_any_mistake_ends_the_visit(moves: list[tuple[str, str]]) -> None:
    env = CrossmodalEnvironment()
    env.reset(11)
    wrong_word = next(w for w in WORDS if w != env.password)
    wrong_door = next(d for d in DOORS if d != env.goal)
    names = {"wrong": None, "right": env.password, "goal": env.goal}
    results = []
    for action, which in moves:
        if which == "wrong":
            argument = wrong_word if action == "say" else wrong_door
        else:
            argument = names[which]
        results.append(env.step(action, argument))
    assert results[-1].done and not results[-1].ok and env.check(TASK_OPEN) is False
    after = env.step("say", env.password)
    assert not after.ok and after.done and after.raw_actions == []


def test_the_budget_ends_a_visit_that_stalls() -> None:
    env = CrossmodalEnvironment(max_actions=3)
    env.reset(2)
    results = _play(env, ("say", env.password), ("say", env.password), ("say", env.password))
    assert [r.done for r in results] == [False, False, True]
    assert env.check(TASK_OPEN) is False


def test_a_bad_argument_is_refused_without_a_step() -> None:
    env = CrossmodalEnvironment()
    env.reset(0)
    result = env.step("open", "purple")
    assert not result.ok and "purple" in result.feedback and result.raw_actions == []
    assert env.steps_taken == 0


def test_missing_espeak_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentkit_crossmodal import speech

    monkeypatch.setattr(speech.shutil, "which", lambda name: None)
    monkeypatch.setattr(speech, "_cache", {})
    with pytest.raises(SpeechSetupError, match="apt-get install -y espeak-ng"):
        CrossmodalEnvironment().reset(0)
