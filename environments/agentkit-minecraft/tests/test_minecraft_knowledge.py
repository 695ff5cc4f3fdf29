"""Minecraft's rules from minecraft-data, and the decomposer planning from them (no server).

The knowledge contract: every rule names real items and blocks (or the wood groups ``log``
and ``planks``, whose members are real), uses an action the adapter defines with an
argument its parser accepts, and every goal is checkable. Then the decomposer's chains for
the wooden and stone pickaxes from an empty inventory and from partial ones.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from agentkit.knowledge import chain, options
from agentkit.knowledge.text import describe_rules
from minecraft_helpers import use_fakes

from agentkit_minecraft import MinecraftEnvironment
from agentkit_minecraft.actions import ACTIONS, to_call
from agentkit_minecraft.knowledge import (
    GROUPS,
    SMELTING,
    group_holdings,
    minecraft_knowledge,
)
from agentkit_minecraft.names import DATA_DIR, data_paths, game_names
from agentkit_minecraft.processes import JS_DIR

VERSION = "1.20.4"
NAMES = game_names(VERSION)
pytestmark = pytest.mark.skipif(
    NAMES is None, reason="minecraft-data is not installed (agentkit minecraft setup)"
)


def knowledge():  # type: ignore[no-untyped-def]
    found = minecraft_knowledge(VERSION)
    assert found is not None
    return found


def labels(steps: Any) -> list[str]:
    return [step.label for step in steps]


def _data(kind: str) -> Any:
    with (DATA_DIR / data_paths()[VERSION][kind] / f"{kind}.json").open() as handle:
        return json.load(handle)


# -- the contract


def test_every_name_is_a_real_item_or_block_or_a_wood_group_of_real_items() -> None:
    assert NAMES is not None
    real = NAMES.items | NAMES.blocks
    assert {n for n in NAMES.items if n.endswith("_log")} and "oak_planks" in NAMES.items
    for rule in knowledge().rules:
        for name in [*rule.gives, *rule.consumes, *rule.requires, *rule.near]:
            assert name in real or name in GROUPS, f"{rule.name}: {name!r} is not an item"
        assert rule.argument in real or rule.argument in GROUPS, rule.name


def test_every_rule_is_an_action_the_adapter_defines_with_an_argument_it_parses() -> None:
    inventory = {"oak_log": 2, "oak_planks": 4, "coal": 1}
    for rule in knowledge().rules:
        assert rule.action in ACTIONS, rule.name
        call = to_call(rule.action, rule.argument, names=NAMES, inventory=inventory,
                       timeout_s=60, nearby=["birch_log", "oak_log"])
        assert call.primitive in ("mineBlock", "craftItem", "smeltItem", "placeItem")


def test_recipes_tables_and_tool_tiers_come_from_minecraft_data() -> None:
    k = knowledge()
    assert k.rule("craft planks").consumes == {"log": 1}
    assert k.rule("craft planks").gives == {"planks": 4}
    assert k.rule("craft planks").near == []  # 2x2: the inventory grid
    assert k.rule("craft crafting_table").near == [] and k.rule("craft stick").near == []
    assert k.rule("craft stick").gives == {"stick": 4}
    for item in ("wooden_pickaxe", "stone_pickaxe", "furnace", "iron_pickaxe"):
        assert k.rule(f"craft {item}").near == ["crafting_table"], item  # 3x3
    assert k.rule("craft stone_pickaxe").consumes == {"cobblestone": 3, "stick": 2}
    assert k.rule("craft furnace").consumes == {"cobblestone": 8}
    assert k.rule("mine log").requires == {}
    assert k.rule("mine stone").gives == {"cobblestone": 1}  # blocks.json: stone drops it
    assert k.rule("mine stone").requires == {"wooden_pickaxe": 1}
    assert k.rule("mine iron_ore").gives == {"raw_iron": 1}
    assert k.rule("mine iron_ore").requires == {"stone_pickaxe": 1}
    # a better pickaxe does too (harvestTools lists every tier): the decomposer takes
    # whichever is held
    assert k.rule("mine stone with stone_pickaxe").requires == {"stone_pickaxe": 1}
    names = {r.name for r in k.rules}
    assert "mine iron_ore with wooden_pickaxe" not in names
    # an iron pickaxe is the tree's last goal, never the only pickaxe held: no such variant
    assert "mine stone with iron_pickaxe" not in names
    blocks = {b["name"]: b for b in _data("blocks")}
    items = {i["id"]: i["name"] for i in _data("items")}
    assert {items[int(t)] for t in blocks["iron_ore"]["harvestTools"]} >= {
        "stone_pickaxe", "iron_pickaxe"} and "wooden_pickaxe" not in {
        items[int(t)] for t in blocks["iron_ore"]["harvestTools"]}


def test_the_stated_smelting_is_the_test_servers_own_table() -> None:
    table = (JS_DIR / "server" / "lib" / "smelting.js").read_text()
    for raw, product in SMELTING.items():
        assert re.search(rf"\b{raw}: '{product}'", table), f"{raw} -> {product}"
    smelt = knowledge().rule("smelt raw_iron")
    assert smelt.consumes == {"raw_iron": 1, "coal": 1} and smelt.near == ["furnace"]
    assert smelt.gives == {"iron_ingot": 1}
    assert knowledge().rule("smelt raw_iron with planks").consumes == {"raw_iron": 1,
                                                                       "planks": 1}


def test_only_the_relevant_rules_are_kept_and_the_prompt_stays_short() -> None:
    recipes = sum(len(v) for v in _data("recipes").values())
    k = knowledge()
    assert recipes > 1000 and len(k.rules) <= 20
    assert {r.argument for r in k.rules if r.action == "craft"} == {
        "planks", "stick", "crafting_table", "wooden_pickaxe", "stone_pickaxe", "furnace",
        "iron_pickaxe"}
    # iron_block -> iron_ingot is a detour through the ingot itself; nuggets cannot be had
    assert [r.name for r in k.rules if "iron_ingot" in r.gives] == [
        "smelt raw_iron", "smelt raw_iron with planks", "smelt raw_iron with log"]
    assert len(describe_rules(k)) < 1700  # about 450 tokens
    assert k.goals == ["log", "planks", "crafting_table", "stick", "wooden_pickaxe",
                       "cobblestone", "stone_pickaxe", "furnace", "iron_ore", "iron_ingot",
                       "iron_pickaxe"]
    assert k.stations == ["crafting_table", "furnace"]


def test_the_decomposer_is_fast_on_these_rules() -> None:
    k = knowledge()
    started = time.perf_counter()
    for _ in range(20):
        chain(k, "iron_pickaxe", {})
        options(k, {}, k.goals)
    assert (time.perf_counter() - started) / 20 < 0.05


# -- the decomposer on Minecraft's rules

WOODEN = [
    "mine log",
    "craft planks",
    "craft crafting_table",
    "mine log",
    "craft planks",
    "craft stick",
    "mine log",
    "craft planks",
    "craft wooden_pickaxe",
]


def test_chain_for_a_wooden_pickaxe_from_nothing() -> None:
    # 4 planks for the table, 2 for sticks, 3 for the pickaxe: three logs
    assert labels(chain(knowledge(), "wooden_pickaxe", {})) == WOODEN


def test_chain_for_a_stone_pickaxe_from_nothing() -> None:
    assert labels(chain(knowledge(), "stone_pickaxe", {})) == [
        *WOODEN, "mine stone x3", "craft stone_pickaxe"]


def test_chains_from_a_partial_inventory() -> None:
    k = knowledge()
    holding = {"planks": 4, "crafting_table": 1}  # a table in reach, four planks
    assert labels(chain(k, "wooden_pickaxe", holding)) == [
        "craft stick", "mine log", "craft planks", "craft wooden_pickaxe"]
    assert labels(chain(k, "stone_pickaxe", holding)) == [
        "craft stick", "mine log", "craft planks", "craft wooden_pickaxe", "mine stone x3",
        "craft stone_pickaxe"]
    ready = {"wooden_pickaxe": 1, "stick": 2, "crafting_table": 1, "cobblestone": 1}
    assert labels(chain(k, "stone_pickaxe", ready)) == ["mine stone x2", "craft stone_pickaxe"]
    # only a stone pickaxe held: the decomposer mines with it, no new wooden one
    assert labels(chain(k, "cobblestone", {"stone_pickaxe": 1})) == [
        "mine stone with stone_pickaxe"]


def test_chain_for_the_iron_pickaxe_smelts_with_the_fuel_held() -> None:
    k = knowledge()
    steps = labels(chain(k, "iron_pickaxe", {
        "stone_pickaxe": 1, "wooden_pickaxe": 1, "crafting_table": 1, "furnace": 1,
        "stick": 2, "planks": 3}))
    assert steps == ["mine iron_ore", "smelt raw_iron with planks"] * 3 + ["craft iron_pickaxe"]
    with_coal = labels(chain(k, "iron_ingot", {"raw_iron": 1, "coal": 1, "furnace": 1}))
    assert with_coal == ["smelt raw_iron"]


# -- holdings, goals and options in the adapter (no server: the observation is set)


def env_seeing(observation: dict[str, Any]) -> MinecraftEnvironment:
    env = MinecraftEnvironment()
    env._observation = observation
    return env


def test_holdings_group_wood_and_count_stations_in_view() -> None:
    env = env_seeing({
        "inventory": {"oak_log": 2, "birch_log": 1, "oak_planks": 3, "birch_planks": 2,
                      "stick": 4},
        "equipment": {"hand": "stick"},
        "nearby_blocks": ["grass_block", "crafting_table", "oak_log"],
    })
    assert env.holdings() == {"log": 3, "planks": 3, "stick": 4, "crafting_table": 1}
    assert group_holdings({"oak_planks": 0, "stripped_oak_log": 1}) == {"stripped_oak_log": 1}


def test_goals_in_reads_tasks_as_the_check_does() -> None:
    env = MinecraftEnvironment()
    assert env.goals_in("craft a wooden pickaxe") == ["wooden_pickaxe"]
    assert env.goals_in("Make a wood pick-axe") == ["wooden_pickaxe"]
    assert env.goals_in("mine 3 oak logs") == ["log"]
    assert env.goals_in("mine iron ore") == ["iron_ore"]
    assert env.goals_in("smelt an iron ingot") == ["iron_ingot"]
    assert env.goals_in("craft a stone pickaxe and a furnace") == ["stone_pickaxe", "furnace"]
    assert env.goals_in("build a house") == []
    for goal in knowledge().goals:
        assert env.check(goal) is not None


def _feasible(env: MinecraftEnvironment, goals: list[str]) -> list[str]:
    """The option labels the act node would offer (its action mask, agentkit.nodes.choose)."""
    specs = {spec.name: spec for spec in env.actions()}
    found = options(knowledge(), env.holdings(), goals)
    return [
        o.label for o in found
        if o.rule.action in specs and (
            o.rule.argument is None or specs[o.rule.action].choices is None
            or o.rule.argument in specs[o.rule.action].choices)
    ]


def test_the_first_step_of_each_chain_is_an_action_the_world_offers_now() -> None:
    fresh = env_seeing({"inventory": {}, "nearby_blocks": ["grass_block", "dirt"],
                        "craftable": []})
    assert _feasible(fresh, ["wooden_pickaxe"]) == ["mine log"]  # no tree in view: explores
    logs = env_seeing({"inventory": {"birch_log": 3}, "nearby_blocks": ["birch_log"],
                       "craftable": ["birch_planks"]})
    assert _feasible(logs, ["wooden_pickaxe"]) == ["craft planks"]
    table = env_seeing({"inventory": {"birch_planks": 3, "stick": 2},
                        "nearby_blocks": ["crafting_table"],
                        "craftable": ["birch_planks", "stick", "wooden_pickaxe"]})
    assert _feasible(table, ["wooden_pickaxe"]) == ["craft wooden_pickaxe"]
    pick = env_seeing({"inventory": {"wooden_pickaxe": 1}, "nearby_blocks": ["grass_block"],
                       "craftable": []})
    assert _feasible(pick, ["cobblestone"]) == ["mine stone"]  # stone out of sight
    iron = env_seeing({"inventory": {"raw_iron": 1, "coal": 2, "furnace": 1},
                       "nearby_blocks": [], "craftable": []})
    assert _feasible(iron, ["iron_ingot"]) == ["smelt raw_iron"]


def test_a_mine_step_explores_when_none_is_within_reach_and_replays(monkeypatch) -> None:
    use_fakes(monkeypatch)
    env = MinecraftEnvironment()
    env.reset(seed=3)
    try:
        result = env.step("mine", "iron_ore")
        assert result.ok, result.feedback
        assert [raw["act"] for raw in result.raw_actions] == [
            "mineBlock", "exploreUntil", "mineBlock"]
        assert [bool(raw.get("follows")) for raw in result.raw_actions] == [False, True, True]
        assert "No iron_ore within 32 blocks" in result.feedback
        assert env.metrics()["milestones"] == {"mine iron ore": 1}  # one step, three calls
        assert env.metrics()["env_steps"] == 3
        raw = list(result.raw_actions)
        env.reset(seed=3)
        env.replay(raw)
        assert env.holdings()["raw_iron"] == 1
        assert env.metrics()["milestones"] == {"mine iron ore": 1}
        nothing = env.step("mine", "diamond_ore")  # exploring finds none: the step fails
        assert not nothing.ok and len(nothing.raw_actions) == 2
    finally:
        env.close()
