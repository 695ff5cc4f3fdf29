"""``MineDojoEnvironment``: MineDojo behind agentkit's ``Environment`` interface.

The environment drives any object with MineDojo's API (``reset() -> obs`` and
``step(vector) -> (obs, reward, done, info)``, gym 0.21 style; gymnasium's 2- and 5-tuples
are accepted too): normally the simulator ``minedojo.make`` builds, lazily on the first
``reset``. Every controller step records the MultiDiscrete vectors it sent, as lists of
ints, in ``StepResult.raw_actions``; ``replay`` sends them again after ``reset``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from agentkit.environment import ActionSpec, Environment, Observation, StepResult
from agentkit.options import parse_flag

from agentkit_minedojo.codec import ActionCodec
from agentkit_minedojo.metadata import (
    MineDojoMetadata,
    canonical_item,
    display_name,
    load_metadata,
)
from agentkit_minedojo.observation import ObservationMapper, WorldState, rgb_hwc
from agentkit_minedojo.simulator import make_simulator, unavailable_from
from agentkit_minedojo.structured import (
    EYE_HEIGHT,
    ActionError,
    compile_attack,
    compile_craft,
    compile_drop,
    compile_inventory_action,
    compile_jump,
    compile_look,
    compile_move,
    compile_turn,
    compile_use,
    look_angles,
    parse_count,
    parse_turn,
)

__all__ = ["CURRICULUM", "STRUCTURED_ACTIONS", "MineDojoEnvironment"]

# The classic Minecraft tech tree (MineDojo's and GITM's), easiest first.
CURRICULUM: tuple[str, ...] = (
    "obtain 1 log",
    "obtain 1 planks",
    "obtain 1 stick",
    "obtain 1 crafting table",
    "obtain 1 wooden pickaxe",
    "obtain 1 cobblestone",
    "obtain 1 stone pickaxe",
    "obtain 1 furnace",
    "obtain 1 iron ore",
    "obtain 1 iron ingot",
    "obtain 1 iron pickaxe",
    "obtain 1 diamond",
)
STRUCTURED_ACTIONS: tuple[str, ...] = (
    "mine",
    "craft",
    "equip",
    "place",
    "look_at",
    "turn",
    "move_forward",
    "move_back",
    "strafe_left",
    "strafe_right",
    "jump",
    "jump_forward",
    "attack",
    "use",
    "drop",
    "noop",
)
_GOAL = re.compile(
    r"^\s*(?:obtain|harvest|collect|get|gather|mine|craft|make|smelt|have)\s+"
    r"(?:(\d+)\s+)?(?:an?\s+|some\s+)?(.+?)\s*[.!]?\s*$",
    re.IGNORECASE,
)
_LOOK_WORDS = {
    "ahead": (None, 0.0),
    "level": (None, 0.0),
    "horizon": (None, 0.0),
    "forward": (None, 0.0),
    "down": (None, 90.0),
    "feet": (None, 90.0),
    "up": (None, -90.0),
    "sky": (None, -90.0),
    "south": (0.0, None),
    "west": (90.0, None),
    "north": (180.0, None),
    "east": (-90.0, None),
}
_NUMBER = r"[-+]?\d+(?:\.\d+)?"


def _as_size(value: Any) -> tuple[int, int]:
    """Image size (height, width) from 160, '160x256', '160,256' or a pair."""
    if isinstance(value, str):
        parts = [int(p) for p in re.split(r"[x, ]+", value.strip().lower()) if p]
        value = parts if len(parts) == 2 else parts * 2
    if isinstance(value, int):
        return (value, value)
    height, width = (int(v) for v in value)
    return (height, width)


class _Turn:
    """What one controller step pressed and caused."""

    def __init__(self) -> None:
        self.raw: list[list[int]] = []
        self.reward = 0.0
        self.events: list[str] = []


class MineDojoEnvironment(Environment):
    """MineDojo with a text view, named raw actions and GITM-style structured actions.

    ``simulator`` is an object with MineDojo's reset/step API; without it, ``minedojo.make``
    builds one for ``task`` on the first ``reset`` (and again when a later reset asks for
    another seed, since the world seed is fixed at make time). Options: ``task`` (a MineDojo
    task id, e.g. ``harvest_1_log``; ``open-ended`` by default), ``image_size`` (H x W),
    ``seed`` (used when ``reset`` gets none), ``mine_steps`` (attack budget of ``mine``),
    ``raw`` (also list the ``raw`` action: one MultiDiscrete vector), ``voxel_min`` (the
    offset of voxels[0, 0, 0]; the task's ``voxel_size`` by default), ``make_kwargs`` (more
    ``minedojo.make`` arguments) and ``simulator_factory`` (``seed -> simulator``, used
    instead of minedojo.make).
    """

    name = "minedojo"
    fallback_action = "noop"

    def __init__(
        self,
        simulator: Any | None = None,
        *,
        task: str = "open-ended",
        image_size: Any = (160, 256),
        seed: Any = 0,
        mine_steps: Any = 100,
        raw: Any = True,
        voxel_min: tuple[int, int, int] | None = None,
        make_kwargs: Mapping[str, Any] | None = None,
        simulator_factory: Callable[[int], Any] | None = None,
        metadata: MineDojoMetadata | None = None,
    ) -> None:
        self.metadata = metadata or load_metadata()
        self.codec = ActionCodec(self.metadata)
        self.task = str(task)
        self.image_size = _as_size(image_size)
        self.default_seed = int(seed)
        self.mine_steps = int(mine_steps)
        if self.mine_steps < 1:
            raise ValueError("mine_steps must be at least 1")
        self.expose_raw = parse_flag(raw, "raw")
        self.make_kwargs = dict(make_kwargs or {})
        self.simulator_factory = simulator_factory
        spec = self.metadata.task_specs.get(self.task, {})
        self.task_prompt = self.metadata.task_prompt(self.task) if spec else None
        if voxel_min is None:
            size = spec.get("voxel_size") or self._default_voxel_size()
            voxel_min = (int(size["xmin"]), int(size["ymin"]), int(size["zmin"]))
        self.mapper = ObservationMapper(self.metadata, voxel_min=tuple(voxel_min))  # type: ignore[arg-type]
        self._sim = simulator
        self._owns_sim = simulator is None
        self._built_seed: int | None = None
        self.seed: int | None = None
        self._obs: Mapping[str, Any] | None = None
        self._state = WorldState()
        self._initial: dict[str, int] = {}
        self._frame: np.ndarray | None = None
        self._turn = _Turn()
        self._steps = 0
        self._reward = 0.0
        self._done = False
        self._goals: dict[str, tuple[str, dict[str, int]] | None] = {}
        self._handlers: dict[str, Callable[[str | None], tuple[bool, str]]] = {
            "noop": self._noop,
            "move_forward": lambda a: self._move("forward", a),
            "move_back": lambda a: self._move("back", a),
            "strafe_left": lambda a: self._move("left", a),
            "strafe_right": lambda a: self._move("right", a),
            "jump": lambda a: self._jump(a, forward=False),
            "jump_forward": lambda a: self._jump(a, forward=True),
            "turn": self._turn_action,
            "look_at": self._look_at,
            "attack": self._attack,
            "mine": self._mine,
            "use": self._use,
            "craft": self._craft,
            "equip": lambda a: self._inventory_action("equip", a),
            "place": lambda a: self._inventory_action("place", a),
            "drop": self._drop,
            "raw": self._raw,
        }

    # -- simulator ---------------------------------------------------------------------------

    def _default_voxel_size(self) -> dict[str, int]:
        size = self.make_kwargs.get("voxel_size")
        if isinstance(size, Mapping):
            return dict(size)
        return {"xmin": -2, "ymin": -1, "zmin": -2, "xmax": 2, "ymax": 2, "zmax": 2}

    def _make_arguments(self, seed: int) -> dict[str, Any]:
        """``minedojo.make`` arguments: the world seed, fresh worlds, voxels and a centre ray.

        Programmatic tasks fix some of these in their spec (passing them again would be a
        duplicate keyword), so only what the spec leaves open is added.
        """
        spec = self.metadata.task_specs.get(self.task, {})
        wanted: dict[str, Any] = {
            "seed": seed,
            "world_seed": str(seed),
            "use_voxel": True,
            "voxel_size": self._default_voxel_size(),
            "use_lidar": True,
            "lidar_rays": [(0.0, 0.0, 8.0)],
        }
        if self.task.lower() != "open-ended":
            wanted["fast_reset"] = False  # regenerate the world from world_seed on reset
        arguments = {k: v for k, v in wanted.items() if k not in spec}
        if not arguments.get("use_voxel", spec.get("use_voxel", False)):
            arguments.pop("voxel_size", None)
        if not arguments.get("use_lidar", spec.get("use_lidar", False)):
            arguments.pop("lidar_rays", None)
        arguments.update(self.make_kwargs)
        return arguments

    def _ensure_simulator(self, seed: int) -> Any:
        if self._sim is not None and (not self._owns_sim or self._built_seed == seed):
            return self._sim
        if self._sim is not None:
            self._close_simulator()
        if self.simulator_factory is not None:
            self._sim = self.simulator_factory(seed)
        else:
            self._sim = make_simulator(self.task, self.image_size, **self._make_arguments(seed))
        self._built_seed = seed
        return self._sim

    def _close_simulator(self) -> None:
        sim, self._sim = self._sim, None
        if sim is not None and hasattr(sim, "close"):
            sim.close()

    @property
    def simulator(self) -> Any | None:
        return self._sim

    # -- state -------------------------------------------------------------------------------

    @property
    def state(self) -> WorldState:
        """The parsed last observation."""
        return self._state

    @property
    def done(self) -> bool:
        return self._done

    @property
    def steps_taken(self) -> int:
        return self._steps

    def _observe(self, obs: Mapping[str, Any]) -> None:
        self._obs = obs
        self._state = self.mapper.parse(obs)
        rgb = obs.get("rgb")
        if rgb is not None:
            self._frame = rgb_hwc(rgb)

    def _observation(self) -> Observation:
        if self._obs is None:
            return Observation(text="MineDojo has not been reset yet.")
        task = None
        if self.task_prompt:
            task = f"{self.task_prompt} ({self.task})"
        return self.mapper.to_observation(self._obs, task=task, state=self._state)

    # -- Environment API ---------------------------------------------------------------------

    def reset(self, seed: int | None = None) -> Observation:
        self.seed = self.default_seed if seed is None else int(seed)
        sim = self._ensure_simulator(self.seed)
        try:
            if callable(getattr(sim, "seed", None)):
                sim.seed(self.seed)
            result = sim.reset()
        except Exception as error:
            if self._owns_sim and self.simulator_factory is None:
                raise unavailable_from(error, "reset") from error
            raise
        obs = result[0] if isinstance(result, tuple) else result
        self._observe(obs)
        self._initial = self._state.totals()
        self._steps = 0
        self._reward = 0.0
        self._done = False
        return self._observation()

    def step(self, action: str, argument: str | None = None) -> StepResult:
        if self._obs is None:
            self.reset()
        if self._done:
            return StepResult(
                observation=self._observation(), ok=False, feedback="the episode is over", done=True
            )
        handler = self._handlers.get(action)
        if handler is None or (action == "raw" and not self.expose_raw):
            names = ", ".join(spec.name for spec in self.actions())
            return StepResult(
                observation=self._observation(),
                ok=False,
                feedback=f"unknown action {action!r}; available: {names}",
            )
        self._turn = _Turn()
        before = self._state.totals()
        try:
            ok, feedback = handler(argument)
        except ActionError as error:
            ok, feedback = False, str(error)
        turn, self._turn = self._turn, _Turn()
        gained = _difference(self._state.totals(), before)
        events = list(turn.events)
        events += [f"obtained {n} {display_name(item)}" for item, n in gained.items() if n > 0]
        if self._done:
            events.append("episode ended")
        return StepResult(
            observation=self._observation(),
            ok=ok,
            feedback=feedback,
            reward=turn.reward,
            done=self._done,
            raw_actions=[list(v) for v in turn.raw],
            events=events,
            info={"raw_steps": len(turn.raw), "inventory_change": gained},
        )

    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        if self._obs is None:
            self.reset()
        self._turn = _Turn()
        for vector in raw_actions:
            if self._done:
                break
            self._apply(vector)
        self._turn = _Turn()
        return self._observation()

    def actions(self) -> list[ActionSpec]:
        state = self._state
        held = sorted(state.totals())
        in_view = list(dict.fromkeys(name for name, _, _ in state.blocks_in_view()))
        if state.crosshair is not None and state.crosshair.kind == "block":
            in_view = list(dict.fromkeys([state.crosshair.name, *in_view]))
        specs: list[ActionSpec] = []
        if in_view or state.voxels is None:
            specs.append(
                ActionSpec(
                    name="mine",
                    description=(
                        "look at the nearest such block and attack it until it breaks "
                        f"(at most {self.mine_steps} steps)"
                    ),
                    argument="block",
                    choices=in_view or None,
                )
            )
        if state.craftable is None or state.craftable:
            specs.append(
                ActionSpec(
                    name="craft",
                    description="craft or smelt one batch of an item (needs the ingredients; "
                    "some need a crafting table or furnace nearby)",
                    argument="item",
                    choices=list(state.craftable) if state.craftable else None,
                )
            )
        equippable = held if state.equippable is None else sorted(state.equippable)
        placeable = held if state.placeable is None else sorted(state.placeable)
        if equippable:
            specs.append(
                ActionSpec(
                    name="equip",
                    description="hold an inventory item in the main hand",
                    argument="item",
                    choices=equippable,
                )
            )
        if placeable:
            specs.append(
                ActionSpec(
                    name="place",
                    description="place a block from the inventory in front of you",
                    argument="item",
                    choices=placeable,
                )
            )
        specs += [
            ActionSpec(
                name="look_at",
                description="face a visible block by name, 'x y z' block coordinates, a "
                "direction (north, south, east, west, up, down, ahead) or 'YAW PITCH' degrees",
                argument="target",
            ),
            ActionSpec(
                name="turn",
                description="turn by degrees, 15-degree steps: left, right, around, up, down, "
                "or 'YAW [PITCH]' (right and down positive)",
                argument="angle",
            ),
        ]
        moves = {
            "move_forward": "walk forward",
            "move_back": "walk backward",
            "strafe_left": "step sideways to the left",
            "strafe_right": "step sideways to the right",
            "jump": "jump in place",
            "jump_forward": "jump while walking forward (climb one block)",
            "attack": "attack (hit or break) what the crosshair points at",
            "use": "use the held item or the block in view (eat, open, ...)",
            "noop": "wait",
        }
        for name, text in moves.items():
            specs.append(
                ActionSpec(
                    name=name,
                    description=f"{text} for N raw steps (default 1)",
                    argument="steps",
                )
            )
        if state.equipment.get("mainhand", "air") != "air" or held:
            specs.append(ActionSpec(name="drop", description="drop the held item"))
        if self.expose_raw:
            specs.append(
                ActionSpec(
                    name="raw",
                    description="one raw MineDojo action: 8 integers (forward/back, left/right, "
                    "jump/sneak/sprint, camera pitch bin, camera yaw bin (12 = no turn), "
                    "functional, craft item index, inventory slot)",
                    argument="vector",
                    kind="raw",
                )
            )
        return specs

    def check(self, task: str) -> bool | None:
        goal = self._goal(task)
        if goal is None:
            return None
        kind, targets = goal
        have = self._state.totals()
        for item, quantity in targets.items():
            count = have.get(item, 0)
            if kind == "delta":
                count -= self._initial.get(item, 0)
            if count < quantity:
                return False
        return True

    def tasks(self) -> list[str]:
        return list(CURRICULUM)

    def frame(self) -> np.ndarray | None:
        return self._frame

    def metrics(self) -> dict[str, Any]:
        gained = _difference(self._state.totals(), self._initial)
        return {
            "raw_steps": self._steps,
            "reward": float(self._reward),
            "items_gained": {k: int(v) for k, v in sorted(gained.items()) if v > 0},
            "done": bool(self._done),
        }

    def close(self) -> None:
        if self._owns_sim:
            self._close_simulator()

    # -- tasks -------------------------------------------------------------------------------

    def _goal(self, task: str) -> tuple[str, dict[str, int]] | None:
        if task not in self._goals:
            self._goals[task] = self._parse_goal(task)
        return self._goals[task]

    def _parse_goal(self, task: str) -> tuple[str, dict[str, int]] | None:
        text = str(task).strip()
        targets = self.metadata.harvest_targets(text)
        if targets:
            return ("delta", targets)  # MineDojo's Harvest success: inventory gain since reset
        tech = self.metadata.tech_item(text)
        if tech:
            return ("have", {tech: 1})
        match = _GOAL.match(text)
        if not match:
            return None
        item = self._item_name(match.group(2))
        if item is None:
            return None
        return ("have", {item: int(match.group(1) or 1)})

    def _item_name(self, text: str) -> str | None:
        key = canonical_item(text)
        candidates = [key, key.removesuffix("es"), key.removesuffix("s")]
        for candidate in candidates:
            if candidate and self.metadata.is_item(candidate):
                return candidate
        return None

    # -- raw steps ---------------------------------------------------------------------------

    def _apply(self, vector: Sequence[Any]) -> None:
        """Send one MultiDiscrete vector and record it; the simulator may refuse it."""
        values = self.codec.validate(vector)
        assert self._sim is not None
        try:
            result = self._sim.step(np.asarray(values, dtype=np.int64))
        except (ValueError, AssertionError) as error:
            # MineDojo's NNActionSpaceWrapper checks actions before stepping (strict mode).
            raise ActionError(
                f"MineDojo refused {self.codec.describe(values)}: {error or type(error).__name__}"
            ) from error
        if len(result) == 5:
            obs, reward, terminated, truncated, _ = result
            done = bool(terminated) or bool(truncated)
        else:
            obs, reward, done, _ = result
        self._turn.raw.append(values)
        self._steps += 1
        self._reward += float(reward)
        self._turn.reward += float(reward)
        self._done = bool(done)
        self._observe(obs)

    def _run(self, vectors: Sequence[Sequence[int]]) -> int:
        """Apply ``vectors`` until the episode ends; the number applied."""
        applied = 0
        for vector in vectors:
            if self._done:
                break
            self._apply(vector)
            applied += 1
        return applied

    # -- actions -----------------------------------------------------------------------------

    def _noop(self, argument: str | None) -> tuple[bool, str]:
        n = parse_count(argument)
        done = self._run([self.codec.noop()] * n)
        return True, f"waited {done} steps"

    def _move(self, direction: str, argument: str | None) -> tuple[bool, str]:
        n = parse_count(argument)
        start = self._state.position
        done = self._run(compile_move(self.codec, direction, n))
        return True, f"moved {direction} for {done} steps{_moved(start, self._state.position)}"

    def _jump(self, argument: str | None, forward: bool) -> tuple[bool, str]:
        n = parse_count(argument)
        start = self._state.position
        done = self._run(compile_jump(self.codec, n, forward=forward))
        what = "jumped forward" if forward else "jumped"
        return True, f"{what} for {done} steps{_moved(start, self._state.position)}"

    def _turn_action(self, argument: str | None) -> tuple[bool, str]:
        yaw, pitch = parse_turn(argument)
        vectors = compile_turn(self.codec, yaw=yaw, pitch=pitch, current_pitch=self._state.pitch)
        if not vectors:
            return False, (
                f"a turn of yaw {yaw:g}, pitch {pitch:g} rounds to nothing: the camera turns "
                f"in {self.codec.cam_interval:g}-degree steps (and pitch stays in [-90, 90])"
            )
        self._run(vectors)
        return True, f"turned; now {self._angles()}"

    def _angles(self) -> str:
        yaw, pitch = self._state.yaw, self._state.pitch
        if yaw is None or pitch is None:
            return "facing unknown"
        return f"yaw {yaw:.0f}, pitch {pitch:.0f}"

    def _look_target(self, argument: str | None) -> tuple[float | None, float | None, str]:
        text = (argument or "").strip()
        if not text:
            raise ActionError("look_at needs a block name, 'x y z', a direction or 'YAW PITCH'")
        lowered = text.lower()
        if lowered in _LOOK_WORDS:
            yaw, pitch = _LOOK_WORDS[lowered]
            return yaw, pitch, lowered
        numbers = re.findall(_NUMBER, text)
        only_numbers = re.fullmatch(rf"\s*{_NUMBER}(?:\s*[, ]\s*{_NUMBER})*\s*", text)
        keyed = dict(re.findall(rf"(yaw|pitch)\s*[=:]\s*({_NUMBER})", lowered))
        if keyed:
            yaw = float(keyed["yaw"]) if "yaw" in keyed else None
            pitch = float(keyed["pitch"]) if "pitch" in keyed else None
            return yaw, pitch, f"yaw {yaw}, pitch {pitch}"
        if only_numbers and len(numbers) == 3:
            block = tuple(int(float(n)) for n in numbers)
            return (*self._angles_to(block), f"block at {block}")
        if only_numbers and len(numbers) in (1, 2):
            yaw = float(numbers[0])
            pitch = float(numbers[1]) if len(numbers) == 2 else None
            return yaw, pitch, f"yaw {yaw:g}"
        target = canonical_item(text)
        for name, block, _ in self._state.blocks_in_view():
            if name == target:
                return (*self._angles_to(block), f"{display_name(name)} at {block}")
        nearby = sorted({name for name, _, _ in self._state.blocks_in_view()})
        listed = ", ".join(display_name(n) for n in nearby) or "only air"
        raise ActionError(f"no {display_name(target)} in view (blocks nearby: {listed})")

    def _angles_to(self, block: Sequence[int]) -> tuple[float, float]:
        if self._state.position is None:
            raise ActionError("the observation has no position, so the block cannot be aimed at")
        x, y, z = self._state.position
        centre = [b + 0.5 for b in block]
        return look_angles((x, y + EYE_HEIGHT, z), centre)

    def _look_vectors(self, yaw: float | None, pitch: float | None) -> list[list[int]]:
        current_yaw = self._state.yaw or 0.0
        current_pitch = self._state.pitch or 0.0
        return compile_look(self.codec, yaw, pitch, current_yaw, current_pitch)

    def _look_at(self, argument: str | None) -> tuple[bool, str]:
        yaw, pitch, what = self._look_target(argument)
        self._run(self._look_vectors(yaw, pitch))
        return True, f"turned towards {what}; now {self._angles()}"

    def _attack(self, argument: str | None) -> tuple[bool, str]:
        n = parse_count(argument)
        done = self._run(compile_attack(self.codec, n))
        target = self._state.crosshair
        seen = f"; crosshair now on {display_name(target.name)}" if target else ""
        return True, f"attacked for {done} steps{seen}"

    def _use(self, argument: str | None) -> tuple[bool, str]:
        n = parse_count(argument)
        done = self._run(compile_use(self.codec, n))
        return True, f"used for {done} steps"

    def _drop(self, argument: str | None) -> tuple[bool, str]:
        self._run(compile_drop(self.codec))
        return True, "dropped the held item"

    def _mine(self, argument: str | None) -> tuple[bool, str]:
        target = canonical_item(argument or "")
        if not target:
            raise ActionError("mine needs a block name, e.g. log or stone")
        state = self._state
        crosshair = state.crosshair
        block: tuple[int, int, int] | None = None
        if crosshair is not None and crosshair.kind == "block" and crosshair.name == target:
            block = crosshair.block
        else:
            found = [(name, b) for name, b, _ in state.blocks_in_view() if name == target]
            if not found:
                nearby = sorted({name for name, _, _ in state.blocks_in_view()})
                listed = ", ".join(display_name(n) for n in nearby) or "only air"
                hint = "" if self.metadata.is_block(target) else " (not a MineDojo block name)"
                raise ActionError(
                    f"no {display_name(target)}{hint} within reach to mine (blocks nearby: "
                    f"{listed}); move or turn towards one"
                )
            block = found[0][1]
            self._run(self._look_vectors(*self._angles_to(block)))
        before = self._state.totals()
        attacks = 0
        broken = False
        for _ in range(self.mine_steps):
            if self._done:
                break
            self._apply(self.codec.encode(functional="attack"))
            attacks += 1
            if self._target_gone(target, block):
                broken = True
                break
        gained = _difference(self._state.totals(), before)
        got = ", ".join(f"+{n} {display_name(i)}" for i, n in gained.items() if n > 0)
        if broken:
            return True, f"broke the {display_name(target)} after {attacks} attack steps" + (
                f"; inventory {got}" if got else "; nothing was collected"
            )
        return False, (
            f"the {display_name(target)} did not break in {attacks} attack steps; it may need "
            "a better tool, or something else is in the way"
        )

    def _target_gone(self, target: str, block: tuple[int, int, int] | None) -> bool:
        state = self._state
        if block is not None:
            now = state.voxel_at(block)
            if now is not None:
                return now != target
        crosshair = state.crosshair
        if crosshair is None or crosshair.kind != "block" or crosshair.name != target:
            return True
        return block is not None and crosshair.block is not None and crosshair.block != block

    def _craft(self, argument: str | None) -> tuple[bool, str]:
        item = canonical_item(argument or "")
        if not item:
            raise ActionError("craft needs an item name, e.g. planks or crafting_table")
        vectors = compile_craft(self.codec, item)
        craftable = self._state.craftable
        if craftable is not None and item not in craftable:
            return False, f"cannot craft {display_name(item)} now: {self._recipe_text(item)}"
        before = self._state.totals()
        self._run(vectors)
        change = _difference(self._state.totals(), before)
        if change.get(item, 0) > 0:
            return True, f"crafted {display_name(item)}: {_change_text(change)}"
        return False, f"crafting {display_name(item)} changed nothing: {self._recipe_text(item)}"

    def _recipe_text(self, item: str) -> str:
        recipe = self.metadata.recipe(item)
        if recipe is None:
            return "MineDojo knows no recipe for it"
        needs = ", ".join(f"{n} {display_name(k)}" for k, n in recipe["ingredients"].items())
        where = {
            "crafting table": " with a crafting table nearby",
            "furnace": " in a furnace nearby (plus fuel)",
        }.get(recipe["where"], "")
        return f"it needs {needs}{where}"

    def _inventory_action(self, functional: str, argument: str | None) -> tuple[bool, str]:
        vectors = compile_inventory_action(
            self.codec, functional, argument or "", self._state.inventory_names
        )
        before = self._state.totals()
        self._run(vectors)
        change = _difference(self._state.totals(), before)
        item = display_name(canonical_item(argument or ""))
        if functional == "equip":
            held = self._state.equipment.get("mainhand")
            return True, f"holding {display_name(held) if held else item}"
        if change.get(canonical_item(argument or ""), 0) < 0:
            return True, f"placed {item}: {_change_text(change)}"
        return False, (
            f"the {item} was not placed: the block in front may be taken, or it is not a block"
        )

    def _raw(self, argument: str | None) -> tuple[bool, str]:
        numbers = re.findall(r"-?\d+(?:\.\d+)?", argument or "")
        try:
            vector = self.codec.validate(numbers)
        except ValueError as error:
            raise ActionError(str(error)) from None
        self._apply(vector)
        return True, f"did {self.codec.describe(vector)}"


def _difference(after: Mapping[str, int], before: Mapping[str, int]) -> dict[str, int]:
    keys = sorted(set(after) | set(before))
    return {
        k: after.get(k, 0) - before.get(k, 0) for k in keys if after.get(k, 0) != before.get(k, 0)
    }


def _change_text(change: Mapping[str, int]) -> str:
    return ", ".join(f"{'+' if n > 0 else ''}{n} {display_name(k)}" for k, n in change.items())


def _moved(start: Any, end: Any) -> str:
    if start is None or end is None:
        return ""
    distance = float(np.linalg.norm(np.asarray(end) - np.asarray(start)))
    return f" ({distance:.1f} blocks)"
