"""MineDojo's observation layout, documented and (when importable) read from its own spaces.

``documented_layout`` transcribes the observation handlers of MineDojo 0.1
(``minedojo/sim/handlers/agent/observations/*.py``) and the ``masks`` / ``delta_inv`` keys
its ``ARMasksWrapper`` and ``DeltaInventoryWrapper`` add. ``real_layout`` builds the same
from the installed package's ``MineDojoSim(...).observation_space`` (numpy 2 lacks the
``np.int``/``np.float``/``np.unicode_`` MineDojo uses, so the aliases are set only while
the spaces are built); the tests check the two agree. ``sample_observation`` draws an
observation dict for a layout, with names from MineDojo's own item and block lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from agentkit_minedojo.metadata import MineDojoMetadata, display_name


@dataclass(frozen=True)
class Leaf:
    shape: tuple[int, ...]
    dtype: str  # numpy dtype name, or "str" for MineDojo's Text spaces
    low: float = 0.0
    high: float = 1.0


def _text(shape: tuple[int, ...]) -> Leaf:
    return Leaf(shape, "str")


def _slots(n: int) -> dict[str, Leaf]:
    return {
        "cur_durability": Leaf((n,), "float32", -1, 1e9),
        "max_durability": Leaf((n,), "float32", -1, 1e9),
        "name": _text((n,)),
        "quantity": Leaf((n,), "float32", 0, 64),
        "variant": Leaf((n,), "int64", 0, 120),
    }


def documented_layout(
    meta: MineDojoMetadata,
    image_size: tuple[int, int] = (16, 24),
    voxel_shape: tuple[int, int, int] | None = (3, 3, 3),
    rays: int | None = 1,
    wrappers: bool = True,
) -> dict[str, Leaf]:
    """Flat ``'group.key' -> Leaf`` layout of ``minedojo.make``'s observation dict."""
    f32 = "float32"
    layout: dict[str, Leaf] = {"rgb": Leaf((3, *image_size), "uint8", 0, 255)}
    for key, leaf in _slots(meta.inventory_slots).items():
        layout[f"inventory.{key}"] = leaf
    for key, leaf in _slots(len(meta.equipment_slots)).items():
        layout[f"equipment.{key}"] = leaf
    layout.update(
        {
            "life_stats.life": Leaf((1,), f32, 0, 20),
            "life_stats.armor": Leaf((1,), f32, 0, 20),
            "life_stats.food": Leaf((1,), f32, 0, 20),
            "life_stats.saturation": Leaf((1,), f32, 0, 20),
            "life_stats.oxygen": Leaf((1,), f32, 0, 300),
            "life_stats.xp": Leaf((1,), f32, 0, 1395),
            "life_stats.is_sleeping": Leaf((), "int64", 0, 1),
            "location_stats.pos": Leaf((3,), f32, -640000, 640000),
            "location_stats.yaw": Leaf((1,), f32, -180, 180),
            "location_stats.pitch": Leaf((1,), f32, -180, 180),
            "location_stats.biome_id": Leaf((), "int64", 0, 167),
            "location_stats.rainfall": Leaf((1,), f32, 0, 1),
            "location_stats.temperature": Leaf((1,), f32, 0, 1),
            "location_stats.can_see_sky": Leaf((), "int64", 0, 1),
            "location_stats.is_raining": Leaf((), "int64", 0, 1),
            "location_stats.light_level": Leaf((1,), f32, 0, 15),
            "location_stats.sky_light_level": Leaf((1,), f32, 0, 1),
            "location_stats.sun_brightness": Leaf((1,), f32, 0, 1),
            "location_stats.sea_level": Leaf((1,), f32, 0, 255),
            "nearby_tools.table": Leaf((), "bool"),
            "nearby_tools.furnace": Leaf((), "bool"),
            "damage_source.damage_amount": Leaf((1,), f32, 0, 40),
            "damage_source.damage_distance": Leaf((1,), f32, 0, 100),
            "damage_source.hunger_damage": Leaf((1,), f32, 0, 20),
            "damage_source.damage_pitch": Leaf((1,), f32, -90, 90),
            "damage_source.damage_yaw": Leaf((1,), f32, -180, 180),
            "damage_source.is_explosion": Leaf((), "bool"),
            "damage_source.is_fire_damage": Leaf((), "bool"),
            "damage_source.is_magic_damage": Leaf((), "bool"),
            "damage_source.is_projectile": Leaf((), "bool"),
            "damage_source.is_unblockable": Leaf((), "bool"),
        }
    )
    if voxel_shape is not None:
        layout["voxels.block_name"] = _text(voxel_shape)
        layout["voxels.block_meta"] = Leaf(voxel_shape, "int64", 0, 120)
        for key in (
            "is_collidable",
            "is_tool_not_required",
            "blocks_movement",
            "is_liquid",
            "is_solid",
            "can_burn",
            "blocks_light",
        ):
            layout[f"voxels.{key}"] = Leaf(voxel_shape, "bool")
        layout["voxels.cos_look_vec_angle"] = Leaf(voxel_shape, f32, -1, 1)
    if rays is not None:
        n = (rays,)
        layout.update(
            {
                "rays.block_name": _text(n),
                "rays.block_distance": Leaf(n, f32, -1, 10),
                "rays.block_meta": Leaf(n, "int64", 0, 120),
                "rays.harvest_level": Leaf(n, "int64", -1, 4),
                "rays.is_tool_not_required": Leaf(n, "bool"),
                "rays.blocks_movement": Leaf(n, "bool"),
                "rays.is_liquid": Leaf(n, "bool"),
                "rays.is_solid": Leaf(n, "bool"),
                "rays.can_burn": Leaf(n, "bool"),
                "rays.entity_name": _text(n),
                "rays.entity_distance": Leaf(n, f32, -1, 10),
                "rays.ray_pitch": Leaf(n, f32, -1, 1),
                "rays.ray_yaw": Leaf(n, f32, -1, 1),
                "rays.traced_block_x": Leaf(n, f32, -100, 100),
                "rays.traced_block_y": Leaf(n, f32, 0, 255),
                "rays.traced_block_z": Leaf(n, f32, -100, 100),
            }
        )
    if wrappers:
        n_slots, n_fn = meta.inventory_slots, 8
        layout.update(
            {
                "masks.action_type": Leaf((n_fn,), "bool"),
                "masks.action_arg": Leaf((n_fn, 1), "bool"),
                "masks.equip": Leaf((n_slots,), "bool"),
                "masks.place": Leaf((n_slots,), "bool"),
                "masks.destroy": Leaf((n_slots,), "bool"),
                "masks.craft_smelt": Leaf((len(meta.craft_smelt_items),), "bool"),
                "delta_inv.inc_name_by_craft": _text((1,)),
                "delta_inv.inc_quantity_by_craft": Leaf((1,), f32, 0, 64),
                "delta_inv.dec_name_by_craft": _text((4,)),
                "delta_inv.dec_quantity_by_craft": Leaf((4,), f32, 0, 64),
                "delta_inv.inc_name_by_other": _text((1,)),
                "delta_inv.inc_quantity_by_other": Leaf((1,), f32, 0, 64),
                "delta_inv.dec_name_by_other": _text((4,)),
                "delta_inv.dec_quantity_by_other": Leaf((4,), f32, 0, 64),
            }
        )
    return layout


# -- MineDojo's own spaces ---------------------------------------------------------------------

_NUMPY_ALIASES = {"int": int, "float": float, "unicode_": np.str_, "unicode": np.str_}


# What `make setup` installs beside MineDojo without dependencies (MINEDOJO in the Makefile)
# and ``minedojo.sim`` imports: without one of these, the comparisons with MineDojo's own
# spaces cannot run. Any other import failure is a defect and fails the test.
SIM_IMPORTS = ("gym", "omegaconf", "antlr4", "lxml", "psutil", "Pyro4", "serpent")


def minedojo_sim_missing() -> str | None:
    """None when ``minedojo.sim`` imports, else which documented package it lacks.

    Only a missing ``minedojo`` or one of :data:`SIM_IMPORTS` is a reason; anything else
    (a package that imports but breaks, numpy without ``np.int`` at import time, ...) is
    raised, so the test fails instead of skipping.
    """
    try:
        import minedojo.sim  # noqa: F401
    except ModuleNotFoundError as error:
        missing = (error.name or "").partition(".")[0]
        if missing == "minedojo" or missing in SIM_IMPORTS:
            return (
                f"minedojo.sim needs {missing}, which is not installed (`make setup` installs "
                "MineDojo's packages: MINEDOJO in the Makefile)"
            )
        raise
    return None


def require_minedojo_sim() -> None:
    """Skip, saying which package is missing, unless ``minedojo.sim`` imports.

    Under ``make test`` (``AGENTKIT_REQUIRE_ALL=1``, see conftest.py) the skip is a failure.
    """
    reason = minedojo_sim_missing()
    if reason:
        pytest.skip(reason)


def real_spaces(
    image_size: tuple[int, int], voxel_size: dict[str, int], rays: list[tuple[float, ...]]
) -> tuple[Any, Any]:
    """``(observation_space, action_space)`` of a real ``MineDojoSim`` (no Minecraft started).

    Building the simulator object only assembles handlers; Minecraft starts on ``reset``.
    """
    require_minedojo_sim()
    from minedojo.sim import MineDojoSim

    with pytest.MonkeyPatch.context() as patch:
        for name, value in _NUMPY_ALIASES.items():
            patch.setattr(np, name, value, raising=False)
        sim = MineDojoSim(
            image_size=image_size,
            use_voxel=True,
            voxel_size=voxel_size,
            use_lidar=True,
            lidar_rays=rays,
            seed=0,
        )
        return sim.observation_space, sim.action_space


def layout_of_space(space: Any, prefix: str = "") -> dict[str, Leaf]:
    """Flatten a MineDojo ``spaces.Dict`` into the same ``Leaf`` layout."""
    from minedojo.sim import spaces

    layout: dict[str, Leaf] = {}
    for key, sub in space.spaces.items():
        path = f"{prefix}{key}"
        if isinstance(sub, spaces.Dict):
            layout.update(layout_of_space(sub, path + "."))
        elif isinstance(sub, spaces.Text):
            layout[path] = _text(tuple(sub.shape))
        elif isinstance(sub, spaces.Box):
            low = float(np.nanmin(np.where(np.isfinite(sub.low), sub.low, -1e9)))
            high = float(np.nanmax(np.where(np.isfinite(sub.high), sub.high, 1e9)))
            layout[path] = Leaf(tuple(sub.shape), np.dtype(sub.dtype).name, low, high)
        elif isinstance(sub, spaces.MultiDiscrete):
            layout[path] = Leaf(tuple(sub.shape), "int64", 0, float(np.max(sub.nvec)) - 1)
        elif isinstance(sub, spaces.Discrete):
            layout[path] = Leaf((), "int64", 0, float(sub.n) - 1)
        else:
            raise AssertionError(f"unexpected space {type(sub).__name__} at {path}")
    return layout


# -- sampling ----------------------------------------------------------------------------------


def sample_observation(
    layout: dict[str, Leaf], meta: MineDojoMetadata, rng: np.random.Generator
) -> dict[str, Any]:
    """A random observation dict for ``layout``; names come from MineDojo's lists.

    Inventory and equipment names are spaced (as MineDojo renders them) with a third of the
    slots 'air'; voxel and ray names are MineDojo block names.
    """
    items = [display_name(i) for i in meta.all_items if i != "air"]
    blocks = list(meta.block_names)
    obs: dict[str, Any] = {}
    for path, leaf in layout.items():
        if leaf.dtype == "str":
            size = int(np.prod(leaf.shape)) if leaf.shape else 1
            if path.startswith(("voxels.", "rays.block")):
                pool = blocks
            elif path.startswith("rays.entity"):
                pool = ["null", "cow", "sheep", "zombie"]
            else:
                pool = items
            names = [
                "air" if pool is items and rng.random() < 0.33 else pool[rng.integers(len(pool))]
                for _ in range(size)
            ]
            value: Any = np.array(names, dtype=object).reshape(leaf.shape)
        elif leaf.dtype == "bool":
            value = rng.random(leaf.shape) < 0.5
        elif leaf.dtype.startswith("int"):
            value = rng.integers(int(leaf.low), int(leaf.high) + 1, size=leaf.shape).astype(
                leaf.dtype
            )
        else:
            low, high = max(leaf.low, -1e4), min(leaf.high, 1e4)
            value = rng.uniform(low, high, size=leaf.shape).astype(leaf.dtype)
        if path.endswith("quantity"):
            value = np.floor(value)
        group, _, key = path.partition(".")
        if key:
            obs.setdefault(group, {})[key] = value
        else:
            obs[group] = value
    if "inventory" in obs:  # empty slots hold nothing
        names = obs["inventory"]["name"]
        obs["inventory"]["quantity"] = np.where(
            names == "air", 0, np.maximum(obs["inventory"]["quantity"], 1)
        ).astype(np.float32)
    return obs


def blank_observation(layout: dict[str, Leaf]) -> dict[str, Any]:
    """An observation dict for ``layout`` with every name 'air' and every number 0."""
    obs: dict[str, Any] = {}
    for path, leaf in layout.items():
        if leaf.dtype == "str":
            value: Any = np.full(leaf.shape, "air", dtype=object)
        else:
            value = np.zeros(leaf.shape, dtype=leaf.dtype)
        group, _, key = path.partition(".")
        if key:
            obs.setdefault(group, {})[key] = value
        else:
            obs[group] = value
    return obs
