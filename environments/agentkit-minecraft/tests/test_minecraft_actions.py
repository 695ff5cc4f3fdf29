"""Select-mode arguments become primitive calls, and bad ones explain themselves."""

from __future__ import annotations

import pytest

from agentkit_minecraft.actions import (
    ACTIONS,
    ActionError,
    action_specs,
    parse_item_counts,
    parse_name_count,
    pick_fuel,
    to_call,
)
from agentkit_minecraft.names import game_names

NAMES = game_names("1.20.4")


def call(action: str, argument: str | None, inventory: dict[str, int] | None = None):
    return to_call(action, argument, names=NAMES, inventory=inventory or {}, timeout_s=120)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oak_log", ("oak_log", 1, [])),
        ("oak_log 3", ("oak_log", 3, [])),
        ("3 oak_log", ("oak_log", 3, [])),
        ("Oak Log x3", ("oak_log", 3, [])),
        ("minecraft:oak_log*2", ("oak_log", 2, [])),
        ("raw_iron 2 coal", ("raw_iron", 2, ["coal"])),
    ],
)
def test_name_and_count(text: str, expected: tuple[str, int, list[str]]) -> None:
    assert parse_name_count(text, "item") == expected


@pytest.mark.parametrize("text", ["", "   ", "3", "oak_log 0", "oak_log 65"])
def test_bad_name_or_count(text: str) -> None:
    with pytest.raises(ActionError):
        parse_name_count(text, "item")


def test_item_lists() -> None:
    assert parse_item_counts("cobblestone 4, dirt; cobblestone 1") == {"cobblestone": 5, "dirt": 1}
    with pytest.raises(ActionError):
        parse_item_counts(" , ")


def test_calls_as_the_bridge_takes_them() -> None:
    assert call("mine", "oak_log 3").raw() == {"act": "mineBlock", "args": ["oak_log", 3]}
    assert call("mine", "cobblestone 2").args == ["stone", 2]  # dig stone to get cobblestone
    assert call("craft", "wooden_pickaxe").raw() == {
        "act": "craftItem", "args": ["wooden_pickaxe", 1]}
    assert call("place", "crafting_table").args == ["crafting_table"]
    assert call("kill", "pig").args == ["pig", 115]
    assert call("explore", "iron_ore").args == ["iron_ore", 60]
    assert call("deposit", "cobblestone 4, dirt 2").raw() == {
        "act": "depositItemIntoChest", "args": [{"cobblestone": 4, "dirt": 2}]}
    assert call("withdraw", "oak_log").args == [{"oak_log": 1}]
    assert call("chat", "hello there").args == ["hello there"]
    assert call("MINE", "oak_log").primitive == "mineBlock"
    command = to_call("chat", "/time set day", names=NAMES, inventory={}, timeout_s=60,
                      allow_commands=True)
    assert command.args == ["/time set day"]


def test_smelt_fuel_from_the_argument_or_the_inventory() -> None:
    assert call("smelt", "raw_iron 2 coal").args == ["raw_iron", "coal", 2]
    assert call("smelt", "iron_ingot", {"oak_planks": 5}).args == ["raw_iron", "oak_planks", 1]
    assert call("smelt", "raw_iron", {"charcoal": 1, "oak_log": 3}).args[1] == "charcoal"
    assert pick_fuel({}) == "coal"
    # one that is enough for the count first (coal smelts 8 items, a plank or log 1.5)
    assert pick_fuel({"coal": 1, "oak_planks": 10}, 9) == "oak_planks"
    assert pick_fuel({"coal": 1, "oak_planks": 2}, 9) == "coal"  # none is enough: the most
    assert call("smelt", "raw_iron 9", {"coal": 1, "birch_log": 7}).args == [
        "raw_iron", "birch_log", 9]


@pytest.mark.parametrize(
    ("action", "argument", "message"),
    [
        ("mine", "oak_logg", "did you mean oak_log"),
        ("craft", "wooden_pickaxe 99", "between 1 and 64"),
        ("craft", "", "name the item"),
        ("place", "furnace 2", "one item"),
        ("kill", "dragon", "unknown mob"),
        ("chat", " ", "say something"),
        ("chat", "/give agent diamond 64", "commands"),
        ("dance", "x", "unknown action 'dance'"),
        ("smelt", "raw_iron 1 coal extra", r"ITEM \[COUNT\] \[FUEL\]"),
    ],
)
def test_bad_arguments_explain_themselves(action: str, argument: str, message: str) -> None:
    with pytest.raises(ActionError, match=message):
        call(action, argument)


def test_without_game_data_names_pass_unchecked() -> None:
    made = to_call("mine", "moon_rock", names=None, inventory={}, timeout_s=60)
    assert made.args == ["moon_rock", 1]


def test_specs_are_free_text_with_argument_formats() -> None:
    specs = action_specs()
    assert [spec.name for spec in specs] == list(ACTIONS)
    assert all(spec.argument and spec.choices is None and spec.description for spec in specs)
    assert "'oak_log 3'" in specs[0].description
