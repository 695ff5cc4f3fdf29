"""The hostile corpus (tests/hostile/python): every program stopped, as root and unprivileged.

Each program is a known escape or abuse with its expected stop reason in its header; see
tests/hostile/run_corpus.py for what counts as an escape.  CI runs as root, so the
unprivileged run switches to uid 65534 in a subprocess (tests/hostile/unprivileged.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from agentkit.sandbox import runner

HOSTILE = Path(__file__).resolve().parent / "hostile"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"hostile_{name}", HOSTILE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load("run_corpus")
unprivileged = _load("unprivileged")


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A folder everyone can reach (not pytest's tmp_path: /tmp/pytest-of-root is 0700, so
    the dropped child would be kept from the canary by file modes, not by the sandbox)."""
    with tempfile.TemporaryDirectory(prefix="agentkit-hostile-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        yield folder


def _escapes(verdicts: list[dict[str, object]]) -> list[str]:
    return [f"{v['name']}: {v['why']} ({v['error']})" for v in verdicts if v["escaped"]]


def test_corpus_has_sixty_programs_each_with_its_header() -> None:
    cases = corpus.load()
    assert len(cases) >= 60
    for case in cases:
        assert case.attempts and case.expect and case.limit_s > 0, case.name
    # Both layers are exercised: programs with nothing extra allowed (RestrictedPython and
    # the audited modules must hold) and programs given os/socket/ctypes (the OS must).
    assert sum(1 for c in cases if not c.modules) >= 40
    assert sum(1 for c in cases if c.modules) >= 30


@pytest.mark.slow
def test_corpus_as_this_user_has_no_escape(scratch: Path) -> None:
    verdicts = [v.__dict__ for v in corpus.run_all(corpus.load(), scratch)]
    assert _escapes(verdicts) == []
    layers = set(verdicts[0]["layers"])
    assert {"landlock_fs", "seccomp", "net_namespace", "workdir_tmpfs", "rlimits"} <= layers
    if os.geteuid() == 0:
        assert "dropped_privileges" in layers
    else:
        assert "user_namespace" in layers


@pytest.mark.slow
def test_corpus_as_an_unprivileged_user_has_no_escape() -> None:
    """As uid 65534: root switches in a subprocess; anyone else already is unprivileged."""
    with tempfile.TemporaryDirectory(prefix="agentkit-hostile-") as name:
        scratch = Path(name)
        scratch.chmod(0o777)
        checkout = Path(__file__).resolve().parents[1]
        out = scratch / "verdicts.json"
        argv = [sys.executable, str(HOSTILE / "run_corpus.py"), "--json", str(out)]
        if os.geteuid() == 0:
            argv = unprivileged.unprivileged_command(argv, scratch, cwd=checkout)
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=checkout)
        assert out.exists(), f"the unprivileged run did not finish:\n{proc.stdout[-3000:]}\n" \
                             f"{proc.stderr[-3000:]}"
        verdicts = json.loads(out.read_text())
    assert f"uid {unprivileged.NOBODY if os.geteuid() == 0 else os.getuid()}:" in proc.stdout
    assert len(verdicts) == len(corpus.load())
    assert _escapes(verdicts) == []
    layers = set(verdicts[0]["layers"])
    assert {"landlock_fs", "seccomp", "user_namespace", "net_namespace", "workdir_tmpfs",
            "rlimits"} <= layers
    assert "dropped_privileges" not in layers
    assert proc.returncode == 0, proc.stdout[-2000:]


# Programs each layer alone stops (as root and as anyone): with the layer left out, the
# corpus must call them escapes, or it could not fail.
_STOPPED_ONLY_BY = {
    "landlock_fs": ["57_os_read_canary", "60_os_read_etc", "64_os_write_outside"],
    "seccomp": ["71_os_fork", "81_socket_pair", "116_ctypes_sysv_queue"],
}


@pytest.mark.parametrize("layer", sorted(_STOPPED_ONLY_BY))
def test_corpus_reports_escapes_with_a_layer_left_out(
    layer: str, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "_SKIP_LAYERS", (layer,))
    monkeypatch.setenv("AGENTKIT_SANDBOX_UNCONFINED", "1")  # else it refuses to run at all
    names = _STOPPED_ONLY_BY[layer]
    cases = [c for c in corpus.load() if c.name in names]
    assert sorted(c.name for c in cases) == sorted(names)
    verdicts = corpus.run_all(cases, scratch)
    assert all(layer not in v.layers for v in verdicts)
    assert [v.name for v in verdicts if not v.escaped] == []
