"""Primitives act only on what was seen, stay bounded, and explain why they cannot act."""

from __future__ import annotations

import random

from crafter import constants, objects
from crafter_helpers import carve

from agentkit_crafter import CrafterEnvironment
from agentkit_crafter.primitives import EXPLORE_STEPS, MAX_STEPS, SLEEP_STEPS
from agentkit_crafter.pursue import COLLECT_LIMIT, MAKE_LIMIT, SEEK_LIMIT


def _facing(env: CrafterEnvironment) -> tuple[int, int]:
    return (
        int(env.player.pos[0] + env.player.facing[0]),
        int(env.player.pos[1] + env.player.facing[1]),
    )


def test_goto_tree_then_interact_collects_wood(env: CrafterEnvironment) -> None:
    assert "- tree " in env.observe().text  # seed 1 starts with a tree in view
    walked = env.step("goto", "tree")
    assert walked.ok, walked.feedback
    assert walked.raw_actions and all(0 <= a < 17 for a in walked.raw_actions)
    assert env.world[_facing(env)][0] == "tree"
    hit = env.step("interact", "tree")
    assert hit.ok, hit.feedback
    assert env.player.inventory["wood"] == 1
    assert hit.info["achievements_unlocked"] == ["collect_wood"]
    assert "unlocked collect_wood" in hit.events
    assert hit.reward >= 1.0


def test_goto_unseen_target_fails_without_moving(env: CrafterEnvironment) -> None:
    result = env.step("goto", "diamond")
    assert not result.ok
    assert result.feedback == "no diamond seen yet; explore to find one"
    assert result.raw_actions == [] and env.steps_taken == 0


def test_goto_walks_around_a_wall(env: CrafterEnvironment) -> None:
    px, py = carve(env)
    for y in range(py - 2, py + 3):
        env.world[(px + 1, y)] = "stone"
    env.world[(px + 3, py)] = "tree"
    env.observe()
    result = env.step("goto", "tree")
    assert result.ok, result.feedback
    assert env.world[_facing(env)][0] == "tree"
    assert len(result.raw_actions) >= 5  # had to leave the straight line


def test_goto_never_steps_into_lava(env: CrafterEnvironment) -> None:
    # Pressing toward lava walks into it, so facing lava must be reached by walking up to it.
    px, py = carve(env)
    env.world[(px + 1, py)] = "lava"
    env.observe()
    result = env.step("goto", "lava")
    assert result.ok, result.feedback
    assert env.player.health == 9 and not result.done
    assert env.world[env.player.pos][0] != "lava"
    assert env.world[_facing(env)][0] == "lava"
    assert len(result.raw_actions) >= 2


def test_goto_uses_only_seen_cells(env: CrafterEnvironment) -> None:
    px, py = carve(env)
    env.world[(px + 6, py)] = "tree"  # in the arena, but outside the view
    env.observe()
    result = env.step("goto", "tree")
    assert not result.ok and "no tree seen yet" in result.feedback
    goto = [s for s in env.actions() if s.name == "goto"]  # absent if nothing else is known
    assert not goto or "tree" not in goto[0].choices


def test_interact_needs_an_adjacent_target(env: CrafterEnvironment) -> None:
    px, py = carve(env)
    env.world[(px + 3, py)] = "tree"
    env.observe()
    result = env.step("interact", "tree")
    assert not result.ok and result.feedback == "no tree next to you; goto tree first"
    assert result.raw_actions == []


def test_interact_reports_missing_tool(env: CrafterEnvironment) -> None:
    px, py = carve(env)
    env.world[(px, py - 1)] = "stone"
    env.observe()
    result = env.step("interact", "stone")
    assert not result.ok and result.feedback == "need 1 wood_pickaxe to collect stone"


def test_make_reports_what_is_missing(env: CrafterEnvironment) -> None:
    result = env.step("make", "wood_pickaxe")
    assert not result.ok
    assert result.feedback == "need 1 wood and a nearby table to make wood_pickaxe"
    assert result.raw_actions == []


def test_wood_table_pickaxe_by_primitives(env: CrafterEnvironment) -> None:
    px, py = carve(env)
    needed = (
        constants.place["table"]["uses"]["wood"] + constants.make["wood_pickaxe"]["uses"]["wood"]
    )
    for i in range(needed):
        env.world[(px - 2 + i, py - 2)] = "tree"
    env.observe()
    for _ in range(needed):
        assert env.step("goto", "tree").ok
        assert env.step("interact", "tree").ok
    assert env.player.inventory["wood"] == needed
    placed = env.step("place", "table")
    assert placed.ok, placed.feedback
    assert "table" in env.observe().text
    made = env.step("make", "wood_pickaxe")
    assert made.ok, made.feedback
    assert env.player.inventory["wood_pickaxe"] == 1
    assert env.check("make a wood pickaxe") is True
    assert env.metrics()["achievements"] == ["collect_wood", "make_wood_pickaxe", "place_table"]


def test_explore_reveals_new_ground(env: CrafterEnvironment) -> None:
    before = env.seen.seen_count
    y0 = int(env.player.pos[1])
    result = env.step("explore", "north")
    assert result.ok, result.feedback
    assert int(env.player.pos[1]) < y0
    assert env.seen.seen_count > before
    assert 0 < len(result.raw_actions) <= EXPLORE_STEPS


def test_explore_reports_a_blocked_direction(env: CrafterEnvironment) -> None:
    px, py = carve(env)
    for x in range(px - 8, px + 9):
        env.world[(x, py - 1)] = "water"
    env.observe()
    result = env.step("explore", "north")
    assert not result.ok and result.feedback == "cannot go north: blocked by water"
    assert int(env.player.pos[1]) == py


def test_sleep_refuses_when_rested(env: CrafterEnvironment) -> None:
    result = env.step("sleep")
    assert not result.ok and "energy is full" in result.feedback and not result.raw_actions


def test_every_primitive_is_bounded_and_safe() -> None:
    env = CrafterEnvironment(render=False)
    for seed in (0, 5):
        env.reset(seed)
        rnd = random.Random(seed)
        for _ in range(60):
            spec = rnd.choice([s for s in env.actions() if s.kind == "primitive"])
            arg = rnd.choice(spec.choices) if spec.choices else None
            result = env.step(spec.name, arg)
            bounds = {"sleep": SLEEP_STEPS, "collect": COLLECT_LIMIT, "make": MAKE_LIMIT + 1}
            bound = bounds.get(spec.name, MAX_STEPS)
            assert len(result.raw_actions) <= bound, (spec.name, arg)
            assert result.ok or result.feedback, (spec.name, arg)
            assert env.world[env.player.pos][0] != "lava"
            if result.done:
                break


def test_action_list() -> None:
    env = CrafterEnvironment(render=False, mask=False)
    env.reset(1)
    specs = {s.name: s for s in env.actions()}
    raw = [s.name for s in specs.values() if s.kind == "raw"]
    assert raw == [a for a in constants.actions if a != "sleep"]
    assert {"goto", "interact", "place", "make", "sleep", "explore"} <= set(specs)
    assert specs["make"].choices == list(constants.make)
    assert specs["explore"].choices == ["north", "south", "east", "west"]
    assert env.fallback_action == "noop"
    only_raw = CrafterEnvironment(render=False, primitives=False, mask=False)
    only_raw.reset(1)
    assert [s.name for s in only_raw.actions()] == list(constants.actions)


def test_mask_lists_only_what_can_work_now() -> None:
    env = CrafterEnvironment(render=False)  # mask is on by default
    env.reset(1)
    names = [s.name for s in env.actions()]
    # full energy, empty inventory, nothing adjacent to interact with at the start of seed 1
    assert "sleep" not in names and "make" not in names and "place" not in names
    assert not any(n.startswith(("make_", "place_")) for n in names)
    assert {"goto", "explore", "noop", "do", "move_left"} <= set(names)
    assert env.step("goto", "tree").ok
    specs = {s.name: s for s in env.actions()}
    assert "tree" in specs["interact"].choices  # goto left the tree adjacent
    assert env.step("interact", "tree").ok
    assert env._sim.player.inventory["wood"] >= 1
    need = constants.place["table"]["uses"]["wood"]
    offered = "place_table" in {s.name for s in env.actions()}
    assert offered == (env._sim.player.inventory["wood"] >= need)
    env = CrafterEnvironment(render=False)
    env.reset(1)
    unknown = env.step("fly")
    assert not unknown.ok and "unknown action" in unknown.feedback


def test_mask_lists_what_works_here_first_and_never_goto_to_the_faced_cell() -> None:
    env = CrafterEnvironment(render=False, raw=False)
    env.reset(1)
    assert env.step("goto", "tree").ok
    specs = env.actions()
    names = [s.name for s in specs]
    assert names.index("interact") < names.index("goto") < names.index("explore")
    goto = next(s for s in specs if s.name == "goto")
    assert "tree" not in goto.choices  # already facing one: goto tree would do nothing


def test_the_task_suite_is_the_tech_tree_and_every_task_is_checkable() -> None:
    env = CrafterEnvironment(render=False)
    env.reset(1)
    suite = env.tasks()
    assert len(suite) == len(constants.achievements) == len(set(suite))
    assert suite[0] == "collect wood" and suite[-1] == "collect diamond"
    assert suite.index("place table") < suite.index("make wood pickaxe")
    assert suite.index("collect iron") < suite.index("make iron pickaxe")
    assert all(env.check(task) is False for task in suite)  # a fresh world: nothing done yet


def test_collect_water_drinks_until_drink_is_full(env: CrafterEnvironment) -> None:
    # one sip and away left the agent asleep with drink at 1, to wake parched in the night
    px, py = carve(env)
    env.world[(px, py - 2)] = "water"
    env.player.inventory["drink"] = 2
    env.observe()
    result = env.step("collect", "water")
    assert result.ok, result.feedback
    top = constants.items["drink"]["max"]
    assert env.player.inventory["drink"] >= top - 1  # the last sip may be spent walking
    assert result.feedback.endswith(f"drink {env.player.inventory['drink']}/{top}")
    assert len(result.raw_actions) <= COLLECT_LIMIT


def test_collect_sapling_takes_one_not_a_stack(env: CrafterEnvironment) -> None:
    # only vitals are topped up: every inventory item has a maximum of 9 in Crafter
    px, py = carve(env, floor="grass")
    env.observe()
    result = env.step("collect", "grass")  # grass gives a sapling now and then
    assert result.ok, result.feedback
    assert env.player.inventory["sapling"] == 1
    assert "sapling 9/9" not in result.feedback


def test_a_zombie_out_of_view_is_looked_for_briefly(env: CrafterEnvironment) -> None:
    # Zombies walk to the player from 8 cells (crafter/objects.py); the agent spent 80
    # presses of its first day nine times in 20 protocol episodes looking for one.
    carve(env, radius=12)  # sand: no zombie spawns, and more ground than one view
    env.observe()
    result = env.step("collect", "zombie")
    assert not result.ok
    assert result.feedback.startswith(f"no zombie in view after {SEEK_LIMIT} steps of looking")
    assert len(result.raw_actions) == SEEK_LIMIT
    # other things are still looked for as far as the arena allows
    cow = env.step("collect", "cow")
    assert not cow.ok
    assert len(cow.raw_actions) > SEEK_LIMIT, cow.feedback


def test_a_zombie_in_view_is_fought(env: CrafterEnvironment) -> None:
    px, py = carve(env, radius=12)
    env.world.add(objects.Zombie(env.world, (px + 3, py), env.player))
    env.player.inventory["wood_sword"] = 1
    env.observe()
    result = env.step("collect", "zombie")
    assert result.ok, result.feedback
    assert env.player.achievements["defeat_zombie"] == 1
