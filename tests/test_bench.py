"""Benchmarks: the score formulas against hand-computed values, and smoke runs of each
``agentkit bench`` command with tiny settings so they never rot."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from agentkit.bench.crafter import BenchConfig, aggregate, run_crafter_bench, world_seed
from agentkit.bench.overhead import (
    TimedPerceiver,
    measure_overhead,
    scripted_policy,
    split,
    time_environment,
)
from agentkit.bench.report import markdown, write_results
from agentkit.bench.scores import (
    ACHIEVEMENTS,
    crafter_score,
    mean_sem,
    mean_std,
    progression,
    success_rates,
)
from agentkit.testing import ScriptedChatModel

needs_crafter = pytest.mark.skipif(
    importlib.util.find_spec("agentkit_crafter") is None, reason="agentkit-crafter not installed"
)


# -- scores ---------------------------------------------------------------------------------


def test_achievements_are_crafters_22():
    constants = pytest.importorskip("crafter.constants")
    assert len(ACHIEVEMENTS) == 22
    assert set(ACHIEVEMENTS) == set(constants.achievements)


def test_success_rates_are_percent_of_episodes():
    rates = success_rates([{"collect_wood"}, {"collect_wood", "place_table"}, set(), {"wake_up"}])
    assert rates["collect_wood"] == 50.0
    assert rates["place_table"] == 25.0 and rates["wake_up"] == 25.0
    assert sum(rates.values()) == 100.0 and len(rates) == 22


def test_crafter_score_matches_hand_computed_values():
    assert crafter_score(dict.fromkeys(ACHIEVEMENTS, 0.0)) == pytest.approx(0.0)
    assert crafter_score(dict.fromkeys(ACHIEVEMENTS, 100.0)) == pytest.approx(100.0)
    # one achievement always unlocked: 101 ** (1 / 22) - 1
    assert crafter_score({"collect_wood": 100.0}) == pytest.approx(0.233404, abs=1e-5)
    # 50 %, 25 %, 25 %: exp((ln 51 + 2 ln 26) / 22) - 1
    rates = success_rates([{"collect_wood"}, {"collect_wood", "place_table"}, set(), {"wake_up"}])
    assert crafter_score(rates) == pytest.approx(0.607869, abs=1e-5)


def test_progression_and_spreads():
    assert progression(["collect_wood", "place_table", "not_an_achievement"]) == pytest.approx(
        100 * 2 / 22
    )
    assert progression(ACHIEVEMENTS) == 100.0
    assert mean_std([1, 2, 3, 4]) == pytest.approx((2.5, 1.290994))
    assert mean_sem([1, 2, 3, 4]) == pytest.approx((2.5, 0.645497))
    assert mean_std([7.0]) == (7.0, 0.0)


def test_aggregate_scores_each_seed_then_their_mean_and_std():
    def episode(seed, achievements):
        return {
            "seed": seed,
            "achievements": achievements,
            "reward": len(achievements),
            "length": 100,
            "controller_steps": 10,
            "llm_calls": 20,
            "llm_tokens": 1000,
            "fallbacks": 1,
        }

    episodes = [episode(0, ["collect_wood"]), episode(0, []), episode(1, [])]
    results = aggregate(episodes, [0, 1])
    seed0, seed1 = results["per_seed"]["0"], results["per_seed"]["1"]
    assert seed0["crafter_score"] == pytest.approx(51 ** (1 / 22) - 1, abs=1e-3)
    assert seed1["crafter_score"] == 0.0
    overall = results["overall"]
    assert overall["crafter_score_seed_mean"] == pytest.approx(seed0["crafter_score"] / 2, abs=1e-3)
    assert overall["crafter_score_seed_std"] == pytest.approx(
        seed0["crafter_score"] / 2**0.5, abs=1e-3
    )
    assert overall["env_interactions"] == 300 and overall["llm_calls_per_step"] == 2.0
    assert overall["tokens_per_step"] == 100.0 and overall["fallbacks"] == 3


# -- overhead split -------------------------------------------------------------------------


def test_split_subtracts_env_and_llm_growth_from_each_interval():
    stamps = [0.0, 1.0, 2.5]
    records = [
        {"env_seconds": 0.05, "llm_seconds": 0.1},
        {"env_seconds": 0.2, "llm_seconds": 0.4},
        {"env_seconds": 0.3, "llm_seconds": 1.0},
    ]
    parts = split(stamps, records)
    assert parts["step"] == pytest.approx([1.0, 1.5])
    assert parts["env"] == pytest.approx([0.2, 0.3])
    assert parts["llm"] == pytest.approx([0.3, 0.6])
    assert parts["framework"] == pytest.approx([0.5, 0.6])


def test_split_takes_the_environment_and_perception_clocks_when_given():
    stamps = [0.0, 1.0, 2.0]
    records = [{"env_seconds": 0.0, "llm_seconds": 0.0}] * 2 + [
        {"env_seconds": 0.1, "llm_seconds": 0.2}
    ]
    parts = split(stamps, records, perception=[0.0, 0.3, 0.4], environment=[0.5, 0.7, 1.0])
    assert parts["env"] == pytest.approx([0.2, 0.3])  # the clock, not env_seconds
    assert parts["perception"] == pytest.approx([0.3, 0.1])
    assert parts["llm"] == pytest.approx([0.0, 0.2])
    assert parts["framework"] == pytest.approx([0.5, 0.4])


def test_timed_environment_and_perceivers_add_their_seconds_and_stay_themselves(lake):
    from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
    from agentkit.environment import Observation
    from agentkit.perception import Percept

    clock = [0.0]
    env = time_environment(lake, clock)
    env.reset(seed=0)
    assert clock[0] == 0.0  # reset comes before the first timed step
    assert env.step("down").ok and clock[0] > 0 and isinstance(env, GymnasiumEnvironment)
    stepped = clock[0]
    env.actions()
    assert clock[0] > stepped

    class Slow:
        name = "slow"

        def perceive(self, observation: Observation) -> Percept:
            import time

            time.sleep(0.01)
            return Percept(source="slow", text="seen")

    seen = [0.0]
    timed = TimedPerceiver(Slow(), seen)
    assert timed.perceive(Observation(text="x")).text == "seen"
    assert timed.name == "slow" and seen[0] >= 0.01


def test_scripted_policy_answers_each_prompt_kind_with_listed_actions():
    from langchain_core.messages import HumanMessage

    plan = json.loads(scripted_policy([HumanMessage("Task: x\nBreak the task into 1 to 4")]))
    assert plan["subgoals"]
    act_prompt = (
        "Task: x\nActions:\n- noop: do nothing\n- goto(target: tree|water): walk\n"
        "Current sub-goal: x\nChoose the next action."
    )
    action = json.loads(scripted_policy([HumanMessage(act_prompt)]))
    assert (action["action"], action["argument"]) in {
        ("noop", None),
        ("goto", "tree"),
        ("goto", "water"),
    }
    assert scripted_policy([HumanMessage(act_prompt)]) == json.dumps(action)  # deterministic
    verdict = json.loads(scripted_policy([HumanMessage("Was the sub-goal achieved?")]))
    assert verdict["success"] is False


# -- harness smoke runs (Python API) ---------------------------------------------------------


@needs_crafter
def test_random_agent_respects_the_cap_and_repeats_with_the_seed(tmp_path):
    config = BenchConfig(protocol="balrog", agent="random", seeds=[0, 1], episodes=2, max_steps=40)
    first = run_crafter_bench(config, tmp_path / "a")
    again = run_crafter_bench(config, tmp_path / "b")
    episodes = first["episodes"]
    assert [e["world_seed"] for e in episodes] == [0, 1, 1000, 1001]
    assert all(e["length"] <= 40 and e["llm_calls"] == 0 for e in episodes)
    assert [e["achievements"] for e in episodes] == [e["achievements"] for e in again["episodes"]]
    assert first["capped"] and first["world_step_cap"] == 2000
    assert world_seed(3, 2) == 3002


@needs_crafter
def test_llm_agent_runs_through_the_real_harness(tmp_path):
    model = ScriptedChatModel(default=scripted_policy)
    config = BenchConfig(protocol="balrog", seeds=[0, 2], episodes=1, max_steps=4)
    results = run_crafter_bench(config, tmp_path, model=model)
    assert results["agent"] == "llm" and results["model"] == "scripted-test-double"
    assert results["capped"] and results["controller_step_cap"] == 4
    for episode in results["episodes"]:
        assert 1 <= episode["controller_steps"] <= 4
        assert episode["llm_calls"] >= episode["controller_steps"]
    run = json.loads((tmp_path / "runs" / "seed2" / "run.json").read_text())
    options = run["config"]["env_options"]
    assert options["length"] == 2000 and options["mask"] is False
    assert options["primitives"] is False and run["config"]["seed"] == 2000
    assert options["text"] == "balrog"
    assert results["overall"]["llm_calls_per_step"] >= 1.0
    paths = write_results(results, tmp_path / "report")
    assert json.loads(paths["json"].read_text())["protocol"]["name"] == "balrog"
    text = markdown(results)
    assert "CAPPED" in text and "| all | 2 |" in text and "GPT-4o: 33.1" in text
    # matplotlib is a core dependency: the chart must always be drawn
    assert paths["chart"] is not None and paths["chart"].stat().st_size > 1000


@needs_crafter
def test_overhead_splits_a_scripted_run(tmp_path):
    results = measure_overhead("scripted", 5, tmp_path, env_options={"render": False})
    assert results["steps"] == 5 and results["samples"] >= 1
    assert "not an agent" in results["note"]
    shares = results["share"]
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.01)
    assert 0 < shares["framework"] <= 1
    seconds = results["seconds"]
    assert seconds["step"]["p95"] >= seconds["step"]["median"] > 0
    assert results["durability"] == "step" and "reference" not in results


@needs_crafter
def test_overhead_takes_the_framework_share_of_a_reference_models_step(tmp_path):
    results = measure_overhead(
        "scripted",
        4,
        tmp_path,
        env_options={"render": False},
        durability="node",
        reference_model="scripted",
        reference_steps=3,
    )
    reference = results["reference"]
    assert reference["model"] == "scripted" and reference["steps"] == 3
    share = results["framework_share_of_reference_step"]
    framework = results["seconds"]["framework"]["median"]
    assert share == pytest.approx(framework / reference["seconds"]["step"]["median"], rel=1e-3)
    run = json.loads((tmp_path / "runs" / "seed0" / "run.json").read_text())
    assert run["config"]["durability"] == "node"


# -- command line -------------------------------------------------------------------------


def agentkit(*args):
    code = "from agentkit.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


@needs_crafter
def test_cli_bench_crafter_random(tmp_path):
    done = agentkit(
        "bench", "crafter", "--agent", "random", "--seeds", "0,1", "--max-steps", "30",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path)
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["protocol"]["length"] == 10_000 and len(results["episodes"]) == 2
    assert (tmp_path / "results.md").exists()


@needs_crafter
def test_cli_bench_overhead_scripted(tmp_path):
    done = agentkit(
        "bench", "overhead", "--model", "scripted", "--steps", "4", "--reference", "scripted",
        "--reference-steps", "3", "--out", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "not an agent" in done.stderr.replace("\n", " ")
    assert "of a scripted step" in done.stderr.replace("\n", " ")
    results = json.loads((tmp_path / "overhead.json").read_text())
    assert results["steps"] == 4 and results["reference"]["steps"] == 3
    assert results["command"].startswith("agentkit bench overhead --model scripted")


def test_cli_bench_overhead_refuses_an_unknown_durability(tmp_path):
    done = agentkit("bench", "overhead", "--durability", "often", "--out", str(tmp_path))
    assert done.returncode == 2 and "step, node, exit" in done.stderr


def test_cli_bench_rejects_an_unknown_protocol(tmp_path):
    done = agentkit("bench", "crafter", "--protocol", "nethack", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "unknown protocol 'nethack'" in done.stderr


def test_cli_bench_crafter_names_an_unknown_model(tmp_path):
    done = agentkit("bench", "crafter", "--model", "nonesuch", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "unknown model 'nonesuch'" in done.stderr
