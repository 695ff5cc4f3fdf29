"""Bounded primitives at GITM's grain, built on raw Crafter actions and the seen map.

Each primitive does one small thing (walk to something seen, hit what is next to you, place
or make one item, sleep, explore one way), presses at most a fixed number of raw actions,
and explains itself when it cannot act. None pursues an achievement chain on its own:
choosing the order of primitives is the controller's job.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from crafter import constants

from agentkit_crafter.navigation import MOVES, WALKABLE, State, plan
from agentkit_crafter.seen import SeenMap
from agentkit_crafter.view import Cell, direction_name

__all__ = [
    "DIRECTIONS",
    "EXPLORE_DISTANCE",
    "INTERACTABLE",
    "MAKEABLE",
    "MAX_STEPS",
    "PLACEABLE",
    "SLEEP_STEPS",
    "Actor",
    "Outcome",
    "explore",
    "goto",
    "interact",
    "make",
    "place",
    "sleep",
]

MAX_STEPS = 30  # raw presses per primitive
SLEEP_STEPS = 100  # a full night's sleep; the player cannot act while asleep anyway
INTERACT_PRESSES = 10  # enough for a zombie (5 hp) or a sapling (10% per press), usually
EXPLORE_DISTANCE = 8  # cells gained in the chosen direction
EXPLORE_STEPS = 12  # presses, leaving room to walk around an obstacle
DIRECTIONS = {"north": (0, -1), "south": (0, 1), "east": (1, 0), "west": (-1, 0)}
INTERACTABLE = tuple(sorted(set(constants.collect) | {"cow", "zombie", "skeleton", "plant"}))
PLACEABLE = tuple(constants.place)
MAKEABLE = tuple(constants.make)
CREATURES = ("cow", "zombie", "skeleton")


class Actor(Protocol):
    """What a primitive needs from the environment: state to read and one raw press."""

    seen: SeenMap

    @property
    def player(self) -> Any: ...

    @property
    def done(self) -> bool: ...

    def cells(self) -> list[Cell]: ...

    def press(self, name: str) -> None: ...


@dataclass
class Outcome:
    ok: bool
    feedback: str


def _state(actor: Actor) -> State:
    pos = actor.player.pos
    face = actor.player.facing
    return ((int(pos[0]), int(pos[1])), (int(face[0]), int(face[1])))


def _ahead(state: State) -> tuple[int, int]:
    (x, y), (dx, dy) = state
    return (x + dx, y + dy)


def _faced(actor: Actor) -> Cell | None:
    target = _ahead(_state(actor))
    return next((c for c in actor.cells() if c.pos == target), None)


def _adjacent(actor: Actor) -> list[Cell]:
    (x, y), _ = _state(actor)
    return [c for c in actor.cells() if abs(c.x - x) + abs(c.y - y) == 1]


def _blocked(actor: Actor) -> set[tuple[int, int]]:
    return set(actor.seen.visible_objects)


def _vitals(actor: Actor) -> dict[str, int]:
    return {k: int(v) for k, v in actor.player.inventory.items()}


def _missing(needs: dict[str, int], have: dict[str, int]) -> list[str]:
    return [f"{n} {item}" for item, n in needs.items() if have.get(item, 0) < n]


def _n(count: int, noun: str) -> str:
    plural = "es" if noun.endswith("s") else "s"
    return f"{count} {noun}{'' if count == 1 else plural}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _walk(
    actor: Actor,
    targets: Callable[[], set[tuple[int, int]]],
    limit: int,
    max_depth: int | None = None,
) -> tuple[str, int]:
    """Replan every press toward facing one of ``targets()``; creatures and new sights move
    the goal. Returns (status, presses) with status reached/unknown/no_path/limit/over."""
    steps = 0
    while True:
        cells = targets()
        if not cells:
            return "unknown", steps
        path = plan(
            _state(actor),
            actor.seen,
            lambda s, goal=cells: _ahead(s) in goal,
            _blocked(actor),
            max_depth,
        )
        if path is None:
            return "no_path", steps
        if not path:
            return "reached", steps
        if actor.done:
            return "over", steps
        if steps >= limit:
            return "limit", steps
        actor.press(path[0][0])
        steps += 1


def goto(actor: Actor, target: str | None, limit: int = MAX_STEPS) -> Outcome:
    """Walk over seen ground to face the nearest seen ``target``."""
    if not target:
        return Outcome(False, "goto needs a target, e.g. goto tree")
    if not actor.seen.positions(target):
        return Outcome(False, f"no {target} seen yet; explore to find one")
    status, steps = _walk(actor, lambda: actor.seen.positions(target), limit)
    if status == "reached":
        where = direction_name(_state(actor)[1])
        if steps == 0:
            return Outcome(True, f"already facing {target} ({where})")
        return Outcome(True, f"reached {target} in {_n(steps, 'step')}; facing it ({where})")
    if status == "unknown":
        return Outcome(False, f"lost sight of the {target} after {_n(steps, 'step')}")
    if status == "no_path":
        return Outcome(False, f"no known way to a {target} over seen ground; explore or go around")
    if status == "over":
        return Outcome(False, "the episode is over")
    return Outcome(False, f"walked {_n(steps, 'step')} toward {target}, not there yet; goto again")


def _changes(before: dict[str, int], after: dict[str, int]) -> list[str]:
    out = []
    for item, value in after.items():
        if item in ("health", "energy"):
            continue  # these rise on their own over time, not from what was hit
        delta = value - before.get(item, 0)
        if delta > 0:
            out.append(f"+{delta} {item}")
    return out


def interact(actor: Actor, target: str | None, presses: int = INTERACT_PRESSES) -> Outcome:
    """Face an adjacent ``target`` and press ``do`` until something changes (bounded)."""
    if target not in INTERACTABLE:
        return Outcome(
            False, f"cannot interact with {target}; try one of {', '.join(INTERACTABLE)}"
        )
    have = _vitals(actor)
    needs = constants.collect.get(target, {}).get("require", {})
    missing = _missing(needs, have)
    if missing:
        return Outcome(False, f"need {_join(missing)} to collect {target}")
    near = [c for c in _adjacent(actor) if c.kind == target]
    if target == "plant":
        if near and not any(c.ripe for c in near):
            return Outcome(False, "the plant is not ripe yet; eat it later")
        near = [c for c in near if c.ripe]
    if not near:
        seen = "" if actor.seen.positions(target) else f" (no {target} seen yet)"
        return Outcome(False, f"no {target} next to you; goto {target} first{seen}")
    spots = {c.pos for c in actor.cells() if c.kind == target and (target != "plant" or c.ripe)}
    status, _ = _walk(actor, lambda: spots, 2, 2)
    if status != "reached":
        return Outcome(False, f"could not turn to the {target}; goto {target} first")
    before_inv = _vitals(actor)
    before_ach = dict(actor.player.achievements)
    hits = 0
    for _ in range(presses):
        faced = _faced(actor)
        if faced is None or faced.kind != target:
            # A creature that stepped aside but is still next to us: turn to it and go on.
            beside = [c for c in _adjacent(actor) if c.kind == target]
            if target not in CREATURES or not beside:
                gone = "moved away" if target in CREATURES else "changed"
                return Outcome(False, f"the {target} {gone} after {_n(hits, 'hit')}")
            actor.press(_turn_toward(_state(actor)[0], beside[0].pos))
        else:
            actor.press("do")
            hits += 1
        gained = _changes(before_inv, _vitals(actor))
        unlocked = [k for k, v in actor.player.achievements.items() if v > before_ach[k]]
        if gained or unlocked:
            what = _join(gained or unlocked)
            return Outcome(True, f"{target}: {what} after {_n(hits, 'press')}")
        if actor.done:
            return Outcome(False, "the episode is over")
    return Outcome(False, f"pressed {presses} times at the {target}; nothing changed yet")


def _turn_toward(here: tuple[int, int], there: tuple[int, int]) -> str:
    step = (there[0] - here[0], there[1] - here[1])
    return next(move for move, vector in MOVES.items() if vector == step)


def place(actor: Actor, item: str | None, limit: int = 4) -> Outcome:
    """Face a free cell where ``item`` may go and place it."""
    if item not in PLACEABLE:
        return Outcome(False, f"cannot place {item}; choose one of {', '.join(PLACEABLE)}")
    info = constants.place[item]
    have = _vitals(actor)
    missing = _missing(info["uses"], have)
    if missing:
        return Outcome(False, f"need {_join(missing)} to place {item}")
    where = set(info["where"])
    here = _state(actor)[0]

    def spots() -> set[tuple[int, int]]:
        # Any visible free cell that fits: the planner finds the fewest presses to face one.
        return {
            c.pos for c in actor.cells() if c.material in where and c.obj is None and c.pos != here
        }

    status, _ = _walk(actor, spots, limit, max_depth=limit)
    if status != "reached":
        return Outcome(False, f"no free {'/'.join(sorted(where))} cell to place {item} on nearby")
    before = actor.player.achievements[f"place_{item}"]
    actor.press(f"place_{item}")
    if actor.player.achievements[f"place_{item}"] > before:
        return Outcome(True, f"placed {item} {direction_name(_state(actor)[1])}")
    return Outcome(False, f"could not place {item} here")


def make_missing(actor: Actor, item: str) -> list[str]:
    """What making ``item`` still needs: materials, and stations within one cell."""
    info = constants.make[item]
    px, py = _state(actor)[0]
    around = {c.material for c in actor.cells() if abs(c.x - px) <= 1 and abs(c.y - py) <= 1}
    missing = _missing(info["uses"], _vitals(actor))
    return missing + [f"a nearby {s}" for s in info["nearby"] if s not in around]


def place_missing(actor: Actor, item: str) -> list[str]:
    """What placing ``item`` still needs from the inventory."""
    return _missing(constants.place[item]["uses"], _vitals(actor))


def adjacent_interactable(actor: Actor) -> list[str]:
    """Kinds next to the player that ``interact`` could act on now."""
    kinds = {c.kind for c in _adjacent(actor)}
    return [k for k in INTERACTABLE if k in kinds]


def faced_kind(actor: Actor) -> str | None:
    """The kind of the cell the player faces (``goto`` to it would do nothing)."""
    cell = _faced(actor)
    return cell.kind if cell is not None else None


def can_sleep(actor: Actor) -> bool:
    return _vitals(actor)["energy"] < constants.items["energy"]["max"] or actor.player.sleeping


def make(actor: Actor, item: str | None) -> Outcome:
    """Craft one tool, if the materials are in the inventory and the stations are nearby."""
    if item not in MAKEABLE:
        return Outcome(False, f"cannot make {item}; choose one of {', '.join(MAKEABLE)}")
    missing = make_missing(actor, item)
    if missing:
        return Outcome(False, f"need {_join(missing)} to make {item}")
    before = _vitals(actor)[item]
    actor.press(f"make_{item}")
    if _vitals(actor)[item] > before:
        return Outcome(True, f"made {item}; you have {_vitals(actor)[item]}")
    return Outcome(False, f"could not make {item}")


def sleep(actor: Actor, limit: int = SLEEP_STEPS) -> Outcome:
    """Sleep until rested, hurt, or ``limit`` presses pass."""
    top = constants.items["energy"]["max"]
    if _vitals(actor)["energy"] >= top and not actor.player.sleeping:
        return Outcome(False, f"energy is full ({top}/{top}); sleep when tired")
    health = _vitals(actor)["health"]
    steps = 0
    while steps < limit and not actor.done:
        actor.press("sleep")
        steps += 1
        now = _vitals(actor)
        if now["health"] < health:
            return Outcome(
                False, f"woke up hurt (health {now['health']}) after {_n(steps, 'step')}"
            )
        if not actor.player.sleeping:
            return Outcome(True, f"slept {_n(steps, 'step')}; energy {now['energy']}/{top}")
    energy = _vitals(actor)["energy"]
    return Outcome(True, f"slept {_n(steps, 'step')}; energy {energy}/{top}, still asleep")


def explore(
    actor: Actor,
    direction: str | None,
    distance: int = EXPLORE_DISTANCE,
    limit: int = EXPLORE_STEPS,
) -> Outcome:
    """Walk up to ``distance`` cells toward ``direction`` over seen ground, around obstacles."""
    if direction not in DIRECTIONS:
        return Outcome(False, f"explore needs a direction: {', '.join(DIRECTIONS)}")
    dx, dy = DIRECTIONS[direction]
    start = _state(actor)[0]
    known = set(actor.seen.kinds())
    seen_before = actor.seen.seen_count

    def gain(pos: tuple[int, int]) -> int:
        return (pos[0] - start[0]) * dx + (pos[1] - start[1]) * dy

    def drift(pos: tuple[int, int]) -> int:
        return abs((pos[0] - start[0]) * dy) + abs((pos[1] - start[1]) * dx)

    steps = 0
    goal = None  # committed to until reached, so new sights cannot make the walk zigzag
    while steps < limit and not actor.done:
        here = _state(actor)[0]
        if gain(here) >= distance:
            break
        reach = _reachable(actor, limit - steps)
        if goal is None or goal == here or goal not in reach:
            goal = max(
                (pos for pos in reach if pos != here),
                key=lambda p: (min(gain(p), distance), -reach[p][1], -drift(p)),
                default=None,
            )
            if goal is None or gain(goal) <= gain(here):
                break
        actor.press(reach[goal][0])
        steps += 1
    moved = gain(_state(actor)[0])
    new_cells = actor.seen.seen_count - seen_before
    new_kinds = sorted(set(actor.seen.kinds()) - known)
    found = f"; new: {', '.join(new_kinds)}" if new_kinds else ""
    if moved <= 0:
        cell = _ahead((_state(actor)[0], (dx, dy)))
        ahead = actor.seen.visible_objects.get(cell) or actor.seen.material(cell)
        reason = "the world ends there" if ahead is None else f"blocked by {ahead}"
        return Outcome(False, f"cannot go {direction}: {reason}{found}")
    return Outcome(
        True,
        f"went {_n(moved, 'cell')} {direction} in {_n(steps, 'step')}, "
        f"saw {_n(new_cells, 'new cell')}{found}",
    )


def _reachable(actor: Actor, budget: int) -> dict[tuple[int, int], tuple[str, int]]:
    """Seen walkable cells within ``budget`` moves: the first move toward each, and depth."""
    here = _state(actor)[0]
    blocked = _blocked(actor)
    reach: dict[tuple[int, int], tuple[str, int]] = {here: ("noop", 0)}
    queue = deque([here])
    while queue:
        pos = queue.popleft()
        move0, depth = reach[pos]
        if depth >= budget:
            continue
        for move, (mx, my) in MOVES.items():
            nxt = (pos[0] + mx, pos[1] + my)
            if nxt in reach or nxt in blocked or actor.seen.material(nxt) not in WALKABLE:
                continue
            reach[nxt] = (move if pos == here else move0, depth + 1)
            queue.append(nxt)
    return reach
