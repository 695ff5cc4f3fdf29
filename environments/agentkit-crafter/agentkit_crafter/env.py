"""``CrafterEnvironment``: Crafter behind agentkit's ``Environment`` interface.

The agent sees only the 9 x 7 window around the player (as text, and as the frame when
rendering), acts through 17 raw actions and a few bounded primitives, and every controller
step records the raw action indices it pressed, so ``replay`` can rebuild the episode
exactly after a restart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from agentkit.environment import ActionSpec, Environment, Observation, StepResult
from agentkit.knowledge import Knowledge
from agentkit.options import parse_flag
from crafter import constants

from agentkit_crafter import primitives, pursue
from agentkit_crafter.achievements import TECH_TREE, achievements_in
from agentkit_crafter.balrog_text import describe_balrog
from agentkit_crafter.determinism import StableCrafterEnv
from agentkit_crafter.knowledge import crafter_knowledge
from agentkit_crafter.seen import SeenMap
from agentkit_crafter.view import Cell, describe, direction_name, local_cells

__all__ = ["PRIMITIVES", "RAW_ACTIONS", "CrafterEnvironment"]

RAW_ACTIONS: tuple[str, ...] = tuple(constants.actions)
PRIMITIVES = ("collect", "goto", "interact", "place", "make", "sleep", "explore")
_RAW_HELP = {
    "noop": "do nothing for one step",
    "move_left": "step west (only turn if blocked)",
    "move_right": "step east (only turn if blocked)",
    "move_up": "step north (only turn if blocked)",
    "move_down": "step south (only turn if blocked)",
    "do": "collect, hit or drink what you face",
    "sleep": "lie down to sleep one step",
}


def _raw_help(name: str) -> str:
    if name in _RAW_HELP:
        return _RAW_HELP[name]
    kind, _, item = name.partition("_")
    if kind == "place":
        uses = constants.place[item]["uses"]
        needs = ", ".join(f"{n} {k}" for k, n in uses.items())
        return f"place {item} on the faced cell (uses {needs})"
    info = constants.make[item]
    needs = ", ".join(f"{n} {k}" for k, n in info["uses"].items())
    return f"make {item} (uses {needs}; near {' and '.join(info['nearby'])})"


def _as_area(value: Any) -> tuple[int, int]:
    if isinstance(value, str):
        parts = [int(p) for p in value.lower().replace("x", ",").split(",") if p.strip()]
        value = parts if len(parts) == 2 else parts * 2
    if isinstance(value, int):
        return (value, value)
    return (int(value[0]), int(value[1]))


class _Turn:
    """What one controller step pressed and caused, accumulated raw step by raw step."""

    def __init__(self) -> None:
        self.raw: list[int] = []
        self.reward = 0.0
        self.events: list[str] = []
        self.unlocked: list[str] = []


class CrafterEnvironment(Environment):
    """Crafter with a reproducible world, a local text view and bounded primitives.

    Options: ``size`` (frame side in pixels), ``render`` (draw frames; off is faster and
    changes nothing in the world), ``length`` (episode step limit), ``area`` (world size),
    ``seed`` (used when ``reset`` gets none, so a run without a seed still replays),
    ``raw`` and ``primitives`` (which action families ``actions()`` lists), ``mask`` (list
    only actions that can work now: no ``make`` without materials and a table, no ``sleep``
    with full energy, ``interact`` only with what is adjacent; an action mask, as in RL, not
    a plan), ``text`` (``agentkit``, the default wording, or ``balrog``, BALROG's wording of
    the same view).
    """

    name = "crafter"
    fallback_action = "noop"
    # The text names what is in the 9 x 7 view, the vitals and the inventory: everything
    # the frame shows. OCR on the frame only misread the vitals bar ("5BB5") into prompts.
    text_covers = ("rgb",)

    def __init__(
        self,
        size: int = 96,
        render: bool = True,
        length: int = 10000,
        area: tuple[int, int] = (64, 64),
        seed: int = 0,
        raw: bool = True,
        primitives: bool = True,
        mask: bool = True,
        text: str = "agentkit",
    ) -> None:
        self.size = int(size)
        self.render = parse_flag(render, "render")
        self.length = int(length)
        self.area = _as_area(area)
        self.default_seed = int(seed)
        self.expose_raw = parse_flag(raw, "raw")
        self.expose_primitives = parse_flag(primitives, "primitives")
        self.mask = parse_flag(mask, "mask")
        if text not in ("agentkit", "balrog"):
            raise ValueError(f"text must be 'agentkit' or 'balrog', not {text!r}")
        self.text_style = text
        if not (self.expose_raw or self.expose_primitives):
            raise ValueError("crafter needs raw or primitive actions (or both)")
        # Frames are drawn once per controller step (not per raw step) by ``_draw``.
        self._sim = StableCrafterEnv(area=self.area, size=self.size, length=self.length, draw=False)
        self.seed: int | None = None
        self.seen = SeenMap(self.area)
        self._frame: np.ndarray | None = None
        self._cells: list[Cell] = []
        self._turn = _Turn()
        self._steps = 0
        self._reward = 0.0
        self._done = False
        self._unlocked: list[str] = []

    # -- state the primitives read ---------------------------------------------------------

    @property
    def player(self) -> Any:
        return self._sim.player

    @property
    def world(self) -> Any:
        return self._sim.world

    @property
    def done(self) -> bool:
        return self._done

    @property
    def steps_taken(self) -> int:
        return self._steps

    def cells(self) -> list[Cell]:
        """The cells in view now (the 9 x 7 window, without the player)."""
        return self._cells

    # -- Environment API ---------------------------------------------------------------------

    def reset(self, seed: int | None = None) -> Observation:
        self.seed = self.default_seed if seed is None else int(seed)
        self._sim.reseed(self.seed)
        self._sim.reset()
        self.seen = SeenMap(self.area)
        self._steps = 0
        self._reward = 0.0
        self._done = False
        self._unlocked = []
        self._look()
        self._frame = self._draw()
        return self._observation()

    def step(self, action: str, argument: str | None = None) -> StepResult:
        if self.seed is None:
            self.reset()
        if self._done:
            return StepResult(
                observation=self._observation(),
                ok=False,
                feedback="the episode is over",
                done=True,
            )
        self._turn = _Turn()
        ok, feedback = self._dispatch(action, argument)
        turn, self._turn = self._turn, _Turn()
        if turn.raw:
            self._frame = self._draw()
        return StepResult(
            observation=self._observation(),
            ok=ok,
            feedback=feedback,
            reward=turn.reward,
            done=self._done,
            raw_actions=list(turn.raw),
            events=turn.events,
            info={"achievements_unlocked": turn.unlocked},
        )

    def actions(self) -> list[ActionSpec]:
        # Primitives first: small models lean towards the options they read first.
        specs = self._primitive_specs() if self.expose_primitives else []
        if self.expose_raw:
            for name in RAW_ACTIONS:
                if name == "sleep" and self.expose_primitives:
                    continue  # the sleep primitive covers it
                if self.mask and not self._raw_feasible(name):
                    continue
                specs.append(ActionSpec(name=name, description=_raw_help(name), kind="raw"))
        return specs

    def _raw_feasible(self, name: str) -> bool:
        kind, _, item = name.partition("_")
        if kind == "make":
            return not primitives.make_missing(self, item)
        if kind == "place":
            return not primitives.place_missing(self, item)
        if name == "sleep":
            return primitives.can_sleep(self)
        return True

    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        if self.seed is None or self._steps:
            self.reset(self.seed)
        self._turn = _Turn()
        try:
            for index in raw_actions:
                if self._done:
                    break
                self._press_index(int(index))
        finally:
            self._turn = _Turn()
        self._frame = self._draw()  # a frame depends on the state alone, not on history
        return self._observation()

    def check(self, task: str) -> bool | None:
        named = achievements_in(task)
        if not named:
            return None
        return all(name in self._unlocked for name in named)

    def tasks(self) -> list[str]:
        return [name.replace("_", " ") for name in TECH_TREE]

    def goals_in(self, task: str) -> list[str]:
        return achievements_in(task)

    def knowledge(self) -> Knowledge:
        return crafter_knowledge()

    def holdings(self) -> dict[str, int]:
        inventory = {k: int(v) for k, v in self._sim.player.inventory.items()}
        dark = {"night": 1} if pursue.is_night(self) else {}
        return {**inventory, **pursue.stations_within(self), **dark}

    def frame(self) -> np.ndarray | None:
        return self._frame if self.render else None

    def metrics(self) -> dict[str, Any]:
        return {
            "achievements": sorted(self._unlocked),
            "achievement_count": len(self._unlocked),
            "env_steps": self._steps,
            "reward": round(self._reward, 4),
        }

    def close(self) -> None:
        self._frame = None

    # -- raw stepping ------------------------------------------------------------------------

    def press(self, name: str) -> None:
        """Press one raw action by name (what the primitives call)."""
        self._press_index(RAW_ACTIONS.index(name))

    def _press_index(self, index: int) -> None:
        if not 0 <= index < len(RAW_ACTIONS):
            raise ValueError(f"raw action index {index} outside 0..{len(RAW_ACTIONS) - 1}")
        player = self._sim.player
        health, asleep = int(player.health), bool(player.sleeping)
        _, reward, done, _info = self._sim.step(index)
        self._steps += 1
        self._reward += float(reward)
        self._done = bool(done)
        turn = self._turn
        turn.raw.append(index)
        turn.reward += float(reward)
        for name, count in player.achievements.items():
            if count > 0 and name not in self._unlocked:
                self._unlocked.append(name)
                turn.unlocked.append(name)
                turn.events.append(f"unlocked {name}")
        if player.health < health:
            turn.events.append(f"health dropped to {int(player.health)}")
        if player.sleeping and not asleep:
            turn.events.append("fell asleep")
        elif asleep and not player.sleeping:
            turn.events.append("woke up")
        if done:
            turn.events.append("died" if player.health <= 0 else "time is up")
        self._look()

    def _look(self) -> None:
        self._cells = local_cells(self._sim.world, self._sim.player.pos)
        self.seen.update(self._cells)

    def _draw(self) -> np.ndarray | None:
        return self._sim.frame() if self.render else None

    # -- actions -----------------------------------------------------------------------------

    def _dispatch(self, action: str, argument: str | None) -> tuple[bool, str]:
        action = (action or "").strip()
        arg = argument.strip().lower() if isinstance(argument, str) else argument
        if action in PRIMITIVES and (self.expose_primitives or action != "sleep"):
            outcome = self._primitive(action, arg)
            return outcome.ok, outcome.feedback
        if action in RAW_ACTIONS:
            self.press(action)
            return True, ""
        known = ", ".join(s.name for s in self.actions())
        return False, f"unknown action {action!r}; choose one of: {known}"

    def _primitive(self, action: str, arg: str | None) -> primitives.Outcome:
        if action == "collect":
            return pursue.collect(self, arg)
        if action == "goto":
            return primitives.goto(self, arg)
        if action == "interact":
            return primitives.interact(self, arg)
        if action == "place":
            return pursue.place_near(self, arg)
        if action == "make":
            return pursue.make_near(self, arg)
        if action == "sleep":
            return pursue.rest(self, primitives.sleep)
        return primitives.explore(self, arg)

    def _primitive_specs(self) -> list[ActionSpec]:
        known = self.seen.kinds()
        limit = primitives.MAX_STEPS
        interactable = [k for k in primitives.INTERACTABLE if k in known]
        placeable, makeable = list(primitives.PLACEABLE), list(primitives.MAKEABLE)
        goto_targets = known
        if self.mask:
            faced = primitives.faced_kind(self)
            goto_targets = [k for k in known if k != faced]
            interactable = primitives.adjacent_interactable(self)
            placeable = [i for i in placeable if not primitives.place_missing(self, i)]
            makeable = [i for i in makeable if pursue.can_make(self, i)]
        specs = [
            ActionSpec(
                name="collect",
                description=f"find, reach and collect, eat or defeat a target (<= "
                f"{pursue.COLLECT_LIMIT} steps, exploring and mining on the way)",
                argument="target",
                choices=pursue.collectable(self) if self.mask else list(pursue.COLLECTABLE),
            ),
            ActionSpec(
                name="goto",
                description=f"walk to the nearest seen target and face it (<= {limit} steps)",
                argument="target",
                choices=goto_targets,
            ),
            ActionSpec(
                name="interact",
                description="face an adjacent target and collect, hit, drink or eat it",
                argument="target",
                choices=interactable,
            ),
            ActionSpec(
                name="place",
                description="place an item on a free cell next to you",
                argument="item",
                choices=placeable,
            ),
            ActionSpec(
                name="make",
                description="craft a tool (needs materials; walks to the table/furnace)",
                argument="item",
                choices=makeable,
            ),
            ActionSpec(
                name="sleep",
                description="sleep until rested and sit out the night, walled in by rock "
                "when a pickaxe allows",
            ),
            ActionSpec(
                name="explore",
                description="walk about 8 cells one way to see new ground",
                argument="direction",
                choices=list(primitives.DIRECTIONS),
            ),
        ]
        if not self.mask:
            return specs
        # Under the mask, what is possible only here and now (interact, make, place,
        # sleep) is listed before what is always possible (goto, explore), so the actions
        # this spot offers lead the list. (SmolLM2-135M still picked goto after reaching a
        # tree in every probe we made, with either order: see docs/lifelong.md.)
        situational = ("interact", "make", "place", "sleep", "collect", "goto", "explore")
        kept = [
            spec
            for spec in specs
            if (spec.argument is None or spec.choices)
            and (spec.name != "sleep" or pursue.can_rest(self))
        ]
        return sorted(kept, key=lambda spec: situational.index(spec.name))

    # -- observation -------------------------------------------------------------------------

    def _observation(self) -> Observation:
        player = self._sim.player
        pos = (int(player.pos[0]), int(player.pos[1]))
        facing = (int(player.facing[0]), int(player.facing[1]))
        inventory = {k: int(v) for k, v in player.inventory.items()}
        if self.text_style == "balrog":
            text = describe_balrog(
                self._cells, pos, facing, inventory, bool(player.sleeping), player.health <= 0
            )
        else:
            text = describe(
                self._cells,
                pos,
                facing,
                inventory,
                area=self.area,
                daylight=float(self._sim.world.daylight),
                sleeping=bool(player.sleeping),
            )
        images = {"rgb": self._frame} if self.render and self._frame is not None else {}
        extras = {
            "inventory": {k: v for k, v in inventory.items() if v > 0},
            "achievements": sorted(self._unlocked),
            "position": [pos[0], pos[1]],
            "facing": direction_name(facing),
            "sleeping": bool(player.sleeping),
        }
        return Observation(text=text, images=images, extras=extras)

    def observe(self) -> Observation:
        """Look again without stepping (e.g. after a test edits the world) and observe."""
        self._look()
        self._frame = self._draw()
        return self._observation()

    def fingerprint(self) -> str:
        """A digest of the whole simulator state, for checking reproducibility (not shown
        to the agent): materials, objects, player stats and the world RNG."""
        world = self._sim.world
        player = self._sim.player
        digest = hashlib.sha256()
        digest.update(world._mat_map.tobytes())
        for index, obj in enumerate(world._objects):
            if obj is not None:
                health = int(obj.inventory.get("health", 0))
                digest.update(f"{index}:{type(obj).__name__}:{tuple(obj.pos)}:{health};".encode())
        digest.update(repr(sorted(player.inventory.items())).encode())
        digest.update(repr((tuple(player.facing), player.sleeping, self._steps)).encode())
        digest.update(world.random.get_state()[1].tobytes())
        return digest.hexdigest()
