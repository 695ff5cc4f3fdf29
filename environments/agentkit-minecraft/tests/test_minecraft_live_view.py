"""The live 3D view of a Minecraft run, from the bridge to a real browser.

The bridge serves prismarine-viewer's page on 127.0.0.1 (``viewer`` option); the run engine
puts its address in run.json; ``agentkit ui`` frames it beside the step list while the run
goes on, in Debian's Chromium driven by Playwright, rendering WebGL in software. The test
checks that the page draws the world (many colours, not an empty canvas), keeps the
screenshot, and follows the run to its end, when the view closes with the world.

The controller is the ``ScriptedChatModel`` test double, held back by the test so the run
is still in progress while the browser looks; the server, bridge, viewer, run engine, UI
and browser are real. Slow: a minute or two.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from agentkit import RunConfig, start_run
from agentkit.testing import ScriptedChatModel
from agentkit.ui.screenshots import chromium, running_ui, wait_for_live_view
from minecraft_helpers import live_missing

from agentkit_minecraft import MinecraftEnvironment, TestServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(live_missing() is not None, reason=str(live_missing())),
]

MINE = json.dumps({"action": "mine", "argument": "oak_log 1", "reason": "test double"})


def test_the_bridge_serves_the_view_on_loopback_and_stops_it_with_the_bot(
    minecraft_server: TestServer,
) -> None:
    env = MinecraftEnvironment(server=minecraft_server.address, username="viewer_1", viewer="on")
    try:
        env.reset(seed=7)
        url = env.live_view
        assert url is not None and url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=10) as reply:
            assert '<script type="text/javascript" src="index.js">' in reply.read().decode()
        with urllib.request.urlopen(url + "index.js", timeout=10) as reply:
            assert reply.status == 200  # the renderer itself, from node_modules
    finally:
        env.close()
    assert env.live_view is None
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)


def test_the_ui_shows_a_minecraft_run_live_in_3d(
    minecraft_server: TestServer, tmp_path: Path
) -> None:
    proceed = threading.Event()
    decisions: list[int] = []

    def policy(messages: Any) -> str:
        if '"subgoals"' in str(messages[-1].content):
            return json.dumps({"subgoals": ["mine a log"]})
        decisions.append(len(decisions))
        if len(decisions) > 1:  # the first step runs; the rest waits for the browser
            proceed.wait(timeout=300)
        return MINE

    config = RunConfig(
        env="minecraft", task="mine a log", max_steps=2, seed=7, knowledge=False,
        env_options={"server": minecraft_server.address, "username": "viewer_2",
                     "viewer": "on"},
    )  # fmt: skip
    folders: list[Path] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            start_run(
                config,
                home=tmp_path,
                model=ScriptedChatModel(default=policy),
                on_created=folders.append,
            )
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            proceed.set()

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    try:
        deadline = time.monotonic() + 120
        url = None
        while url is None:
            assert not failures, failures
            assert time.monotonic() < deadline, "no live view in run.json after 120 s"
            time.sleep(0.5)
            if folders:
                url = json.loads((folders[0] / "run.json").read_text()).get("live_view")
        run_id = folders[0].name

        with running_ui(tmp_path) as base, chromium(webgl=True) as browser:
            page = browser.new_page()
            page.goto(f"{base}#/run/{run_id}")
            page.wait_for_function(
                f"document.body.dataset.ready === '#/run/{run_id}'", timeout=60_000
            )
            assert page.locator("#live-view-frame").get_attribute("src") == url
            drawn, sky = wait_for_live_view(page)
            (tmp_path / "live-view.png").write_bytes(drawn)
            assert sky <= 0.5, f"after 120 s one colour still covers {sky:.0%} of the 3D view"

            proceed.set()  # let the run finish: the view closes with its world
            page.locator("#live-view-closed").wait_for(timeout=180_000)
            assert "run ended" in page.locator("#live-status").inner_text()
    finally:
        proceed.set()
        runner.join(timeout=300)
    assert not failures, failures
    assert "live_view" not in json.loads((folders[0] / "run.json").read_text())
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)
