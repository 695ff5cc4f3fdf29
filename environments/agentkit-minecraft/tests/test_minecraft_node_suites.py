"""The Node programs' own test suites (node:test), run as part of pytest so CI runs them.

server.test.js plays the bundled server with plain mineflayer bots (mining, crafting,
smelting, chests, respawn, seeded worlds); bridge.test.js drives the bridge over HTTP
(primitives, programs, line mapping, timeouts, isolation, lifetime). About a minute each.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from minecraft_helpers import JS_DIR, live_missing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(live_missing() is not None, reason=str(live_missing())),
]


@pytest.mark.parametrize("suite", ["test/server.test.js", "test/bridge.test.js"])
def test_node_suite_passes(suite):
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, "--test", "--test-reporter=spec", suite],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
    assert "# fail 0" in done.stdout or "fail 0" in done.stdout
