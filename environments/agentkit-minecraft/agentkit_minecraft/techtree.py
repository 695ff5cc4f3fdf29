"""The tech-tree task suite, reading task text as item requirements, and episode progress.

A task is met once the bot has held what it names at some point since the reset (in the
inventory or equipped): crafting planks uses the logs up, yet "mine a log" stays done. The
same reading serves the suite's own tasks and free phrasings a curriculum or ``--task``
uses ("craft a wooden pickaxe", "mine 3 oak logs", "get an iron ingot").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

__all__ = ["TECH_TREE", "Progress", "Requirement", "requirements"]


@dataclass(frozen=True)
class Requirement:
    """Hold at least ``count`` items whose name is in ``names`` or ends with a suffix."""

    label: str
    names: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()
    count: int = 1

    def matches(self, item: str) -> bool:
        return item in self.names or item.endswith(self.suffixes)

    def met(self, held: Mapping[str, int]) -> bool:
        return sum(n for item, n in held.items() if self.matches(item)) >= self.count


def _item(name: str) -> Requirement:
    return Requirement(name, frozenset({name}))


_LOG = Requirement("log", suffixes=("_log",))
_PLANKS = Requirement("planks", suffixes=("_planks",))
_IRON_ORE = Requirement("iron ore", frozenset({"raw_iron", "iron_ore", "deepslate_iron_ore"}))

TECH_TREE: list[tuple[str, Requirement]] = [
    ("mine a log", _LOG),
    ("craft planks", _PLANKS),
    ("craft a crafting table", _item("crafting_table")),
    ("craft sticks", _item("stick")),
    ("craft a wooden pickaxe", _item("wooden_pickaxe")),
    ("mine cobblestone", _item("cobblestone")),
    ("craft a stone pickaxe", _item("stone_pickaxe")),
    ("craft a furnace", _item("furnace")),
    ("mine iron ore", _IRON_ORE),
    ("smelt an iron ingot", _item("iron_ingot")),
    ("craft an iron pickaxe", _item("iron_pickaxe")),
]

# Words that name a requirement differently from its item id; longest match wins.
_PHRASES: dict[tuple[str, ...], Requirement] = {
    **{(w,): _LOG for w in ("log", "logs", "wood", "tree", "trees", "timber")},
    **{(w,): _PLANKS for w in ("plank", "planks")},
    ("wooden", "planks"): _PLANKS,
    ("wood", "planks"): _PLANKS,
    ("crafting", "table"): _item("crafting_table"),
    ("workbench",): _item("crafting_table"),
    ("table",): _item("crafting_table"),
    ("stick",): _item("stick"),
    ("sticks",): _item("stick"),
    ("pickaxe",): Requirement("pickaxe", suffixes=("_pickaxe",)),
    ("wooden", "pickaxe"): _item("wooden_pickaxe"),
    ("wood", "pickaxe"): _item("wooden_pickaxe"),
    ("stone",): _item("cobblestone"),
    ("cobblestone",): _item("cobblestone"),
    ("furnace",): _item("furnace"),
    ("cobble",): _item("cobblestone"),
    ("stone", "pickaxe"): _item("stone_pickaxe"),
    ("cobblestone", "pickaxe"): _item("stone_pickaxe"),
    ("iron",): _IRON_ORE,
    ("iron", "ore"): _IRON_ORE,
    ("iron", "ores"): _IRON_ORE,
    ("raw", "iron"): _IRON_ORE,
    ("iron", "ingot"): _item("iron_ingot"),
    ("iron", "ingots"): _item("iron_ingot"),
    ("smelt", "iron"): _item("iron_ingot"),
    ("iron", "pickaxe"): _item("iron_pickaxe"),
}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1}
_STOP = frozenset(
    ("the", "some", "of", "from", "into", "with", "and", "then", "more", "new", "your", "my",
     "at", "least", "in", "by")
)


def _tokens(text: str) -> list[str]:
    text = re.sub(r"\bpick[\s_-]+axe", "pickaxe", text.lower().replace("minecraft:", ""))
    return [w for w in re.sub(r"[^a-z0-9]+", " ", text).split() if w not in _STOP]


def _singular(words: tuple[str, ...]) -> list[str]:
    last = words[-1]
    forms = [last]
    if last.endswith("es"):
        forms.append(last[:-2])
    if last.endswith("s"):
        forms.append(last[:-1])
    return ["_".join((*words[:-1], form)) for form in forms]


def requirements(task: str, items: Iterable[str] = ()) -> list[Requirement]:
    """What ``task`` asks the bot to hold; empty when it names nothing this module knows.

    ``items`` (the game's item names) lets any item count, beyond the tech tree's words.
    """
    known = frozenset(items)
    tokens = _tokens(task)
    found: list[Requirement] = []
    count = 1
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isdigit() or token in _NUMBERS:
            count = int(token) if token.isdigit() else _NUMBERS[token]
            i += 1
            continue
        for n in (3, 2, 1):
            words = tuple(tokens[i : i + n])
            if len(words) < n:
                continue
            requirement = _PHRASES.get(words)
            if requirement is None:
                name = next((form for form in _singular(words) if form in known), None)
                requirement = _item(name) if name else None
            if requirement is not None:
                found.append(replace(requirement, count=max(1, count)))
                i += n
                break
        else:
            i += 1
        count = 1
    return list(dict.fromkeys(found))


class Progress:
    """What the bot has held since the reset, and when each tech-tree task was first met."""

    def __init__(self) -> None:
        self.history: list[dict[str, int]] = []
        self.reached: dict[str, int] = {}

    def record(self, held: Mapping[str, int], step: int) -> list[str]:
        """Add what is held after ``step``; return the tech-tree tasks met for the first time."""
        self.history.append(dict(held))
        new = [task for task, req in TECH_TREE if task not in self.reached and req.met(held)]
        for task in new:
            self.reached[task] = step
        return new

    def ever(self, requirement: Requirement) -> bool:
        return any(requirement.met(held) for held in self.history)
