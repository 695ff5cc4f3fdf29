"""Argument choices drawn from what the bot sees and holds, for grammar-constrained models.

With free-text arguments the embedded 135M model copied a word of the description
(``mine find``, eight times in a row). Listing the blocks in view, the items held and the
next tech-tree recipes turns each argument into a choice the decoder can only get right;
an action with nothing to choose from keeps free text, and every choice is an argument the
parser in :mod:`agentkit_minecraft.actions` accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentkit.environment import ActionSpec

from agentkit_minecraft.actions import MINE_SOURCES, SMELT_INPUTS

__all__ = ["EXPLORE_TARGETS", "situational_specs"]

# Blocks not worth a mine action: unbreakable, fluids, air, plants that drop nothing useful.
_NOT_MINED = frozenset(
    [
        "air",
        "cave_air",
        "void_air",
        "bedrock",
        "water",
        "lava",
        "short_grass",
        "tall_grass",
        "fern",
        "large_fern",
        "oak_leaves",
        "birch_leaves",
        "spruce_leaves",
        "jungle_leaves",
        "acacia_leaves",
        "dark_oak_leaves",
    ]
)
# The tech tree's recipes, in the order a player needs them; planks follow the logs held.
_RECIPES = (
    "{wood}_planks",
    "stick",
    "crafting_table",
    "wooden_pickaxe",
    "stone_pickaxe",
    "furnace",
    "iron_pickaxe",
    "wooden_sword",
    "stone_sword",
    "iron_sword",
    "chest",
    "torch",
)
_PLACEABLE = ("crafting_table", "furnace", "chest")
EXPLORE_TARGETS = ("oak_log", "stone", "coal_ore", "iron_ore", "pig", "cow", "sheep")
_SMELTABLE = frozenset(SMELT_INPUTS.values())
_MINE_FIRST = tuple(dict.fromkeys(["oak_log", "birch_log", *MINE_SOURCES.values()]))


def _mineable(seen: list[str]) -> list[str]:
    """Blocks in view, the tech tree's resources first (the list is nearest-first)."""
    blocks = [b for b in seen if b not in _NOT_MINED]
    useful = [b for b in blocks if b in _MINE_FIRST or b.endswith("_log")]
    return list(dict.fromkeys(useful + blocks))


def _recipes(inventory: Mapping[str, int]) -> list[str]:
    woods = [n.removesuffix("_log") for n in inventory if n.endswith("_log")] or ["oak"]
    names: list[str] = []
    for recipe in _RECIPES:
        names += [recipe.format(wood=w) for w in woods] if "{wood}" in recipe else [recipe]
    return list(dict.fromkeys(names))


def situational_specs(
    specs: list[ActionSpec], observation: Mapping[str, Any], mobs: frozenset[str] | None
) -> list[ActionSpec]:
    """``specs`` with choices from ``observation`` (the bridge's raw dict).

    ``mobs``: the version's entity names, which tell a pig from a player called "pig".
    """
    inventory: Mapping[str, int] = observation.get("inventory") or {}
    nearby = observation.get("nearby_entities") or {}
    entities = [n for n in nearby if n not in ("player", "item") and (mobs is None or n in mobs)]
    choices = {
        "mine": _mineable(list(observation.get("nearby_blocks") or [])),
        "craft": _recipes(inventory),
        "place": [name for name in _PLACEABLE if inventory.get(name)],
        "smelt": [name for name in inventory if name in _SMELTABLE],
        "kill": entities,
        "explore": list(EXPLORE_TARGETS),
    }
    return [
        spec.model_copy(update={"choices": choices[spec.name]}) if choices.get(spec.name) else spec
        for spec in specs
    ]
