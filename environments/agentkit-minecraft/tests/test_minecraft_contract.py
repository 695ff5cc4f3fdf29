"""agentkit's environment contract, against the stand-ins (fast) and the real programs (slow).

The live run keeps the random walks short (one walk of three steps): every primitive takes
seconds in a real world, and each reset starts a fresh test server.
"""

from __future__ import annotations

import random

import pytest
from agentkit.environment import ActionSpec
from agentkit.testing.contracts import EnvironmentContract
from minecraft_helpers import live_missing, use_fakes

from agentkit_minecraft import MinecraftEnvironment
from agentkit_minecraft.actions import ACTIONS

# Arguments that make sense in a fresh world (the contract's default "test" names nothing).
ARGUMENTS = {
    "mine": "dirt", "craft": "oak_planks", "place": "dirt", "smelt": "raw_iron",
    "kill": "pig", "explore": "grass_block", "deposit": "dirt 1", "withdraw": "dirt 1",
    "chat": "hello",
}


class MinecraftContract(EnvironmentContract):
    entry_point = "minecraft"
    registered_name = "minecraft"

    def make_environment(self) -> MinecraftEnvironment:
        return MinecraftEnvironment()

    def sample_argument(self, spec: ActionSpec, rng: random.Random) -> str | None:
        return ARGUMENTS.get(spec.name, "dirt")

    def knowledge_actions(self, env: MinecraftEnvironment) -> set[str]:
        # smelt and place are masked until something smeltable or placeable is held, which
        # a short random walk rarely reaches: every action the adapter defines counts.
        return set(ACTIONS)


class TestMinecraftContractWithStandIns(MinecraftContract):
    @pytest.fixture(autouse=True)
    def _stand_ins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        use_fakes(monkeypatch)


@pytest.mark.slow
@pytest.mark.skipif(live_missing() is not None, reason=str(live_missing()))
class TestMinecraftContractLive(MinecraftContract):
    walks = 1
    walk_steps = 3
