"""The hostile JavaScript corpus (tests/hostile/javascript), through the bridge's program
runner (js/test/hostile.test.js): as this user, and as uid 65534 when this user is root.

The isolate does not depend on the user, but the claim "any user" is tested, not assumed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from minecraft_helpers import JS_DIR, live_missing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(live_missing() is not None, reason=str(live_missing())),
]

ROOT = Path(__file__).resolve().parents[3]


def _unprivileged_command(argv: list[str], scratch: Path) -> list[str]:
    path = ROOT / "tests" / "hostile" / "unprivileged.py"
    spec = importlib.util.spec_from_file_location("hostile_unprivileged", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    command: list[str] = module.unprivileged_command(argv, scratch, cwd=JS_DIR, reach=[ROOT])
    return command


@pytest.mark.parametrize("who", ["this user", "uid 65534"])
def test_hostile_javascript_corpus_has_no_escape(who: str) -> None:
    node = shutil.which("node")
    assert node is not None
    argv = [node, "--test", "--test-reporter=spec", "test/hostile.test.js"]
    with tempfile.TemporaryDirectory(prefix="agentkit-hostile-js-") as name:
        scratch = Path(name)
        scratch.chmod(0o777)
        if who == "uid 65534" and os.geteuid() == 0:  # anyone else already is unprivileged
            argv = _unprivileged_command(argv, scratch)
        done = subprocess.run(argv, cwd=JS_DIR, capture_output=True, text=True, timeout=600,
                              stdin=subprocess.DEVNULL)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "fail 0" in output, output[-3000:]
    programs = sorted(p.stem for p in (ROOT / "tests" / "hostile" / "javascript").glob("*.js"))
    assert len(programs) >= 40
    assert [p for p in programs if f"\u2714 hostile {p} " not in output] == [], output[-3000:]
    uid = 65534 if who == "uid 65534" and os.geteuid() == 0 else os.getuid()
    assert f"running as uid {uid}" in output
