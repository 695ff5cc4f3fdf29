"""Screenshots of every page of ``agentkit ui`` over a home: the pictures in docs/ui.md.

:func:`running_ui` and :func:`chromium` are also what the browser test drives the viewer
with.

Starts ``agentkit ui`` on the home, opens each page in Debian's Chromium through Playwright
(never Playwright's own browser download) and saves one PNG per page:

    python -m agentkit.ui.screenshots --home HOME --results docs/benchmarks \\
        --run RUN_ID --skill NAME --out docs/ui
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agentkit.ui.server import free_port

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "WEBGL_ARGS",
    "chromium",
    "main",
    "running_ui",
    "sky_share",
    "take",
    "take_live",
    "wait_for_live_view",
]

CHROMIUM = Path(os.environ.get("AGENTKIT_CHROMIUM", "/usr/bin/chromium"))
# Offline: without the background-networking flags Chromium keeps dialling Google's hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WebGL on the CPU (SwiftShader through ANGLE), for pages that draw in 3D such as
# Minecraft's live view; Chromium no longer falls back to it unless told to.
WEBGL_ARGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


@contextmanager
def running_ui(home: Path, results: Sequence[Path] = (), timeout: float = 60.0) -> Iterator[str]:
    """``agentkit ui`` over ``home`` on a free loopback port; its base URL, once it answers.

    Raises RuntimeError with the server's output if it exits or does not answer in time.
    """
    command = [str(Path(sys.executable).with_name("agentkit")), "ui", "--home", str(home)]
    command += ["--port", str(port := free_port())]
    for folder in results:
        command += ["--results", str(folder)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "api/overview", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    output = server.stdout.read().decode() if server.stdout else ""
                    raise RuntimeError(f"agentkit ui did not start: {output}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def chromium(*, webgl: bool = False) -> Iterator[Any]:
    """A headless browser context in Debian's Chromium (through Playwright), fresh profile.

    ``webgl`` renders WebGL in software (slower start, needed only by 3D pages). Raises
    RuntimeError saying how to install Chromium when it is missing.
    """
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"Chromium is missing at {CHROMIUM}: install Debian's package as root with "
            "`apt-get install -y chromium` (make setup does this), or set AGENTKIT_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=[a for a in CHROMIUM_ARGS if a != "--disable-gpu"] + WEBGL_ARGS
            if webgl
            else CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


def _open(page: Any, base: str, route: str) -> None:
    page.goto(base + route)
    page.wait_for_function(f"document.body.dataset.ready === {route!r}", timeout=60_000)


def take(
    home: Path, out: Path, *, results: list[Path], run: str, skill: str | None, step: int = 0
) -> list[Path]:
    """Save the screenshots of ``home`` into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    pages = [("runs", "#/runs", False), ("replay", f"#/run/{run}", True)]
    pages += [("skills", "#/skills", False), ("episodes", "#/episodes", False)]
    pages += [("learning", "#/learning", True), ("bench", "#/bench", False)]
    pages += [("plugins", "#/plugins", False)]
    if skill is not None:
        pages.insert(3, ("skill", f"#/skill/{skill}", True))
    saved: list[Path] = []
    with running_ui(home, results) as base, chromium() as browser:
        page = browser.new_page()
        for name, route, full in pages:
            _open(page, base, route)
            if name == "replay" and step:
                for _ in range(step):
                    page.keyboard.press("ArrowRight")
                page.wait_for_timeout(500)
            path = out / f"{name}.png"
            page.screenshot(path=str(path), full_page=full)
            saved.append(path)
    return saved


def sky_share(png: bytes) -> float:
    """The share of a picture its commonest colour covers: a 3D view's empty sky before the
    terrain is drawn (0.98 for Minecraft's with only the bot and a few mobs), a few percent
    once it is."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB").resize((160, 120))
    colours = image.getcolors(maxcolors=160 * 120) or [(160 * 120, (0, 0, 0))]
    return max(colours)[0] / (160 * 120)


def wait_for_live_view(page: Any, timeout: float = 120.0) -> tuple[bytes, float]:
    """Wait until the run page's live view has drawn its world; its picture and sky share."""
    page.frame_locator("#live-view-frame").locator("canvas").wait_for(timeout=60_000)
    frame = page.locator("#live-view-frame")
    drawn, sky = b"", 1.0
    deadline = time.monotonic() + timeout
    while sky > 0.5 and time.monotonic() < deadline:
        page.wait_for_timeout(2000)  # chunks arrive and are meshed in a web worker
        drawn = frame.screenshot()
        sky = sky_share(drawn)
    return drawn, sky


def take_live(home: Path, out: Path, run: str, name: str) -> Path:
    """Save the page of ``run`` in progress as ``name``.png, followed live; a world's live
    view (Minecraft's 3D view) once it has drawn the world."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    with running_ui(home) as base, chromium(webgl=True) as browser:
        page = browser.new_page()
        _open(page, base, f"#/run/{run}")
        if page.locator("#live-status").inner_text() != "● live":
            raise RuntimeError(f"run {run} is not in progress")
        if page.locator("#live-view-frame").count():
            _, sky = wait_for_live_view(page)
            if sky > 0.5:
                raise RuntimeError(f"the live view of {run} was not drawn in time")
        else:
            page.wait_for_timeout(3000)  # a step or two lands while the page follows
        page.screenshot(path=str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--results", type=Path, action="append", default=[])
    parser.add_argument("--run", required=True, help="the run shown on the replay page")
    parser.add_argument("--step", type=int, default=0, help="steps to advance the replay")
    parser.add_argument("--skill", help="the skill shown on the skill page")
    parser.add_argument(
        "--live", metavar="NAME", help="only the page of the run in progress, as NAME.png"
    )
    args = parser.parse_args()
    if args.live:
        print(take_live(args.home, args.out, args.run, args.live))
        return
    for path in take(
        args.home, args.out, results=args.results, run=args.run, skill=args.skill, step=args.step
    ):
        print(path)


if __name__ == "__main__":
    main()
