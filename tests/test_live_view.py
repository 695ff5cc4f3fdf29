"""A world's live view (``Environment.live_view``) is in run.json while the run goes on.

``agentkit ui`` reads it there to show the world beside the step list (Minecraft's 3D view),
so it must appear before the first step lands, follow the world when a reset moves it, and
be gone once the run, and with it the world, has ended. The model is the scripted test
double: what it chooses does not matter here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agentkit import RunConfig, start_run
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.environment import Observation
from agentkit.plugins import Named, load_plugins
from agentkit.testing import ScriptedChatModel


class WatchedLake(GymnasiumEnvironment):
    """FrozenLake whose every episode is watched on a page of its own."""

    def __init__(self) -> None:
        super().__init__("FrozenLake-v1")
        self.resets = 0

    def reset(self, seed: int | None = None) -> Observation:
        self.resets += 1
        return super().reset(seed)

    @property
    def live_view(self) -> str | None:
        return f"http://127.0.0.1:{9000 + self.resets}/" if self.resets else None


def left(messages: Any) -> str:
    if '"subgoals"' in str(messages[-1].content):
        return json.dumps({"subgoals": ["walk"]})
    return json.dumps({"action": "left", "argument": None, "reason": "test double"})


def test_run_json_holds_the_live_view_while_the_run_goes_on(tmp_path: Path) -> None:
    registry = load_plugins()
    registry.environments["watched"] = Named("watched", lambda argument, **_: WatchedLake())
    seen: list[tuple[int, str | None]] = []

    def progress(episode: int, record: dict[str, Any]) -> None:
        folders = list((tmp_path / "runs").iterdir())
        meta = json.loads((folders[0] / "run.json").read_text())
        seen.append((episode, meta.get("live_view")))

    config = RunConfig(env="watched", task="walk", max_steps=2, episodes=2)
    result = start_run(
        config, home=tmp_path, registry=registry, model=ScriptedChatModel(default=left),
        progress=progress,
    )  # fmt: skip
    assert seen == [
        (0, "http://127.0.0.1:9001/"),
        (0, "http://127.0.0.1:9001/"),
        (1, "http://127.0.0.1:9002/"),  # the second episode's reset moved it
        (1, "http://127.0.0.1:9002/"),
    ]
    assert "live_view" not in json.loads((result.folder / "run.json").read_text())


def test_worlds_without_a_view_leave_run_json_alone(tmp_path: Path) -> None:
    config = RunConfig(env="gymnasium:FrozenLake-v1", task="walk", max_steps=1)
    result = start_run(config, home=tmp_path, model=ScriptedChatModel(default=left))
    assert GymnasiumEnvironment("FrozenLake-v1").live_view is None
    assert "live_view" not in json.loads((result.folder / "run.json").read_text())
