"""Reading Crafter achievement names out of free task text, for programmatic success checks.

Task text comes from people and planners ("Make a wood pickaxe", "collect_wood",
"kill a zombie"), so it is normalised (case, punctuation, articles, plurals, a few
synonyms) and then matched against the 22 achievement names as word sequences.
"""

from __future__ import annotations

import re

from crafter import constants

__all__ = ["ACHIEVEMENTS", "TECH_TREE", "achievements_in"]

ACHIEVEMENTS: tuple[str, ...] = tuple(constants.achievements)

# The 22 achievements, easiest first: the order of the published success rates of agents
# (Hafner 2021, table F.1) with prerequisites before what needs them. Curricula draw from it.
TECH_TREE: tuple[str, ...] = (
    "collect_wood",
    "wake_up",
    "collect_sapling",
    "place_plant",
    "collect_drink",
    "eat_cow",
    "place_table",
    "defeat_zombie",
    "make_wood_pickaxe",
    "make_wood_sword",
    "collect_stone",
    "place_stone",
    "eat_plant",
    "defeat_skeleton",
    "make_stone_pickaxe",
    "make_stone_sword",
    "place_furnace",
    "collect_coal",
    "collect_iron",
    "make_iron_pickaxe",
    "make_iron_sword",
    "collect_diamond",
)

_STOP = {"a", "an", "the", "some", "of", "your", "from", "ripe", "new", "crafting", "at", "least"}
_STOP |= {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
_STOP |= {"few", "several", "many", "more", "all", "any", "first", "another"}
_WORDS = {
    # verbs
    "get": "collect",
    "gather": "collect",
    "mine": "collect",
    "chop": "collect",
    "harvest": "collect",
    "obtain": "collect",
    "cut": "collect",
    "kill": "defeat",
    "slay": "defeat",
    "beat": "defeat",
    "craft": "make",
    "build": "make",
    "create": "make",
    "put": "place",
    # nouns
    "wooden": "wood",
    "log": "wood",
    "logs": "wood",
    "trees": "tree",
    "saplings": "sapling",
    "zombies": "zombie",
    "skeletons": "skeleton",
    "cows": "cow",
    "diamonds": "diamond",
    "stones": "stone",
    "coals": "coal",
    "pickaxes": "pickaxe",
    "swords": "sword",
    "tables": "table",
    "workbench": "table",
    "furnaces": "furnace",
    "plants": "plant",
}
# Phrasings whose words differ from the achievement's own, applied once, in order.
_PHRASES = (
    (r"\bpick axe\b", "pickaxe"),
    (r"\bcollect tree\b", "collect wood"),
    (r"\b(?:collect )?drink(?: water)?\b|\bcollect water\b", "collect drink"),
    (r"\b(?:place|plant) sapling\b", "place plant"),
    (r"\bwake\b(?: up\b)?", "wake up"),
)


def _tokens(text: str) -> list[str]:
    text = re.sub(r"[^a-z]+", " ", text.lower())
    for pattern, meaning in _PHRASES[:1]:
        text = re.sub(pattern, meaning, text)
    words = [_WORDS.get(w, w) for w in text.split() if w not in _STOP]
    joined = " ".join(words)
    for pattern, meaning in _PHRASES[1:]:
        joined = re.sub(pattern, meaning, joined)
    return joined.split()


def _contains(tokens: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))


def achievements_in(text: str) -> list[str]:
    """The achievements ``text`` names, in Crafter's order; empty when it names none."""
    tokens = _tokens(text)
    return [name for name in ACHIEVEMENTS if _contains(tokens, name.split("_"))]
