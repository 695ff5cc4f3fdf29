"""MineDojo observation dicts -> agentkit :class:`~agentkit.environment.Observation`.

``minedojo.make`` returns a dict of arrays: ``rgb`` (3 x H x W uint8), ``inventory`` and
``equipment`` (``name``, ``quantity``, ``variant``, ``cur_durability``, ``max_durability``;
36 and 6 slots; names spaced, 'crafting table'), ``life_stats`` (``life``, ``food``,
``oxygen``, ``armor``, ``xp``, ``saturation``, ``is_sleeping``), ``location_stats`` (``pos``,
``yaw``, ``pitch``, ``biome_id``, ...), ``nearby_tools`` (``table``, ``furnace``), optional
``voxels`` (``block_name``, ... in x, y, z order around the player's block) and ``rays``
(lidar: ``block_name``, ``block_distance``, ``entity_name``, ...), and from the wrappers
``masks`` (``craft_smelt``, ``equip``, ...) and ``delta_inv``.

:class:`ObservationMapper` reads what is present (every key is optional) into a
:class:`WorldState` and renders it as deterministic text; the frame becomes
``images["rgb"]`` as H x W x 3 uint8.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agentkit_minedojo.metadata import MineDojoMetadata, canonical_item, display_name

__all__ = ["Crosshair", "ObservationMapper", "WorldState", "facing_name", "rgb_hwc"]

_MAX_HEALTH = 20.0
_MAX_FOOD = 20.0
_MAX_OXYGEN = 300.0
_CROSSHAIR_COS = math.cos(math.radians(20))  # voxel estimate: within 20 degrees of the view


def _scalar(value: Any, default: float | None = None) -> float | None:
    if value is None:
        return default
    array = np.asarray(value)
    if array.size == 0:
        return default
    return float(array.reshape(-1)[0])


def _names(value: Any) -> list[str]:
    return [str(v) for v in np.asarray(value).reshape(-1)] if value is not None else []


def rgb_hwc(rgb: Any) -> np.ndarray:
    """MineDojo's 3 x H x W frame as a contiguous H x W x 3 uint8 array."""
    array = np.asarray(rgb)
    if array.ndim != 3 or 3 not in (array.shape[0], array.shape[2]):
        raise ValueError(f"rgb must be 3 x H x W (or H x W x 3), got shape {array.shape}")
    if array.shape[0] == 3:  # MineDojo's channels-first frame
        array = array.transpose(1, 2, 0)
    return np.ascontiguousarray(array, dtype=np.uint8)


def facing_name(yaw: float) -> str:
    """The compass direction of a Minecraft yaw (0 south, 90 west, 180 north, -90 east)."""
    names = ("south", "southwest", "west", "northwest", "north", "northeast", "east", "southeast")
    return names[int(round((yaw % 360.0) / 45.0)) % 8]


def _pitch_words(pitch: float) -> str:
    if pitch <= -60:
        return "looking up"
    if pitch < -15:
        return "looking slightly up"
    if pitch <= 15:
        return "level"
    if pitch < 60:
        return "looking slightly down"
    return "looking down"


@dataclass(frozen=True)
class Crosshair:
    """What the view centre points at."""

    name: str
    distance: float | None = None
    kind: str = "block"  # 'block' or 'entity'
    source: str = "rays"  # 'rays' (lidar) or 'voxels' (estimated from the look angle)
    block: tuple[int, int, int] | None = None  # absolute block coordinates when known


@dataclass
class WorldState:
    """The parts of a MineDojo observation the adapter reads, as plain Python values."""

    inventory: list[tuple[int, str, int]] = field(default_factory=list)  # (slot, id, count)
    inventory_names: list[str] = field(default_factory=list)  # all 36 slots, ids ('air')
    equipment: dict[str, str] = field(default_factory=dict)  # slot name -> id
    health: float | None = None
    food: float | None = None
    oxygen: float | None = None
    armor: float | None = None
    xp: float | None = None
    position: tuple[float, float, float] | None = None
    yaw: float | None = None
    pitch: float | None = None
    biome_id: int | None = None
    biome: str | None = None
    voxels: np.ndarray | None = None  # block ids, x/y/z order
    voxel_min: tuple[int, int, int] | None = None  # offset of voxels[0, 0, 0]
    crosshair: Crosshair | None = None
    near_table: bool | None = None
    near_furnace: bool | None = None
    craftable: list[str] | None = None  # from masks.craft_smelt
    equippable: list[str] | None = None  # from masks.equip (item ids, slot order)
    placeable: list[str] | None = None  # from masks.place

    def totals(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for _, name, count in self.inventory:
            counts[name] += count
        return dict(counts)

    def count(self, item: str) -> int:
        return self.totals().get(canonical_item(item), 0)

    def block_origin(self) -> tuple[int, int, int] | None:
        if self.position is None:
            return None
        x, y, z = self.position
        return (math.floor(x), math.floor(y), math.floor(z))

    def voxel_at(self, block: tuple[int, int, int]) -> str | None:
        """The block id at absolute ``block`` if it lies in the voxel grid."""
        origin = self.block_origin()
        if self.voxels is None or origin is None or self.voxel_min is None:
            return None
        index = tuple(b - o - m for b, o, m in zip(block, origin, self.voxel_min, strict=True))
        if all(0 <= i < n for i, n in zip(index, self.voxels.shape, strict=True)):
            return str(self.voxels[index])
        return None

    def blocks_in_view(self) -> list[tuple[str, tuple[int, int, int], float]]:
        """Non-air voxels as (id, absolute block, distance from the eyes), nearest first."""
        origin = self.block_origin()
        if self.voxels is None or origin is None or self.voxel_min is None:
            return []
        assert self.position is not None
        eye = (self.position[0], self.position[1] + 1.62, self.position[2])
        found = []
        for index in np.ndindex(*self.voxels.shape):
            name = str(self.voxels[index])
            if name in ("air", "", "none"):
                continue
            block = tuple(o + m + i for o, m, i in zip(origin, self.voxel_min, index, strict=True))
            centre = tuple(b + 0.5 for b in block)
            distance = math.dist(eye, centre)
            found.append((name, block, distance))
        found.sort(key=lambda item: (round(item[2], 6), item[0], item[1]))
        return found


class ObservationMapper:
    """Reads MineDojo observation dicts and renders them as agentkit observations.

    ``voxel_min`` is the offset (x, y, z) of ``voxels[0, 0, 0]`` from the player's block,
    i.e. ``(xmin, ymin, zmin)`` of the task's ``voxel_size``; None centres odd grids.
    """

    def __init__(
        self,
        metadata: MineDojoMetadata,
        voxel_min: tuple[int, int, int] | None = None,
        max_craftable: int = 12,
    ) -> None:
        self.metadata = metadata
        self.voxel_min = voxel_min
        self.max_craftable = max_craftable

    # -- parsing -----------------------------------------------------------------------------

    def parse(self, obs: Mapping[str, Any]) -> WorldState:
        state = WorldState()
        inventory = obs.get("inventory")
        if isinstance(inventory, Mapping) and "name" in inventory:
            names = [canonical_item(n) for n in _names(inventory["name"])]
            counts = np.asarray(inventory.get("quantity", np.ones(len(names)))).reshape(-1)
            state.inventory_names = names
            for slot, (name, count) in enumerate(zip(names, counts, strict=False)):
                if name != "air" and int(count) > 0:
                    state.inventory.append((slot, name, int(count)))
        equipment = obs.get("equipment")
        if isinstance(equipment, Mapping) and "name" in equipment:
            names = [canonical_item(n) for n in _names(equipment["name"])]
            slots = self.metadata.equipment_slots or tuple(f"slot {i}" for i in range(len(names)))
            state.equipment = dict(zip(slots, names, strict=False))
        life = obs.get("life_stats")
        if isinstance(life, Mapping):
            state.health = _scalar(life.get("life"))
            state.food = _scalar(life.get("food"))
            state.oxygen = _scalar(life.get("oxygen"))
            state.armor = _scalar(life.get("armor"))
            state.xp = _scalar(life.get("xp"))
        location = obs.get("location_stats")
        if isinstance(location, Mapping):
            if location.get("pos") is not None:
                pos = np.asarray(location["pos"], dtype=float).reshape(-1)
                state.position = (float(pos[0]), float(pos[1]), float(pos[2]))
            state.yaw = _scalar(location.get("yaw"))
            state.pitch = _scalar(location.get("pitch"))
            biome = _scalar(location.get("biome_id"))
            if biome is not None:
                state.biome_id = int(biome)
                state.biome = self.metadata.biome_name(int(biome))
        tools = obs.get("nearby_tools")
        if isinstance(tools, Mapping):
            if "table" in tools:
                state.near_table = bool(np.asarray(tools["table"]).reshape(-1)[0])
            if "furnace" in tools:
                state.near_furnace = bool(np.asarray(tools["furnace"]).reshape(-1)[0])
        voxels = obs.get("voxels")
        if isinstance(voxels, Mapping) and "block_name" in voxels:
            grid = np.vectorize(canonical_item, otypes=[object])(np.asarray(voxels["block_name"]))
            state.voxels = grid
            state.voxel_min = self.voxel_min or tuple(-(n // 2) for n in grid.shape)  # type: ignore[assignment]
        state.crosshair = self._crosshair(obs, state)
        masks = obs.get("masks")
        if isinstance(masks, Mapping):
            if masks.get("craft_smelt") is not None:
                mask = np.asarray(masks["craft_smelt"], dtype=bool).reshape(-1)
                items = self.metadata.craft_smelt_items
                state.craftable = [items[i] for i in np.flatnonzero(mask) if i < len(items)]
            state.equippable = self._slot_mask(masks.get("equip"), state.inventory_names)
            state.placeable = self._slot_mask(masks.get("place"), state.inventory_names)
        return state

    @staticmethod
    def _slot_mask(mask: Any, names: Sequence[str]) -> list[str] | None:
        if mask is None:
            return None
        flags = np.asarray(mask, dtype=bool).reshape(-1)
        chosen = [names[i] for i in np.flatnonzero(flags) if i < len(names)]
        return list(dict.fromkeys(name for name in chosen if name != "air"))

    def _crosshair(self, obs: Mapping[str, Any], state: WorldState) -> Crosshair | None:
        rays = obs.get("rays")
        if isinstance(rays, Mapping) and (
            rays.get("block_name") is not None or rays.get("entity_name") is not None
        ):
            return self._ray_crosshair(rays, state)
        voxels = obs.get("voxels")
        if state.voxels is None or not isinstance(voxels, Mapping):
            return None
        cosines = voxels.get("cos_look_vec_angle")
        if cosines is None:
            return None
        cosines = np.asarray(cosines, dtype=float)
        best: tuple[float, float, str, tuple[int, int, int]] | None = None
        distances = {block: d for _, block, d in state.blocks_in_view()}
        origin = state.block_origin()
        if origin is None or state.voxel_min is None:
            return None
        for index in np.ndindex(*state.voxels.shape):
            name = str(state.voxels[index])
            if name in ("air", "", "none") or cosines[index] < _CROSSHAIR_COS:
                continue
            block = tuple(o + m + i for o, m, i in zip(origin, state.voxel_min, index, strict=True))
            key = (-float(cosines[index]), distances.get(block, 0.0), name, block)
            if best is None or key < best:
                best = key  # type: ignore[assignment]
        if best is None:
            return None
        return Crosshair(name=best[2], distance=best[1], source="voxels", block=best[3])

    @staticmethod
    def _ray_crosshair(rays: Mapping[str, Any], state: WorldState) -> Crosshair | None:
        block_names = _names(rays.get("block_name"))
        count = len(block_names) or len(_names(rays.get("entity_name")))
        if count == 0:
            return None
        # The centre ray is the one with the smallest offset from the look vector.
        offsets = np.zeros(count)
        for key in ("ray_pitch", "ray_yaw"):
            if rays.get(key) is not None:
                values = np.abs(np.asarray(rays[key], dtype=float).reshape(-1)[:count])
                offsets = offsets + np.where(np.isfinite(values), values, 1e9)
        i = int(np.argmin(offsets))

        def pick(key: str) -> Any:
            value = rays.get(key)
            return None if value is None else np.asarray(value).reshape(-1)[i]

        block = canonical_item(pick("block_name")) if block_names else ""
        block_distance = pick("block_distance")
        entity = pick("entity_name")
        entity_distance = pick("entity_distance")
        entity = canonical_item(entity) if entity is not None else ""
        if entity and entity not in ("none", "null") and entity_distance is not None:
            ed = float(entity_distance)
            if ed >= 0 and (
                block_distance is None or float(block_distance) < 0 or ed <= float(block_distance)
            ):
                return Crosshair(name=entity, distance=ed, kind="entity", source="rays")
        if block and block not in ("air", "none", "null") and block_distance is not None:
            bd = float(block_distance)
            if bd >= 0:
                coords = None
                traced = [pick(f"traced_block_{axis}") for axis in "xyz"]
                if all(t is not None and np.isfinite(float(t)) for t in traced):
                    coords = tuple(math.floor(float(t)) for t in traced)  # type: ignore[assignment]
                return Crosshair(name=block, distance=bd, source="rays", block=coords)
        return None

    # -- rendering ---------------------------------------------------------------------------

    def render(self, state: WorldState, task: str | None = None) -> str:
        lines: list[str] = []
        if task:
            lines.append(f"Task: {task}")
        vitals = []
        if state.health is not None:
            vitals.append(f"health {state.health:g}/{_MAX_HEALTH:g}")
        if state.food is not None:
            vitals.append(f"food {state.food:g}/{_MAX_FOOD:g}")
        if state.oxygen is not None:
            vitals.append(f"oxygen {state.oxygen:g}/{_MAX_OXYGEN:g}")
        if state.armor:
            vitals.append(f"armor {state.armor:g}")
        if state.xp:
            vitals.append(f"xp {state.xp:g}")
        if vitals:
            lines.append("Vitals: " + ", ".join(vitals))
        where = []
        if state.position is not None:
            x, y, z = state.position
            where.append(f"x {x:.1f}, y {y:.1f}, z {z:.1f}")
        if state.yaw is not None:
            where.append(f"facing {facing_name(state.yaw)} (yaw {state.yaw:.0f})")
        if state.pitch is not None:
            where.append(f"{_pitch_words(state.pitch)} (pitch {state.pitch:.0f})")
        if state.biome_id is not None:
            where.append(f"biome {state.biome or 'unknown'} ({state.biome_id})")
        if where:
            lines.append("Location: " + "; ".join(where))
        if state.equipment:
            worn = [
                f"{slot} {display_name(name)}"
                for slot, name in state.equipment.items()
                if name != "air"
            ]
            lines.append("Equipment: " + (", ".join(worn) if worn else "nothing held or worn"))
        if state.inventory_names:
            totals = state.totals()
            used = len(state.inventory)
            items = ", ".join(
                f"{count} {display_name(name)}"
                for name, count in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
            )
            lines.append(
                f"Inventory ({used}/{len(state.inventory_names)} slots): {items or 'empty'}"
            )
        if state.crosshair is not None:
            c = state.crosshair
            distance = f", {c.distance:.1f} blocks away" if c.distance is not None else ""
            estimate = " (estimated from nearby blocks)" if c.source == "voxels" else ""
            lines.append(f"Crosshair: {display_name(c.name)}{distance}{estimate}")
        elif state.voxels is not None or state.yaw is not None:
            lines.append("Crosshair: nothing within reach")
        around = self._around(state)
        if around:
            lines.append(around)
        tools = []
        if state.near_table is not None:
            tools.append(
                "a crafting table is nearby" if state.near_table else "no crafting table nearby"
            )
        if state.near_furnace is not None:
            tools.append("a furnace is nearby" if state.near_furnace else "no furnace nearby")
        if tools:
            lines.append("Tools: " + "; ".join(tools))
        if state.craftable is not None:
            names = [display_name(n) for n in state.craftable]
            shown = ", ".join(names[: self.max_craftable])
            more = (
                f" and {len(names) - self.max_craftable} more"
                if len(names) > self.max_craftable
                else ""
            )
            lines.append(f"Can craft or smelt now: {shown or 'nothing'}{more}")
        return "\n".join(lines) or "The observation holds no state the adapter can read."

    def _around(self, state: WorldState) -> str:
        origin = state.block_origin()
        if state.voxels is None or origin is None:
            return ""
        counts = Counter(name for name, _, _ in state.blocks_in_view())
        parts = []
        below = state.voxel_at((origin[0], origin[1] - 1, origin[2]))
        if below is not None:
            parts.append(f"below you {display_name(below)}")
        if state.yaw is not None:
            dx = -math.sin(math.radians(state.yaw))
            dz = math.cos(math.radians(state.yaw))
            # The neighbouring block along the dominant axis of the view direction.
            if abs(dx) >= abs(dz):
                step = (int(math.copysign(1, dx)), 0)
            else:
                step = (0, int(math.copysign(1, dz)))
            feet = state.voxel_at((origin[0] + step[0], origin[1], origin[2] + step[1]))
            head = state.voxel_at((origin[0] + step[0], origin[1] + 1, origin[2] + step[1]))
            if feet is not None and head is not None:
                parts.append(f"ahead {display_name(feet)} (feet), {display_name(head)} (head)")
        size = "x".join(str(n) for n in state.voxels.shape)
        listed = ", ".join(
            f"{display_name(name)} {n}"
            for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        parts.append(f"blocks within {size}: {listed or 'only air'}")
        return "Around you: " + "; ".join(parts)

    def extras(self, state: WorldState) -> dict[str, Any]:
        """JSON-friendly facts for perceivers and tools (no arrays)."""
        extras: dict[str, Any] = {
            "inventory": state.totals(),
            "equipment": {k: v for k, v in state.equipment.items() if v != "air"},
        }
        for key in ("health", "food", "oxygen", "yaw", "pitch", "biome_id", "biome"):
            value = getattr(state, key)
            if value is not None:
                extras[key] = value
        if state.position is not None:
            extras["position"] = list(state.position)
        if state.crosshair is not None:
            extras["crosshair"] = state.crosshair.name
        if state.craftable is not None:
            extras["craftable"] = list(state.craftable)
        return extras

    def to_observation(
        self, obs: Mapping[str, Any], task: str | None = None, state: WorldState | None = None
    ) -> Any:
        """The agentkit Observation: text, ``images['rgb']`` (H x W x 3) and extras."""
        from agentkit.environment import Observation

        state = state or self.parse(obs)
        images = {}
        if obs.get("rgb") is not None:
            images["rgb"] = rgb_hwc(obs["rgb"])
        return Observation(text=self.render(state, task), images=images, extras=self.extras(state))
