"""Situational argument choices: what is seen and held becomes the decoder's options."""

from __future__ import annotations

from agentkit_minecraft.actions import ActionError, action_specs, to_call
from agentkit_minecraft.choices import situational_specs
from agentkit_minecraft.names import game_names

NAMES = game_names("1.20.4")
SEEN = {
    "inventory": {"birch_log": 2, "crafting_table": 1, "raw_iron": 3, "dirt": 5},
    "nearby_blocks": ["grass_block", "short_grass", "dirt", "oak_leaves", "stone", "birch_log"],
    "nearby_entities": {"pig": 4.0, "Steve": 2.0, "item": 1.0},
}


def _choices(observation):
    mobs = NAMES.entities if NAMES else None
    return {s.name: s.choices for s in situational_specs(action_specs(), observation, mobs)}


def test_choices_come_from_what_is_seen_and_held_resources_first():
    choices = _choices(SEEN)
    # and what stone drops; "log" (any log) after the first log
    assert choices["mine"][:4] == ["stone", "cobblestone", "birch_log", "log"]
    assert "short_grass" not in choices["mine"] and "oak_leaves" not in choices["mine"]
    assert choices["craft"][:2] == ["birch_planks", "planks"]  # planks: of the logs held
    assert "wooden_pickaxe" in choices["craft"]
    assert "crafting_table" not in choices["craft"]  # held already: one is enough
    assert choices["place"] == ["crafting_table"]
    assert choices["smelt"] == ["raw_iron"]
    assert choices["kill"] == ["pig"]  # not the player Steve, not item entities
    assert choices["chat"] is None  # free text, offered since the player Steve is near
    assert "deposit" not in choices and "withdraw" not in choices  # no chest known


def test_actions_that_cannot_succeed_now_are_masked_and_mine_keeps_free_text():
    seen = {"inventory": {}, "nearby_blocks": [], "nearby_entities": {}, "craftable": []}
    choices = _choices(seen)
    assert sorted(choices) == ["explore", "mine"]  # alone: no chat
    assert choices["mine"] is None  # nothing in view: free text
    with_chest = _choices({**seen, "chests": {"(1, 64, 2)": {"dirt": 1}}})
    assert "deposit" in with_chest and "withdraw" in with_chest


def test_the_bridges_craftable_list_is_the_craft_choice():
    choices = _choices({**SEEN, "craftable": ["birch_planks", "stick"]})
    assert choices["craft"] == ["birch_planks", "planks", "stick"]
    assert _choices(SEEN)["craft"][0] == "birch_planks"  # without it: the tech tree


def test_stations_and_tools_held_or_in_view_are_not_offered_again_materials_are():
    seen = {**SEEN, "inventory": {"oak_planks": 8, "stick": 4, "wooden_pickaxe": 1},
            "craftable": ["oak_planks", "stick", "crafting_table", "wooden_pickaxe",
                          "wooden_sword", "furnace"]}
    # stick is held but a material: still offered, after the items not held yet
    assert _choices(seen)["craft"] == ["crafting_table", "wooden_sword", "furnace",
                                       "oak_planks", "planks", "stick"]
    placed = {**seen, "nearby_blocks": [*SEEN["nearby_blocks"], "crafting_table", "furnace"]}
    assert _choices(placed)["craft"] == ["wooden_sword", "oak_planks", "planks", "stick"]


def test_every_choice_is_an_argument_the_parser_accepts():
    for spec in situational_specs(action_specs(), SEEN, NAMES.entities if NAMES else None):
        for choice in spec.choices or []:
            try:
                call = to_call(spec.name, choice, names=NAMES, inventory=SEEN["inventory"],
                               timeout_s=10)
            except ActionError as error:  # pragma: no cover - the assertion names the pair
                raise AssertionError(f"{spec.name} {choice!r}: {error}") from error
            assert call.primitive


def test_blocks_the_rules_name_are_offered_to_mine_when_none_is_in_view():
    seen = {"inventory": {"wooden_pickaxe": 1}, "nearby_blocks": ["dirt", "oak_log"],
            "nearby_entities": {}}
    mobs = NAMES.entities if NAMES else None
    specs = situational_specs(action_specs(), seen, mobs, findable=["log", "stone"])
    mine = next(spec for spec in specs if spec.name == "mine")
    assert mine.choices == ["oak_log", "log", "dirt", "stone"]  # seen first, then findable
