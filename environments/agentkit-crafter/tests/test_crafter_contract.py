"""Crafter against the environment contract, the knowledge contract included."""

from __future__ import annotations

from agentkit.knowledge import chain
from agentkit.testing.contracts import EnvironmentContract

from agentkit_crafter import CrafterEnvironment


class TestCrafterContract(EnvironmentContract):
    entry_point = "crafter"
    registered_name = "crafter"
    walk_steps = 20

    def make_environment(self) -> CrafterEnvironment:
        # Unmasked, so every action family is listed in every state.
        return CrafterEnvironment(render=False, mask=False, length=500)


def labels(steps):  # type: ignore[no-untyped-def]
    return [step.label for step in steps]


def test_crafter_chains_for_the_pickaxes_follow_data_yaml() -> None:
    knowledge = CrafterEnvironment(render=False).knowledge()
    assert labels(chain(knowledge, "wood_pickaxe", {})) == [
        "collect wood x2",  # data.yaml: a table spends 2 wood
        "place table",
        "collect wood",
        "make wood_pickaxe",
    ]
    assert labels(chain(knowledge, "stone_pickaxe", {})) == [
        "collect wood x2",
        "place table",
        "collect wood",
        "make wood_pickaxe",
        "collect stone",
        "collect wood",
        "make stone_pickaxe",
    ]
    partial = {"wood": 1, "wood_pickaxe": 1, "table": 1}
    assert labels(chain(knowledge, "stone_pickaxe", partial)) == [
        "collect stone",
        "make stone_pickaxe",
    ]
    assert labels(chain(knowledge, "iron_pickaxe", {"wood_pickaxe": 1, "stone_pickaxe": 1,
                                                   "table": 1}))[-1] == "make iron_pickaxe"
