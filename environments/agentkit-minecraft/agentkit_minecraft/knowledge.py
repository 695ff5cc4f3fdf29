"""Minecraft's rules as :class:`agentkit.knowledge.Knowledge`, read from minecraft-data.

Everything comes from the installed npm package ``minecraft-data`` for the server's
version (``js/node_modules/minecraft-data``; no network, no recipe table of our own):

- crafting: ``recipes.json``; a recipe wider or taller than 2 (or shapeless with more than
  4 ingredients) needs a crafting table near, the rest fit the inventory's 2x2 grid;
- mining: ``blocks.json``, each block's ``drops`` and ``harvestTools`` (the pickaxe tiers
  that harvest it: stone needs a wooden pickaxe or better, iron ore a stone one);
- smelting: minecraft-data has no furnace recipes, so the one the tech tree needs is stated
  here (:data:`SMELTING`: raw_iron -> iron_ingot, vanilla's furnace recipe, the same as the
  test server's table in ``js/server/lib/smelting.js``), with the fuels the ``smelt`` action
  picks (coal, planks, logs; vanilla burn times).

The full data has thousands of recipes; the rules kept are those that lead to the tech
tree's goals from the blocks a world has near its surface (:data:`SURFACE_BLOCKS`, what the
bundled world generates above y=0), without detours: a recipe is dropped when something it
spends is itself only made from what the recipe gives (iron_block -> iron_ingot) or cannot
be had at all (bamboo sticks). About twenty rules remain, so the decomposer stays fast and
the prompt short.

Wood is grouped: ``log`` is any log (``oak_log``, ``birch_log``, ...) and ``planks`` any
planks. Recipes take planks of one kind, so ``holdings`` counts the logs held together and
the planks of the kind held most; the ``mine log`` and ``craft planks`` actions pick the
kind (see :mod:`agentkit_minecraft.actions`).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agentkit.knowledge import Knowledge, Rule

from agentkit_minecraft.names import DATA_DIR, data_paths

__all__ = [
    "FUELS",
    "GOALS",
    "GROUPS",
    "SMELTING",
    "STATIONS",
    "SURFACE_BLOCKS",
    "group_holdings",
    "group_of",
    "is_log",
    "is_planks",
    "minecraft_knowledge",
]

# What the bundled world generates above y=0 (js/server/lib/terrain.js): where the tech
# tree's materials come from. Other blocks may be mined too; the rules need only these.
SURFACE_BLOCKS = (
    "oak_log", "birch_log", "grass_block", "dirt", "sand", "stone", "coal_ore", "iron_ore",
)
# The tech tree (techtree.TECH_TREE), each goal named as the item that shows it reached
# (iron_ore: mining it, which gives raw_iron).
GOALS = (
    "log", "planks", "crafting_table", "stick", "wooden_pickaxe", "cobblestone",
    "stone_pickaxe", "furnace", "iron_ore", "iron_ingot", "iron_pickaxe",
)
_GOAL_ITEMS = {"iron_ore": "raw_iron"}
STATIONS = ("crafting_table", "furnace")
# minecraft-data has no furnace recipes: vanilla's, for what the tech tree smelts.
SMELTING = {"raw_iron": "iron_ingot"}
# Fuels the smelt action picks (actions.pick_fuel), best first; a rule spends one per item.
FUELS = ("coal", "planks", "log")
GROUPS = {"log": "any log: oak_log, birch_log, ...", "planks": "any planks of one wood"}
_TABLE = "crafting_table"


def is_log(name: str) -> bool:
    return name.endswith("_log") and not name.startswith("stripped_")


def is_planks(name: str) -> bool:
    return name.endswith("_planks")


def group_of(name: str) -> str:
    """The knowledge's name for an item: ``log``, ``planks`` or the item's own name."""
    if is_log(name):
        return "log"
    if is_planks(name):
        return "planks"
    return name


def group_holdings(counts: Mapping[str, int]) -> dict[str, int]:
    """Item counts by the knowledge's names: logs summed, planks of the commonest kind."""
    out: dict[str, int] = {}
    for name, count in counts.items():
        group = group_of(name)
        if count <= 0:
            continue
        if group == "planks":
            out[group] = max(out.get(group, 0), int(count))
        else:
            out[group] = out.get(group, 0) + int(count)
    return out


@dataclass(frozen=True)
class _Data:
    items: dict[int, str]
    blocks: dict[str, dict[str, Any]]
    recipes: dict[str, list[dict[str, Any]]]


def _read(folder: str, kind: str) -> Any:
    with (DATA_DIR / folder / f"{kind}.json").open() as handle:
        return json.load(handle)


def _load(version: str) -> _Data | None:
    try:
        paths = data_paths()[version]
        items = {int(i["id"]): str(i["name"]) for i in _read(paths["items"], "items")}
        blocks = {str(b["name"]): b for b in _read(paths["blocks"], "blocks")}
        recipes = _read(paths["recipes"], "recipes")
    except (OSError, KeyError, ValueError):
        return None
    return _Data(items, blocks, recipes)


def _cell(cell: Any) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell if cell >= 0 else None
    if isinstance(cell, dict) and isinstance(cell.get("id"), int):
        return _cell(cell["id"])
    if isinstance(cell, list) and cell:  # alternatives: the first stands for them
        return _cell(cell[0])
    return None


def _recipe(data: _Data, recipe: dict[str, Any]) -> tuple[dict[str, int], dict[str, int], bool]:
    """(consumes, gives, needs a table) of one recipe, by the knowledge's names."""
    result = recipe["result"]
    result_id = result["id"] if isinstance(result, dict) else result
    count = int(result.get("count", 1)) if isinstance(result, dict) else 1
    cells: list[int] = []
    if recipe.get("inShape"):
        rows = [[_cell(c) for c in row] for row in recipe["inShape"]]
        used = [y for y, row in enumerate(rows) if any(c is not None for c in row)]
        columns = {x for row in rows for x, c in enumerate(row) if c is not None}
        height = used[-1] - used[0] + 1 if used else 0
        width = max(columns) - min(columns) + 1 if columns else 0
        big = height > 2 or width > 2
        cells = [c for row in rows for c in row if c is not None]
    else:
        cells = [c for c in (_cell(c) for c in recipe.get("ingredients") or []) if c is not None]
        big = len(cells) > 4
    consumes = Counter(group_of(data.items[c]) for c in cells if c in data.items)
    return dict(consumes), {group_of(data.items[result_id]): count}, big


def _candidates(data: _Data) -> list[Rule]:
    """Every rule minecraft-data gives (recipes, drops of the surface blocks) and smelting."""
    rules: list[Rule] = []
    seen: set[tuple[Any, ...]] = set()
    for block in SURFACE_BLOCKS:
        info = data.blocks.get(block)
        if info is None:
            continue
        drops = [group_of(data.items[d]) for d in info.get("drops") or [] if d in data.items]
        if not drops:
            continue
        tools = [data.items[int(t)] for t in (info.get("harvestTools") or {})
                 if int(t) in data.items]
        tools = [t for t in tools if t.endswith("_pickaxe")] if tools else []
        argument = group_of(block)
        gives = dict(Counter(drops))
        for i, tool in enumerate(tools or [None]):
            key = ("mine", argument, tool)
            if key in seen:  # oak_log and birch_log: both "mine log"
                continue
            seen.add(key)
            rules.append(Rule(
                name=f"mine {argument}" if i == 0 else f"mine {argument} with {tool}",
                action="mine",
                argument=argument,
                gives=gives,
                requires={tool: 1} if tool else {},
                note=_mine_note(argument, gives, tools) if i == 0 else "",
            ))
    for item_id, recipes in data.recipes.items():
        if not item_id.isdigit() or int(item_id) not in data.items:
            continue
        for recipe in recipes:
            try:
                consumes, gives, big = _recipe(data, recipe)
            except (KeyError, TypeError, ValueError):
                continue
            recipe_key = ("craft", tuple(sorted(consumes.items())),
                          tuple(sorted(gives.items())), big)
            if not consumes or recipe_key in seen:
                continue
            seen.add(recipe_key)
            (made,) = gives
            rules.append(Rule(
                name=f"craft {made}",
                action="craft",
                argument=made,
                consumes=consumes,
                gives=gives,
                near=[_TABLE] if big else [],
            ))
    for raw, product in SMELTING.items():
        for i, fuel in enumerate(FUELS):
            rules.append(Rule(
                name=f"smelt {raw}" if i == 0 else f"smelt {raw} with {fuel}",
                action="smelt",
                argument=raw,
                consumes={raw: 1, fuel: 1},
                near=["furnace"],
                gives={product: 1},
                note="coal lasts 8 items, a plank or log 1.5; coal is burnt first"
                if i == 0 else "",
            ))
    return rules


def _mine_note(argument: str, gives: dict[str, int], tools: list[str]) -> str:
    if argument == "log":
        return "any log: oak_log, birch_log, ..."
    return "or a better pickaxe" if len(tools) > 1 else ""


def _depths(rules: list[Rule]) -> dict[str, int]:
    """How many rules deep each item lies from nothing (missing: it cannot be had)."""
    depth: dict[str, int] = {}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            needs = [*rule.consumes, *rule.requires, *rule.near]
            if any(item not in depth for item in needs):
                continue
            cost = 1 + max((depth[item] for item in needs), default=0)
            for item in rule.gives:
                if cost < depth.get(item, 1 << 30):
                    depth[item] = cost
                    changed = True
    return depth


def _well_founded(rule: Rule, depth: Mapping[str, int]) -> bool:
    """Everything ``rule`` needs can be had, and what it spends or stands near is had
    before what it gives (no detour through its own product). A tool may be a later one:
    a stone pickaxe mines stone too, the decomposer takes whichever is held."""
    if any(item not in depth for item in [*rule.consumes, *rule.requires, *rule.near]):
        return False
    made = min(depth.get(item, 1 << 30) for item in rule.gives)
    return all(depth[item] < made for item in [*rule.consumes, *rule.near])


def _relevant(rules: list[Rule], goals: Iterable[str]) -> list[Rule]:
    """The rules on some way to ``goals``, in their original order."""
    wanted = list(goals)
    kept: set[int] = set()
    known = set(wanted)
    while wanted:
        item = wanted.pop()
        for index, rule in enumerate(rules):
            if rule.gives.get(item, 0) > 0 and index not in kept:
                kept.add(index)
                for need in [*rule.consumes, *rule.requires, *rule.near]:
                    if need not in known:
                        known.add(need)
                        wanted.append(need)
    return [rule for index, rule in enumerate(rules) if index in kept]


def _placing(stations: Iterable[str]) -> list[Rule]:
    return [
        Rule(
            name=f"place {station}",
            action="place",
            argument=station,
            consumes={station: 1},
            note="craft and smelt place a carried one when none is near" if i == 0 else "",
        )
        for i, station in enumerate(stations)
    ]


_FACTS = [
    "a recipe takes planks of one kind",
    "mine finds the nearest such block, exploring when none is within 32 blocks",
    "a crafting table or furnace counts when carried or in view",
    "coal ore and iron ore lie in stone a few blocks under the surface",
]


def _order(rules: list[Rule]) -> list[Rule]:
    """Mining first, then crafting, smelting: the tech tree's reading order."""
    rank = {"mine": 0, "craft": 1, "smelt": 2, "place": 3}
    return sorted(rules, key=lambda rule: rank.get(rule.action, 9))


def _with_goals(rules: list[Rule]) -> list[Rule]:
    """Each goal becomes the achievement of the first rule that gives its item."""
    out = list(rules)
    for goal in GOALS:
        item = _GOAL_ITEMS.get(goal, goal)
        for index, rule in enumerate(out):
            if rule.gives.get(item, 0) > 0 and rule.achievement is None:
                out[index] = rule.model_copy(update={"achievement": goal})
                break
    return out


def _fewer_tiers(rules: list[Rule]) -> list[Rule]:
    """Mining with a better pickaxe only for the tiers some block needs at least (wooden,
    stone): an iron pickaxe is the tree's last goal, never the only pickaxe held."""
    def lowest(rule: Rule) -> bool:
        return rule.name == f"mine {rule.argument}"

    needed = {tool for rule in rules if rule.action == "mine" and lowest(rule)
              for tool in rule.requires}
    return [rule for rule in rules
            if rule.action != "mine" or lowest(rule) or set(rule.requires) <= needed]


def build_knowledge(data: _Data) -> Knowledge:
    candidates = _candidates(data)
    depth = _depths(candidates)
    sound = [rule for rule in candidates if _well_founded(rule, depth)]
    items = [_GOAL_ITEMS.get(goal, goal) for goal in GOALS]
    rules = _with_goals(_order(_fewer_tiers(_relevant(sound, items))))
    stations = [s for s in STATIONS if any(s in rule.near for rule in rules)]
    return Knowledge(
        rules=[*rules, *_placing(stations)],
        stations=stations,
        goals=[goal for goal in GOALS if any(rule.achievement == goal for rule in rules)],
        facts=_FACTS,
    )


@functools.lru_cache(maxsize=4)
def minecraft_knowledge(version: str) -> Knowledge | None:
    """The rules of Minecraft ``version``; None when minecraft-data is not installed
    (``agentkit minecraft setup``) or does not know the version."""
    data = _load(version)
    return build_knowledge(data) if data is not None else None
