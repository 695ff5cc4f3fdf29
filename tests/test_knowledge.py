"""The decomposer: chains from rules as data, and the options the controller chooses among."""

from __future__ import annotations

import pytest

from agentkit.knowledge import (
    Knowledge,
    Need,
    Rule,
    Threat,
    Unreachable,
    chain,
    chain_for_rule,
    options,
)
from agentkit.knowledge.text import describe_holdings, describe_options, rule_line

# A small world in the shape of Crafter's: wood from trees, a table from wood, tools at it.
RULES = [
    Rule(name="collect wood", action="collect", argument="tree", gives={"wood": 1},
         achievement="collect_wood"),
    Rule(name="collect stone", action="collect", argument="stone", gives={"stone": 1},
         requires={"pickaxe": 1}, achievement="collect_stone"),
    Rule(name="place table", action="place", argument="table", consumes={"wood": 2},
         gives={"table": 1}, achievement="place_table"),
    Rule(name="make pickaxe", action="make", argument="pickaxe", consumes={"wood": 1},
         near=["table"], gives={"pickaxe": 1}, achievement="make_pickaxe"),
    Rule(name="make stone pickaxe", action="make", argument="stone_pickaxe",
         consumes={"wood": 1, "stone": 1}, near=["table"], gives={"stone_pickaxe": 1},
         achievement="make_stone_pickaxe"),
    Rule(name="drink water", action="collect", argument="water", gives={"drink": 1},
         achievement="collect_drink"),
    Rule(name="fight zombie", action="collect", argument="zombie",
         achievement="defeat_zombie"),
]  # fmt: skip
WORLD = Knowledge(
    rules=RULES,
    stations=["table"],
    needs=[Need(stat="drink", maximum=9, low=3, restored_by=["drink water"])],
    threats=[Threat(kind="zombie", answered_by=["fight zombie"])],
    goals=["collect_wood", "place_table", "make_pickaxe", "make_stone_pickaxe"],
)


def labels(steps):  # type: ignore[no-untyped-def]
    return [step.label for step in steps]


def test_stone_pickaxe_from_nothing_builds_tools_and_stations_first() -> None:
    steps = chain(WORLD, "stone_pickaxe", {})
    assert labels(steps) == [
        "collect wood x2",
        "place table",
        "collect wood",
        "make pickaxe",
        "collect stone",
        "collect wood",
        "make stone pickaxe",
    ]


def test_a_partial_inventory_shortens_the_chain() -> None:
    assert labels(chain(WORLD, "stone_pickaxe", {"wood": 1, "table": 1, "pickaxe": 1})) == [
        "collect stone",
        "make stone pickaxe",
    ]
    assert chain(WORLD, "pickaxe", {"pickaxe": 1}) == []
    # A table in reach counts: nothing is spent on a new one.
    assert labels(chain(WORLD, "pickaxe", {"table": 1})) == ["collect wood", "make pickaxe"]


def test_the_chain_for_a_rule_ends_with_it() -> None:
    steps = chain_for_rule(WORLD, WORLD.rule("place table"), {"wood": 1})
    assert labels(steps) == ["collect wood", "place table"]


def test_unreachable_goals_say_why() -> None:
    with pytest.raises(Unreachable, match="no rule gives diamond"):
        chain(WORLD, "diamond", {})
    loop = Knowledge(
        rules=[Rule(name="egg", action="a", gives={"egg": 1}, consumes={"hen": 1}),
               Rule(name="hen", action="a", gives={"hen": 1}, consumes={"egg": 1})],
    )  # fmt: skip
    with pytest.raises(Unreachable, match="needs itself"):
        chain(loop, "egg", {})


def test_the_cheapest_of_several_givers_is_chosen() -> None:
    world = Knowledge(
        rules=[
            *RULES,
            Rule(name="buy wood", action="trade", gives={"wood": 1}, consumes={"stone": 3}),
        ]
    )
    assert labels(chain(world, "wood", {})) == ["collect wood"]
    assert labels(chain(world, "wood", {"stone": 3, "pickaxe": 1})) == ["collect wood"]


def test_options_are_first_steps_with_the_goals_they_serve() -> None:
    found = options(WORLD, {"drink": 9}, WORLD.goals)
    assert [o.label for o in found] == ["collect wood"]
    assert found[0].serves == WORLD.goals  # every goal starts with wood
    found = options(WORLD, {"wood": 2, "drink": 9}, ["place_table", "make_stone_pickaxe"])
    assert {o.label for o in found} == {"place table"}


def test_low_vitals_come_first_and_threats_leave_only_survival() -> None:
    found = options(WORLD, {"drink": 2, "wood": 2}, WORLD.goals)
    assert found[0].label == "drink water"
    assert found[0].serves == ["drink 2/9"]
    assert "place table" in [o.label for o in found]
    found = options(WORLD, {"drink": 2, "zombie": 1, "wood": 2}, WORLD.goals)
    assert [o.label for o in found] == ["fight zombie", "drink water"]


def test_an_empty_vital_leads_even_a_threat() -> None:
    found = options(WORLD, {"drink": 0, "zombie": 1, "wood": 2}, WORLD.goals)
    assert [o.label for o in found] == ["drink water", "fight zombie"]
    assert found[0].serves == ["drink 0/9"]


def test_goals_wait_while_a_vital_is_empty() -> None:
    assert [o.label for o in options(WORLD, {"drink": 0, "wood": 2}, WORLD.goals)] == [
        "drink water"
    ]
    low = [o.label for o in options(WORLD, {"drink": 1, "wood": 2}, WORLD.goals)]
    assert low[0] == "drink water" and len(low) > 1  # low but not empty: goals stay on offer


def test_steps_that_open_more_goals_rank_higher() -> None:
    holdings = {"wood": 3, "drink": 9}
    found = options(WORLD, holdings, ["collect_drink", "place_table", "make_pickaxe"])
    assert [o.label for o in found] == ["place table", "drink water"]


def test_goals_no_chain_reaches_are_left_out() -> None:
    world = Knowledge(rules=[*RULES, Rule(name="fly", action="x", consumes={"wings": 1},
                                          achievement="fly")])  # fmt: skip
    assert options(world, {}, ["fly"]) == []


def test_text_for_the_model() -> None:
    assert rule_line(WORLD.rule("make stone pickaxe")) == (
        "- make stone pickaxe: spend wood, stone; near table -> stone_pickaxe"
    )
    assert rule_line(WORLD.rule("collect stone")) == "- collect stone: hold pickaxe -> stone"
    text = describe_holdings(WORLD, {"drink": 4, "wood": 2, "table": 1, "zombie": 1})
    assert text == "drink 4/9; holding: 2 wood"
    assert describe_options(options(WORLD, {"drink": 9}, ["place_table"])) == (
        "- collect wood: for place_table"
    )


def test_an_answer_that_failed_holds_no_goal_back() -> None:
    threatened = {"zombie": 1, "wood": 2, "drink": 9}
    assert labels(options(WORLD, threatened, WORLD.goals)) == ["fight zombie"]
    found = options(WORLD, threatened, WORLD.goals, failed={"fight zombie"})
    assert labels(found)[0] == "fight zombie" and "place table" in labels(found)
    # likewise an empty vital that could not be restored
    parched = {"drink": 0, "wood": 2}
    assert "place table" in labels(options(WORLD, parched, WORLD.goals, failed={"drink water"}))
    # one answer left untried is still the only way
    both = {"drink": 0, "zombie": 1, "wood": 2}
    assert labels(options(WORLD, both, WORLD.goals, failed={"drink water"})) == [
        "drink water",
        "fight zombie",
    ]
