"""The whole tech tree on the bundled test server, by a fixed script of select actions.

A capability test of the world and the primitives, not of an agent: from a fresh seed-7
world, mining, crafting, placing and smelting must reach an iron pickaxe, each step
succeeding and each tech-tree milestone being checked as it is reached. The time of every
step is printed (``pytest -s`` shows it). Marked ``slow``; skipped with the reason when
Node, ``npm ci`` or the Node programs are missing.
"""

from __future__ import annotations

import time

import pytest
from minecraft_helpers import live_missing

from agentkit_minecraft import MinecraftEnvironment

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(live_missing() is not None, reason=str(live_missing())),
]

# (action, argument, the tech-tree task the step completes). 4 logs make 16 planks: 4 for the
# table, 4 for 8 sticks (2 per pickaxe), 3 for the wooden pickaxe, 2 to smelt 3 raw iron
# (a plank burns for 1.5 items). 11 stone: 3 for the stone pickaxe and 8 for the furnace.
SCRIPT: list[tuple[str, str, str | None]] = [
    ("mine", "oak_log 4", "mine a log"),
    ("craft", "oak_planks 4", "craft planks"),
    ("craft", "crafting_table", "craft a crafting table"),
    ("place", "crafting_table", None),
    ("craft", "stick 2", "craft sticks"),
    ("craft", "wooden_pickaxe", "craft a wooden pickaxe"),
    ("mine", "stone 11", "mine cobblestone"),
    ("craft", "stone_pickaxe", "craft a stone pickaxe"),
    ("craft", "furnace", "craft a furnace"),
    ("mine", "iron_ore 3", "mine iron ore"),
    ("smelt", "raw_iron 3", "smelt an iron ingot"),  # fuel: the planks left
    ("craft", "iron_pickaxe", "craft an iron pickaxe"),
]


def test_a_scripted_run_climbs_the_tech_tree_to_an_iron_pickaxe() -> None:
    env = MinecraftEnvironment(seed=7, recover=False)  # its own server: a fresh world
    times: list[tuple[str, float]] = []
    try:
        env.reset(seed=7)
        assert all(env.check(task) is False for task in env.tasks())
        for action, argument, task in SCRIPT:
            started = time.monotonic()
            result = env.step(action, argument)
            elapsed = time.monotonic() - started
            times.append((f"{action} {argument}", elapsed))
            held = result.observation.extras.get("inventory")
            print(f"{action} {argument}: {elapsed:.1f} s, ok={result.ok}, holds {held}", flush=True)
            assert result.ok, f"{action} {argument} failed after {elapsed:.1f} s: {result.feedback}"
            if task is not None:
                assert env.check(task) is True, f"{task!r} not met after {action}: {held}"
                assert f"milestone: {task}" in result.events, result.events
        inventory = env.observation()["inventory"]
        assert inventory.get("iron_pickaxe") == 1, inventory
        assert {task: env.check(task) for task in env.tasks()} == dict.fromkeys(env.tasks(), True)
        metrics = env.metrics()
        assert metrics["milestone_count"] == len(env.tasks()) and metrics["crashes"] == 0
    finally:
        env.close()
        total = sum(elapsed for _, elapsed in times)
        print("\nper-step times:\n" + "\n".join(f"  {what:<28} {elapsed:6.1f} s"
                                                 for what, elapsed in times)
              + f"\n  {'total':<28} {total:6.1f} s", flush=True)
