"""GITM-style structured actions compiled into MultiDiscrete vector sequences.

Open-loop actions (move, jump, turn, look_at, attack, use, craft, equip, place, drop) compile
to a fixed list of vectors from the current observation. ``mine`` is closed-loop (look at the
block, then attack until it breaks or a step budget runs out) and is driven by the
environment, which uses :func:`look_angles` and :func:`compile_look` from here.

Angles follow Minecraft: yaw 0 faces south (+z), 90 west (-x), 180 north, -90 east;
positive yaw turns right; pitch 0 is level, positive looks down, limited to [-90, 90].
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from agentkit_minedojo.codec import ActionCodec
from agentkit_minedojo.metadata import canonical_item, display_name

__all__ = [
    "EYE_HEIGHT",
    "ActionError",
    "compile_attack",
    "compile_craft",
    "compile_drop",
    "compile_inventory_action",
    "compile_jump",
    "compile_look",
    "compile_move",
    "compile_turn",
    "compile_use",
    "find_slot",
    "look_angles",
    "parse_count",
    "parse_turn",
    "wrap_degrees",
]

EYE_HEIGHT = 1.62  # the player's eyes above location_stats.pos (the feet)
MAX_REPEAT = 200
_MOVES = {
    "forward": {"forward_back": "forward"},
    "back": {"forward_back": "back"},
    "left": {"left_right": "left"},
    "right": {"left_right": "right"},
}


class ActionError(ValueError):
    """A structured action that cannot be compiled; the message says why, for the agent."""


def parse_count(argument: str | None, default: int = 1, what: str = "steps") -> int:
    """A repeat count from ``argument`` (empty: ``default``), within 1..200."""
    if argument is None or not str(argument).strip():
        return default
    text = str(argument).strip()
    try:
        count = int(float(text))
    except ValueError:
        raise ActionError(f"expected a number of {what}, not {text!r}") from None
    if not 1 <= count <= MAX_REPEAT:
        raise ActionError(f"the number of {what} must be in 1..{MAX_REPEAT}, not {count}")
    return count


def wrap_degrees(angle: float) -> float:
    """``angle`` in (-180, 180]."""
    wrapped = (float(angle) + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 else wrapped


def compile_move(codec: ActionCodec, direction: str, steps: int = 1, jump: bool = False) -> list:
    if direction not in _MOVES:
        raise ActionError(f"direction must be one of {sorted(_MOVES)}, not {direction!r}")
    parts = dict(_MOVES[direction])
    if jump:
        parts["jump_sneak_sprint"] = "jump"
    return [codec.encode(**parts) for _ in range(steps)]


def compile_jump(codec: ActionCodec, steps: int = 1, forward: bool = False) -> list:
    parts = {"jump_sneak_sprint": "jump"}
    if forward:
        parts["forward_back"] = "forward"
    return [codec.encode(**parts) for _ in range(steps)]


def compile_attack(codec: ActionCodec, steps: int = 1) -> list:
    return [codec.encode(functional="attack") for _ in range(steps)]


def compile_use(codec: ActionCodec, steps: int = 1) -> list:
    return [codec.encode(functional="use") for _ in range(steps)]


def compile_drop(codec: ActionCodec) -> list:
    return [codec.encode(functional="drop")]


def compile_craft(codec: ActionCodec, item: str) -> list:
    """One craft vector: functional 4 with ``item``'s index in ALL_CRAFT_SMELT_ITEMS."""
    try:
        return [codec.encode(functional="craft", craft_item=item)]
    except ValueError as error:
        raise ActionError(str(error)) from None


def _quantize(codec: ActionCodec, degrees: float) -> int:
    """``degrees`` rounded to a whole number of camera intervals."""
    return int(round(degrees / codec.cam_interval))


def compile_turn(
    codec: ActionCodec, yaw: float = 0.0, pitch: float = 0.0, current_pitch: float | None = None
) -> list:
    """Vectors turning by ``yaw`` (right positive) and ``pitch`` (down positive) degrees.

    Turns are rounded to the camera interval (15 degrees); yaw is taken the short way round;
    with ``current_pitch`` the pitch is kept within [-90, 90]. Each vector turns at most 180
    degrees per axis; pitch and yaw share vectors. An empty list means no turn is needed.
    """
    yaw_steps = _quantize(codec, wrap_degrees(yaw))
    if current_pitch is not None:
        target = max(-90.0, min(90.0, float(current_pitch) + float(pitch)))
        pitch = target - float(current_pitch)
    pitch_steps = _quantize(codec, pitch)
    per_vector = codec.camera_center  # bins each side of the no-op (12 x 15 = 180 degrees)
    vectors: list[list[int]] = []
    while yaw_steps or pitch_steps:
        dy = max(-per_vector, min(per_vector, yaw_steps))
        dp = max(-per_vector, min(per_vector, pitch_steps))
        vectors.append(codec.encode(pitch=dp * codec.cam_interval, yaw=dy * codec.cam_interval))
        yaw_steps -= dy
        pitch_steps -= dp
    return vectors


_TURN_WORDS = {
    "left": (-90.0, 0.0),
    "right": (90.0, 0.0),
    "around": (180.0, 0.0),
    "back": (180.0, 0.0),
    "up": (0.0, -30.0),
    "down": (0.0, 30.0),
}
_NUMBER = r"[-+]?\d+(?:\.\d+)?"


def parse_turn(argument: str | None) -> tuple[float, float]:
    """``(yaw, pitch)`` from 'left', 'right', 'around', 'up', 'down', 'YAW' or 'YAW PITCH'.

    Keys are allowed too: 'yaw=30 pitch=-15'. Yaw right and pitch down are positive.
    """
    text = (argument or "").strip().lower()
    if not text:
        raise ActionError(
            "turn needs an argument: left, right, around, up, down, or 'YAW [PITCH]' in degrees"
        )
    if text in _TURN_WORDS:
        return _TURN_WORDS[text]
    keyed = dict(re.findall(rf"(yaw|pitch)\s*[=:]\s*({_NUMBER})", text))
    if keyed:
        return float(keyed.get("yaw", 0.0)), float(keyed.get("pitch", 0.0))
    numbers = re.fullmatch(rf"\s*({_NUMBER})(?:\s*[, ]\s*({_NUMBER}))?\s*", text)
    if numbers:
        return float(numbers.group(1)), float(numbers.group(2) or 0.0)
    raise ActionError(
        f"cannot read turn {argument!r}: use left, right, around, up, down, or 'YAW [PITCH]'"
    )


def look_angles(eye: Sequence[float], target: Sequence[float]) -> tuple[float, float]:
    """Minecraft ``(yaw, pitch)`` in degrees that point from ``eye`` at ``target``."""
    dx, dy, dz = (float(t) - float(e) for t, e in zip(target, eye, strict=True))
    yaw = math.degrees(math.atan2(-dx, dz))
    pitch = -math.degrees(math.atan2(dy, math.hypot(dx, dz)))
    return yaw, pitch


def compile_look(
    codec: ActionCodec,
    target_yaw: float | None,
    target_pitch: float | None,
    current_yaw: float,
    current_pitch: float,
) -> list:
    """Vectors turning from the current angles to absolute ``target_yaw``/``target_pitch``."""
    yaw = 0.0 if target_yaw is None else wrap_degrees(float(target_yaw) - float(current_yaw))
    pitch = 0.0 if target_pitch is None else float(target_pitch) - float(current_pitch)
    return compile_turn(codec, yaw=yaw, pitch=pitch, current_pitch=current_pitch)


def find_slot(inventory_names: Sequence[str], item: str) -> int | None:
    """The first inventory slot holding ``item`` (id or display name), or None."""
    key = canonical_item(item)
    for slot, name in enumerate(inventory_names):
        if canonical_item(name) == key:
            return slot
    return None


def compile_inventory_action(
    codec: ActionCodec, functional: str, item: str, inventory_names: Sequence[str]
) -> list:
    """An equip, place or destroy vector for the slot holding ``item``."""
    if not item or not str(item).strip():
        raise ActionError(f"{functional} needs an item name")
    key = canonical_item(item)
    if key == "air" or not codec.metadata.is_item(key):
        raise ActionError(codec.metadata.unknown_item_message(item))
    slot = find_slot(inventory_names, key)
    if slot is None:
        held = sorted(
            {display_name(canonical_item(n)) for n in inventory_names if canonical_item(n) != "air"}
        )
        have = ", ".join(held) if held else "nothing"
        raise ActionError(f"no {display_name(key)} in the inventory (it holds {have})")
    return [codec.encode(functional=functional, slot=slot)]
