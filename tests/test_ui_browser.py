"""``agentkit ui`` in a real browser: Debian's Chromium driven by Playwright.

The test starts ``agentkit ui`` on a free port over a home with real runs (the controller
is the ``ScriptedChatModel`` TEST DOUBLE, see tests/ui_runs.py; Crafter, the graph, the run
folders and the memory are real), opens every page, plays a replay with the scrubber, the
buttons and the keyboard, and follows a run started after the page opened until it ends.
Screenshots go to ``$AGENTKIT_UI_SCREENSHOTS`` (default: the test's temporary folder);
docs/ui/ holds copies of good ones.

Playwright's own browser download does not work offline, so it is never used: the test
launches ``/usr/bin/chromium`` (``apt-get install -y chromium``) and fails, not skips,
when it is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentkit.ui.screenshots import chromium, running_ui
from tests.ui_runs import make_learn, make_run

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
AGENTKIT = Path(sys.executable).with_name("agentkit")


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("AGENTKIT_UI_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("uihome")
    make_run(home, "crafter-seed0", 40)
    make_learn(home, "learn-code")
    return home


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[str]:
    try:
        with running_ui(home, [ROOT / "docs" / "benchmarks"]) as base:
            with urllib.request.urlopen(base + "api/overview", timeout=10) as reply:
                assert json.load(reply)["runs"] == 2
            yield base
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        with chromium() as context:
            yield context
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(  # aborted ones are fine: a frame replaced by the next, a stream at close
        "requestfailed",
        lambda request: (
            errors.append(f"{request.failure}: {request.url}")
            if "ERR_ABORTED" not in (request.failure or "")
            else None
        ),
    )
    page.on(
        "requestfinished",
        lambda request: (
            errors.append(f"not local: {request.url}")
            if not request.url.startswith((server, "data:"))
            else None
        ),
    )
    yield page
    page.close()
    assert errors == []  # no script error, and nothing loaded from anywhere but the server


def open_page(page, server: str, hash_: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + hash_)
    page.wait_for_function(f"document.body.dataset.ready === {hash_!r}", timeout=20_000)


def test_every_page_shows_the_home(page, server, shots, home):
    open_page(page, server, "#/runs")
    rows = page.locator("tr[data-run]")
    assert rows.count() == 2
    assert "crafter-seed0" in page.inner_text("table") and "learn-code" in page.inner_text("table")
    assert page.locator("tr[data-run='crafter-seed0'] .badge").inner_text() == "complete"
    page.screenshot(path=str(shots / "runs.png"))
    page.select_option("#filter-kind", "learn")
    page.wait_for_function("document.querySelectorAll('tr[data-run]').length === 1")
    assert page.locator("tr[data-run]").get_attribute("data-run") == "learn-code"

    open_page(page, server, "#/skills")
    names = page.locator("tr[data-skill]").evaluate_all("rows => rows.map(r => r.dataset.skill)")
    assert "collect_wood" in names and "verified" in page.inner_text("table")
    page.screenshot(path=str(shots / "skills.png"))
    page.click("a[href='#/skill/collect_wood']")
    page.wait_for_function("document.body.dataset.ready === '#/skill/collect_wood'")
    assert "def collect_wood" in page.inner_text("pre.code")
    assert "learn-code:0" in page.inner_text("main")
    page.screenshot(path=str(shots / "skill.png"), full_page=True)

    open_page(page, server, "#/episodes")
    assert page.locator("tr[data-episode]").count() >= 2
    assert "collect wood" in page.inner_text("table")
    page.screenshot(path=str(shots / "episodes.png"))

    open_page(page, server, "#/learning")
    assert page.locator("#learning-charts canvas").count() == 2
    assert "learn-code" in page.inner_text("main")
    page.screenshot(path=str(shots / "learning.png"), full_page=True)

    open_page(page, server, "#/bench")
    assert page.locator(".bench-result").count() >= 5
    assert page.locator(".bench-result canvas").count() >= 1  # the Crafter success rates
    page.screenshot(path=str(shots / "bench.png"))

    open_page(page, server, "#/plugins")
    assert "agentkit.default_plugins.ui" in page.inner_text("table")
    assert "crafter" in page.inner_text("main")
    page.screenshot(path=str(shots / "plugins.png"))


def lines(home: Path, run_id: str) -> list[dict[str, object]]:
    text = (home / "runs" / run_id / "trajectory.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines()]


def shown_step(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.inner_text("#step-title").split()[1])


def test_a_replay_plays_with_the_scrubber_the_buttons_and_the_keys(page, server, shots, home):
    steps = lines(home, "crafter-seed0")
    assert len(steps) > 22  # the Crafter episode may end before its 40 steps
    open_page(page, server, "#/run/crafter-seed0")
    assert page.inner_text("#position") == f"1 / {len(steps)}"
    assert shown_step(page) == steps[0]["step"]
    page.wait_for_function("document.getElementById('frame').naturalWidth > 0")

    def at(index: int) -> None:
        page.wait_for_function(
            f"document.getElementById('position').textContent.startsWith('{index + 1} /')"
        )
        page.wait_for_function(
            f"document.querySelector('#step-title')?.textContent"
            f".startsWith('step {steps[index]['step']} ')"
        )
        argument = steps[index]["argument"]
        action = f"{steps[index]['action']}({argument})" if argument else steps[index]["action"]
        assert page.inner_text("#step-action") == action
        assert page.inner_text("#step-feedback") == steps[index]["feedback"]
        assert page.inner_text("#step-prompt") == steps[index]["prompt"]
        assert page.inner_text("#step-reply") == steps[index]["reply"]
        frame = page.get_attribute("#frame", "src") or ""
        assert frame.endswith(f"/frames/0/{steps[index]['step']}.png")

    page.locator("#scrubber").evaluate(
        "(el) => { el.value = 20; el.dispatchEvent(new Event('input')); }"
    )
    at(20)
    page.wait_for_function("document.getElementById('frame').complete")
    page.screenshot(path=str(shots / "replay.png"), full_page=True)
    page.keyboard.press("ArrowRight")
    at(21)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    at(19)
    page.keyboard.press("PageDown")
    at(min(29, len(steps) - 1))
    page.keyboard.press("End")
    at(len(steps) - 1)
    page.keyboard.press("Home")
    at(0)
    page.click("#next")
    at(1)
    page.click("tr[data-index='5']")
    at(5)
    page.select_option("#speed", "30")
    page.keyboard.press(" ")  # play
    page.wait_for_function(
        "parseInt(document.getElementById('position').textContent) >= 15", timeout=20_000
    )
    page.keyboard.press(" ")  # pause
    paused = page.inner_text("#position")
    page.wait_for_timeout(400)
    assert page.inner_text("#position") == paused


def test_a_live_run_updates_the_page_until_it_ends(page, server, shots, home):
    script = ROOT / "tests" / "ui_runs.py"
    run = subprocess.Popen(
        [sys.executable, str(script), "run", str(home), "live-run", "15", "0.25"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while not (home / "runs" / "live-run" / "run.json").exists():
            assert run.poll() is None, run.stdout.read() if run.stdout else ""
            assert time.monotonic() < deadline
            time.sleep(0.1)
        open_page(page, server, "#/run/live-run")
        assert page.inner_text("#live-status") == "● live"
        assert page.inner_text("#run-status") == "running"
        page.wait_for_function(
            "parseInt(document.getElementById('position').textContent.split('/')[1]) >= 3",
            timeout=120_000,
        )
        page.screenshot(path=str(shots / "live.png"))
        assert run.wait(timeout=300) == 0
        page.wait_for_function(
            "document.getElementById('live-status').dataset.ended === '1'", timeout=60_000
        )
    finally:
        if run.poll() is None:
            run.kill()
    steps = lines(home, "live-run")
    assert page.inner_text("#live-status") == f"run ended · {len(steps)} steps"
    assert page.inner_text("#position") == f"{len(steps)} / {len(steps)}"  # followed to the end
    assert shown_step(page) == steps[-1]["step"]
    assert page.inner_text("#run-status") == "complete"
    assert page.inner_text("#step-feedback") == steps[-1]["feedback"]
