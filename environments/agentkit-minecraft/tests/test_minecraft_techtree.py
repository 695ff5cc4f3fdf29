"""The tech-tree suite and task phrasings read as what the bot must have held."""

from __future__ import annotations

import pytest

from agentkit_minecraft.names import game_names
from agentkit_minecraft.techtree import TECH_TREE, Progress, requirements

ITEMS = game_names("1.20.4").items


def labels(task: str) -> list[tuple[str, int]]:
    return [(req.label, req.count) for req in requirements(task, ITEMS)]


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("craft a wooden pickaxe", [("wooden_pickaxe", 1)]),
        ("Craft a wood pick-axe", [("wooden_pickaxe", 1)]),
        ("make a Wooden_Pickaxe", [("wooden_pickaxe", 1)]),
        ("mine a log", [("log", 1)]),
        ("collect wood", [("log", 1)]),
        ("mine 3 oak logs", [("oak_log", 3)]),
        ("craft four planks", [("planks", 4)]),
        ("craft a crafting table", [("crafting_table", 1)]),
        ("mine stone", [("cobblestone", 1)]),
        ("craft a stone pickaxe", [("stone_pickaxe", 1)]),
        ("smelt an iron ingot", [("iron_ingot", 1)]),
        ("mine iron ore", [("iron ore", 1)]),
        ("obtain 2 torches", [("torch", 2)]),
        ("mine a log and craft planks", [("log", 1), ("planks", 1)]),
        ("build a house", []),
        ("kill a pig", []),
    ],
)
def test_phrasings(task: str, expected: list[tuple[str, int]]) -> None:
    assert labels(task) == expected


def test_every_suite_task_names_its_own_requirement() -> None:
    for task, requirement in TECH_TREE:
        assert requirements(task, ITEMS) == [requirement], task
        assert requirements(task) == [requirement], f"{task} without the game's item list"


def test_progress_remembers_what_was_held() -> None:
    progress = Progress()
    assert progress.record({}, 0) == []
    assert progress.record({"birch_log": 1}, 1) == ["mine a log"]
    assert progress.record({"birch_planks": 4}, 2) == ["craft planks"]  # the log is gone
    assert progress.reached == {"mine a log": 1, "craft planks": 2}
    assert all(progress.ever(req) for req in requirements("mine a log and craft planks"))
    assert not progress.ever(requirements("mine 2 logs")[0])
