"""Node children: ready line, clear start errors, and no orphans when Python is killed.

These use tiny stand-in scripts in a temporary folder (they need ``node`` but neither
``npm ci`` nor the real programs); the same lifetime check with the real test server is in
test_minecraft_live.py.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import time
from pathlib import Path

import pytest
from minecraft_helpers import assert_gone_after_sigkill, start_parent

from agentkit_minecraft import processes
from agentkit_minecraft.processes import (
    NodeMissing,
    NodeProcessError,
    NodeStartTimeout,
    start_node,
)

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

READY = 'console.log(JSON.stringify({event: "ready", port: 4242}));'
# Ignores stdin and --parent-pid on purpose: only the kernel's parent-death signal stops it.
STUBBORN = READY + "\nsetInterval(() => {}, 1000);\n"


def js_folder(tmp_path: Path, **scripts: str) -> Path:
    (tmp_path / "node_modules").mkdir(exist_ok=True)
    for name, source in scripts.items():
        (tmp_path / f"{name}.js").write_text(source)
    return tmp_path


@needs_node
def test_ready_line_events_and_stop(tmp_path: Path) -> None:
    folder = js_folder(tmp_path, app=READY + textwrap.dedent("""
        console.error("a log line");
        console.log(JSON.stringify({event: "tick"}));
        process.stdin.on("end", () => process.exit(0));
        process.stdin.resume();
        """))
    process = start_node("app.js", ["--port", 0], js_dir=folder, ready_timeout_s=20)
    assert process.ready == {"event": "ready", "port": 4242}
    deadline = time.monotonic() + 5
    while not process.events and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(process.events) == [{"event": "tick"}]
    assert process.stop() == 0  # closing stdin was enough
    assert "a log line" in process.stderr_tail()


@needs_node
def test_no_ready_line_times_out_with_the_log_tail(tmp_path: Path) -> None:
    folder = js_folder(tmp_path, slow='console.error("loading worlds...");\n'
                       "setInterval(() => {}, 1000);\n")
    started = time.monotonic()
    with pytest.raises(NodeStartTimeout, match=r"(?s)no ready line within 1 s.*loading worlds"):
        start_node("slow.js", js_dir=folder, ready_timeout_s=1)
    assert time.monotonic() - started < 8


@needs_node
def test_exit_before_ready_reports_code_and_log(tmp_path: Path) -> None:
    folder = js_folder(tmp_path, bad='console.error("Error: EADDRINUSE"); process.exit(3);')
    with pytest.raises(NodeProcessError, match=r"(?s)exited with code 3.*EADDRINUSE"):
        start_node("bad.js", js_dir=folder, ready_timeout_s=20)


def test_missing_node_or_dependencies_say_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(NodeMissing, match="agentkit minecraft setup"):
        processes.check_js_installed(tmp_path)
    monkeypatch.setattr(processes.shutil, "which", lambda name: None)
    with pytest.raises(NodeMissing, match="`node` is not on PATH"):
        start_node("app.js", js_dir=js_folder(tmp_path))


@needs_node
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_sigkilled_parent_leaves_no_node_behind(tmp_path: Path) -> None:
    parent, pid = start_parent("stubborn.js", js_folder(tmp_path, stubborn=STUBBORN))
    assert_gone_after_sigkill(parent, pid, within_s=5)
