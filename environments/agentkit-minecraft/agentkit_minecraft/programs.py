"""JavaScript programs for the bridge: the example shown to the controller, learned skills.

Code mode writes ``async function run(bot)`` against the primitives (Voyager's shape); a
skill learned in select mode is the same kind of function, calling the primitive of each
step that worked, so code-mode programs can call it too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from agentkit.steps import parse_label

from agentkit_minecraft.actions import ActionError, Call, parse_name_count, to_call
from agentkit_minecraft.names import GameNames

__all__ = [
    "EXAMPLE_PROGRAM",
    "PRIMITIVES",
    "PRIMITIVE_LISTING",
    "function_listing",
    "js_identifier",
    "skill_source",
]

# The primitives as a program calls them, each with what the controller needs to know.
PRIMITIVE_LISTING = {
    "mineBlock": "await mineBlock(bot, name, count = 1) // find (within 32 blocks), walk to, "
    "dig and collect count blocks of name; stone drops cobblestone",
    "craftItem": "await craftItem(bot, name, count = 1) // do the recipe count times (one "
    "oak_log makes 4 oak_planks); needs a crafting table within 32 blocks if the recipe does",
    "placeItem": "await placeItem(bot, name, position = null) // place a block from the "
    "inventory next to the bot (or at a Vec3)",
    "smeltItem": 'await smeltItem(bot, name, fuel = "coal", count = 1) // smelt name (e.g. '
    "raw_iron) in a furnace within 32 blocks, placing one from the inventory if needed",
    "killMob": "await killMob(bot, name, timeoutS = 300) // fight the nearest mob name and "
    "collect its drops",
    "exploreUntil": "await exploreUntil(bot, target, maxTimeS = 60) // walk in a random "
    "direction until the block or mob target is within 32 blocks; returns it or null",
    "depositItemIntoChest": "await depositItemIntoChest(bot, {name: count, ...}) // into the "
    "nearest chest (placed from the inventory if none)",
    "getItemFromChest": "await getItemFromChest(bot, {name: count, ...}) // from the nearest "
    "chest",
    "chat": "await chat(bot, message) // say something",
}
PRIMITIVES = tuple(PRIMITIVE_LISTING)

EXAMPLE_PROGRAM = """\
async function run(bot) {
  await mineBlock(bot, "oak_log", 1);
  return true;
}
"""

# A skill does not know what the inventory will hold, so smelting picks its fuel at run time.
_FUEL_EXPRESSION = (
    '(bot.inventory.items().find((i) => /^(coal|charcoal)$|_planks$|_log$/.test(i.name))'
    ' || { name: "coal" }).name'
)
# Wood of any kind (the knowledge's "log" and "planks"), chosen when the skill runs.
_NOT_STRIPPED_LOG = "/_log$/.test(b.name) && !/^stripped_/.test(b.name)"
_LOG_EXPRESSION = (
    f"(bot.findBlock({{ matching: (b) => {_NOT_STRIPPED_LOG}, maxDistance: 32 }})"
    ' || { name: "oak_log" }).name'
)
_PLANKS_EXPRESSION = (
    f"(bot.inventory.items().find((b) => {_NOT_STRIPPED_LOG}) || {{ name: \"oak_log\" }})"
    '.name.replace(/_log$/, "_planks")'
)
EXPLORE_S = 60

_RESERVED = frozenset(
    (
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
        "do", "else", "export", "extends", "false", "finally", "for", "function", "if", "import",
        "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true",
        "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "enum", "await",
        "implements", "package", "protected", "interface", "private", "public", "async", "bot",
        "run",
    )
)


def js_identifier(name: str) -> str:
    """``name`` as a JavaScript function name (letters, digits, _ and $; not reserved)."""
    ident = re.sub(r"[^A-Za-z0-9_$]", "_", name.strip()) or "skill"
    if ident[0].isdigit():
        ident = "_" + ident
    return ident + "_" if ident in _RESERVED or ident in PRIMITIVES else ident


def function_listing(skills: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per function a program may call: the primitives, then the learned skills."""
    lines = list(PRIMITIVE_LISTING.values())
    for skill in skills:
        description = " ".join(str(skill.get("description") or "").split())
        lines.append(f"await {js_identifier(str(skill['name']))}(bot) // learned skill: "
                     f"{description or 'no description'}")
    return lines


def _js_call(call: Call, fuel: str | None = None, first: str | None = None) -> list[str]:
    """``if ((await prim(bot, ...)) === false) return false;``: a skill stops at a failure.

    ``first`` replaces the first argument by an expression (wood of any kind). Mining
    explores first when none is within 32 blocks, as the select-mode ``mine`` step does.
    """
    args = [json.dumps(arg) for arg in call.args]
    if call.primitive == "smeltItem" and fuel is not None:
        args[1] = fuel
    lines = []
    if first is not None:
        lines.append(f"const {_TARGET} = {first};")
        args[0] = _TARGET
    if call.primitive == "mineBlock":
        lines.append(f"if (!bot.findBlock({{ matching: {args[0]}, maxDistance: 32 }})) "
                     f"await exploreUntil(bot, {args[0]}, {EXPLORE_S});")
    lines.append(f"if ((await {call.primitive}(bot{''.join(', ' + a for a in args)})) === false) "
                 "return false;")
    if first is not None:  # a block of its own, so the const may appear again
        return ["{", *[f"  {line}" for line in lines], "}"]
    return lines


_TARGET = "target"
_GROUPS = {("mine", "log"): _LOG_EXPRESSION, ("mine", "logs"): _LOG_EXPRESSION,
           ("mine", "wood"): _LOG_EXPRESSION, ("craft", "planks"): _PLANKS_EXPRESSION,
           ("craft", "plank"): _PLANKS_EXPRESSION}


def _group(action: str, argument: str) -> str | None:
    """The expression for a wood group named by ``argument`` (``log``, ``planks``)."""
    try:
        name, _, _ = parse_name_count(argument, "item")
    except ActionError:
        return None
    return _GROUPS.get((action, name))


def _names_fuel(argument: str) -> bool:
    _, _, rest = parse_name_count(argument, "item")
    return any(token.lower() not in ("with", "using", "fuel") for token in rest)


def skill_source(
    name: str,
    description: str,
    steps: Sequence[Sequence[Any]],
    *,
    names: GameNames | None = None,
    timeout_s: float = 180.0,
) -> str:
    """``async function name(bot)`` replaying the steps that worked (``(action, arg, ok)``).

    Learned skills called along the way stay calls, so a better version of one is used by
    every skill that calls it; steps that failed or cannot be translated are left out.
    """
    body: list[str] = []
    for step in steps:
        action, argument, ok = (list(step) + [None, None, None])[:3]
        if not ok or action in (None, "noop", "program"):
            continue
        action = str(action)
        kind, skill = parse_label(action)
        if kind == "skill":
            callee = js_identifier(skill)
            body.append(f"if ((await {callee}(bot)) === false) return false;")
            continue
        try:
            call = to_call(action, argument, names=names, inventory={}, timeout_s=timeout_s)
        except ActionError:
            continue
        named = call.primitive != "smeltItem" or _names_fuel(str(argument))
        body += _js_call(call, None if named else _FUEL_EXPRESSION,
                         _group(action, str(argument)))
    summary = " ".join(description.split()).replace("*/", "* /")
    lines = [f"// {summary}"] if summary else []
    lines.append(f"async function {js_identifier(name)}(bot) {{")
    lines += [f"  {line}" for line in body]
    lines.append("  return true;")
    lines.append("}")
    return "\n".join(lines) + "\n"
