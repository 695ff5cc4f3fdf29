"""check() maps task text to Crafter achievements and reads them from the episode."""

from __future__ import annotations

import pytest

from agentkit_crafter import CrafterEnvironment
from agentkit_crafter.achievements import ACHIEVEMENTS, achievements_in


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("collect wood", ["collect_wood"]),
        ("collect_wood", ["collect_wood"]),
        ("Collect Wood", ["collect_wood"]),
        ("place a table", ["place_table"]),
        ("make a wood pickaxe", ["make_wood_pickaxe"]),
        ("Craft a wooden pick-axe.", ["make_wood_pickaxe"]),
        ("eat cow", ["eat_cow"]),
        ("defeat zombie", ["defeat_zombie"]),
        ("kill two zombies", ["defeat_zombie"]),
        ("drink water", ["collect_drink"]),
        ("plant a sapling", ["place_plant"]),
        ("wake up", ["wake_up"]),
        ("make a stone sword", ["make_stone_sword"]),
        ("collect wood and place a table", ["collect_wood", "place_table"]),
        ("survive as long as you can", []),
    ],
)
def test_task_text_names_achievements(text: str, names: list[str]) -> None:
    assert achievements_in(text) == names


def test_every_achievement_name_maps_to_itself() -> None:
    assert len(ACHIEVEMENTS) == 22
    for name in ACHIEVEMENTS:
        assert achievements_in(name) == [name]
        assert achievements_in(name.replace("_", " ").title()) == [name]


def test_check_follows_the_episode() -> None:
    env = CrafterEnvironment(render=False)
    env.reset(seed=1)
    assert env.check("collect wood") is False
    assert env.check("explore the world") is None
    env.step("goto", "tree")
    env.step("interact", "tree")
    assert env.check("Collect Wood") is True
    assert env.check("collect wood and place a table") is False  # needs both
    env.reset(seed=1)
    assert env.check("collect wood") is False  # a new episode starts empty
