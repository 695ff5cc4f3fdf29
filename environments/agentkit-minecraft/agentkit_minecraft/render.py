"""The observation as the controller reads it: a few short lines, stable for the same state.

Exact values stay in ``Observation.extras``; the text rounds what drifts on its own (the
clock, distances) and gives the block the bot stands in rather than its sub-block position
(a bot left at x=10.46 or 10.54 by a replay under load is in the same block), so that the
same world state reads the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["held_items", "render_observation", "time_phase"]

_MAX_BLOCKS = 20
_MAX_ENTITIES = 10


def time_phase(time_of_day: int | float | None) -> str:
    """Minecraft's clock (0..24000 ticks, 0 = 6 am) as a word."""
    if time_of_day is None:
        return "unknown"
    t = int(time_of_day) % 24000
    if t < 1000 or t >= 23000:
        return "sunrise"
    if t < 6000:
        return "morning"
    if t < 12000:
        return "afternoon"
    if t < 13000:
        return "sunset"
    return "night"


def held_items(observation: Mapping[str, Any]) -> dict[str, int]:
    """Inventory plus worn items, as item -> count (what task checks look at).

    The hand holds a hotbar slot, which the inventory already counts; armour and the off
    hand are slots of their own.
    """
    counts: dict[str, int] = {}
    for name, count in (observation.get("inventory") or {}).items():
        counts[str(name)] = counts.get(str(name), 0) + int(count)
    for slot, name in (observation.get("equipment") or {}).items():
        if name and slot != "hand":
            counts[str(name)] = counts.get(str(name), 0) + 1
    return counts


def _number(value: Any) -> str:
    """A whole number (health, food, distances): the text need not say more."""
    try:
        return str(round(float(value)))
    except (TypeError, ValueError):
        return "?"


def _block(value: Any) -> str:
    try:
        return str(math.floor(float(value) + 1e-6))
    except (TypeError, ValueError):
        return "?"


def _items(counts: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} x{int(count)}" for name, count in sorted(counts.items())) or "empty"


def render_observation(observation: Mapping[str, Any], events: Sequence[str] = ()) -> str:
    """Position, vitals, time, biome, inventory, equipment, surroundings and ``events``."""
    position = observation.get("position") or {}
    where = " ".join(f"{axis}={_block(position.get(axis))}" for axis in "xyz")
    lines = [
        f"Position: block {where}; biome: {observation.get('biome') or 'unknown'}; "
        f"time: {time_phase(observation.get('time_of_day'))}",
        f"Health: {_number(observation.get('health'))}/20; "
        f"food: {_number(observation.get('food'))}/20"
        + ("; DEAD (waiting to respawn)" if observation.get("dead") else ""),
    ]
    inventory = observation.get("inventory") or {}
    lines.append(f"Inventory ({sum(int(c) for c in inventory.values())} items): "
                 f"{_items(inventory)}")
    equipment = observation.get("equipment") or {}
    worn = [f"{slot}={name}" for slot, name in equipment.items() if name]
    lines.append(f"Equipment: {', '.join(worn) or 'nothing'}")
    blocks = list(observation.get("nearby_blocks") or [])
    more = f" (+{len(blocks) - _MAX_BLOCKS} more)" if len(blocks) > _MAX_BLOCKS else ""
    lines.append(f"Nearby blocks: {', '.join(map(str, blocks[:_MAX_BLOCKS])) or 'none'}{more}")
    entities = sorted(
        (observation.get("nearby_entities") or {}).items(), key=lambda kv: (float(kv[1]), kv[0])
    )
    shown = [f"{name} ({_number(distance)} m)" for name, distance in entities[:_MAX_ENTITIES]]
    lines.append(f"Nearby entities: {', '.join(shown) or 'none'}")
    chests = observation.get("chests") or {}
    if chests:
        lines.append("Chests: " + "; ".join(
            f"{where} {_items(contents) if isinstance(contents, Mapping) else contents}"
            for where, contents in sorted(chests.items())
        ))
    if events:
        lines.append("Events: " + " | ".join(events))
    return "\n".join(lines)
