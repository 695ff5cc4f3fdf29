"""BALROG's wording of the same 9 x 7 view, for runs compared against BALROG's Crafter.

BALROG (Paglieri et al., 2024) describes, for each kind of thing in view, the nearest one
as a Manhattan distance and a compass direction ("3 steps to your north-west"), then the
faced cell, then vitals and inventory. Reproducing its wording lets our balrog protocol
give the model the text BALROG's models read; the window is the same one our own text and
the frame use.
"""

from __future__ import annotations

from agentkit_crafter.view import VITALS, Cell

__all__ = ["describe_balrog"]


def _where(dx: int, dy: int) -> str:
    parts = []
    if dy:
        parts.append("north" if dy < 0 else "south")
    if dx:
        parts.append("west" if dx < 0 else "east")
    distance = abs(dx) + abs(dy)
    return f"{distance} step{'s' if distance > 1 else ''} to your {'-'.join(parts)}"


def describe_balrog(
    cells: list[Cell],
    center: tuple[int, int],
    facing: tuple[int, int],
    inventory: dict[str, int],
    sleeping: bool = False,
    dead: bool = False,
) -> str:
    """The view, the faced cell, vitals and inventory in BALROG's words.

    A creature hides the ground it stands on (BALROG reads the semantic map, where objects
    are drawn over materials); cells are scanned column by column, so among kinds the first
    one met is listed first and, at equal distance, the first cell met wins.
    """
    cx, cy = center
    nearest: dict[str, tuple[int, str]] = {}
    for cell in sorted(cells, key=lambda c: (c.x, c.y)):
        dx, dy = cell.x - cx, cell.y - cy
        if dx == 0 and dy == 0:
            continue
        distance = abs(dx) + abs(dy)
        if cell.kind not in nearest or distance < nearest[cell.kind][0]:
            nearest[cell.kind] = (distance, _where(dx, dy))
    if nearest:
        seen = "You see:\n" + "\n".join(f"- {kind} {where}" for kind, (_, where) in nearest.items())
    else:
        seen = "You see nothing away from you."
    target = (cx + facing[0], cy + facing[1])
    faced = next((c.kind for c in cells if c.pos == target), "nothing")
    status = ""
    if sleeping:
        status = "You are sleeping, and will not be able take actions until energy is full.\n\n"
    elif dead:
        status = "You died.\n\n"
    vitals = "\n".join(f"- {name}: {int(inventory.get(name, 0))}/9" for name in VITALS)
    items = [f"- {k}: {int(v)}" for k, v in inventory.items() if k not in VITALS and v]
    held = (
        "Your inventory:\n" + "\n".join(items) if items else "You have nothing in your inventory."
    )
    return f"{status}{seen}\n\nYou face {faced} at your front.\n\nYour status:\n{vitals}\n\n{held}"
