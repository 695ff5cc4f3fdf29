"""The Python end of the mineflayer bridge: one bot, driven over local HTTP/JSON.

``bridge.js`` owns the bot; this class starts it, sends requests with timeouts, and turns
every way a request can fail into a :class:`BridgeError` carrying the bridge's own message,
or into a :class:`BridgeCrashed` naming how the process ended and what it logged last.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import urllib.error
import urllib.request
from typing import Any

from agentkit_minecraft.processes import NodeProcess, start_node

__all__ = ["Bridge", "BridgeCrashed", "BridgeError"]

# Added to the bridge's own timeout: the bridge answers late by design (it aborts the
# primitive at timeout_ms, then replies), so Python waits a little longer.
_MARGIN_S = 15.0


class BridgeError(RuntimeError):
    """A request the bridge refused or could not answer; the message is the bridge's."""


class BridgeCrashed(BridgeError):
    """The bridge process is gone (or stopped answering): the bot and its state are lost."""


class Bridge:
    """``node bridge/bridge.js`` and an HTTP client for it (see ``js/PROTOCOL.md``)."""

    def __init__(self, *, ready_timeout_s: float = 60.0, request_timeout_s: float = 30.0) -> None:
        self.ready_timeout_s = ready_timeout_s
        self.request_timeout_s = request_timeout_s
        self.process: NodeProcess | None = None
        self.viewer: dict[str, Any] | None = None  # the live view's state after connect()

    # -- lifetime

    def start(self) -> Bridge:
        if not self.alive:
            self.process = start_node(
                "bridge/bridge.js", ["--port", 0], name="bridge",
                ready_timeout_s=self.ready_timeout_s,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.alive

    @property
    def port(self) -> int:
        if self.process is None:
            raise BridgeCrashed("the bridge is not running")
        return int(self.process.ready["port"])

    def close(self) -> None:
        """Disconnect the bot politely if possible, then stop the process."""
        if self.process is None:
            return
        if self.process.alive:
            with contextlib.suppress(BridgeError):
                self._request("POST", "/disconnect", {}, timeout_s=5.0)
        self.process.stop()
        self.process = None

    # -- requests

    def connect(
        self,
        host: str,
        port: int,
        username: str,
        version: str,
        timeout_ms: int = 60_000,
        viewer_port: int | None = None,
    ) -> dict[str, Any]:
        """Join the server; the first observation, or BridgeError with the bridge's reason.

        With ``viewer_port`` (0: any free one) the bridge also serves a live 3D view of the
        bot's world; :attr:`viewer` then holds ``{"ok": True, "url": ...}`` or the reason
        it could not start (the bot is connected either way).
        """
        body: dict[str, Any] = {"host": host, "port": int(port), "username": username,
                                "version": version, "timeout_ms": int(timeout_ms)}
        if viewer_port is not None:
            body["viewer"] = {"port": int(viewer_port)}
        reply = self._request("POST", "/connect", body, timeout_s=timeout_ms / 1000 + _MARGIN_S)
        viewer = reply.get("viewer")
        self.viewer = viewer if isinstance(viewer, dict) else None
        return self._observation_of(reply, "connect")

    def observe(self) -> dict[str, Any]:
        return self._observation_of(self._request("POST", "/observe", {}), "observe")

    def act(self, name: str, args: list[Any], timeout_ms: int) -> dict[str, Any]:
        """Run one primitive; the step reply (``ok`` False is an answer, not an error)."""
        body = {"name": name, "args": list(args), "timeout_ms": int(timeout_ms)}
        return self._request("POST", "/act", body, timeout_s=timeout_ms / 1000 + _MARGIN_S)

    def program(
        self, code: str, entry: str, skills: dict[str, str], timeout_ms: int
    ) -> dict[str, Any]:
        """Run ``code``'s ``entry`` with ``skills`` in scope; the step reply."""
        body = {"code": code, "entry": entry, "skills": dict(skills), "timeout_ms": int(timeout_ms)}
        return self._request("POST", "/program", body, timeout_s=timeout_ms / 1000 + _MARGIN_S)

    def check(
        self, code: str, skills: dict[str, str] | None = None, entry: str = "run"
    ) -> list[str]:
        """Problems the bridge finds in ``code`` without running it (``skills`` count as known)."""
        reply = self._request(
            "POST", "/check", {"code": code, "skills": dict(skills or {}), "entry": entry}
        )
        return [str(problem) for problem in reply.get("problems") or []]

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/health", None, timeout_s=5.0)

    def disconnect(self) -> None:
        self._request("POST", "/disconnect", {})

    # -- plumbing

    @staticmethod
    def _observation_of(reply: dict[str, Any], what: str) -> dict[str, Any]:
        if not reply.get("ok"):
            raise BridgeError(f"{what} failed: {_message(reply)}")
        observation = reply.get("observation")
        if not isinstance(observation, dict):
            raise BridgeError(f"{what}: the bridge sent no observation")
        return observation

    def _crashed(self, why: str) -> BridgeCrashed:
        if self.process is None:
            return BridgeCrashed(f"the bridge is not running ({why})")
        # A dropped connection usually means the process is on its way out.
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.popen.wait(timeout=1.0)
        if self.process.alive:
            return BridgeCrashed(f"the bridge stopped answering ({why}); "
                                 f"its last log lines:\n{self.process.stderr_tail()}")
        return BridgeCrashed(f"the Minecraft bridge crashed: {self.process.describe_exit()}")

    def _request(
        self, method: str, path: str, body: dict[str, Any] | None, timeout_s: float | None = None
    ) -> dict[str, Any]:
        if not self.alive:
            raise self._crashed("its process is not running")
        url = f"http://127.0.0.1:{self.port}{path}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            url, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        timeout = self.request_timeout_s if timeout_s is None else timeout_s
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:  # a JSON error reply with a 4xx/5xx status
            raw = error.read()
        except TimeoutError as error:
            if not self.alive:
                raise self._crashed(str(error)) from error
            raise BridgeError(f"{method} {path}: no reply within {timeout:g} s") from error
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError) and self.alive:
                raise BridgeError(f"{method} {path}: no reply within {timeout:g} s") from error
            raise self._crashed(f"{method} {path}: {error}") from error
        try:
            reply = json.loads(raw)
        except json.JSONDecodeError as error:
            raise BridgeError(f"{method} {path}: the bridge replied with non-JSON "
                              f"{raw[:200]!r}") from error
        if not isinstance(reply, dict):
            raise BridgeError(f"{method} {path}: the bridge replied with {reply!r}")
        return reply


def _message(reply: dict[str, Any]) -> str:
    error = reply.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error)
    return str(error or reply.get("feedback") or "no reason given")
