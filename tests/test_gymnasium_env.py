"""The generic Gymnasium adapter: text rendering, names, replay, refusals."""

import numpy as np
import pytest

from agentkit import make_environment
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment, describe, plain_text


def test_ansi_text_loses_colour_codes_and_marks_the_agent():
    assert plain_text("\x1b[41mS\x1b[0mFF\n\x1b[1mH\x1b[0m") == "[S]FF\nH"


def test_frozen_lake_is_rendered_as_text_with_named_actions():
    env = make_environment("gymnasium:FrozenLake-v1")
    observation = env.reset(seed=0)
    assert observation.text.startswith("[S]FFF\nFHFH")
    assert [spec.name for spec in env.actions()] == ["left", "down", "right", "up"]


def test_renderer_hook_replaces_the_text():
    env = GymnasiumEnvironment(
        "CartPole-v1", renderer=lambda obs, info: f"pole angle {obs[2]:+.3f} rad"
    )
    assert env.reset(seed=1).text.startswith("pole angle ")
    result = env.step("push_left")
    assert result.observation.text.startswith("pole angle ") and result.raw_actions == [0]


def test_replay_restores_the_same_state_even_on_slippery_ice():
    moves = ["right", "right", "down", "down", "right", "down", "left", "up"]
    first = make_environment("gymnasium:FrozenLake-v1")
    first.reset(seed=5)
    raw, last = [], None
    for move in moves:
        result = first.step(move)
        raw += result.raw_actions
        last = result.observation.text
        if result.done:
            break
    second = make_environment("gymnasium:FrozenLake-v1")
    second.reset(seed=5)
    assert second.replay(raw).text == last
    assert second.steps_taken == len(raw)


def test_goal_tasks_are_checked_programmatically():
    env = GymnasiumEnvironment("FrozenLake-v1", is_slippery=False)
    env.reset(seed=0)
    for move in ["down", "down", "right", "right", "down"]:
        env.step(move)
    assert env.check("reach the goal") is False
    assert env.step("right").done and env.check("reach the goal") is True
    assert env.check("admire the view") is None


def test_continuous_action_spaces_and_missing_ids_are_refused_clearly():
    with pytest.raises(ValueError, match="Discrete action spaces only"):
        GymnasiumEnvironment("Pendulum-v1")
    with pytest.raises(ValueError, match="name a Gymnasium environment"):
        make_environment("gymnasium")


def test_describe_rounds_and_summarises_arrays():
    assert describe(np.array([0.12345, 1.0])) == "[0.123, 1.   ]"
    assert describe(np.zeros((10, 10))) == "array of shape (10, 10)"
    assert describe({"a": 1, "b": (2, 3)}) == "a: 1; b: (2, 3)"
