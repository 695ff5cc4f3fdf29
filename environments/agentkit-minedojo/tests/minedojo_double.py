"""``RecordingSimulatorDouble``: a TEST DOUBLE for MineDojo's simulator.

It exists only to test the adapter's plumbing (stepping, recording, replaying, the closed
loop of ``mine``) where the real simulator cannot run. It is a tiny deterministic block
world, NOT Minecraft and not a stand-in for MineDojo in runs or benchmarks: a flat patch of
grass with one tree, simplified movement, breaking and crafting. What it does share with
MineDojo is the interface: ``seed``/``reset``/``step`` of ``minedojo.make``'s wrapper,
the MultiDiscrete action semantics (camera bins, functional actions, craft index into
``ALL_CRAFT_SMELT_ITEMS``, equip/place by inventory slot, strict-mode errors for empty
slots) and the observation layout (``documented_layout``), with MineDojo's own item lists
and recipes. Every vector received is kept in ``received``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from agentkit_minedojo.metadata import MineDojoMetadata, canonical_item, display_name

_HARDNESS = {"log": 4, "leaves": 2, "dirt": 3, "grass": 3, "planks": 4, "crafting_table": 5}
_DROPS = {"grass": "dirt", "leaves": None, "stone": "cobblestone"}
_EYE = 1.62
_STEP = 0.25


def _wrap(angle: float) -> float:
    wrapped = (angle + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 else wrapped


class RecordingSimulatorDouble:
    """TEST DOUBLE of ``minedojo.make(...)``: records vectors, simulates a toy block world."""

    def __init__(
        self,
        metadata: MineDojoMetadata,
        image_size: tuple[int, int] = (8, 12),
        voxel_min: tuple[int, int, int] = (-1, -1, -1),
        voxel_shape: tuple[int, int, int] = (3, 3, 3),
        max_steps: int = 10_000,
        initial_inventory: dict[str, int] | None = None,
    ) -> None:
        self.meta = metadata
        self.image_size = image_size
        self.voxel_min = voxel_min
        self.voxel_shape = voxel_shape
        self.max_steps = max_steps
        self.initial_inventory = dict(initial_inventory or {})
        self.received: list[list[int]] = []
        self.seeds: list[int] = []
        self.resets = 0
        self.closed = False
        self._seed = 0
        self._craft_items = metadata.craft_smelt_items

    # -- MineDojo API ------------------------------------------------------------------------

    def seed(self, seed: int | None = None) -> None:
        self._seed = int(seed or 0)
        self.seeds.append(self._seed)

    def reset(self) -> dict[str, Any]:
        self.resets += 1
        self.steps = 0
        self.blocks: dict[tuple[int, int, int], str] = {}
        for x in range(-8, 9):
            for z in range(-8, 9):
                self.blocks[(x, 61, z)] = "stone"
                self.blocks[(x, 62, z)] = "dirt"
                self.blocks[(x, 63, z)] = "grass"
        for y in (64, 65, 66):
            self.blocks[(0, y, 1)] = "log"
        self.blocks[(0, 67, 1)] = "leaves"
        self.blocks[(self._seed % 3 - 1, 64, -2)] = "dirt"  # differs between seeds
        self.pos = [0.5, 64.0, 0.5]
        self.yaw = 0.0
        self.pitch = 0.0
        self.biome = (1, 4, 3, 2)[self._seed % 4]
        self.names = ["air"] * self.meta.inventory_slots
        self.counts = [0] * self.meta.inventory_slots
        for item, count in self.initial_inventory.items():
            self._give(item, count)
        self.damage: tuple[tuple[int, int, int] | None, int] = (None, 0)
        return self._obs()

    def step(self, action: Any) -> tuple[dict[str, Any], float, bool, dict[str, Any]]:
        vector = [int(v) for v in np.asarray(action).reshape(-1)]
        assert len(vector) == 8, "MineDojo actions have 8 numbers"
        fn, slot = vector[5], vector[7]
        if fn in (5, 6, 7) and self.names[slot] == "air":
            names = {5: "equip", 6: "place", 7: "destroy"}
            raise ValueError(f"Trying to {names[fn]} air, raise error with strict check.")
        self.received.append(vector)
        self.steps += 1
        self.pitch = max(-90.0, min(90.0, self.pitch + vector[3] * 15.0 - 180.0))
        self.yaw = _wrap(self.yaw + vector[4] * 15.0 - 180.0)
        self._move(vector)
        if fn == 2:
            self._take(0, 1)
        elif fn == 3:
            self._attack()
        else:
            self.damage = (None, 0)
        if fn == 4:
            self._craft(self._craft_items[vector[6]])
        elif fn == 5:
            self.names[0], self.names[slot] = self.names[slot], self.names[0]
            self.counts[0], self.counts[slot] = self.counts[slot], self.counts[0]
        elif fn == 6:
            self._place(slot)
        elif fn == 7:
            self.names[slot], self.counts[slot] = "air", 0
        return self._obs(), 0.0, self.steps >= self.max_steps, {}

    def close(self) -> None:
        self.closed = True

    # -- the toy world -----------------------------------------------------------------------

    def _look(self) -> tuple[float, float, float]:
        yaw, pitch = math.radians(self.yaw), math.radians(self.pitch)
        return (-math.sin(yaw) * math.cos(pitch), -math.sin(pitch), math.cos(yaw) * math.cos(pitch))

    def _eye(self) -> tuple[float, float, float]:
        return (self.pos[0], self.pos[1] + _EYE, self.pos[2])

    def _free(self, x: float, y: float, z: float) -> bool:
        bx, by, bz = math.floor(x), math.floor(y), math.floor(z)
        return self.blocks.get((bx, by, bz), "air") == "air" and (
            self.blocks.get((bx, by + 1, bz), "air") == "air"
        )

    def _move(self, vector: list[int]) -> None:
        yaw = math.radians(self.yaw)
        forward = (-math.sin(yaw), math.cos(yaw))
        right = (-forward[1], forward[0])  # turning right from south (+z) faces west (-x)
        dx = dz = 0.0
        if vector[0] in (1, 2):
            sign = 1.0 if vector[0] == 1 else -1.0
            dx += sign * forward[0]
            dz += sign * forward[1]
        if vector[1] in (1, 2):
            sign = -1.0 if vector[1] == 1 else 1.0
            dx += sign * right[0]
            dz += sign * right[1]
        if not (dx or dz):
            return
        speed = _STEP * (1.3 if vector[2] == 3 else 1.0)
        nx, nz = self.pos[0] + dx * speed, self.pos[2] + dz * speed
        if self._free(nx, self.pos[1], nz):
            self.pos[0], self.pos[2] = nx, nz
        elif vector[2] == 1 and self._free(nx, self.pos[1] + 1, nz):
            self.pos = [nx, self.pos[1] + 1, nz]  # jump onto a one-block step

    def _target(self) -> tuple[tuple[int, int, int], float] | None:
        eye, look = self._eye(), self._look()
        distance = 0.0
        while distance <= 4.5:
            point = tuple(math.floor(e + d * distance) for e, d in zip(eye, look, strict=True))
            if self.blocks.get(point, "air") != "air":  # type: ignore[arg-type]
                return point, distance  # type: ignore[return-value]
            distance += 0.05
        return None

    def _attack(self) -> None:
        hit = self._target()
        if hit is None:
            self.damage = (None, 0)
            return
        block, _ = hit
        done = self.damage[1] + 1 if self.damage[0] == block else 1
        name = self.blocks[block]
        holding = self.names[0]
        needed = _HARDNESS.get(name, 6)
        if name == "stone" and not holding.endswith("pickaxe"):
            needed = 10**9
        if done >= needed:
            del self.blocks[block]
            self.damage = (None, 0)
            drop = _DROPS.get(name, name)
            if drop:
                self._give(drop, 1)
        else:
            self.damage = (block, done)

    def _near(self, name: str) -> bool:
        x, y, z = (math.floor(v) for v in self.pos)
        return any(
            self.blocks.get((x + dx, y + dy, z + dz)) == name
            for dx in range(-3, 4)
            for dy in range(-2, 3)
            for dz in range(-3, 4)
        )

    def _have(self, ingredients: dict[str, int]) -> bool:
        totals: dict[str, int] = {}
        for name, count in zip(self.names, self.counts, strict=True):
            totals[name] = totals.get(name, 0) + count
        return all(totals.get(k, 0) >= n for k, n in ingredients.items())

    def _craftable(self, item: str) -> bool:
        recipe = self.meta.recipe(item)
        if recipe is None or not self._have(recipe["ingredients"]):
            return False
        if recipe["where"] == "crafting table":
            return self._near("crafting_table")
        if recipe["where"] == "furnace":
            return self._near("furnace")
        return True

    def _craft(self, item: str) -> None:
        if not self._craftable(item):
            return  # MineDojo silently does nothing
        recipe = self.meta.recipe(item)
        assert recipe is not None
        for name, count in recipe["ingredients"].items():
            self._remove(name, count)
        source = self.meta.crafting_recipes.get(item) or self.meta.smelting_recipes.get(item)
        made = int(source[0].get("outputCount", source[0].get("out", 1))) if source else 1
        self._give(item, made)

    def _place(self, slot: int) -> None:
        item = self.names[slot]
        yaw = math.radians(self.yaw)
        fx, fz = -math.sin(yaw), math.cos(yaw)
        step = (
            (int(math.copysign(1, fx)), 0) if abs(fx) >= abs(fz) else (0, int(math.copysign(1, fz)))
        )
        x, y, z = (math.floor(v) for v in self.pos)
        cell = (x + step[0], y, z + step[1])
        if self.blocks.get(cell, "air") == "air" and item in self.meta.placeable_items:
            self.blocks[cell] = item
            self._take(slot, 1)

    def _give(self, item: str, count: int) -> None:
        item = canonical_item(item)
        for i, name in enumerate(self.names):
            if name == item and self.counts[i] < 64:
                self.counts[i] += count
                return
        i = self.names.index("air")
        self.names[i], self.counts[i] = item, count

    def _take(self, slot: int, count: int) -> None:
        if self.names[slot] == "air":
            return
        self.counts[slot] -= count
        if self.counts[slot] <= 0:
            self.names[slot], self.counts[slot] = "air", 0

    def _remove(self, item: str, count: int) -> None:
        for i, name in enumerate(self.names):
            if count and name == item:
                taken = min(count, self.counts[i])
                count -= taken
                self._take(i, taken)

    # -- observations in MineDojo's layout ---------------------------------------------------

    def _obs(self) -> dict[str, Any]:
        n = self.meta.inventory_slots
        spaced = np.array([display_name(name) for name in self.names], dtype=object)
        craft_mask = np.array([self._craftable(i) for i in self._craft_items], dtype=bool)
        placeable = {display_name(i) for i in self.meta.placeable_items}
        equip_mask = spaced != "air"
        equip_mask[0] = False
        h, w = self.image_size
        shade = int(self.yaw + 180) % 256
        rgb = np.zeros((3, h, w), dtype=np.uint8)
        rgb[0] = shade
        rgb[1] = int(self.pitch + 90)
        rgb[2, :, : w // 2] = 255
        equipment_names = [self.names[0], "air", "air", "air", "air", "air"]
        obs: dict[str, Any] = {
            "rgb": rgb,
            "inventory": {
                "name": spaced,
                "quantity": np.array(self.counts, dtype=np.float32),
                "variant": np.zeros(n, dtype=np.int64),
                "cur_durability": np.full(n, -1, dtype=np.float32),
                "max_durability": np.full(n, -1, dtype=np.float32),
            },
            "equipment": {
                "name": np.array([display_name(x) for x in equipment_names], dtype=object),
                "quantity": np.array([self.counts[0], 0, 0, 0, 0, 0], dtype=np.float32),
                "variant": np.zeros(6, dtype=np.int64),
                "cur_durability": np.full(6, -1, dtype=np.float32),
                "max_durability": np.full(6, -1, dtype=np.float32),
            },
            "life_stats": {
                "life": np.array([20.0], dtype=np.float32),
                "food": np.array([20.0], dtype=np.float32),
                "saturation": np.array([5.0], dtype=np.float32),
                "oxygen": np.array([300.0], dtype=np.float32),
                "armor": np.array([0.0], dtype=np.float32),
                "xp": np.array([0.0], dtype=np.float32),
                "is_sleeping": np.int64(0),
            },
            "location_stats": {
                "pos": np.array(self.pos, dtype=np.float32),
                "yaw": np.array([self.yaw], dtype=np.float32),
                "pitch": np.array([self.pitch], dtype=np.float32),
                "biome_id": np.int64(self.biome),
                "rainfall": np.array([0.4], dtype=np.float32),
                "temperature": np.array([0.8], dtype=np.float32),
                "can_see_sky": np.int64(1),
                "is_raining": np.int64(0),
                "light_level": np.array([15.0], dtype=np.float32),
                "sky_light_level": np.array([1.0], dtype=np.float32),
                "sun_brightness": np.array([1.0], dtype=np.float32),
                "sea_level": np.array([62.0], dtype=np.float32),
            },
            "nearby_tools": {
                "table": np.bool_(self._near("crafting_table")),
                "furnace": np.bool_(self._near("furnace")),
            },
            "voxels": self._voxels(),
            "rays": self._rays(),
            "masks": {
                "action_type": np.ones(8, dtype=bool),
                "action_arg": np.array([[0], [0], [0], [0], [1], [1], [1], [1]], dtype=bool),
                "equip": equip_mask,
                "place": np.array([name in placeable for name in spaced], dtype=bool),
                "destroy": spaced != "air",
                "craft_smelt": craft_mask,
            },
        }
        return obs

    def _voxels(self) -> dict[str, Any]:
        x0, y0, z0 = (math.floor(v) for v in self.pos)
        names = np.empty(self.voxel_shape, dtype=object)
        cosines = np.zeros(self.voxel_shape, dtype=np.float32)
        eye, look = self._eye(), self._look()
        for index in np.ndindex(*self.voxel_shape):
            block = tuple(
                o + m + i for o, m, i in zip((x0, y0, z0), self.voxel_min, index, strict=True)
            )
            names[index] = self.blocks.get(block, "air")  # type: ignore[arg-type]
            to = [b + 0.5 - e for b, e in zip(block, eye, strict=True)]
            norm = math.sqrt(sum(t * t for t in to)) or 1.0
            cosines[index] = sum(t * v for t, v in zip(to, look, strict=True)) / norm
        solid = names != "air"
        return {
            "block_name": names,
            "block_meta": np.zeros(self.voxel_shape, dtype=np.int64),
            "is_collidable": solid,
            "is_tool_not_required": solid,
            "blocks_movement": solid,
            "is_liquid": np.zeros(self.voxel_shape, dtype=bool),
            "is_solid": solid,
            "can_burn": names == "log",
            "blocks_light": solid,
            "cos_look_vec_angle": cosines,
        }

    def _rays(self) -> dict[str, Any]:
        hit = self._target()
        name, distance, traced = "air", -1.0, (-np.inf, -np.inf, -np.inf)
        if hit is not None:
            block, distance = hit
            name, traced = self.blocks[block], tuple(float(b) for b in block)
        one = lambda value, dtype=np.float32: np.array([value], dtype=dtype)  # noqa: E731
        return {
            "block_name": np.array([name], dtype=object),
            "block_distance": one(distance),
            "block_meta": one(0, np.int64),
            "harvest_level": one(0, np.int64),
            "is_tool_not_required": one(True, bool),
            "blocks_movement": one(name != "air", bool),
            "is_liquid": one(False, bool),
            "is_solid": one(name != "air", bool),
            "can_burn": one(name == "log", bool),
            "entity_name": np.array(["null"], dtype=object),
            "entity_distance": one(-1.0),
            "ray_pitch": one(0.0),
            "ray_yaw": one(0.0),
            "traced_block_x": one(traced[0]),
            "traced_block_y": one(traced[1]),
            "traced_block_z": one(traced[2]),
        }
