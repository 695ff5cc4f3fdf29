"""Behaviour of the code-mode sandbox: primitives, errors with lines, and what it refuses."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from agentkit.sandbox import ProgramResult, SandboxLimits, check_program, run_program

CHILD_SCRIPT = str(Path(__file__).resolve().parents[1] / "agentkit" / "sandbox" / "_child.py")


def run(code: str, tmp_path: Path, prims: dict[str, Any] | None = None, **kw: Any) -> ProgramResult:
    entry = kw.pop("entry", None)
    limits = SandboxLimits(**kw) if kw else None
    return run_program(code, prims or {}, entry=entry, workdir=tmp_path, limits=limits)


def sandbox_processes() -> list[int]:
    """PIDs of any sandbox child (or its forks) still alive, found by scanning /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if CHILD_SCRIPT.encode() in cmdline and state != "Z":
            pids.append(int(entry))
    return pids


# --- what programs can do ---------------------------------------------------------------


def test_program_composes_primitives_and_returns_entry_value(tmp_path: Path) -> None:
    world = {"pos": 0}

    def move(dx: int) -> int:
        world["pos"] += dx
        return world["pos"]

    def at_goal() -> bool:
        return world["pos"] >= 3

    code = (
        "def main():\n"
        "    steps = 0\n"
        "    while not at_goal():\n"
        "        pos = move(dx=1)\n"
        "        steps += 1\n"
        "        print('at', pos)\n"
        "    return {'steps': steps, 'pos': pos}\n"
    )
    result = run(code, tmp_path, {"move": move, "at_goal": at_goal}, entry="main")
    assert result.ok, result.error
    assert result.value == {"steps": 3, "pos": 3}
    assert world["pos"] == 3  # the primitives really ran in this process
    assert [c["name"] for c in result.calls] == ["at_goal", "move"] * 3 + ["at_goal"]
    assert result.calls[1] == {
        "name": "move", "args": [], "kwargs": {"dx": 1}, "result": 1, "error": None
    }
    assert result.output == "at 1\nat 2\nat 3\n"
    assert result.seconds > 0


def test_body_only_program_and_check_program_accepts_it(tmp_path: Path) -> None:
    code = "import math\nx = [math.floor(v / 2) for v in range(5)]\nprint(sorted(x))\n"
    assert check_program(code) == []
    result = run(code, tmp_path)
    assert result.ok, result.error
    assert result.value is None
    assert result.output == "[0, 0, 1, 1, 2]\n"


def test_program_classes_can_keep_state(tmp_path: Path) -> None:
    code = (
        "class Counter:\n"
        "    def __init__(self):\n"
        "        self.n = 0\n"
        "    def bump(self):\n"
        "        self.n = self.n + 1  # (RestrictedPython refuses `self.n += 1`)\n"
        "        return self.n\n"
        "def main():\n"
        "    c = Counter()\n"
        "    c.bump()\n"
        "    return c.bump()\n"
    )
    result = run(code, tmp_path, entry="main")
    assert result.ok, result.error
    assert result.value == 2


def test_primitive_error_is_catchable_and_recorded(tmp_path: Path) -> None:
    def grab(item: str) -> str:
        raise ValueError(f"no {item} here")

    code = (
        "def main():\n"
        "    try:\n"
        "        grab('key')\n"
        "    except PrimitiveError as e:\n"
        "        return 'recovered: ' + str(e)\n"
    )
    result = run(code, tmp_path, {"grab": grab}, entry="main")
    assert result.ok, result.error
    assert result.value == "recovered: ValueError: no key here"
    assert result.calls == [
        {"name": "grab", "args": ["key"], "kwargs": {}, "result": None,
         "error": "ValueError: no key here"}
    ]


def test_uncaught_primitive_error_fails_at_its_line(tmp_path: Path) -> None:
    def grab() -> None:
        raise KeyError("door")

    result = run("x = 1\ngrab()\n", tmp_path, {"grab": grab})
    assert not result.ok
    assert result.line == 2
    assert result.error == "line 2: PrimitiveError: KeyError: 'door'"


def test_non_json_primitive_results_become_strings(tmp_path: Path) -> None:
    result = run("def main():\n    return where()\n", tmp_path,
                 {"where": lambda: tmp_path}, entry="main")
    assert result.ok, result.error
    assert result.value == str(tmp_path)


def test_output_is_truncated(tmp_path: Path) -> None:
    result = run("for i in range(3000):\n    print('xy')\n", tmp_path)
    assert result.ok, result.error
    assert result.output.startswith("xy\nxy\n")
    assert result.output.endswith("[output truncated]")
    assert len(result.output) < 4100


# --- errors with line numbers ---------------------------------------------------------------


def test_syntax_error_reports_line_3(tmp_path: Path) -> None:
    code = "x = 1\ny = 2\nif x = y:\n    pass\n"
    errors = check_program(code)
    assert len(errors) == 1 and errors[0].startswith("line 3: SyntaxError")
    result = run(code, tmp_path)
    assert not result.ok
    assert result.line == 3
    assert result.error.startswith("line 3: SyntaxError")


def test_runtime_name_error_reports_line_5(tmp_path: Path) -> None:
    code = "def main():\n    a = 1\n    b = 2\n    c = a + b\n    return foo + c\n"
    result = run(code, tmp_path, entry="main")
    assert not result.ok
    assert result.line == 5
    assert result.error == "line 5: NameError: name 'foo' is not defined"


def test_missing_entry_function(tmp_path: Path) -> None:
    result = run("x = 1\n", tmp_path, entry="main")
    assert not result.ok
    assert "entry function 'main'" in result.error


# --- refusals: files, imports, dunders --------------------------------------------------------


def test_no_open_so_no_reading_files(tmp_path: Path) -> None:
    result = run("def main():\n    return open('/etc/passwd').read()\n", tmp_path, entry="main")
    assert not result.ok
    assert result.error == "line 2: NameError: name 'open' is not defined"
    assert result.value is None


def test_no_writing_outside_or_inside_workdir(tmp_path: Path) -> None:
    workdir = tmp_path / "run"
    workdir.mkdir()
    code = "open('../x', 'w').write('escaped')\n"
    result = run(code, workdir)
    assert not result.ok and "open" in result.error
    assert not (tmp_path / "x").exists()
    assert list(workdir.iterdir()) == []


def test_import_escape_routes_are_refused(tmp_path: Path) -> None:
    errors = check_program("x = __import__('os')\n")
    assert errors and "__import__" in errors[0] and errors[0].startswith("line 1:")
    errors = check_program("import os\nos.fork()\n")
    assert errors == [
        "line 1: import of 'os' is not allowed (allowed: math, random, itertools, functools, "
        "collections, re, json, statistics)"
    ]
    result = run("import subprocess\n", tmp_path)
    assert not result.ok and "import of 'subprocess' is not allowed" in result.error
    assert result.line == 1


def test_dunder_escapes_are_refused(tmp_path: Path) -> None:
    assert check_program("x = ().__class__.__bases__[0].__subclasses__()\n")
    result = run("x = ().__class__\n", tmp_path)
    assert not result.ok and "__class__" in result.error
    # Built at run time, the name still hits the attribute guard.
    result = run("x = getattr((), '_' + '_class_' + '_')\n", tmp_path)
    assert not result.ok and result.line == 1 and "AttributeError" in result.error


def test_allowed_modules_do_not_leak_other_modules(tmp_path: Path) -> None:
    # json imports codecs, whose codecs.open would read any file.
    # The program gets an audited stand-in of json that holds only json's public names.
    result = run("import json\nf = json.codecs.open('/etc/passwd')\n", tmp_path)
    assert not result.ok
    assert result.line == 2 and "module 'json' has no attribute 'codecs'" in result.error


# --- refusals: network --------------------------------------------------------------------


def test_socket_import_is_refused(tmp_path: Path) -> None:
    result = run("import socket\n", tmp_path)
    assert not result.ok and "import of 'socket' is not allowed" in result.error


def test_network_is_closed_even_with_socket_allowed(tmp_path: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    code = (
        "import socket\n"
        "def main():\n"
        "    s = socket.socket()\n"
        "    s.settimeout(2)\n"
        f"    s.connect(('127.0.0.1', {port}))\n"
        "    return 'connected'\n"
    )
    modules = (*SandboxLimits().allowed_modules, "socket")
    try:
        result = run(code, tmp_path, entry="main", allowed_modules=modules, network=False)
        assert {"net_namespace", "seccomp"} <= set(result.isolation["layers"]), result.isolation
        assert not result.ok
        # seccomp refuses the socket itself; the namespace and Landlock would stop connect.
        assert result.error == "line 3: PermissionError: [Errno 1] Operation not permitted"
        # Control: the same program reaches the port when the network is allowed.
        allowed = run(code, tmp_path, entry="main", allowed_modules=modules, network=True)
        assert allowed.ok, allowed.error
        assert allowed.value == "connected"
    finally:
        server.close()


# --- refusals: processes, memory, time, calls ---------------------------------------------


FORK_LOOP = (
    "import os\n"
    "def main():\n"
    "    made = 0\n"
    "    for i in range(20):\n"
    "        try:\n"
    "            pid = os.fork()\n"
    "        except OSError:\n"
    "            return made\n"
    "        if pid == 0:\n"
    "            while True:\n"
    "                pass\n"
    "        made += 1\n"
    "    return made\n"
)


def test_fork_is_refused_by_default(tmp_path: Path) -> None:
    result = run("import os\ndef main():\n    return os.fork()\n", tmp_path, entry="main")
    assert not result.ok and "import of 'os' is not allowed" in result.error


@pytest.mark.parametrize("max_processes", [0, 2])
def test_fork_loop_with_os_allowed_is_contained(tmp_path: Path, max_processes: int) -> None:
    modules = (*SandboxLimits().allowed_modules, "os")
    result = run(FORK_LOOP, tmp_path, entry="main", allowed_modules=modules,
                 max_processes=max_processes, timeout_s=5)
    assert result.ok, result.error
    if os.geteuid() == 0:
        assert "dropped_privileges" in result.isolation["layers"], result.isolation
    assert result.value == max_processes
    assert sandbox_processes() == []  # the forks were killed with the process group


def test_memory_bomb_string(tmp_path: Path) -> None:
    result = run("x = 'a' * (2 ** 34)\n", tmp_path, memory_mb=256)
    assert not result.ok
    assert result.error == "line 1: memory limit 256 MB exceeded"
    assert result.line == 1


def test_memory_bomb_list_growth(tmp_path: Path) -> None:
    code = "x = []\nwhile True:\n    x.append('a' * 1000000)\n"
    result = run(code, tmp_path, memory_mb=200)
    assert not result.ok
    assert "memory limit 200 MB exceeded" in result.error


def test_infinite_loop_times_out_and_child_is_gone(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run("while True:\n    pass\n", tmp_path, timeout_s=1.0)
    elapsed = time.monotonic() - started
    assert not result.ok
    assert result.error == "timed out after 1.0 s"
    assert elapsed < 1.0 + 2.0
    assert sandbox_processes() == []


def test_cpu_limit_names_itself(tmp_path: Path) -> None:
    result = run("while True:\n    pass\n", tmp_path, cpu_s=1, timeout_s=8.0)
    assert not result.ok
    assert result.error == "CPU time limit 1 s exceeded"


def test_too_many_primitive_calls(tmp_path: Path) -> None:
    code = (
        "def main():\n"
        "    n = 0\n"
        "    for i in range(10):\n"
        "        try:\n"
        "            ping()\n"
        "            n += 1\n"
        "        except PrimitiveError:\n"
        "            pass\n"
        "    return n\n"
    )
    result = run(code, tmp_path, {"ping": lambda: True}, entry="main", max_calls=4)
    assert not result.ok
    assert result.error == "primitive call limit 4 exceeded"
    assert len(result.calls) == 4
    assert result.value == 4  # the program saw the refusals as exceptions and carried on


def test_invalid_primitive_name_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="public identifier"):
        run("x = 1\n", tmp_path, {"_secret": lambda: 1})


# --- the sandbox itself -------------------------------------------------------------------


def test_child_that_cannot_start_raises_sandbox_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentkit.sandbox import SandboxError, runner

    monkeypatch.setattr(runner, "_SYS_PATH", [])  # RestrictedPython is then not importable
    with pytest.raises(SandboxError, match="RestrictedPython"):
        run("x = 1\n", tmp_path)


def test_child_imports_neither_agentkit_nor_heavy_packages(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from agentkit.sandbox import runner

    init = {
        "sys_path": runner._SYS_PATH, "policy_path": str(runner._POLICY), "code": "x = 1\n",
        "entry": None, "primitives": [], "output_limit": 100,
        "limits": {"cpu_s": 5, "memory_mb": 256, "max_processes": 0,
                   "allowed_modules": ["math"], "network": True},
    }
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-X", "importtime", CHILD_SCRIPT],
        input=json.dumps(init) + "\n", capture_output=True, text=True, cwd=tmp_path, timeout=20,
    )
    assert '"done": true, "ok": true' in proc.stdout, proc.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    assert "RestrictedPython" in imported
    assert not {m for m in imported if m.split(".")[0] in {"agentkit", "numpy", "langgraph"}}


def test_writes_land_on_a_tmpfs_that_vanishes_with_the_child(tmp_path: Path) -> None:
    """The program's folder is covered by a tmpfs in the child's mount namespace: what it
    writes counts against that quota, never reaches the disk, and is gone afterwards."""
    tmp_path.chmod(0o777)
    code = (
        "import os\n"
        "fd = os.open('note.txt', os.O_WRONLY | os.O_CREAT)\n"
        "os.write(fd, b'x' * 100)\n"
        "os.close(fd)\n"
        "print(os.listdir('.'))\n"
    )
    modules = (*SandboxLimits().allowed_modules, "os")
    result = run(code, tmp_path, allowed_modules=modules)
    assert result.ok, result.error
    assert "workdir_tmpfs" in result.isolation["layers"], result.isolation
    assert "note.txt" in result.output
    assert list(tmp_path.iterdir()) == []
