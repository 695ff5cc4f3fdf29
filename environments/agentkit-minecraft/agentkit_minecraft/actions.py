"""Select mode's actions and how each becomes a call of a bridge primitive.

The controller names an action (``mine``) and one free-text argument (``"oak_log 3"``); this
module parses the argument, checks the names against the game's data, and produces the
primitive call the bridge runs and the trajectory records, e.g. ``mineBlock("oak_log", 3)``.
A bad argument is an :class:`ActionError` whose message tells the controller how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentkit.environment import ActionSpec

from agentkit_minecraft.names import GameNames

__all__ = [
    "ACTIONS",
    "ActionError",
    "Call",
    "action_specs",
    "log_to_mine",
    "parse_item_counts",
    "planks_to_craft",
    "to_call",
]

MAX_COUNT = 64
# Fuel picked from the inventory when the argument names none, best first.
FUEL_ITEMS = {"coal": 8.0, "charcoal": 8.0, "coal_block": 80.0}  # items smelted per fuel
FUELS = tuple(FUEL_ITEMS)
FUEL_SUFFIXES = ("_planks", "_log", "_wood")
# What people ask to smelt by its product; the furnace wants the ingredient.
SMELT_INPUTS = {
    "iron_ingot": "raw_iron",
    "gold_ingot": "raw_gold",
    "copper_ingot": "raw_copper",
    "glass": "sand",
    "stone": "cobblestone",
    "smooth_stone": "stone",
    "cooked_beef": "beef",
    "cooked_porkchop": "porkchop",
    "cooked_chicken": "chicken",
    "cooked_mutton": "mutton",
}


# What people ask to mine by its drop; the bot digs the block (stone drops cobblestone).
MINE_SOURCES = {
    "cobblestone": "stone",
    "raw_iron": "iron_ore",
    "raw_gold": "gold_ore",
    "raw_copper": "copper_ore",
    "coal": "coal_ore",
    "diamond": "diamond_ore",
    "redstone": "redstone_ore",
    "lapis_lazuli": "lapis_ore",
    "emerald": "emerald_ore",
}


class ActionError(ValueError):
    """The action or its argument cannot be turned into a call; the message says why."""


@dataclass(frozen=True)
class Call:
    """One primitive call as the bridge takes it and the trajectory records it."""

    primitive: str
    args: list[Any]

    def raw(self) -> dict[str, Any]:
        return {"act": self.primitive, "args": list(self.args)}


@dataclass(frozen=True)
class Context:
    """What a call may depend on: the game's names, the inventory, the step's time budget."""

    names: GameNames | None
    inventory: Mapping[str, int]
    timeout_s: float
    allow_commands: bool = False
    nearby: Sequence[str] = ()
    """Block names in view, nearest first (the observation's ``nearby_blocks``)."""


@dataclass(frozen=True)
class Action:
    name: str
    argument: str
    description: str
    build: Callable[[str, Context], Call]


# -- argument parsing


def _normalise(name: str) -> str:
    name = name.strip().lower().removeprefix("minecraft:")
    return re.sub(r"[\s\-]+", "_", name).strip("_")


def parse_name_count(argument: str | None, what: str) -> tuple[str, int, list[str]]:
    """``"oak_log 3"`` -> ("oak_log", 3, []); also "3 oak_log", "oak log x3", "oak_log*3".

    Returns the tokens after the count as the third item (for smelt's fuel).
    """
    text = (argument or "").strip().strip("\"'")
    if not text:
        raise ActionError(f"name the {what}, e.g. 'oak_log' or 'oak_log 3'")
    tokens = re.sub(r"[*,]", " ", text).split()
    count, index = 1, None
    for i, token in enumerate(tokens):
        match = re.fullmatch(r"x?(\d+)x?", token.lower())
        if match:
            count, index = int(match.group(1)), i
            break
    rest: list[str]
    if index is None:
        name_tokens, rest = tokens, []
    elif index == 0:
        name_tokens, rest = tokens[1:], []
    else:
        name_tokens, rest = tokens[:index], tokens[index + 1 :]
    name = _normalise(" ".join(name_tokens))
    if not name:
        raise ActionError(f"name the {what} as well as the count, e.g. 'oak_log 3'")
    if not 1 <= count <= MAX_COUNT:
        raise ActionError(f"the count must be between 1 and {MAX_COUNT}, got {count}")
    return name, count, rest


def parse_item_counts(argument: str | None) -> dict[str, int]:
    """``"cobblestone 4, oak_log 2"`` -> {"cobblestone": 4, "oak_log": 2} (count 1 default)."""
    parts = [part for part in re.split(r"[,;]", argument or "") if part.strip()]
    if not parts:
        raise ActionError("name the items, e.g. 'cobblestone 4' or 'cobblestone 4, oak_log 2'")
    items: dict[str, int] = {}
    for part in parts:
        name, count, rest = parse_name_count(part, "item")
        if rest:
            raise ActionError(f"cannot read {part.strip()!r}: write 'ITEM COUNT', comma-separated")
        items[name] = items.get(name, 0) + count
    return items


def _known(name: str, pool: frozenset[str] | None, kind: str, names: GameNames | None) -> str:
    if names is None or pool is None or name in pool:
        return name
    hints = names.suggest(name, pool)
    hint = f"; did you mean {', '.join(hints)}?" if hints else ""
    raise ActionError(f"unknown {kind} {name!r} in Minecraft {names.version}{hint}")


def _items(names: GameNames | None) -> frozenset[str] | None:
    return names.items if names else None


def _blocks(names: GameNames | None) -> frozenset[str] | None:
    return names.blocks if names else None


# -- wood of any kind: "log" and "planks" (the knowledge's names, agentkit_minecraft.knowledge)


def _wood(name: str, suffix: str) -> str | None:
    """``oak`` for ``oak_log`` or ``oak_planks`` (stripped logs do not count)."""
    if name.endswith(suffix) and not name.startswith("stripped_"):
        return name.removesuffix(suffix)
    return None


def _woods_held(inventory: Mapping[str, int]) -> list[str]:
    """Kinds of wood held as logs or planks, the most planks first, then the most logs."""
    planks: dict[str, int] = {}
    logs: dict[str, int] = {}
    for item, count in inventory.items():
        if count <= 0:
            continue
        if (wood := _wood(item, "_planks")) is not None:
            planks[wood] = planks.get(wood, 0) + count
        elif (wood := _wood(item, "_log")) is not None:
            logs[wood] = logs.get(wood, 0) + count
    kinds = set(planks) | set(logs)
    return sorted(kinds, key=lambda w: (-planks.get(w, 0), -logs.get(w, 0), w))


def log_to_mine(inventory: Mapping[str, int], nearby: Sequence[str] = ()) -> str:
    """The log ``mine log`` digs: one in view of a wood already held (recipes take planks
    of one kind), else the nearest in view, else a kind held, else ``oak_log``."""
    seen = [block for block in nearby if _wood(block, "_log") is not None]
    held = [f"{wood}_log" for wood in _woods_held(inventory)]
    for log in held:
        if log in seen:
            return log
    return (seen or held or ["oak_log"])[0]


def planks_to_craft(inventory: Mapping[str, int]) -> str:
    """The planks ``craft planks`` makes: of a log held, the kind whose planks are held
    most (so a recipe's planks stay one kind), else ``oak_planks``."""
    for wood in _woods_held(inventory):
        if inventory.get(f"{wood}_log", 0) > 0:
            return f"{wood}_planks"
    return "oak_planks"


# -- the actions


def _mine(argument: str, ctx: Context) -> Call:
    name, count, rest = parse_name_count(argument, "block")
    if rest:
        raise ActionError(f"cannot read {argument!r}: write 'BLOCK [COUNT]', e.g. 'oak_log 3'")
    if name in ("log", "logs", "wood"):
        name = log_to_mine(ctx.inventory, ctx.nearby)
    name = MINE_SOURCES.get(name, name)
    return Call("mineBlock", [_known(name, _blocks(ctx.names), "block", ctx.names), count])


def _craft(argument: str, ctx: Context) -> Call:
    name, count, rest = parse_name_count(argument, "item")
    if rest:
        raise ActionError(f"cannot read {argument!r}: write 'ITEM [COUNT]', e.g. 'stick 4'")
    if name in ("planks", "plank"):
        name = planks_to_craft(ctx.inventory)
    return Call("craftItem", [_known(name, _items(ctx.names), "item", ctx.names), count])


def _place(argument: str, ctx: Context) -> Call:
    name, count, rest = parse_name_count(argument, "item")
    if rest or count != 1:
        raise ActionError(f"place takes one item name, e.g. 'crafting_table'; got {argument!r}")
    return Call("placeItem", [_known(name, _items(ctx.names), "item", ctx.names)])


def _smelts(fuel: str) -> float:
    """How many items one ``fuel`` smelts (vanilla burn time / 200 ticks)."""
    return FUEL_ITEMS.get(fuel, 1.5 if fuel.endswith(FUEL_SUFFIXES) else 0.0)


def pick_fuel(inventory: Mapping[str, int], count: int = 1) -> str:
    """The best fuel the inventory holds for ``count`` items; "coal" (the bridge's default)
    when none. Coal first, then planks, logs and wood; one that is enough for all ``count``
    items before one that is not (then the one that smelts the most)."""
    held = [fuel for fuel in FUELS if inventory.get(fuel, 0) > 0]
    for suffix in FUEL_SUFFIXES:
        held += [name for name in sorted(inventory)
                 if name.endswith(suffix) and inventory[name] > 0 and name not in held]
    if not held:
        return "coal"
    for fuel in held:
        if inventory[fuel] * _smelts(fuel) >= count:
            return fuel
    return max(held, key=lambda fuel: inventory[fuel] * _smelts(fuel))


def _smelt(argument: str, ctx: Context) -> Call:
    name, count, rest = parse_name_count(argument, "item to smelt")
    name = SMELT_INPUTS.get(name, name)
    rest = [token for token in rest if token.lower() not in ("with", "using", "fuel")]
    if len(rest) > 1:
        raise ActionError(f"cannot read {argument!r}: write 'ITEM [COUNT] [FUEL]', "
                          "e.g. 'raw_iron 2 coal'")
    fuel = _normalise(rest[0]) if rest else pick_fuel(ctx.inventory, count)
    items = _items(ctx.names)
    return Call("smeltItem", [_known(name, items, "item", ctx.names),
                              _known(fuel, items, "fuel", ctx.names), count])


def _kill(argument: str, ctx: Context) -> Call:
    name, count, rest = parse_name_count(argument, "mob")
    if rest or count != 1:
        raise ActionError(f"kill takes one mob name, e.g. 'pig'; got {argument!r}")
    pool = ctx.names.entities if ctx.names else None
    return Call("killMob", [_known(name, pool, "mob", ctx.names), int(max(1, ctx.timeout_s - 5))])


def _explore(argument: str, ctx: Context) -> Call:
    name, count, rest = parse_name_count(argument, "block or mob to look for")
    if rest or count != 1:
        raise ActionError(f"explore takes one block or mob name, e.g. 'iron_ore'; "
                          f"got {argument!r}")
    if ctx.names is not None and name not in ctx.names.blocks | ctx.names.entities:
        _known(name, ctx.names.blocks | ctx.names.entities, "block or mob", ctx.names)
    return Call("exploreUntil", [name, int(max(1, min(60, ctx.timeout_s - 5)))])


def _chest(primitive: str) -> Callable[[str, Context], Call]:
    def build(argument: str, ctx: Context) -> Call:
        items = {
            _known(name, _items(ctx.names), "item", ctx.names): count
            for name, count in parse_item_counts(argument).items()
        }
        return Call(primitive, [items])

    return build


def _chat(argument: str, ctx: Context) -> Call:
    message = (argument or "").strip()
    if not message:
        raise ActionError("say something: chat takes the message as its argument")
    if message.startswith("/") and not ctx.allow_commands:
        # The test server makes every player an operator: /give would skip the tech tree.
        raise ActionError("server commands (messages starting with '/') are not allowed")
    return Call("chat", [message[:256]])


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action("mine", "block", "find, walk to and dig blocks, collecting the drops, exploring "
               "first when none is within 32 blocks: 'BLOCK [COUNT]', e.g. 'oak_log 3', 'log' "
               "(any log) or 'stone 3' (drops cobblestone)", _mine),
        Action("craft", "item", "craft with a crafting table nearby when the recipe needs "
               "one (a crafting table you carry is placed if none is near): 'ITEM [TIMES]' "
               "does the recipe TIMES times, e.g. 'oak_planks' (one log makes 4 planks; "
               "'planks': of the logs held) or 'wooden_pickaxe'", _craft),
        Action("place", "block", "place a block from the inventory next to you, e.g. "
               "'crafting_table' or 'furnace'", _place),
        Action("smelt", "item", "smelt in a nearby furnace (one from the inventory is placed "
               "if needed): 'ITEM [COUNT] [FUEL]', e.g. 'raw_iron 1'; fuel defaults to coal, "
               "else planks or logs from the inventory (coal smelts 8 items, a plank or log "
               "1.5)", _smelt),
        Action("kill", "mob", "fight the nearest mob of that kind and collect its drops, "
               "e.g. 'pig'", _kill),
        Action("explore", "target", "walk in a random direction until a block or mob is seen, "
               "e.g. 'iron_ore' or 'pig'", _explore),
        Action("deposit", "items", "put items into the nearest chest: 'ITEM COUNT, ...', "
               "e.g. 'cobblestone 4, dirt 2'", _chest("depositItemIntoChest")),
        Action("withdraw", "items", "take items from the nearest chest: 'ITEM COUNT, ...'",
               _chest("getItemFromChest")),
        Action("chat", "message", "say something in the game chat", _chat),
    )
}


def action_specs() -> list[ActionSpec]:
    """The actions as the controller sees them: every argument is free text."""
    return [
        ActionSpec(name=action.name, description=action.description, argument=action.argument)
        for action in ACTIONS.values()
    ]


def to_call(
    action: str,
    argument: str | None,
    *,
    names: GameNames | None,
    inventory: Mapping[str, int],
    timeout_s: float,
    allow_commands: bool = False,
    nearby: Sequence[str] = (),
) -> Call:
    """The primitive call for ``action(argument)``; :class:`ActionError` when there is none.

    ``nearby``: the blocks in view, nearest first (which log ``mine log`` digs).
    """
    spec = ACTIONS.get(str(action).strip().lower())
    if spec is None:
        raise ActionError(f"unknown action {action!r}; the actions are {', '.join(ACTIONS)}")
    context = Context(names, inventory, timeout_s, allow_commands, tuple(nearby))
    return spec.build(argument or "", context)
