"""What the agent can see: the 9 x 7 cells around the player, and a short text about them.

Crafter's image shows exactly this window (x in [px-4, px+4], y in [py-3, py+3]; y-1 is
north). The text is built from the same window only, never from the whole-world map, so a
text-only agent knows no more than one looking at the frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crafter import constants

__all__ = [
    "HALF_H",
    "HALF_W",
    "Cell",
    "describe",
    "direction_name",
    "local_cells",
    "object_kind",
    "offset_text",
]

HALF_W, HALF_H = 4, 3
VITALS = ("health", "food", "drink", "energy")
_DIRECTION_NAMES = {(0, -1): "north", (0, 1): "south", (-1, 0): "west", (1, 0): "east"}


@dataclass(frozen=True)
class Cell:
    """One visible cell: its material and the kind of object standing on it, if any."""

    x: int
    y: int
    material: str
    obj: str | None = None
    ripe: bool = False

    @property
    def pos(self) -> tuple[int, int]:
        return (self.x, self.y)

    @property
    def kind(self) -> str:
        """What occupies the cell as the agent would name it: the object, else the material."""
        return self.obj or self.material


def object_kind(obj: Any) -> str:
    """Crafter object class name as a lower-case kind: Cow -> 'cow'."""
    return type(obj).__name__.lower()


def local_cells(world: Any, center: Iterable[int]) -> list[Cell]:
    """The in-world cells of the view window around ``center`` (the player is left out)."""
    cx, cy = (int(v) for v in center)
    width, height = world.area
    x0, x1 = max(cx - HALF_W, 0), min(cx + HALF_W + 1, width)
    y0, y1 = max(cy - HALF_H, 0), min(cy + HALF_H + 1, height)
    materials = world._mat_map[x0:x1, y0:y1].tolist()
    indices = world._obj_map[x0:x1, y0:y1].tolist()
    names = world._mat_names
    cells = []
    for y in range(y0, y1):
        for x in range(x0, x1):
            material = names[materials[x - x0][y - y0]]
            index = indices[x - x0][y - y0]
            obj = world._objects[index] if index else None
            kind = object_kind(obj) if obj is not None else None
            if kind == "player":
                kind = None
            ripe = bool(obj.ripe) if kind == "plant" else False
            cells.append(Cell(x, y, material, kind, ripe))
    return cells


def direction_name(vector: Iterable[int]) -> str:
    return _DIRECTION_NAMES.get(tuple(int(v) for v in vector), "?")


def offset_text(dx: int, dy: int) -> str:
    """'2 steps north, 1 step west' for an offset in world cells."""
    parts = []
    if dy:
        parts.append(f"{abs(dy)} step{'s' if abs(dy) > 1 else ''} {'south' if dy > 0 else 'north'}")
    if dx:
        parts.append(f"{abs(dx)} step{'s' if abs(dx) > 1 else ''} {'east' if dx > 0 else 'west'}")
    return ", ".join(parts) or "here"


def _nearest(cells: list[Cell], center: tuple[int, int]) -> list[tuple[int, str, Cell]]:
    best: dict[str, tuple[int, int, int, Cell]] = {}
    cx, cy = center
    for cell in cells:
        dx, dy = cell.x - cx, cell.y - cy
        if dx == dy == 0:
            continue  # the ground under the player
        key = (abs(dx) + abs(dy), dy, dx)
        kinds = [cell.material] + ([cell.obj] if cell.obj else [])
        for kind in kinds:
            if kind not in best or key < best[kind][:3]:
                best[kind] = (*key, cell)
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[0]))
    return [(dist, kind, cell) for kind, (dist, _dy, _dx, cell) in ranked]


def _edge_line(center: tuple[int, int], area: tuple[int, int]) -> str | None:
    cx, cy = center
    width, height = area
    edges = []
    if cy - HALF_H < 0:
        edges.append(offset_text(0, -(cy + 1)))
    if cy + HALF_H >= height:
        edges.append(offset_text(0, height - cy))
    if cx - HALF_W < 0:
        edges.append(offset_text(-(cx + 1), 0))
    if cx + HALF_W >= width:
        edges.append(offset_text(width - cx, 0))
    return f"- world edge {', '.join(edges)}" if edges else None


def describe(
    cells: list[Cell],
    center: tuple[int, int],
    facing: tuple[int, int],
    inventory: dict[str, int],
    area: tuple[int, int] = (64, 64),
    daylight: float = 1.0,
    sleeping: bool = False,
) -> str:
    """BALROG-style text: nearest thing of each kind in view, what is faced, vitals, items."""
    lines = ["You see:"]
    for _dist, kind, cell in _nearest(cells, center):
        label = "ripe plant" if kind == "plant" and cell.ripe else kind
        lines.append(f"- {label} {offset_text(cell.x - center[0], cell.y - center[1])}")
    edge = _edge_line(center, area)
    if edge:
        lines.append(edge)
    target = (center[0] + facing[0], center[1] + facing[1])
    faced = next((c for c in cells if c.pos == target), None)
    faced_name = "the world edge" if faced is None else faced.kind
    lines.append(f"You face {faced_name} ({direction_name(facing)}).")
    vitals = []
    for name in VITALS:
        value = int(inventory.get(name, 0))
        top = constants.items[name]["max"]
        vitals.append(f"{name} {value}/{top}{' (low)' if value <= 3 else ''}")
    lines.append(", ".join(vitals).capitalize() + ".")
    items = [f"{k} {int(v)}" for k, v in inventory.items() if k not in VITALS and v > 0]
    lines.append(f"Inventory: {', '.join(items) if items else 'nothing'}.")
    if sleeping:
        lines.append("You are asleep.")
    elif daylight < 0.35:
        lines.append("It is night.")
    return "\n".join(lines)
