"""The adapter's step/record/replay plumbing, on ``RecordingSimulatorDouble``.

The double is a toy block world with MineDojo's interface and observation layout (see
its module); these tests are about what the adapter sends and how it reads the answers,
not about Minecraft.
"""

from __future__ import annotations

import numpy as np
import pytest
from minedojo_double import RecordingSimulatorDouble

from agentkit_minedojo import MineDojoEnvironment, MineDojoUnavailable, simulator_status
from agentkit_minedojo.simulator import FORCE_ENV_VAR, ISSUES

NOOP = [0, 0, 0, 12, 12, 0, 0, 0]
ATTACK = [0, 0, 0, 12, 12, 3, 0, 0]


def _env(meta, task="harvest_1_log", **double_options):
    sim = RecordingSimulatorDouble(meta, **double_options)
    return MineDojoEnvironment(sim, task=task, voxel_min=(-1, -1, -1)), sim


def test_reset_seeds_the_simulator_and_shows_the_task(meta) -> None:
    env, sim = _env(meta)
    observation = env.reset(seed=5)
    assert sim.seeds == [5] and sim.resets == 1
    assert observation.text.startswith("Task: obtain log (harvest_1_log)\n")
    assert observation.images["rgb"].shape == (8, 12, 3)
    assert env.frame().shape == (8, 12, 3) and env.steps_taken == 0
    env.reset()
    assert sim.seeds == [5, 0]  # the default seed


def test_mine_looks_then_attacks_until_the_block_breaks(meta) -> None:
    env, sim = _env(meta)
    env.reset(seed=0)
    turned = env.step("turn", "right")
    assert turned.raw_actions == [[0, 0, 0, 12, 18, 0, 0, 0]]
    assert "Crosshair: nothing within reach" in turned.observation.text
    result = env.step("mine", "log")
    assert result.ok, result.feedback
    # Turn back towards the log (yaw 90 -> 0), then attack until it breaks (4 hits here).
    assert result.raw_actions == [[0, 0, 0, 12, 6, 0, 0, 0]] + [ATTACK] * 4
    assert sim.received[-5:] == result.raw_actions
    assert result.feedback == "broke the log after 4 attack steps; inventory +1 log"
    assert result.events == ["obtained 1 log"]
    assert result.info == {"raw_steps": 5, "inventory_change": {"log": 1}}
    assert "Inventory (1/36 slots): 1 log" in result.observation.text
    assert env.steps_taken == 6


def test_mine_explains_what_is_in_reach(meta) -> None:
    env, sim = _env(meta)
    env.reset(seed=0)
    result = env.step("mine", "diamond_ore")
    assert not result.ok and result.raw_actions == [] and not sim.received
    assert result.feedback.startswith("no diamond ore within reach to mine (blocks nearby:")
    assert "grass" in result.feedback and "log" in result.feedback
    made_up = env.step("mine", "unobtanium")
    assert "(not a MineDojo block name)" in made_up.feedback


def test_mine_stops_at_its_step_budget(meta) -> None:
    sim = RecordingSimulatorDouble(meta)
    short = MineDojoEnvironment(sim, task="harvest_1_log", voxel_min=(-1, -1, -1), mine_steps=2)
    short.reset(seed=0)
    assert short.step("look_at", "down").raw_actions == [[0, 0, 0, 18, 12, 0, 0, 0]]
    failed = short.step("mine", "grass")  # the double's grass breaks on the third hit
    assert not failed.ok and failed.raw_actions == [ATTACK] * 2
    assert failed.feedback.startswith("the grass did not break in 2 attack steps")
    enough = MineDojoEnvironment(sim, task="harvest_1_log", voxel_min=(-1, -1, -1), mine_steps=5)
    enough.reset(seed=0)
    enough.step("look_at", "down")
    mined = enough.step("mine", "grass")
    assert mined.ok and mined.raw_actions == [ATTACK] * 3
    assert mined.events == ["obtained 1 dirt"]


def test_crafting_placing_and_equipping_send_the_documented_vectors(meta) -> None:
    env, sim = _env(meta, initial_inventory={"log": 2, "stick": 2})
    env.reset(seed=0)
    planks = env.step("craft", "planks")
    assert planks.ok and planks.raw_actions == [[0, 0, 0, 12, 12, 4, meta.craft_index("planks"), 0]]
    assert planks.feedback == "crafted planks: -1 log, +4 planks"
    table = env.step("craft", "crafting table")
    assert table.raw_actions == [[0, 0, 0, 12, 12, 4, meta.craft_index("crafting_table"), 0]]
    pickaxe = env.step("craft", "wooden_pickaxe")
    assert not pickaxe.ok and pickaxe.raw_actions == []  # masks say no table nearby
    assert pickaxe.feedback == (
        "cannot craft wooden pickaxe now: it needs 3 planks, 2 stick with a crafting table nearby"
    )
    blocked = env.step("place", "crafting_table")  # the tree stands in front
    assert not blocked.ok and blocked.feedback == (
        "the crafting table was not placed: the block in front may be taken, or it is not a block"
    )
    env.step("turn", "around")
    slot = list(env.state.inventory_names).index("crafting_table")
    placed = env.step("place", "crafting_table")
    assert placed.ok and placed.raw_actions == [[0, 0, 0, 12, 12, 6, 0, slot]]
    assert "Tools: a crafting table is nearby" in placed.observation.text
    env.step("craft", "planks")
    assert env.step("craft", "wooden_pickaxe").ok
    slot = list(env.state.inventory_names).index("wooden_pickaxe")
    equipped = env.step("equip", "wooden pickaxe")
    assert equipped.raw_actions == [[0, 0, 0, 12, 12, 5, 0, slot]]
    assert equipped.feedback == "holding wooden pickaxe"
    assert "Equipment: mainhand wooden pickaxe" in equipped.observation.text


def test_invalid_items_and_arguments_are_refused_with_reasons(meta) -> None:
    env, sim = _env(meta, initial_inventory={"stick": 1})
    env.reset(seed=0)
    cases = {
        ("craft", "craftingtable"): "unknown MineDojo item 'craftingtable'; did you mean "
        "crafting_table",
        ("craft", "bedrock"): "'bedrock' is a MineDojo item but cannot be crafted or smelted",
        ("equip", "diamond_sword"): "no diamond sword in the inventory (it holds stick)",
        ("place", "dirt_block"): "unknown MineDojo item 'dirt_block'",
        ("turn", "sideways"): "cannot read turn 'sideways'",
        ("move_forward", "far"): "expected a number of steps, not 'far'",
        ("raw", "1 2 3"): "a MineDojo action has 8 numbers",
        ("raw", "0 0 0 12 12 9 0 0"): "functional must be in 0..7, not 9",
        ("look_at", "diamond_ore"): "no diamond ore in view",
        ("dig", None): "unknown action 'dig'; available: mine, look_at, turn,",
    }
    for (action, argument), message in cases.items():
        result = env.step(action, argument)
        assert not result.ok and result.raw_actions == [], (action, argument)
        assert message in result.feedback, (action, argument, result.feedback)
    assert sim.received == []


def test_minedojo_strict_errors_become_refusals_without_recording(meta) -> None:
    env, sim = _env(meta)
    env.reset(seed=0)
    result = env.step("raw", "0 0 0 12 12 5 0 0")  # equip slot 0, which holds air
    assert not result.ok and result.raw_actions == [] and sim.received == []
    assert result.feedback.startswith("MineDojo refused equip slot 0: Trying to equip air")


def test_replay_restores_the_state_on_a_fresh_simulator(meta) -> None:
    env, _ = _env(meta, initial_inventory={"log": 3})
    env.reset(seed=2)
    raw: list[list[int]] = []
    for action, argument in [
        ("mine", "log"),
        ("craft", "planks"),
        ("turn", "45 30"),
        ("move_forward", "3"),
        ("strafe_left", "2"),
        ("jump_forward", None),
        ("look_at", "north"),
        ("raw", "0 0 3 11 13 0 0 0"),
    ]:
        raw += env.step(action, argument).raw_actions
    expected = env.step("noop").observation
    raw += [NOOP]
    fresh, fresh_sim = _env(meta, initial_inventory={"log": 3})
    fresh.reset(seed=2)
    replayed = fresh.replay(raw)
    assert replayed.text == expected.text
    assert np.array_equal(replayed.images["rgb"], expected.images["rgb"])
    assert fresh_sim.received == raw and fresh.steps_taken == len(raw)


def test_check_follows_minedojo_task_semantics(meta) -> None:
    env, _ = _env(meta, initial_inventory={"log": 2})
    env.reset(seed=0)
    # Harvest tasks count what was gained since reset, as MineDojo's success check does.
    assert env.check("harvest_1_log") is False
    assert env.check("obtain 2 log") is True and env.check("obtain 3 logs") is False
    assert env.check("Obtain a crafting table.") is False
    env.step("mine", "log")
    assert env.check("harvest_1_log") is True and env.check("obtain 3 logs") is True
    assert env.check("techtree_from_barehand_to_wooden_sword") is False
    assert env.check("combat_bat_plains_barehand") is None
    assert env.check("obtain 1 unobtainium") is None
    assert env.check("build a house") is None
    assert all(env.check(task) is not None for task in env.tasks())
    assert env.metrics() == {
        "raw_steps": 4,
        "reward": 0.0,
        "items_gained": {"log": 1},
        "done": False,
    }


def test_the_episode_ends_and_further_steps_are_refused(meta) -> None:
    env, _ = _env(meta, max_steps=3)
    env.reset(seed=0)
    result = env.step("move_forward", "10")
    assert result.done and len(result.raw_actions) == 3
    assert result.events[-1] == "episode ended"
    after = env.step("noop")
    assert not after.ok and after.done and after.feedback == "the episode is over"


class _GymnasiumStyleDouble(RecordingSimulatorDouble):
    """TEST DOUBLE variant answering with gymnasium's (obs, info) and 5-tuples."""

    def reset(self):
        return super().reset(), {}

    def step(self, action):
        obs, reward, done, info = super().step(action)
        return obs, reward, done, False, info


def test_gymnasium_style_answers_are_accepted(meta) -> None:
    sim = _GymnasiumStyleDouble(meta, max_steps=2)
    env = MineDojoEnvironment(sim, voxel_min=(-1, -1, -1))
    assert "Inventory (0/36 slots): empty" in env.reset(seed=0).text
    assert env.step("noop", "5").done


def test_actions_follow_the_masks(meta) -> None:
    env, _ = _env(meta, initial_inventory={"log": 1, "stick": 2})
    env.reset(seed=0)
    specs = {spec.name: spec for spec in env.actions()}
    assert specs["craft"].choices == ["planks"]
    assert specs["equip"].choices == ["stick"]  # slot 0 (the main hand) is not equippable
    assert specs["place"].choices == ["log"]  # sticks are not blocks
    assert specs["mine"].choices == ["log", "grass"]
    assert specs["raw"].kind == "raw"
    empty, _ = _env(meta)
    empty.reset(seed=0)
    names = [spec.name for spec in empty.actions()]
    assert "equip" not in names and "place" not in names and "craft" not in names


def test_make_arguments_respect_the_task_spec(meta) -> None:
    harvest = MineDojoEnvironment(task="harvest_1_log")
    arguments = harvest._make_arguments(4)
    assert arguments == {"seed": 4, "world_seed": "4", "fast_reset": False}
    assert harvest.mapper.voxel_min == (-1, -1, -1)
    open_ended = MineDojoEnvironment(image_size="64x96")
    arguments = open_ended._make_arguments(0)
    assert arguments["use_voxel"] and arguments["use_lidar"]
    assert arguments["lidar_rays"] == [(0.0, 0.0, 8.0)] and "fast_reset" not in arguments
    assert open_ended.mapper.voxel_min == (-2, -1, -2) and open_ended.image_size == (64, 96)


def test_without_a_simulator_reset_explains_what_is_missing(meta, monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(FORCE_ENV_VAR, raising=False)
    # No java on PATH: the simulator cannot start on any machine, so this path is tested
    # everywhere (CI also lacks Java 8, gym 0.21 and the built Malmo mod) instead of being
    # skipped where a simulator might work.
    monkeypatch.setenv("PATH", str(tmp_path))
    status = simulator_status()
    assert "no `java` on PATH (MineDojo needs a Java 8 JDK)" in status.problems
    env = MineDojoEnvironment(task="harvest_1_log")
    with pytest.raises(MineDojoUnavailable) as caught:
        env.reset(seed=0)
    message = str(caught.value)
    for problem in status.problems:
        assert problem in message
    for fragment in (*ISSUES, "issues 113, 117, 138", "Java 8", "gradle", "network"):
        assert fragment in message
    env.close()


def test_simulator_factories_are_rebuilt_per_seed(meta) -> None:
    built: list[int] = []

    def factory(seed: int) -> RecordingSimulatorDouble:
        built.append(seed)
        return RecordingSimulatorDouble(meta)

    env = MineDojoEnvironment(simulator_factory=factory, voxel_min=(-1, -1, -1))
    env.reset(seed=1)
    first = env.simulator
    env.reset(seed=1)
    assert env.simulator is first and built == [1]
    env.reset(seed=2)
    assert built == [1, 2] and first.closed
    env.close()
    assert env.simulator is None
