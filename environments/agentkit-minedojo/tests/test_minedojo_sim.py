"""Against the real MineDojo simulator: runs only where it can start.

MineDojo's first reset builds its Forge mod with gradle, which needs Java 8 and network
access and no longer resolves upstream (MineDojo issues 113, 117, 138), so this test is
skipped, with the problems ``simulator_status()`` finds, unless it finds everything in place
or ``AGENTKIT_MINEDOJO_SIM=1`` asks to try. CI never runs gradle: ``make test`` deselects the
``minedojo_sim`` marker (the Makefile says why) rather than counting a skip.
"""

from __future__ import annotations

import pytest

from agentkit_minedojo import MineDojoEnvironment, simulator_status
from agentkit_minedojo.simulator import FORCE_ENV_VAR, forced

pytestmark = pytest.mark.minedojo_sim


@pytest.fixture(scope="module")
def status():
    found = simulator_status()
    if not found.ok and not forced():
        pytest.skip(
            f"MineDojo's simulator cannot start here (set {FORCE_ENV_VAR}=1 to try): "
            + "; ".join(found.problems)
        )
    return found


def test_harvest_episode_steps_and_replays(status) -> None:
    env = MineDojoEnvironment(task="harvest_1_log", image_size=(64, 96), seed=0)
    try:
        first = env.reset(seed=0)
        assert first.text and first.images["rgb"].shape == (64, 96, 3)
        raw = []
        for action, argument in [("turn", "right"), ("move_forward", "5"), ("attack", "3")]:
            result = env.step(action, argument)
            assert result.ok, result.feedback
            raw += result.raw_actions
        assert env.steps_taken == len(raw) == 9
        assert env.check("harvest_1_log") in (True, False)
        replayed = env.reset(seed=0)
        assert replayed.text.splitlines()[0] == first.text.splitlines()[0]
        env.replay(raw)
        assert env.steps_taken == len(raw)
    finally:
        env.close()
