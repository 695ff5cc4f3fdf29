"""Screenshots of every page of ``agentkit ui`` over a home: the pictures in docs/ui.md.

Starts ``agentkit ui`` on the home, opens each page in Debian's Chromium through Playwright
(never Playwright's own browser download) and saves one PNG per page:

    python -m agentkit.ui.screenshots --home HOME --results docs/benchmarks \\
        --run RUN_ID --skill NAME --out docs/ui
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "main", "take"]

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _open(page: Any, base: str, route: str) -> None:
    page.goto(base + route)
    page.wait_for_function(f"document.body.dataset.ready === {route!r}", timeout=60_000)


def take(
    home: Path, out: Path, *, results: list[Path], run: str, skill: str | None, step: int = 0
) -> list[Path]:
    """Save the screenshots of ``home`` into ``out``; return their paths."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(f"Chromium is missing at {CHROMIUM}: apt-get install -y chromium")
    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    command = [str(Path(sys.executable).with_name("agentkit")), "ui", "--home", str(home)]
    command += ["--port", str(port)]
    for folder in results:
        command += ["--results", str(folder)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    saved: list[Path] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "api/overview", timeout=2) as reply:
                    json.load(reply)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("agentkit ui did not start") from None
                time.sleep(0.3)
        pages = [("runs", "#/runs", False), ("replay", f"#/run/{run}", True)]
        pages += [("skills", "#/skills", False), ("episodes", "#/episodes", False)]
        pages += [("learning", "#/learning", True), ("bench", "#/bench", False)]
        pages += [("plugins", "#/plugins", False)]
        if skill is not None:
            pages.insert(3, ("skill", f"#/skill/{skill}", True))
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 1000},
            )
            page = context.new_page()
            for name, route, full in pages:
                _open(page, base, route)
                if name == "replay" and step:
                    for _ in range(step):
                        page.keyboard.press("ArrowRight")
                    page.wait_for_timeout(500)
                path = out / f"{name}.png"
                page.screenshot(path=str(path), full_page=full)
                saved.append(path)
            context.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--results", type=Path, action="append", default=[])
    parser.add_argument("--run", required=True, help="the run shown on the replay page")
    parser.add_argument("--step", type=int, default=0, help="steps to advance the replay")
    parser.add_argument("--skill", help="the skill shown on the skill page")
    args = parser.parse_args()
    for path in take(
        args.home, args.out, results=args.results, run=args.run, skill=args.skill, step=args.step
    ):
        print(path)


if __name__ == "__main__":
    main()
