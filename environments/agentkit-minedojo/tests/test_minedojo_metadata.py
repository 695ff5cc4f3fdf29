"""MineDojo's metadata is read from the installed package's own files."""

from __future__ import annotations

import json

import pytest

from agentkit_minedojo.metadata import canonical_item, display_name


def _package_json(meta) -> dict:
    path = meta.package_dir / "sim" / "mc_meta" / "mc_constants.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_item_lists_come_from_the_package(meta) -> None:
    data = _package_json(meta)
    assert list(meta.all_items) == sorted(item["type"] for item in data["items"])
    assert len(meta.craft_smelt_items) == 244  # the size of the craft argument dimension
    assert meta.craft_smelt_items == (
        meta.hand_craft_items + meta.table_craft_items + meta.smelt_items
    )
    assert len(set(meta.craft_smelt_items)) == len(meta.craft_smelt_items)
    assert set(meta.craft_smelt_items) <= set(meta.all_items)
    assert meta.inventory_slots == 36


def test_crafting_table_index_matches_the_package_list(meta) -> None:
    assert meta.craft_index("crafting_table") == meta.craft_smelt_items.index("crafting_table")
    assert meta.craft_index("crafting table") == meta.craft_index("crafting_table")


def test_unknown_or_uncraftable_items_give_clear_errors(meta) -> None:
    with pytest.raises(ValueError, match="unknown MineDojo item 'crafting_tabel'.*crafting_table"):
        meta.craft_index("crafting_tabel")
    with pytest.raises(ValueError, match="cannot be crafted or smelted"):
        meta.craft_index("bedrock")


def test_recipes_and_where_they_are_made(meta) -> None:
    assert meta.recipe("wooden_pickaxe") == {
        "ingredients": {"planks": 3, "stick": 2},
        "where": "crafting table",
    }
    assert meta.recipe("planks")["where"] == "inventory"
    assert meta.recipe("iron_ingot") == {"ingredients": {"iron_ore": 1}, "where": "furnace"}


def test_biomes_equipment_and_names(meta) -> None:
    assert meta.biome_name(1) == "plains" and meta.biome_name(8) == "nether"
    # Inventory slot 0 and 36..40, in slot order (minedojo/sim/inventory.py EQUIP_SLOTS).
    assert meta.equipment_slots == ("mainhand", "feet", "legs", "chest", "head", "offhand")
    assert "log" in meta.block_names and meta.is_block("stone")
    assert "crafting_table" in meta.placeable_items and "stick" not in meta.placeable_items
    assert canonical_item("Crafting Table") == "crafting_table"
    assert display_name("crafting_table") == "crafting table"


def test_task_specs_are_expanded_like_the_package(meta) -> None:
    specs = meta.task_specs
    assert len(specs) > 1500
    assert meta.harvest_targets("harvest_1_log") == {"log": 1}
    assert meta.harvest_targets("harvest_8_iron_ore_with_stone_pickaxe") == {"iron_ore": 8}
    assert meta.harvest_targets("harvest_milk") == {"milk_bucket": 1}
    assert meta.harvest_targets("combat_bat_plains_barehand") is None
    assert meta.tech_item("techtree_from_barehand_to_wooden_sword") == "wooden_sword"
    assert meta.task_prompt("harvest_1_log") == "obtain log"
    assert specs["harvest_1_log"]["voxel_size"] == {
        "xmin": -1,
        "ymin": -1,
        "zmin": -1,
        "xmax": 1,
        "ymax": 1,
        "zmax": 1,
    }


def test_task_specs_match_minedojos_own_tasks(meta) -> None:
    from minedojo_layout import require_minedojo_sim

    require_minedojo_sim()
    import minedojo.tasks

    theirs = minedojo.tasks.ALL_TASKS_SPECS
    assert set(theirs) == set(meta.task_specs)
    for task_id, spec in theirs.items():
        ours = meta.task_specs[task_id]
        for key in ("target_names", "target_quantities", "tech_item", "prompt", "__cls__"):
            assert ours.get(key) == spec.get(key), (task_id, key)
    assert set(minedojo.tasks.ALL_PROGRAMMATIC_TASK_IDS) <= set(meta.task_specs)
