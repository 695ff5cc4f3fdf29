"""Shortest move sequences over the seen map, planned on (cell, facing) states.

In Crafter a move either steps onto a free walkable cell or, when blocked, only turns the
player. Facing matters (``do`` and ``place`` act on the faced cell), so the planner searches
states of position and facing. It never presses toward lava (that would walk into it) or
toward a cell the agent has not seen.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection

from crafter import constants

from agentkit_crafter.seen import SeenMap

__all__ = ["MOVES", "WALKABLE", "Plan", "State", "plan", "step_state"]

MOVES: dict[str, tuple[int, int]] = {
    "move_up": (0, -1),
    "move_down": (0, 1),
    "move_left": (-1, 0),
    "move_right": (1, 0),
}
WALKABLE = frozenset(constants.walkable)
State = tuple[tuple[int, int], tuple[int, int]]
Plan = list[tuple[str, State]]


def step_state(
    state: State, move: str, seen: SeenMap, blocked: Collection[tuple[int, int]]
) -> State | None:
    """The state after pressing ``move`` as the agent predicts it; None if unsafe/unknown."""
    (x, y), _ = state
    dx, dy = MOVES[move]
    target = (x + dx, y + dy)
    material = seen.material(target)
    if material is None or material == "lava":
        return None
    if material in WALKABLE and target not in blocked:
        return (target, (dx, dy))
    return ((x, y), (dx, dy))


def plan(
    start: State,
    seen: SeenMap,
    goal: Callable[[State], bool],
    blocked: Collection[tuple[int, int]] = (),
    max_depth: int | None = None,
) -> Plan | None:
    """Breadth-first search for the fewest presses reaching a goal state.

    Returns ``[(move, state_after), ...]`` (empty if ``start`` is a goal), or None when no
    goal is reachable through seen cells within ``max_depth`` presses.
    """
    if goal(start):
        return []
    parents: dict[State, tuple[State, str] | None] = {start: None}
    depth = {start: 0}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if max_depth is not None and depth[state] >= max_depth:
            continue
        for move in MOVES:
            nxt = step_state(state, move, seen, blocked)
            if nxt is None or nxt in parents:
                continue
            parents[nxt] = (state, move)
            depth[nxt] = depth[state] + 1
            if goal(nxt):
                return _unwind(parents, nxt)
            queue.append(nxt)
    return None


def _unwind(parents: dict[State, tuple[State, str] | None], end: State) -> Plan:
    path: Plan = []
    state = end
    while parents[state] is not None:
        prev, move = parents[state]  # type: ignore[misc]
        path.append((move, state))
        state = prev
    path.reverse()
    return path
