"""Against the real test server and bridge: lifetime, stepping, programs, crash and replay.

Marked ``slow`` (Node.js, several seconds each); skipped with the reason when Node, ``npm
ci`` or the Node programs are missing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
from minecraft_helpers import assert_gone_after_sigkill, live_missing, start_parent

from agentkit_minecraft import MinecraftEnvironment, TestServer
from agentkit_minecraft.processes import JS_DIR

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(live_missing() is not None, reason=str(live_missing())),
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_sigkilled_parent_leaves_no_server_behind() -> None:
    parent, pid = start_parent("server/server.js", JS_DIR, "--port", "0", "--seed", "1")
    assert_gone_after_sigkill(parent, pid, within_s=5)


def test_server_context_manager(minecraft_server: TestServer) -> None:
    assert minecraft_server.alive and minecraft_server.port > 0
    assert minecraft_server.address == f"127.0.0.1:{minecraft_server.port}"


@pytest.fixture(scope="module")
def shared_env(minecraft_server: TestServer) -> Iterator[MinecraftEnvironment]:
    """A bot on the session's server (external mode: resets only reconnect)."""
    env = MinecraftEnvironment(server=minecraft_server.address, username="live_tester")
    env.reset(seed=7)
    yield env
    env.close()


def test_observation_text_and_extras(shared_env: MinecraftEnvironment) -> None:
    observation = shared_env.reset(seed=7)
    text = observation.text
    for heading in ("Position:", "Health:", "Inventory", "Equipment:", "Nearby blocks:"):
        assert heading in text
    assert {"position", "health", "inventory", "nearby_blocks"} <= set(observation.extras)


def test_mine_a_log(shared_env: MinecraftEnvironment) -> None:
    result = shared_env.step("mine", "oak_log 1")
    assert result.ok, result.feedback
    assert result.raw_actions == [{"act": "mineBlock", "args": ["oak_log", 1]}]
    assert result.observation.extras["inventory"].get("oak_log", 0) >= 1
    assert shared_env.check("mine a log") is True


def test_missing_ingredients_give_the_bridges_message(shared_env: MinecraftEnvironment) -> None:
    result = shared_env.step("craft", "iron_pickaxe")
    assert not result.ok
    assert "iron_pickaxe" in result.feedback and "need" in result.feedback, result.feedback


def test_bad_argument_is_refused(shared_env: MinecraftEnvironment) -> None:
    result = shared_env.step("mine", "oak_logg")
    assert not result.ok and "did you mean oak_log" in result.feedback
    assert result.raw_actions == []


def test_programs_check_and_run(shared_env: MinecraftEnvironment) -> None:
    assert shared_env.check_program(shared_env.example_program()) == []
    problems = shared_env.check_program("async function run(bot) {\n  await nope(bot)\n")
    assert problems, "a syntax error was not reported"
    result = shared_env.run_program(
        'async function run(bot) {\n  await chat(bot, "hi");\n  throw new Error("boom");\n}',
        "run", {},
    )
    assert not result.ok and "boom" in result.feedback and "line 3" in result.feedback
    result = shared_env.run_program(
        "async function run(bot) {\n  return await helper(bot);\n}", "run",
        {"helper": 'async function helper(bot) { await chat(bot, "from a skill"); return true; }'},
    )
    assert result.ok, result.feedback


def test_a_learned_skill_runs_in_a_program(shared_env: MinecraftEnvironment) -> None:
    skill = shared_env.skill_code("getLog", "mine one log", [("mine", "oak_log 1", True)])
    shared_env.program_functions([{"name": "getLog", "description": "mine one log"}])
    program = "async function run(bot) {\n  return await getLog(bot);\n}"
    assert shared_env.check_program(program) == []  # the offered skill is known
    before = shared_env.observation()["inventory"].get("oak_log", 0)
    result = shared_env.run_program(program, "run", {"getLog": skill})
    assert result.ok, result.feedback
    assert result.raw_actions == [{"program": program, "entry": "run", "skills": {"getLog": skill}}]
    assert result.observation.extras["inventory"].get("oak_log", 0) == before + 1


def test_serve_command_runs_until_ctrl_c() -> None:
    command = [sys.executable, "-c", "from agentkit.cli import main; main()",
               "minecraft", "serve", "--port", "0", "--seed", "3"]
    serve = subprocess.Popen(  # SIGINT restored: background test runs may ignore it
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert serve.stdout is not None
        line = serve.stdout.readline()
        assert "test server (seed 3) on 127.0.0.1:" in line, line
        serve.send_signal(signal.SIGINT)
        code = serve.wait(timeout=30)
        assert code == 0, f"exit {code}: {serve.stdout.read()}"
    finally:
        if serve.poll() is None:
            serve.kill()


def test_same_seed_same_world_and_replay_after_a_bridge_crash() -> None:
    env = MinecraftEnvironment(recover=False)
    try:
        first = env.reset(seed=11).text
        raw = env.step("mine", "oak_log 2").raw_actions
        held = env.observation()["inventory"]
        assert held.get("oak_log", 0) >= 2
        assert env._bridge is not None and env._bridge.process is not None
        os.kill(env._bridge.process.pid, signal.SIGKILL)
        result = env.step("craft", "oak_planks 1")
        assert not result.ok and "bridge crashed" in result.feedback, result.feedback
        assert env.reset(seed=11).text == first
        restored = env.replay(raw)
        # the logs the replayed actions mined come back; leaves decay on random ticks, so a
        # sapling, stick or apple they drop may or may not be picked up on either run
        incidental = {"oak_sapling", "stick", "apple"}
        again = restored.extras["inventory"]
        assert {k: v for k, v in again.items() if k not in incidental} == {
            k: v for k, v in held.items() if k not in incidental}, (again, held)
        assert env.check("mine a log") is True
    finally:
        env.close()


def test_a_crashed_server_is_restarted_and_the_episode_replayed() -> None:
    env = MinecraftEnvironment()  # recover=True: the failing step restarts and replays
    try:
        env.reset(seed=11)
        env.step("mine", "oak_log 1")
        held = env.observation()["inventory"]
        assert env._server is not None and env._server.process is not None
        os.kill(env._server.process.pid, signal.SIGKILL)
        result = env.step("craft", "oak_planks 1")
        assert not result.ok and "test server crashed" in result.feedback, result.feedback
        assert "Recovered" in result.feedback and result.raw_actions == []
        assert result.observation.extras["inventory"] == held
        assert env.steps_taken == 1 and env.metrics()["crashes"] == 1
        again = env.step("craft", "oak_planks 1")
        assert again.ok, again.feedback
    finally:
        env.close()


def test_smelting_picks_a_fuel_from_the_inventory(minecraft_server: TestServer) -> None:
    env = MinecraftEnvironment(server=minecraft_server.address, username="smelter",
                               allow_commands=True)
    try:
        env.reset(seed=7)
        for item in ("furnace 1", "raw_iron 1", "oak_planks 2"):
            assert env.step("chat", f"/give smelter {item}").ok
        result = env.step("smelt", "iron_ingot")  # the product's name is read as its input
        assert result.raw_actions == [{"act": "smeltItem", "args": ["raw_iron", "oak_planks", 1]}]
        assert result.ok, result.feedback
        assert env.check("smelt an iron ingot") is True
        assert "milestone: smelt an iron ingot" in result.events
    finally:
        env.close()
