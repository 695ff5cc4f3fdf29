"""The environment's own logic against stand-ins for the Node programs (fast, no Node).

Stepping, feedback, rewards, task checks, replay, crash reporting and recovery; the same
behaviours against the real bridge and test server are in test_minecraft_live.py.
"""

from __future__ import annotations

import json

import pytest
from minecraft_helpers import FakeBridge, use_fakes

from agentkit_minecraft import MinecraftCrashed, MinecraftEnvironment
from agentkit_minecraft.env import parse_server


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> MinecraftEnvironment:
    use_fakes(monkeypatch)
    environment = MinecraftEnvironment(recover="false")
    environment.reset(seed=3)
    return environment


def test_reset_renders_the_first_observation(env: MinecraftEnvironment) -> None:
    observation = env.reset(seed=3)
    assert observation.text.startswith("Position: block x=0 y=64 z=0; biome: plains")
    assert observation.extras["inventory"] == {}
    assert env.steps_taken == 0 and env.metrics()["milestone_count"] == 0


def test_steps_record_calls_and_reward_milestones(env: MinecraftEnvironment) -> None:
    result = env.step("mine", "oak_log 2")
    assert result.ok and result.reward == 1.0
    assert result.raw_actions == [{"act": "mineBlock", "args": ["oak_log", 2]}]
    assert result.events == ["pickup: 2 oak_log", "milestone: mine a log"]
    assert "Inventory (2 items): oak_log x2" in result.observation.text
    assert "Events: pickup: 2 oak_log | milestone: mine a log" in result.observation.text
    result = env.step("craft", "oak_planks 2")
    assert result.ok and result.reward == 1.0
    assert env.check("mine a log") is True  # the logs are gone, the task stays done
    assert env.check("craft planks") is True
    assert env.check("craft a wooden pickaxe") is False
    assert env.check("build a house") is None
    metrics = env.metrics()
    assert metrics["milestones"] == {"mine a log": 1, "craft planks": 2}
    assert metrics["env_steps"] == env.steps_taken == 2
    json.dumps(metrics)


def test_missing_ingredients_give_the_bridge_message(env: MinecraftEnvironment) -> None:
    result = env.step("craft", "wooden_pickaxe")
    assert not result.ok
    assert result.feedback == (
        "I cannot make wooden_pickaxe because I need: 3 more oak_planks, 2 more stick"
    )
    assert result.raw_actions == [{"act": "craftItem", "args": ["wooden_pickaxe", 1]}]


def test_bad_arguments_and_unknown_actions_are_refused(env: MinecraftEnvironment) -> None:
    for action, argument, words in [
        ("mine", "oak_logg", "did you mean oak_log"),
        ("mine", None, "name the block"),
        ("fly", "up", "unknown action 'fly'"),
    ]:
        result = env.step(action, argument)
        assert not result.ok and words in result.feedback
        assert result.raw_actions == [] and result.observation.text
    assert env.steps_taken == 0


def test_programs_and_their_errors(env: MinecraftEnvironment) -> None:
    assert env.program_language == "javascript"
    assert env.check_program("async function run(bot) { ((( }") == [
        "line 1: SyntaxError: Unexpected token"]
    listing = env.program_functions([{"name": "getWood", "description": "mine logs"}])
    assert listing[0].startswith("await mineBlock(bot, name, count = 1) // ")
    assert listing[-1] == "await getWood(bot) // learned skill: mine logs"
    env.check_program("async function run(bot) { await getWood(bot); }")
    assert FakeBridge.started[-1].checked[-1][1] == {
        "getWood": "async function getWood(bot) {}"}  # offered skills count as known
    result = env.run_program("async function run(bot) {\n  throw new Error('boom')\n}",
                             "run", {"helper": "async function helper(bot) {}"})
    assert not result.ok and "line 2" in result.feedback
    assert result.raw_actions[0]["skills"] == {"helper": "async function helper(bot) {}"}
    assert env.run_program(env.example_program(), "run", {}).ok


def test_replay_resends_the_calls_into_a_fresh_world(env: MinecraftEnvironment) -> None:
    raw = []
    for action, argument in [("mine", "oak_log 3"), ("craft", "oak_planks 3"),
                             ("craft", "stick 1")]:
        raw += env.step(action, argument).raw_actions
    before = env.observation()["inventory"]
    env.reset(seed=3)
    observation = env.replay(raw)
    assert observation.extras["inventory"] == before == {"oak_planks": 10, "stick": 4}
    assert env.steps_taken == 3
    assert env.metrics()["milestones"]["craft sticks"] == 3


def test_a_crashed_bridge_is_reported_then_restored(env: MinecraftEnvironment) -> None:
    raw = env.step("mine", "oak_log 2").raw_actions
    FakeBridge.started[-1].alive = False  # the process died
    result = env.step("mine", "oak_log 1")
    assert not result.ok and result.raw_actions == []
    assert "bridge crashed" in result.feedback and "replay" in result.feedback
    again = env.step("mine", "oak_log 1")  # still broken: reported, not raised
    assert not again.ok and "bridge crashed" in again.feedback
    env.reset(seed=3)
    assert env.replay(raw).extras["inventory"] == {"oak_log": 2}
    assert env.step("mine", "oak_log 1").ok


def test_recover_restarts_and_replays_within_the_step(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fakes(monkeypatch)
    env = MinecraftEnvironment()
    env.reset(seed=1)
    env.step("mine", "oak_log 2")
    FakeBridge.started[-1].alive = False
    result = env.step("craft", "oak_planks 1")
    assert not result.ok and "Recovered" in result.feedback
    assert result.events[0].startswith("crash: the Minecraft bridge crashed")
    assert result.observation.extras["inventory"] == {"oak_log": 2}
    assert env.steps_taken == 1 and env.metrics()["crashes"] == 1
    assert env.step("craft", "oak_planks 1").ok


def test_a_crashed_server_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fakes(monkeypatch)
    env = MinecraftEnvironment(recover=False)
    env.reset(seed=1)
    env._server.alive = False  # type: ignore[union-attr]
    result = env.step("mine", "diamond_ore")  # a failing call: the adapter looks why
    assert not result.ok and "test server crashed" in result.feedback


def test_recovery_that_fails_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fakes(monkeypatch)
    env = MinecraftEnvironment()
    env.reset(seed=1)
    FakeBridge.started[-1].alive = False

    def broken(self: FakeBridge) -> FakeBridge:
        raise MinecraftCrashed("node is gone")

    monkeypatch.setattr(FakeBridge, "start", broken)
    with pytest.raises(MinecraftCrashed, match="Restarting failed too"):
        env.step("mine", "oak_log")


def test_external_server_replay_only_reconnects(monkeypatch: pytest.MonkeyPatch) -> None:
    from minecraft_helpers import FakeServer

    use_fakes(monkeypatch)
    shared = FakeServer().start()  # stands in for a server someone else runs
    env = MinecraftEnvironment(server=shared.address)
    env.reset(seed=5)
    raw = env.step("mine", "oak_log 2").raw_actions
    env.reset(seed=5)
    assert env.replay(raw).extras["inventory"] == {"oak_log": 2}  # not 4: nothing re-sent
    assert env.steps_taken == 1


def test_options_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    env = MinecraftEnvironment(server="localhost:25565", mc_version=1.2, username="bob",
                               step_timeout_s="30", recover="no", seed="4")
    assert env.external == ("localhost", 25565) and env.mc_version == "1.20"
    assert (env.username, env.step_timeout_s, env.recover, env.default_seed) == (
        "bob", 30.0, False, 4)
    assert parse_server(25565) == ("127.0.0.1", 25565)
    assert parse_server("") is None
    for bad in ({"server": "host:port"}, {"username": "x" * 17}, {"step_timeout_s": "0"},
                {"recover": "maybe"}):
        with pytest.raises(ValueError):
            MinecraftEnvironment(**bad)


def test_tasks_easiest_first_and_checked(env: MinecraftEnvironment) -> None:
    tasks = env.tasks()
    assert tasks[0] == "mine a log" and tasks[-1] == "craft an iron pickaxe" and len(tasks) == 11
    assert all(env.check(task) is False for task in tasks)


def test_skill_code_from_steps(env: MinecraftEnvironment) -> None:
    code = env.skill_code("getPlanks", "mine a log and craft planks",
                          [["mine", "oak_log 1", True], ["craft", "oak_planks 1", True]])
    assert code.splitlines()[1:5] == [
        "async function getPlanks(bot) {",
        '  if (!bot.findBlock({ matching: "oak_log", maxDistance: 32 })) '
        'await exploreUntil(bot, "oak_log", 60);',
        '  if ((await mineBlock(bot, "oak_log", 1)) === false) return false;',
        '  if ((await craftItem(bot, "oak_planks", 1)) === false) return false;',
    ]


def test_an_unknown_function_gets_the_primitive_or_skill_it_resembles() -> None:
    from agentkit_minecraft.env import _with_hint

    functions = ["mineBlock", "craftItem", "smeltItem", "craft_sticks"]
    undefined = ("line 2: {} is not defined: it is not a primitive, a skill, a function of "
                 "this program or a built-in")
    assert _with_hint(undefined.format("craft_item"), functions).endswith(
        "(did you mean craftItem?)")
    assert _with_hint(undefined.format("craftSticks"), functions).endswith(
        "(did you mean craft_sticks?)")
    assert _with_hint(undefined.format("teleport"), functions) == undefined.format("teleport")
    assert _with_hint("line 1: SyntaxError: x", functions) == "line 1: SyntaxError: x"


def test_names_in_quotes_are_checked_before_a_program_runs() -> None:
    from agentkit_minecraft.env import _unknown_names
    from agentkit_minecraft.names import game_names

    names = game_names("1.20.4")
    if names is None:
        pytest.skip("minecraft-data is not installed (agentkit minecraft setup)")
    code = ('async function run(bot) {\n  await craftItem(bot, "oak_plank", 1);\n'
            "  await mineBlock(bot, 'oak_log', 2);\n  await mineBlock(bot, \"log\");\n"
            '  await exploreUntil(bot, "pig", 60);\n  await smeltItem(bot, name, "coal");\n}')
    problems = _unknown_names(code, names)
    assert len(problems) == 2
    assert problems[0].startswith("line 2: craftItem: no item named 'oak_plank'")
    assert "did you mean oak_planks" in problems[0]
    assert problems[1].startswith("line 4: mineBlock: no block named 'log'")
    assert _unknown_names(code, None) == []


def test_the_viewer_option_reads_as_a_port() -> None:
    from agentkit_minecraft.env import parse_viewer

    assert [parse_viewer(v) for v in ("off", "", False, "on", True, "auto", "3007")] == [
        None, None, None, 0, 0, 0, 3007
    ]  # fmt: skip
    for bad in ("maybe", "0x", "70000", "-1"):
        with pytest.raises(ValueError, match="viewer must be off, on or a port"):
            parse_viewer(bad)


def test_the_live_view_keeps_its_page_for_the_run_and_ends_with_the_world(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_fakes(monkeypatch)
    assert MinecraftEnvironment().live_view is None  # off unless asked for
    env = MinecraftEnvironment(viewer="on")
    assert env.live_view is None  # nothing to watch before the world starts
    env.reset(seed=3)
    first = env.live_view
    assert first == "http://127.0.0.1:45678/"
    env.reset(seed=4)  # a new world: the bridge is asked for the same port again
    assert FakeBridge.started[-1].viewer == {"ok": True, "url": first}
    assert env.live_view == first and env.viewer_port == 45678
    env.close()
    assert env.live_view is None
