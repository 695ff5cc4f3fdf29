"""Structured actions compile into the expected MultiDiscrete vector sequences."""

from __future__ import annotations

import math

import pytest

from agentkit_minedojo.structured import (
    ActionError,
    compile_attack,
    compile_craft,
    compile_inventory_action,
    compile_jump,
    compile_look,
    compile_move,
    compile_turn,
    compile_use,
    find_slot,
    look_angles,
    parse_count,
    parse_turn,
    wrap_degrees,
)

NOOP = [0, 0, 0, 12, 12, 0, 0, 0]


def test_moves_jumps_attacks_and_uses(codec) -> None:
    assert compile_move(codec, "forward", 3) == [[1, 0, 0, 12, 12, 0, 0, 0]] * 3
    assert compile_move(codec, "back") == [[2, 0, 0, 12, 12, 0, 0, 0]]
    assert compile_move(codec, "left") == [[0, 1, 0, 12, 12, 0, 0, 0]]
    assert compile_move(codec, "right", jump=True) == [[0, 2, 1, 12, 12, 0, 0, 0]]
    assert compile_jump(codec) == [[0, 0, 1, 12, 12, 0, 0, 0]]
    assert compile_jump(codec, 2, forward=True) == [[1, 0, 1, 12, 12, 0, 0, 0]] * 2
    assert compile_attack(codec, 2) == [[0, 0, 0, 12, 12, 3, 0, 0]] * 2
    assert compile_use(codec) == [[0, 0, 0, 12, 12, 1, 0, 0]]
    with pytest.raises(ActionError, match="direction must be one of"):
        compile_move(codec, "up")


def test_turns_split_into_15_degree_bins(codec) -> None:
    assert compile_turn(codec, yaw=90) == [[0, 0, 0, 12, 18, 0, 0, 0]]
    assert compile_turn(codec, yaw=-45, pitch=30) == [[0, 0, 0, 14, 9, 0, 0, 0]]
    assert compile_turn(codec, yaw=180) == [[0, 0, 0, 12, 24, 0, 0, 0]]
    assert compile_turn(codec, yaw=270) == [[0, 0, 0, 12, 6, 0, 0, 0]]  # the short way: -90
    assert compile_turn(codec, yaw=20) == [[0, 0, 0, 12, 13, 0, 0, 0]]  # rounded to 15
    assert compile_turn(codec, yaw=5) == []
    # Pitch stays within [-90, 90]: from 60 down, only 30 more degrees are possible.
    assert compile_turn(codec, pitch=90, current_pitch=60) == [[0, 0, 0, 14, 12, 0, 0, 0]]
    assert compile_turn(codec, pitch=-180, current_pitch=90) == [[0, 0, 0, 0, 12, 0, 0, 0]]


def test_parse_turn_and_counts() -> None:
    assert parse_turn("left") == (-90.0, 0.0)
    assert parse_turn("around") == (180.0, 0.0)
    assert parse_turn("down") == (0.0, 30.0)
    assert parse_turn("45") == (45.0, 0.0)
    assert parse_turn("-30, 15") == (-30.0, 15.0)
    assert parse_turn("pitch=-15 yaw=60") == (60.0, -15.0)
    with pytest.raises(ActionError, match="turn needs an argument"):
        parse_turn("")
    with pytest.raises(ActionError, match="cannot read turn 'sideways'"):
        parse_turn("sideways")
    assert parse_count(None) == 1 and parse_count("5") == 5
    with pytest.raises(ActionError, match="expected a number of steps, not 'test'"):
        parse_count("test")
    with pytest.raises(ActionError, match="must be in 1..200"):
        parse_count("0")


def test_look_angles_follow_minecraft() -> None:
    eye = (0.5, 65.62, 0.5)
    yaw, pitch = look_angles(eye, (0.5, 65.62, 5.5))
    assert (round(yaw), round(pitch)) == (0, 0)  # south is yaw 0
    assert round(look_angles(eye, (-4.5, 65.62, 0.5))[0]) == 90  # west
    assert abs(round(look_angles(eye, (0.5, 65.62, -4.5))[0])) == 180  # north
    assert round(look_angles(eye, (5.5, 65.62, 0.5))[0]) == -90  # east
    assert round(look_angles(eye, (0.5, 63.5, 0.5 + 1e-9))[1]) == 90  # straight down
    _, pitch = look_angles(eye, (0.5, 64.62, 1.5))
    assert math.isclose(pitch, 45)
    assert wrap_degrees(190) == -170 and wrap_degrees(-180) == 180


def test_look_compiles_relative_to_the_current_view(codec) -> None:
    # From yaw 170 to yaw -170 is a 20-degree right turn, not 340 left.
    assert compile_look(codec, -170, None, 170, 0) == [[0, 0, 0, 12, 13, 0, 0, 0]]
    assert compile_look(codec, None, 90, 0, 0) == [[0, 0, 0, 18, 12, 0, 0, 0]]


def test_craft_uses_the_index_in_all_craft_smelt_items(codec) -> None:
    index = codec.metadata.craft_smelt_items.index("crafting_table")
    assert compile_craft(codec, "crafting_table") == [[0, 0, 0, 12, 12, 4, index, 0]]
    assert compile_craft(codec, "crafting table") == [[0, 0, 0, 12, 12, 4, index, 0]]
    with pytest.raises(ActionError, match="unknown MineDojo item 'craftingtable'"):
        compile_craft(codec, "craftingtable")


def test_equip_and_place_find_the_slot_by_name(codec) -> None:
    names = ["air"] * 36
    names[4] = "wooden pickaxe"
    names[7] = "crafting table"
    assert find_slot(names, "crafting_table") == 7
    assert compile_inventory_action(codec, "equip", "wooden_pickaxe", names) == [
        [0, 0, 0, 12, 12, 5, 0, 4]
    ]
    assert compile_inventory_action(codec, "place", "crafting table", names) == [
        [0, 0, 0, 12, 12, 6, 0, 7]
    ]
    with pytest.raises(
        ActionError,
        match="no stone pickaxe in the inventory \\(it holds crafting table, wooden pickaxe\\)",
    ):
        compile_inventory_action(codec, "equip", "stone_pickaxe", names)
    with pytest.raises(ActionError, match="unknown MineDojo item 'diamond_sord'.*diamond_sword"):
        compile_inventory_action(codec, "equip", "diamond_sord", names)
    with pytest.raises(ActionError, match="unknown MineDojo item 'air'"):
        compile_inventory_action(codec, "place", "air", names)
