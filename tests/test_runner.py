"""start_run: episodes, the run folder, the summary and observer hooks."""

import json

from agentkit import RunConfig, load_plugins, start_run
from agentkit.plugins.hookspecs import hookimpl
from agentkit.testing import ScriptedChatModel


def test_two_episodes_fill_the_run_folder_and_notify_observers(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "")
    registry = load_plugins()
    seen: list[tuple] = []

    class Observer:
        @hookimpl
        def on_episode_start(self, run_id, episode, task, env):
            seen.append(("start", episode))

        @hookimpl
        def on_step(self, run_id, episode, record):
            seen.append(("step", episode, record["step"]))

        @hookimpl
        def on_episode_end(self, run_id, episode, summary):
            seen.append(("end", episode, summary["steps"]))

    registry.manager.register(Observer(), name="observer")
    model = ScriptedChatModel(
        default=lambda messages: (
            json.dumps({"subgoals": ["walk"]})
            if '"subgoals"' in str(messages[-1].content)
            else json.dumps({"action": "push_left", "argument": None, "reason": ""})
        )
    )
    config = RunConfig(env="gymnasium:CartPole-v1", task="balance", max_steps=3, episodes=2, seed=7)
    result = start_run(config, home=tmp_path, registry=registry, model=model)

    lines = [json.loads(x) for x in (result.folder / "trajectory.jsonl").read_text().splitlines()]
    assert [(r["episode"], r["step"]) for r in lines] == [
        (0, 1),
        (0, 2),
        (0, 3),
        (1, 1),
        (1, 2),
        (1, 3),
    ]
    assert seen[0] == ("start", 0) and seen[4] == ("end", 0, 3) and seen[5] == ("start", 1)
    summary = json.loads((result.folder / "summary.json").read_text())
    assert summary["steps"] == 6 and set(summary["episodes"]) == {"0", "1"}
    assert summary["llm_calls"] == summary["llm_totals"]["calls"] >= 6
    meta = json.loads((result.folder / "run.json").read_text())
    assert meta["config"]["seed"] == 7 and all(e["finished"] for e in meta["episodes"].values())
