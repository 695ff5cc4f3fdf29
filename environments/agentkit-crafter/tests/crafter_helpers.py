"""Helpers for the crafter tests: carve controlled arenas into a generated world."""

from __future__ import annotations

from pathlib import Path

from agentkit_crafter import CrafterEnvironment
from agentkit_crafter.seen import SeenMap

REPO_ROOT = Path(__file__).resolve().parents[3]


def carve(env: CrafterEnvironment, radius: int = 7, floor: str = "sand") -> tuple[int, int]:
    """Turn the square of ``radius`` around the player into bare ``floor`` walled by stone.

    Sand keeps cows and zombies from spawning inside (they spawn on grass), so primitives
    can be tested on a layout the test controls. Returns the player's position.
    """
    world = env.world
    px, py = (int(v) for v in env.player.pos)
    for x in range(px - radius - 1, px + radius + 2):
        for y in range(py - radius - 1, py + radius + 2):
            if not (0 <= x < world.area[0] and 0 <= y < world.area[1]):
                continue
            edge = max(abs(x - px), abs(y - py)) == radius + 1
            world[(x, y)] = "stone" if edge else floor
            _, obj = world[(x, y)]
            if obj is not None and obj is not env.player:
                world.remove(obj)
    for obj in world.objects:  # creatures further out must not wander in during a test
        if obj is not env.player and env.player.distance(obj) < 3 * radius:
            world.remove(obj)
    env.seen = SeenMap(env.area)
    env.observe()
    return px, py
