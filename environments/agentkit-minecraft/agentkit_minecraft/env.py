"""Minecraft as an agentkit environment: a mineflayer bot driven through the Node bridge.

Select mode's actions become primitive calls (``mine oak_log 3`` -> ``mineBlock``); code
mode runs JavaScript programs next to the bot. Either way the trajectory records the calls
sent (``{"act": ..., "args": [...]}`` or ``{"program": ..., "entry": ..., "skills": ...}``)
and a resume replays them into a fresh world made from the same seed.

Without a ``server`` option the environment runs its own test server (flying-squid, in
memory) and each reset starts a fresh world from the seed. With ``server=HOST:PORT`` the
world lives on that server: a reset only reconnects, and so does a replay, since resending
the calls would do everything a second time to a world that already holds their effects.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Sequence
from typing import Any

from agentkit.environment import ActionSpec, Environment, Observation, StepResult
from agentkit.knowledge import Knowledge
from agentkit.options import parse_flag

from agentkit_minecraft.actions import ActionError, action_specs, to_call
from agentkit_minecraft.bridge import Bridge, BridgeCrashed, BridgeError
from agentkit_minecraft.choices import situational_specs
from agentkit_minecraft.knowledge import STATIONS, group_holdings, minecraft_knowledge
from agentkit_minecraft.names import GameNames, game_names, known_versions
from agentkit_minecraft.processes import NodeProcessError
from agentkit_minecraft.programs import (
    EXAMPLE_PROGRAM,
    PRIMITIVES,
    function_listing,
    js_identifier,
    skill_source,
)
from agentkit_minecraft.render import held_items, render_observation
from agentkit_minecraft.server import DEFAULT_VERSION, TestServer
from agentkit_minecraft.techtree import TECH_TREE, Progress, requirements

__all__ = ["MinecraftCrashed", "MinecraftEnvironment", "parse_server"]

log = logging.getLogger(__name__)
_FORMATTING = re.compile(r"[§&][0-9a-fk-or]")
# mineBlock's answer when no block of the kind is within its search radius.
_NONE_WITHIN = re.compile(r"\bNo \S+ within \d+ blocks")
EXPLORE_S = 60  # how long a mine step explores for a block none is in sight of


class MinecraftCrashed(RuntimeError):
    """The bridge or the server died and could not be brought back.

    The run stops; ``agentkit run --resume`` rebuilds the world from the recorded calls.
    """


def parse_server(value: Any) -> tuple[str, int] | None:
    """``"HOST:PORT"`` (or a bare port, meaning 127.0.0.1) -> (host, port); None when empty."""
    if value is None or str(value).strip() in ("", "none", "own", "local"):
        return None
    text = str(value).strip()
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", text
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"server must be HOST:PORT, e.g. 127.0.0.1:25565; got {value!r}")
    return host, int(port)


def parse_viewer(value: Any) -> int | None:
    """The ``viewer`` option as a port for the bridge: None (off), 0 (any free one) or N."""
    text = str(value).strip().lower()
    if text in ("", "off", "false", "no", "none"):
        return None
    if text in ("on", "true", "yes", "auto"):
        return 0
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise ValueError(f"viewer must be off, on or a port number (1-65535), got {value!r}")
    return port


def _version(value: Any) -> str:
    """The Minecraft version; a CLI value such as 1.20 that JSON read as 1.2 is put back."""
    text = str(value).strip()
    if isinstance(value, float):
        versions = known_versions()
        if text not in versions and f"{text}0" in versions:
            return f"{text}0"
    return text


def _positive(value: Any, name: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return number


class MinecraftEnvironment(Environment):
    """A mineflayer bot in a Minecraft world: primitives, JavaScript programs, a tech tree.

    Options (strings from the command line are parsed): ``server`` (HOST:PORT of a running
    offline-mode server; absent: start the bundled test server), ``mc_version``,
    ``username``, ``seed`` (the test server's default seed), ``step_timeout_s`` (one
    primitive), ``program_timeout_s`` (one program), ``recover`` (after a crash, restart and
    replay the episode's calls within the failing step; default true), ``allow_commands``
    (let the chat action send server commands such as /give; default false), ``viewer``
    (a live 3D view of the bot in the browser, on 127.0.0.1: ``off``, the default; ``on``
    for a free port kept for the whole run; or a port number; see :attr:`live_view`).
    """

    name = "minecraft"
    program_language = "javascript"

    def __init__(
        self,
        server: Any = None,
        mc_version: Any = DEFAULT_VERSION,
        username: Any = "agent",
        seed: Any = 0,
        step_timeout_s: Any = 180,
        program_timeout_s: Any = 300,
        connect_timeout_s: Any = 60,
        recover: Any = True,
        allow_commands: Any = False,
        viewer: Any = "off",
    ) -> None:
        self.external = parse_server(server)
        self.mc_version = _version(mc_version)
        self.username = str(username).strip() or "agent"
        if not 1 <= len(self.username) <= 16:
            raise ValueError(f"username must be 1 to 16 characters, got {self.username!r}")
        self.default_seed = int(seed)
        self.step_timeout_s = _positive(step_timeout_s, "step_timeout_s")
        self.program_timeout_s = _positive(program_timeout_s, "program_timeout_s")
        self.connect_timeout_s = _positive(connect_timeout_s, "connect_timeout_s")
        self.recover = parse_flag(recover, "recover")
        self.allow_commands = parse_flag(allow_commands, "allow_commands")
        self.viewer_port = parse_viewer(viewer)
        self._live_view: str | None = None
        self.seed: int | None = None
        self._names: GameNames | None = game_names(self.mc_version)
        self._server: TestServer | None = None
        self._bridge: Bridge | None = None
        self._crashes = 0
        self._offered_skills: list[str] = []
        self._clear()

    def _clear(self) -> None:
        self._raw: list[dict[str, Any]] = []
        self._observation: dict[str, Any] = {}
        self._events: list[str] = []
        self._progress = Progress()
        self._steps = 0  # calls sent (raw actions)
        self._turns = 0  # steps and programs (a mine step may send several calls)
        self._deaths = 0
        self._reward = 0.0
        self._broken: str | None = None

    # -- processes

    @property
    def address(self) -> str:
        """Where the bot connects: the external server or our own test server."""
        if self.external:
            return f"{self.external[0]}:{self.external[1]}"
        return self._server.address if self._server and self._server.alive else "(not started)"

    def _start(self, seed: int) -> dict[str, Any]:
        """(Re)start what this episode needs and connect the bot; the first observation."""
        self._stop()
        try:
            if self.external:
                host, port = self.external
            else:
                self._server = TestServer(seed=seed, version=self.mc_version).start()
                host, port = self._server.host, self._server.port
            self._bridge = Bridge().start()
            observation = self._bridge.connect(
                host, port, self.username, self.mc_version,
                timeout_ms=int(self.connect_timeout_s * 1000), viewer_port=self.viewer_port,
            )
            self._note_viewer(self._bridge.viewer)
            return observation
        except BridgeError as error:
            self._stop()
            raise BridgeError(f"could not join the Minecraft server at {host}:{port} as "
                              f"{self.username!r} (version {self.mc_version}): {error}") from error
        except BaseException:
            self._stop()
            raise

    def _note_viewer(self, reply: dict[str, Any] | None) -> None:
        """Keep the view's URL; a view that failed is logged, and the run goes on without."""
        self._live_view = None
        if reply is None:
            return
        if reply.get("ok") and reply.get("url"):
            self._live_view = str(reply["url"])
            if self.viewer_port == 0:  # the same page for every episode of the run
                self.viewer_port = int(str(reply["url"]).rstrip("/").rsplit(":", 1)[1])
        else:
            log.warning("no live view: %s", reply.get("error", "the bridge gave no reason"))

    @property
    def live_view(self) -> str | None:
        """The live 3D view's page while the bot is connected (``viewer`` option), or None."""
        return self._live_view if self._bridge is not None else None

    def _stop(self) -> None:
        self._live_view = None
        if self._bridge is not None:
            self._bridge.close()
            self._bridge = None
        if self._server is not None:
            self._server.stop()
            self._server = None

    def close(self) -> None:
        self._stop()

    # -- episode

    def reset(self, seed: int | None = None) -> Observation:
        self.seed = self.default_seed if seed is None else int(seed)
        self._clear()
        self._observation = self._start(self.seed)
        self._progress.record(held_items(self._observation), 0)  # held from the start: no reward
        return self._render()

    def _render(self) -> Observation:
        return Observation(
            text=render_observation(self._observation, self._events),
            extras=dict(self._observation),
        )

    def actions(self) -> list[ActionSpec]:
        mobs = self._names.entities if self._names else None
        return situational_specs(
            action_specs(), self._observation, mobs, self.allow_commands, self._findable()
        )

    def _findable(self) -> list[str]:
        """What the rules say can be mined with the tools held (``mine`` explores for it)."""
        knowledge = self.knowledge()
        if knowledge is None:
            return []
        held = self.holdings()
        return list(dict.fromkeys(
            str(rule.argument) for rule in knowledge.rules
            if rule.action == "mine" and rule.argument
            and all(held.get(tool, 0) >= n for tool, n in rule.requires.items())
        ))

    def step(self, action: str, argument: str | None = None) -> StepResult:
        if self.seed is None:
            self.reset()
        try:
            call = to_call(
                action, argument, names=self._names,
                inventory=self._observation.get("inventory") or {},
                timeout_s=self.step_timeout_s, allow_commands=self.allow_commands,
                nearby=self._observation.get("nearby_blocks") or [],
            )
        except ActionError as error:
            return self._refused(str(error))
        first = self._send(call.raw())
        if call.primitive != "mineBlock" or first.ok or not first.raw_actions \
                or not _NONE_WITHIN.search(first.feedback):
            return first
        # None within reach: explore until one is in sight, then mine (as Crafter's collect
        # does), so a step of the rules is seen through. Both calls are recorded for replay.
        block = call.args[0]
        timeout = int(max(1, min(EXPLORE_S, self.step_timeout_s - 5)))
        parts = [first, self._send({"act": "exploreUntil", "args": [block, timeout],
                                    "follows": True})]
        if parts[-1].ok and parts[-1].raw_actions:
            parts.append(self._send({**call.raw(), "follows": True}))
        return _combined(parts)

    def run_program(self, code: str, entry: str, skills: dict[str, str]) -> StepResult:
        if self.seed is None:
            self.reset()
        return self._send({"program": code, "entry": entry, "skills": dict(skills or {})})

    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        if self.seed is None or self._steps or self._broken:
            self.reset(self.seed)
        if self.external:
            # The world lives on the server and already holds these calls' effects.
            self._raw = [dict(raw) for raw in raw_actions]
            self._steps = len(self._raw)
            return self._render()
        for raw in raw_actions:
            try:
                reply = self._execute(raw)
            except BridgeCrashed as error:
                raise MinecraftCrashed(f"replaying the recorded calls failed: {error}") from error
            except BridgeError as error:
                log.warning("replayed call %s failed: %s", raw, error)
                reply = {"ok": False, "feedback": str(error)}
            self._absorb(raw, reply)
        return self._render()

    # -- sending calls

    def _refused(self, feedback: str) -> StepResult:
        return StepResult(observation=self._render_plain(), ok=False, feedback=feedback)

    def _render_plain(self) -> Observation:
        return Observation(
            text=render_observation(self._observation), extras=dict(self._observation)
        )

    def _execute(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Send one recorded call to the bridge; its step reply."""
        if self._bridge is None:
            raise BridgeCrashed("the bridge is not running")
        if not isinstance(raw, dict):
            raise BridgeError(f"not a recorded Minecraft call: {raw!r}")
        if "program" in raw:
            return self._bridge.program(
                str(raw["program"]), str(raw.get("entry") or "run"),
                dict(raw.get("skills") or {}), int(self.program_timeout_s * 1000),
            )
        if "act" in raw:
            return self._bridge.act(
                str(raw["act"]), list(raw.get("args") or []), int(self.step_timeout_s * 1000)
            )
        raise BridgeError(f"not a recorded Minecraft call: {raw!r}")

    def _send(self, raw: dict[str, Any]) -> StepResult:
        if self._broken is not None:
            if not self.recover:
                return self._refused(self._broken)
            restored = self._restore(self._broken)
            if restored is not None:
                return restored
        if self._server is not None and not self._server.alive:  # known before asking the bot
            return self._crashed(f"the Minecraft test server crashed: "
                                 f"{self._server.describe_exit()}")
        try:
            reply = self._execute(raw)
        except BridgeCrashed as error:
            return self._crashed(str(error))
        except BridgeError as error:  # e.g. no reply in time: the call may have acted
            reply = {"ok": False, "feedback": str(error)}
            try:
                reply["observation"] = self._bridge.observe() if self._bridge else None
            except BridgeCrashed as crash:
                return self._crashed(str(crash))
            except BridgeError:
                pass
        if not reply.get("ok"):
            lost = self._lost()
            if lost is not None:
                return self._crashed(lost)
        new = self._absorb(raw, reply)
        return StepResult(
            observation=self._render(),
            ok=bool(reply.get("ok")),
            feedback=_feedback(reply),
            reward=float(len(new)),
            done=False,
            raw_actions=[raw],
            events=list(self._events),
            info={"sandbox": reply["sandbox"]} if isinstance(reply.get("sandbox"), dict) else {},
        )

    def _absorb(self, raw: dict[str, Any], reply: dict[str, Any]) -> list[str]:
        """Record a call the world received; the tech-tree tasks it completed."""
        self._raw.append(raw)
        self._steps += 1
        if not (isinstance(raw, dict) and raw.get("follows")):
            self._turns += 1
        observation = reply.get("observation")
        if isinstance(observation, dict):
            self._observation = observation
        events = [_event_text(event) for event in reply.get("events") or []]
        self._deaths += sum(1 for event in reply.get("events") or []
                            if isinstance(event, dict) and event.get("type") == "death")
        new = self._progress.record(held_items(self._observation), self._turns)
        self._reward += len(new)
        self._events = events + [f"milestone: {task}" for task in new]
        return new

    def _lost(self) -> str | None:
        """Why the bot can no longer act (server gone, bot disconnected); None when it can."""
        if self._server is not None and not self._server.alive:
            return f"the Minecraft test server crashed: {self._server.describe_exit()}"
        if self._bridge is None or not self._bridge.alive:
            return "the Minecraft bridge crashed: " + (
                self._bridge.process.describe_exit() if self._bridge and self._bridge.process
                else "it is not running"
            )
        try:
            connected = self._bridge.health().get("connected", True)
        except BridgeError as error:
            return str(error)
        if not connected:
            return f"the bot was disconnected from the Minecraft server at {self.address}"
        return None

    def _crashed(self, details: str) -> StepResult:
        """A call that never reached the world: restart and replay, or report and wait."""
        self._crashes += 1
        log.warning("minecraft: %s", details)
        # The controller gets what died and how; the log lines go to the log only.
        why = details.split("; its last log lines:")[0].splitlines()[0]
        if self.recover:
            restored = self._restore(why)
            if restored is not None:
                return restored
        self._broken = why
        return self._refused(
            f"{why}\nThe call was not carried out. reset() and replay() restore the world from "
            "the recorded calls (a killed run continues with `agentkit run --resume`)."
        )

    def _restore(self, why: str) -> StepResult | None:
        """Restart, rejoin and (own server) replay this episode's calls; raises if impossible."""
        history = list(self._raw)
        steps, deaths, reward, progress = self._steps, self._deaths, self._reward, self._progress
        turns = self._turns
        try:
            self._broken = None
            self.reset(self.seed)
            self.replay(history)
        except (NodeProcessError, BridgeError, MinecraftCrashed) as error:
            self._broken = f"{why}\nRestarting failed too: {error}"
            raise MinecraftCrashed(self._broken) from error
        # The replay re-counted the episode; keep the counts of what really happened.
        self._steps, self._deaths, self._reward = steps, deaths, reward
        self._turns = turns
        self._progress = progress
        self._progress.record(held_items(self._observation), turns)
        what = "rejoined the server" if self.external else (
            f"restarted the test server and bridge and replayed the {len(history)} "
            f"call{'' if len(history) == 1 else 's'} of this episode"
        )
        return StepResult(
            observation=self._render_plain(),
            ok=False,
            feedback=f"{why}\nRecovered: {what}. The call was not carried out; try it again.",
            events=[f"crash: {why.splitlines()[0]}"],  # the first line names what died
        )

    # -- programs

    def example_program(self) -> str:
        return EXAMPLE_PROGRAM

    def program_functions(self, skills: Sequence[dict[str, Any]]) -> list[str]:
        # Remembered so that check_program knows these skills exist (it gets only the code).
        self._offered_skills = [js_identifier(str(skill["name"])) for skill in skills]
        return function_listing(skills)

    def check_program(self, code: str) -> list[str]:
        stubs = {name: f"async function {name}(bot) {{}}" for name in self._offered_skills}
        try:
            if self._bridge is None or not self._bridge.alive:
                self._bridge = Bridge().start()  # checking needs no bot, only the bridge
            problems = self._bridge.check(code, stubs)
        except (NodeProcessError, BridgeError) as error:
            log.warning("could not check the program: %s", error)
            return []
        problems = [_with_hint(p, [*PRIMITIVES, *self._offered_skills]) for p in problems]
        return problems + _unknown_names(code, self._names)

    def skill_code(self, name: str, description: str, steps: Sequence[Sequence[Any]]) -> str:
        return skill_source(
            name, description, steps, names=self._names, timeout_s=self.step_timeout_s
        )

    # -- knowledge

    def knowledge(self) -> Knowledge | None:
        """Minecraft's rules for the server's version, from minecraft-data
        (:mod:`agentkit_minecraft.knowledge`); None without minecraft-data."""
        return minecraft_knowledge(self.mc_version)

    def holdings(self) -> dict[str, int]:
        """The inventory by the knowledge's names (``log``: any log; ``planks``: the most
        of one kind), with a crafting table or furnace in view counted once."""
        held = group_holdings(held_items(self._observation))
        seen = set(self._observation.get("nearby_blocks") or [])
        for station in STATIONS:
            if station in seen:
                held[station] = max(held.get(station, 0), 1)
        return held

    def goals_in(self, task: str) -> list[str]:
        """The tech-tree goals ``task`` names, read as ``check`` reads it ("craft a wood
        pick-axe" -> wooden_pickaxe, "mine 3 oak logs" -> log)."""
        knowledge = self.knowledge()
        if knowledge is None:
            return []
        named = [req.label.replace(" ", "_") for req in requirements(task)]
        return [goal for goal in dict.fromkeys(named) if goal in knowledge.goals]

    # -- tasks and metrics

    def tasks(self) -> list[str]:
        return [task for task, _ in TECH_TREE]

    def check(self, task: str) -> bool | None:
        needed = requirements(task, self._names.items if self._names else ())
        if not needed:
            return None
        return all(self._progress.ever(requirement) for requirement in needed)

    def metrics(self) -> dict[str, Any]:
        return {
            "milestones": dict(self._progress.reached),
            "milestone_count": len(self._progress.reached),
            "deaths": self._deaths,
            "crashes": self._crashes,
            "env_steps": self._steps,
            "reward": self._reward,
        }

    @property
    def steps_taken(self) -> int:
        return self._steps

    def observation(self) -> dict[str, Any]:
        """The last raw observation (what ``Observation.extras`` holds)."""
        return dict(self._observation)


_UNDEFINED = re.compile(r"\b(\w+) is not defined")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _with_hint(problem: str, functions: Sequence[str]) -> str:
    """``craft_item is not defined ...`` + ``(did you mean craftItem?)``: the 1.5B coder,
    shown snake_case skill names, wrote ``craft_item`` and repaired it twice the same way."""
    match = _UNDEFINED.search(problem)
    if match is None:
        return problem
    name = match.group(1)
    exact = [f for f in functions if f.lower() == _camel(name).lower() and f != name]
    close = exact or difflib.get_close_matches(name, list(functions), n=2, cutoff=0.75)
    return f"{problem} (did you mean {' or '.join(close)}?)" if close else problem


# A primitive called with a name in quotes: which names it takes (blocks or items).
_NAMED_CALL = re.compile(
    r"\b(mineBlock|exploreUntil|craftItem|placeItem|smeltItem)\s*\(\s*bot\s*,\s*"
    r"([\"'])([^\"'\n]*)\2")


def _unknown_names(code: str, names: GameNames | None) -> list[str]:
    """Names in quotes the game does not know (``craftItem(bot, "oak_plank")``), found
    before the program runs: the 1.5B coder, told at run time "No item named oak_plank (did
    you mean oak_planks?)", wrote the same call six steps in a row."""
    if names is None:
        return []
    problems = []
    for match in _NAMED_CALL.finditer(code):
        primitive, name = match.group(1), match.group(3)
        if primitive == "mineBlock":
            pool, kind = names.blocks, "block"
        elif primitive == "exploreUntil":
            pool, kind = names.blocks | names.entities, "block or mob"
        else:
            pool, kind = names.items, "item"
        if name in pool:
            continue
        line = code.count("\n", 0, match.start()) + 1
        hints = names.suggest(name, pool)
        hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
        problems.append(f"line {line}: {primitive}: no {kind} named {name!r} in Minecraft "
                        f"{names.version}{hint}")
    return problems


def _combined(parts: list[StepResult]) -> StepResult:
    """One step's result from the calls it made (in order): the last one's outcome."""
    last = parts[-1]
    return StepResult(
        observation=last.observation,
        ok=last.ok,
        feedback="\n".join(part.feedback for part in parts if part.feedback),
        reward=sum(part.reward for part in parts),
        done=last.done,
        raw_actions=[raw for part in parts for raw in part.raw_actions],
        events=[event for part in parts for event in part.events],
        info=last.info,
    )


def _event_text(event: Any) -> str:
    if isinstance(event, dict):
        kind, message = event.get("type") or "event", str(event.get("message") or "")
        message = _FORMATTING.sub("", message).strip()  # chat colour codes: &e, §a, ...
        return f"{kind}: {message}" if message else str(kind)
    return str(event)


def _feedback(reply: dict[str, Any]) -> str:
    """The bridge's feedback, with the program line of an error when it is not there yet."""
    feedback = str(reply.get("feedback") or "").strip()
    error = reply.get("error")
    if isinstance(error, dict):
        message = str(error.get("message") or "").strip()
        line = error.get("line")
        if message and message not in feedback:
            feedback = f"{feedback}\n{message}".strip()
        if line and f"line {line}" not in feedback:
            feedback = f"{feedback} (at line {line} of the program)".strip()
    elif error and str(error) not in feedback:
        feedback = f"{feedback}\n{error}".strip()
    if not feedback:
        feedback = "done" if reply.get("ok") else "failed (the bridge gave no reason)"
    return feedback

