"""The MultiDiscrete action of ``minedojo.make``: names for every dimension and value.

``minedojo.make`` wraps the simulator in ``NNActionSpaceWrapper``, whose action space is
``MultiDiscrete([3, 3, 4, 25, 25, 8, 244, 36])`` with the no-op ``[0, 0, 0, 12, 12, 0, 0, 0]``:

====  ==================  ==================================================================
dim   name                values
====  ==================  ==================================================================
0     forward_back        0 noop, 1 forward, 2 back
1     left_right          0 noop, 1 left, 2 right (strafe)
2     jump_sneak_sprint   0 noop, 1 jump, 2 sneak, 3 sprint
3     camera_pitch        bin i turns the pitch by ``i * 15 - 180`` degrees (12: none;
                          positive looks down)
4     camera_yaw          bin i turns the yaw by ``i * 15 - 180`` degrees (12: none;
                          positive turns right)
5     functional          0 noop, 1 use, 2 drop, 3 attack, 4 craft, 5 equip, 6 place, 7 destroy
6     craft_argument      index into ``ALL_CRAFT_SMELT_ITEMS`` (read when functional = craft)
7     inventory_slot      inventory slot 0..35 (read by equip, place and destroy)
====  ==================  ==================================================================

The sizes of dims 3, 4 and 6 come from the camera interval (15 degrees in ``minedojo.make``)
and the installed package's ``ALL_CRAFT_SMELT_ITEMS``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from agentkit_minedojo.metadata import MineDojoMetadata, display_name, load_metadata

__all__ = [
    "DIMENSION_NAMES",
    "FUNCTIONAL",
    "JUMP_SNEAK_SPRINT",
    "LEFT_RIGHT",
    "FORWARD_BACK",
    "ActionCodec",
    "RawAction",
]

DIMENSION_NAMES: tuple[str, ...] = (
    "forward_back",
    "left_right",
    "jump_sneak_sprint",
    "camera_pitch",
    "camera_yaw",
    "functional",
    "craft_argument",
    "inventory_slot",
)
FORWARD_BACK: tuple[str, ...] = ("noop", "forward", "back")
LEFT_RIGHT: tuple[str, ...] = ("noop", "left", "right")
JUMP_SNEAK_SPRINT: tuple[str, ...] = ("noop", "jump", "sneak", "sprint")
FUNCTIONAL: tuple[str, ...] = (
    "noop",
    "use",
    "drop",
    "attack",
    "craft",
    "equip",
    "place",
    "destroy",
)


@dataclass(frozen=True)
class RawAction:
    """One MultiDiscrete vector, by name. Camera turns are in degrees."""

    forward_back: str = "noop"
    left_right: str = "noop"
    jump_sneak_sprint: str = "noop"
    pitch: float = 0.0
    yaw: float = 0.0
    functional: str = "noop"
    craft_item: str | None = None
    slot: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _index(values: tuple[str, ...], value: str, dimension: str) -> int:
    try:
        return values.index(value)
    except ValueError:
        raise ValueError(f"{dimension} must be one of {list(values)}, not {value!r}") from None


class ActionCodec:
    """Encode, decode, validate and describe ``minedojo.make``'s MultiDiscrete actions."""

    def __init__(self, metadata: MineDojoMetadata | None = None, cam_interval: float = 15) -> None:
        self.metadata = metadata or load_metadata()
        if cam_interval <= 0:
            raise ValueError("cam_interval must be positive")
        self.cam_interval = float(cam_interval)
        self.camera_bins = math.ceil(360 / self.cam_interval) + 1
        self.camera_center = (self.camera_bins - 1) // 2
        self.nvec: tuple[int, ...] = (
            len(FORWARD_BACK),
            len(LEFT_RIGHT),
            len(JUMP_SNEAK_SPRINT),
            self.camera_bins,
            self.camera_bins,
            len(FUNCTIONAL),
            len(self.metadata.craft_smelt_items),
            self.metadata.inventory_slots,
        )

    # -- camera ------------------------------------------------------------------------------

    def camera_degrees(self, index: int) -> float:
        """The turn (degrees) of camera bin ``index``: ``index * interval - 180``."""
        return float(index) * self.cam_interval - 180.0

    def camera_bin(self, degrees: float) -> int:
        """The bin of an exact turn; raises unless it is a multiple of the interval in range."""
        index = (float(degrees) + 180.0) / self.cam_interval
        if abs(index - round(index)) > 1e-6 or not 0 <= round(index) < self.camera_bins:
            raise ValueError(
                f"a camera turn of {degrees} degrees is not a multiple of {self.cam_interval:g} "
                f"in [-180, {self.camera_degrees(self.camera_bins - 1):g}]"
            )
        return int(round(index))

    # -- vectors -----------------------------------------------------------------------------

    def noop(self) -> list[int]:
        return [0, 0, 0, self.camera_center, self.camera_center, 0, 0, 0]

    def validate(self, vector: Sequence[Any]) -> list[int]:
        """``vector`` as a list of ints, or ValueError saying which dimension is wrong."""
        values = list(vector)
        if len(values) != len(self.nvec):
            raise ValueError(
                f"a MineDojo action has {len(self.nvec)} numbers "
                f"({', '.join(DIMENSION_NAMES)}), got {len(values)}"
            )
        out: list[int] = []
        for name, size, value in zip(DIMENSION_NAMES, self.nvec, values, strict=True):
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise ValueError(f"{name} must be an integer, not {value!r}") from None
            if number != value and not (isinstance(value, str) and value.strip() == str(number)):
                raise ValueError(f"{name} must be an integer, not {value!r}")
            if not 0 <= number < size:
                raise ValueError(f"{name} must be in 0..{size - 1}, not {number}")
            out.append(number)
        return out

    def encode(
        self,
        forward_back: str = "noop",
        left_right: str = "noop",
        jump_sneak_sprint: str = "noop",
        pitch: float = 0.0,
        yaw: float = 0.0,
        functional: str = "noop",
        craft_item: str | None = None,
        slot: int = 0,
    ) -> list[int]:
        """The vector for the named parts; ``craft_item`` is an item id or display name."""
        craft = 0 if craft_item is None else self.metadata.craft_index(craft_item)
        if functional == "craft" and craft_item is None:
            raise ValueError("functional 'craft' needs craft_item")
        slot = int(slot)
        if not 0 <= slot < self.metadata.inventory_slots:
            raise ValueError(f"inventory slot must be in 0..{self.metadata.inventory_slots - 1}")
        return [
            _index(FORWARD_BACK, forward_back, "forward_back"),
            _index(LEFT_RIGHT, left_right, "left_right"),
            _index(JUMP_SNEAK_SPRINT, jump_sneak_sprint, "jump_sneak_sprint"),
            self.camera_bin(pitch),
            self.camera_bin(yaw),
            _index(FUNCTIONAL, functional, "functional"),
            craft,
            slot,
        ]

    def decode(self, vector: Sequence[Any]) -> RawAction:
        v = self.validate(vector)
        return RawAction(
            forward_back=FORWARD_BACK[v[0]],
            left_right=LEFT_RIGHT[v[1]],
            jump_sneak_sprint=JUMP_SNEAK_SPRINT[v[2]],
            pitch=self.camera_degrees(v[3]),
            yaw=self.camera_degrees(v[4]),
            functional=FUNCTIONAL[v[5]],
            craft_item=self.metadata.craft_smelt_items[v[6]],
            slot=v[7],
        )

    def encode_raw(self, action: RawAction) -> list[int]:
        return self.encode(**action.as_dict())

    def describe(self, vector: Sequence[Any]) -> str:
        """A short English rendering, e.g. 'forward + jump, turn right 30, craft crafting table'."""
        action = self.decode(vector)
        parts: list[str] = []
        moves = [
            name
            for name in (action.forward_back, action.left_right, action.jump_sneak_sprint)
            if name != "noop"
        ]
        if moves:
            parts.append(" + ".join(moves))
        if action.yaw:
            side = "right" if action.yaw > 0 else "left"
            parts.append(f"turn {side} {abs(action.yaw):g}")
        if action.pitch:
            side = "down" if action.pitch > 0 else "up"
            parts.append(f"look {side} {abs(action.pitch):g}")
        if action.functional == "craft":
            parts.append(f"craft {display_name(action.craft_item or '')}")
        elif action.functional in ("equip", "place", "destroy"):
            parts.append(f"{action.functional} slot {action.slot}")
        elif action.functional != "noop":
            parts.append(action.functional)
        return ", ".join(parts) or "noop"
