"""Argument choices drawn from what the bot sees and holds, for grammar-constrained models.

With free-text arguments the embedded 135M model copied a word of the description
(``mine find``, eight times in a row). Listing the blocks in view, the items held and the
next tech-tree recipes turns each argument into a choice the decoder can only get right;
every choice is an argument the parser in :mod:`agentkit_minecraft.actions` accepts. An
action that cannot succeed now (nothing craftable, placeable, smeltable, no mob or chest
near) is left out, as Crafter masks its primitives: the 135M model, told to "craft a
wooden pickaxe", otherwise tried every recipe in turn and never mined a log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


_DROPS = {block: drop for drop, block in MINE_SOURCES.items()}


def _mineable(seen: list[str], findable: Sequence[str] = ()) -> list[str]:
    """Blocks in view, the tech tree's resources first (the list is nearest-first), each
    followed by what it drops when that has another name (``stone``, ``cobblestone``): a task
    says "mine cobblestone", and the parser mines stone for it. The first log in view is
    followed by ``log`` (any log). Then ``findable``: what the world's rules say can be mined
    with the tools held, in view or not (``mine`` explores for it)."""
    blocks = [b for b in seen if b not in _NOT_MINED]
    useful = [b for b in blocks if b in _MINE_FIRST or b.endswith("_log")]
    ordered = list(dict.fromkeys(useful + blocks))
    names = [name for block in ordered for name in (block, _DROPS.get(block)) if name]
    logs = [i for i, name in enumerate(names) if name.endswith("_log")]
    if logs:
        names.insert(logs[0] + 1, "log")
    return list(dict.fromkeys([*names, *findable]))


def _with_planks(recipes: list[str]) -> list[str]:
    """``planks`` (of the logs held) after the first ``*_planks`` recipe."""
    at = next((i for i, name in enumerate(recipes) if name.endswith("_planks")), None)
    if at is None or "planks" in recipes:
        return recipes
    return [*recipes[: at + 1], "planks", *recipes[at + 1 :]]


def _recipes(inventory: Mapping[str, int]) -> list[str]:
    woods = [n.removesuffix("_log") for n in inventory if n.endswith("_log")] or ["oak"]
    names: list[str] = []
    for recipe in _RECIPES:
        names += [recipe.format(wood=w) for w in woods] if "{wood}" in recipe else [recipe]
    return list(dict.fromkeys(names))


# Items one of is enough: work stations and tools (one wears out before a second is useful).
_STATIONS = ("crafting_table", "furnace")
_TOOL_SUFFIXES = ("_pickaxe", "_axe", "_shovel", "_hoe", "_sword")


def _worth_crafting(names: list[str], inventory: Mapping[str, int], seen: list[str]) -> list[str]:
    """Recipes worth doing now, items not held yet first.

    A station held or in view and a tool held are not offered again: told to "craft sticks",
    the 135M model crafted eleven crafting tables in a row, each one "ok", even with ``stick``
    listed first. Materials (planks, sticks, ...) are always offered.
    """
    def useless(name: str) -> bool:
        if name in _STATIONS:
            return inventory.get(name, 0) > 0 or name in seen
        return name.endswith(_TOOL_SUFFIXES) and inventory.get(name, 0) > 0

    kept = [name for name in names if not useless(name)]
    return sorted(kept, key=lambda name: inventory.get(name, 0) > 0)


def situational_specs(
    specs: list[ActionSpec],
    observation: Mapping[str, Any],
    mobs: frozenset[str] | None,
    allow_commands: bool = False,
    findable: Sequence[str] = (),
) -> list[ActionSpec]:
    """``specs`` with choices from ``observation`` (the bridge's raw dict).

    ``mobs``: the version's entity names, which tell a pig from a player called "pig".
    ``findable``: blocks worth mining though none is in view (the world's rules name them
    and the tools they need are held); ``mine`` explores for them.
    ``chat`` is offered only with another player near or server commands allowed: alone,
    the small model chatted for six steps in a row instead of crafting.
    """
    inventory: Mapping[str, int] = observation.get("inventory") or {}
    nearby = observation.get("nearby_entities") or {}
    entities = [n for n in nearby if n not in ("player", "item") and (mobs is None or n in mobs)]
    craftable = observation.get("craftable")  # from the bridge; absent: offer the tech tree
    seen = list(observation.get("nearby_blocks") or [])
    recipes = craftable if craftable is not None else _recipes(inventory)
    choices = {
        "mine": _mineable(seen, findable),
        "craft": _with_planks(_worth_crafting(recipes, inventory, seen)),
        "place": [name for name in _PLACEABLE if inventory.get(name)],
        "smelt": [name for name in inventory if name in _SMELTABLE],
        "kill": entities,
        "explore": list(EXPLORE_TARGETS),
    }
    masked = {name for name in ("craft", "place", "smelt", "kill") if not choices[name]}
    if craftable is None:
        masked.discard("craft")
    if not observation.get("chests"):
        masked |= {"deposit", "withdraw"}
    players = [n for n in nearby if mobs is not None and n not in mobs]
    if not players and not allow_commands:
        masked.add("chat")
    return [
        spec.model_copy(update={"choices": choices[spec.name]}) if choices.get(spec.name) else spec
        for spec in specs
        if spec.name not in masked
    ]
