"""The agent's own map: every cell that has appeared in its view, in world coordinates.

Primitives plan only over this map, so they never use knowledge the agent lacks. It is
rebuilt step by step from the local view, which is why replaying raw actions restores it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from agentkit_crafter.view import Cell

__all__ = ["TRACKED_OBJECTS", "SeenMap"]

# Objects remembered at their last seen cell; arrows fly too fast to be worth remembering.
TRACKED_OBJECTS = ("cow", "zombie", "skeleton", "plant", "fence")


class SeenMap:
    """Materials of seen cells (last seen state) and last seen positions of creatures."""

    def __init__(self, area: tuple[int, int]) -> None:
        self.area = (int(area[0]), int(area[1]))
        self._ids: dict[str, int] = {}
        self._names: list[str] = []
        self._grid = np.full(self.area, -1, np.int16)
        self.objects: dict[tuple[int, int], str] = {}
        self.visible: set[tuple[int, int]] = set()
        self.visible_objects: dict[tuple[int, int], str] = {}

    def update(self, cells: Iterable[Cell]) -> None:
        """Overwrite the cells now in view; creatures no longer there are forgotten there."""
        self.visible = set()
        self.visible_objects = {}
        for cell in cells:
            pos = cell.pos
            self.visible.add(pos)
            self._grid[pos] = self._id(cell.material)
            self.objects.pop(pos, None)
            if cell.obj:
                self.visible_objects[pos] = cell.obj
                if cell.obj in TRACKED_OBJECTS:
                    self.objects[pos] = cell.obj

    def _id(self, name: str) -> int:
        if name not in self._ids:
            self._ids[name] = len(self._names)
            self._names.append(name)
        return self._ids[name]

    def material(self, pos: tuple[int, int]) -> str | None:
        """Last seen material at ``pos``; None if never seen or outside the world."""
        x, y = pos
        if not (0 <= x < self.area[0] and 0 <= y < self.area[1]):
            return None
        value = int(self._grid[x, y])
        return self._names[value] if value >= 0 else None

    def kinds(self) -> list[str]:
        """Every material and remembered object kind the agent knows of, sorted."""
        found = {self._names[i] for i in np.unique(self._grid) if i >= 0}
        return sorted(found | set(self.objects.values()))

    def positions(self, kind: str) -> set[tuple[int, int]]:
        """Cells where ``kind`` was last seen (objects hide the material under them)."""
        if kind in self._ids:
            xs, ys = np.nonzero(self._grid == self._ids[kind])
            cells = {(int(x), int(y)) for x, y in zip(xs, ys, strict=True)}
            cells -= set(self.objects)
            cells -= set(self.visible_objects)
        else:
            cells = set()
        cells |= {pos for pos, name in self.objects.items() if name == kind}
        return cells

    @property
    def seen_count(self) -> int:
        return int((self._grid >= 0).sum())
