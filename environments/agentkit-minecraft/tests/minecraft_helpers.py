"""Test helpers: stand-ins for the Node programs, and a parent process to SIGKILL.

The stand-ins let the adapter's logic be tested in milliseconds.

``FakeServer`` holds a tiny world (a bot inventory); ``FakeBridge`` answers the bridge's
requests as ``js/PROTOCOL.md`` describes, mining and crafting a few tech-tree items.
``use_fakes(monkeypatch)`` makes :class:`MinecraftEnvironment` start these instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from agentkit_minecraft.bridge import BridgeCrashed, BridgeError
from agentkit_minecraft.processes import JS_DIR

RECIPES: dict[str, tuple[int, dict[str, int]]] = {
    "oak_planks": (4, {"oak_log": 1}),
    "stick": (4, {"oak_planks": 2}),
    "crafting_table": (1, {"oak_planks": 4}),
    "wooden_pickaxe": (1, {"oak_planks": 3, "stick": 2}),
    "stone_pickaxe": (1, {"cobblestone": 3, "stick": 2}),
}
DROPS = {"oak_log": "oak_log", "stone": "cobblestone", "dirt": "dirt"}
FAR = {"iron_ore": "raw_iron"}  # out of sight until exploreUntil finds it
SERVERS: dict[int, FakeServer] = {}


def live_missing() -> str | None:
    """Why the live tests cannot run here; None when they can.

    With AGENTKIT_REQUIRE_MINECRAFT=1 (``make test``, CI) a missing part is an error, so
    the live tests can never skip unnoticed.
    """
    reason = _missing()
    if reason and os.environ.get("AGENTKIT_REQUIRE_MINECRAFT") == "1":
        raise RuntimeError(f"AGENTKIT_REQUIRE_MINECRAFT=1 but the live tests cannot run: {reason}")
    return reason


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (JS_DIR / "node_modules").is_dir():
        return "run `agentkit minecraft setup` (npm ci) first"
    for program in ("server/server.js", "bridge/bridge.js"):
        if not (JS_DIR / program).is_file():
            return f"{program} is not there yet"
    return None


class FakeServer:
    __test__ = False
    next_port = 30000

    def __init__(self, port: int = 0, seed: int = 0, version: str = "1.20.4", **_: Any) -> None:
        self.seed, self.version, self.host = seed, version, "127.0.0.1"
        self.alive = False
        self.inventory: dict[str, int] = {}
        self.found: set[str] = set()
        self.port = 0

    def start(self) -> FakeServer:
        FakeServer.next_port += 1
        self.port, self.alive = FakeServer.next_port, True
        SERVERS[self.port] = self
        return self

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def stop(self) -> None:
        self.alive = False

    def describe_exit(self) -> str:
        return "test server was killed by SIGKILL"


class FakeBridge:
    started: list[FakeBridge] = []

    def __init__(self, **_: Any) -> None:
        self.alive = False
        self.server: FakeServer | None = None
        self.calls: list[tuple[str, list[Any]]] = []
        self.checked: list[tuple[str, dict[str, str]]] = []
        self.process = None
        self.viewer: dict[str, Any] | None = None

    def start(self) -> FakeBridge:
        self.alive = True
        FakeBridge.started.append(self)
        return self

    def close(self) -> None:
        self.alive = False

    def _live(self) -> FakeServer:
        if not self.alive:
            raise BridgeCrashed("the Minecraft bridge crashed: bridge was killed by SIGKILL")
        if self.server is None:
            raise BridgeError("not connected")
        return self.server

    def connect(self, host: str, port: int, username: str, version: str,
                timeout_ms: int = 0, viewer_port: int | None = None) -> dict[str, Any]:
        if not self.alive:
            raise BridgeCrashed("the bridge is not running")
        if port not in SERVERS or not SERVERS[port].alive:
            raise BridgeError(f"connect failed: connect ECONNREFUSED {host}:{port}")
        self.server = SERVERS[port]
        if viewer_port is not None:  # a page that is never served: only the URL is tested
            self.viewer = {"ok": True, "url": f"http://127.0.0.1:{viewer_port or 45678}/"}
        return self.observe()

    def observe(self) -> dict[str, Any]:
        server = self._live()
        return {
            "position": {"x": 0.5, "y": 64, "z": 0.5}, "health": 20, "food": 20,
            "biome": "plains", "time_of_day": 1000 + 20 * len(self.calls), "is_day": True,
            "dead": False, "inventory": {k: v for k, v in server.inventory.items() if v},
            "equipment": {"hand": None}, "nearby_blocks": ["grass_block", "oak_log", "stone"],
            "nearby_entities": {}, "chests": {},
        }

    def health(self) -> dict[str, Any]:
        if not self.alive:
            raise BridgeCrashed("the Minecraft bridge crashed")
        return {"ok": True, "connected": self.server is not None and self.server.alive}

    def _reply(self, ok: bool, feedback: str, error: Any = None,
               events: list[dict[str, str]] | None = None) -> dict[str, Any]:
        return {"ok": ok, "feedback": feedback, "events": events or [], "error": error,
                "observation": self.observe()}

    def act(self, name: str, args: list[Any], timeout_ms: int) -> dict[str, Any]:
        server = self._live()
        self.calls.append((name, list(args)))
        inventory = server.inventory
        if name == "mineBlock":
            block, count = args
            drops = {**DROPS, **{b: d for b, d in FAR.items() if b in server.found}}
            if block not in drops:
                return self._reply(False, f"No {block} within 32 blocks; try exploreUntil first",
                                   {"message": f"no {block} nearby", "line": None})
            inventory[drops[block]] = inventory.get(drops[block], 0) + count
            return self._reply(True, f"mined {count} {block}",
                               events=[{"type": "pickup", "message": f"{count} {block}"}])
        if name == "craftItem":
            item, count = args
            made, needs = RECIPES[item]
            missing = {k: v * count - inventory.get(k, 0) for k, v in needs.items()
                       if inventory.get(k, 0) < v * count}
            if missing:
                need = ", ".join(f"{n} more {k}" for k, n in missing.items())
                return self._reply(False, f"I cannot make {item} because I need: {need}")
            for k, v in needs.items():
                inventory[k] -= v * count
            inventory[item] = inventory.get(item, 0) + made * count
            return self._reply(True, f"I did the recipe for {item} {count} times")
        if name == "exploreUntil":
            if args[0] in FAR:
                server.found.add(args[0])
                return self._reply(True, f"Found {args[0]} at (3, 50, 4)")
            return self._reply(False, f"Explored for {args[1]} s; no {args[0]} found")
        return self._reply(True, f"{name} done")

    def program(self, code: str, entry: str, skills: dict[str, str],
                timeout_ms: int) -> dict[str, Any]:
        self._live()
        self.calls.append(("program", [code, entry]))
        if "throw" in code:
            return self._reply(False, "Error: boom", {"message": "Error: boom", "line": 2})
        return self._reply(True, "program returned true")

    def check(self, code: str, skills: dict[str, str] | None = None,
              entry: str = "run") -> list[str]:
        self.checked.append((code, dict(skills or {})))
        return ["line 1: SyntaxError: Unexpected token"] if "(((" in code else []


def use_fakes(monkeypatch: Any) -> None:
    """Make the environment start FakeServer/FakeBridge instead of the Node programs."""
    import agentkit_minecraft.env as env_module

    monkeypatch.setattr(env_module, "TestServer", FakeServer)
    monkeypatch.setattr(env_module, "Bridge", FakeBridge)


# -- process lifetime: a Python parent that starts a Node program, to be SIGKILLed


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too: it only waits for its (dead) parent's reaping
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


PARENT = """
import sys, time
from pathlib import Path
from agentkit_minecraft.processes import start_node
process = start_node(sys.argv[1], sys.argv[3:], js_dir=Path(sys.argv[2]), ready_timeout_s=60)
print(process.pid, flush=True)
time.sleep(600)
"""


def start_parent(script: str, js_dir: Path, *args: str) -> tuple[subprocess.Popen[str], int]:
    """A Python process that starts ``script`` in Node and sleeps; returns it and node's pid."""
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, script, str(js_dir), *args],
        stdout=subprocess.PIPE, text=True,
    )
    assert parent.stdout is not None
    line = parent.stdout.readline()
    if not line.strip().isdigit():
        parent.kill()
        raise AssertionError(f"the parent did not start node: {line!r}")
    return parent, int(line)


def assert_gone_after_sigkill(parent: subprocess.Popen[str], pid: int, within_s: float) -> None:
    try:
        assert pid_alive(pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + within_s
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not pid_alive(pid), f"node pid {pid} outlived its SIGKILLed Python parent"
    finally:
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
