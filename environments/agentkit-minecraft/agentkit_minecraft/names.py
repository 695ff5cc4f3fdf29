"""Item, block and mob names of a Minecraft version, read from the installed minecraft-data.

The adapter checks an action's argument against them before asking the bot, so a typo
comes back at once with suggestions ("unknown item 'oak_plank'; did you mean oak_planks?")
instead of after a walk. Without the data (``npm ci`` not run) nothing is checked.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache

from agentkit_minecraft.processes import JS_DIR

__all__ = ["DATA_DIR", "GameNames", "data_paths", "game_names", "known_versions"]

DATA_DIR = JS_DIR / "node_modules" / "minecraft-data" / "minecraft-data" / "data"


@dataclass(frozen=True)
class GameNames:
    """The names one version knows; ``suggest`` offers the closest ones for a typo."""

    version: str
    items: frozenset[str]
    blocks: frozenset[str]
    entities: frozenset[str]

    def suggest(self, name: str, pool: frozenset[str], n: int = 3) -> list[str]:
        close = difflib.get_close_matches(name, sorted(pool), n=n, cutoff=0.6)
        contains = sorted(other for other in pool if name and name in other)[:n]
        return list(dict.fromkeys(close + contains))[:n]


def data_paths() -> dict[str, dict[str, str]]:
    """Which folder of minecraft-data holds each kind of data, per Java version."""
    with (DATA_DIR / "dataPaths.json").open() as handle:
        return json.load(handle)["pc"]


def known_versions() -> list[str]:
    """Minecraft Java versions the installed minecraft-data describes (empty without it)."""
    try:
        return list(data_paths())
    except (OSError, KeyError, ValueError):
        return []


def _names(folder: str, kind: str) -> frozenset[str]:
    with (DATA_DIR / folder / f"{kind}.json").open() as handle:
        return frozenset(str(entry["name"]) for entry in json.load(handle))


@lru_cache(maxsize=8)
def game_names(version: str) -> GameNames | None:
    """The names of ``version``; None when minecraft-data is missing or lacks the version."""
    try:
        paths = data_paths()[version]
        return GameNames(
            version=version,
            items=_names(paths["items"], "items"),
            blocks=_names(paths["blocks"], "blocks"),
            entities=_names(paths["entities"], "entities"),
        )
    except (OSError, KeyError, ValueError):
        return None
