"""Primitives that see one rule through: find the thing, get there (digging if need be),
and act until the inventory or an achievement counter shows it worked.

They are what lets the controller decide once per step of a plan instead of once per key
press (Voyager's and GITM's structured actions). Each is generic over Crafter's rules: the
target, the tool it needs and what success looks like come from the rules data and the
counters, never from a script for one achievement. Every one is bounded in key presses and
stops early, with a reason, when the player is hurt by a monster.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection
from dataclasses import dataclass

from crafter import constants

from agentkit_crafter.navigation import MOVES, WALKABLE
from agentkit_crafter.primitives import Actor, Outcome, _join, _n, _state, _vitals
from agentkit_crafter.view import VITALS

__all__ = [
    "COLLECT_LIMIT",
    "MAKE_LIMIT",
    "COLLECTABLE",
    "HABITAT",
    "can_make",
    "collect",
    "collectable",
    "make_near",
    "can_rest",
    "is_night",
    "rest",
    "shelter",
    "success_signal",
    "place_near",
    "stations_within",
]

COLLECT_LIMIT = 80  # key presses for one collect, exploring included
MAKE_LIMIT = 40  # presses walking to the stations, plus the one that makes
LOW_HEALTH = 3  # a collect that brings health this low stops and hands back control
# The vitals a rest spends, and what restores them when hit (crafter/objects.py: water
# gives drink; a cow, killed, gives food).
SOURCES = {"water": "drink", "cow": "food"}
SEARCH_RADIUS = 24  # a station further than this is not worth walking back to
# Creatures that walk to the player once it is within this many cells (crafter/objects.py,
# Zombie.update): looking further for one out of view is walking it could wait out. In
# 20 protocol episodes the agent spent 80 presses of the short first day nine times
# looking for a zombie and ended with none in view; one came to it by night in almost all.
COMES_TO_PLAYER = {"zombie": 8}
SEEK_LIMIT = 20  # presses looking for one of those while none is in view
COLLECTABLE = (*constants.collect, "cow", "zombie", "skeleton", "plant")
MINABLE = {name for name, info in constants.collect.items() if info["leaves"] == "path"}
# Where the world generator (crafter/worldgen.py) puts things: the search for something
# not yet seen heads for ground that borders these.
HABITAT: dict[str, tuple[str, ...]] = {
    "tree": ("grass", "tree"),
    "grass": ("grass",),
    "cow": ("grass",),
    "zombie": ("grass",),
    "water": ("water", "sand"),
    "stone": ("stone",),
    "coal": ("stone", "coal"),
    "iron": ("path", "iron", "stone"),
    "diamond": ("path", "diamond", "stone", "lava"),
    "skeleton": ("path",),
    "plant": ("grass",),
}

Pos = tuple[int, int]


def _here(actor: Actor) -> Pos:
    return _state(actor)[0]


def _counter(actor: Actor, argument: str, gives: dict[str, int], achievement: str) -> int:
    """A number that rises when the rule worked: items gained plus the achievement count."""
    inventory = _vitals(actor)
    return sum(inventory.get(item, 0) for item in gives) + int(
        actor.player.achievements.get(achievement, 0)
    )


def _can_mine(actor: Actor, material: str | None) -> bool:
    if material not in MINABLE:
        return False
    needs = constants.collect[material]["require"]
    have = _vitals(actor)
    return all(have.get(k, 0) >= v for k, v in needs.items())


def _cost(actor: Actor, pos: Pos, blocked: set[Pos]) -> int | None:
    """Presses to step onto ``pos``: 1 if walkable, 3 (turn, mine, step) if minable."""
    if pos in blocked:
        return None
    material = actor.seen.material(pos)
    if material in WALKABLE:
        return 1
    if _can_mine(actor, material):
        return 3
    return None


def _search(
    actor: Actor, blocked: set[Pos], limit: int = 400
) -> tuple[dict[Pos, int], dict[Pos, Pos]]:
    """Cheapest press counts from the player to every cell it can reach (Dijkstra; mining
    allowed), and each cell's predecessor on its cheapest path."""
    start = _here(actor)
    best = {start: 0}
    parent: dict[Pos, Pos] = {}
    queue = [(0, start)]
    while queue:
        cost, pos = heapq.heappop(queue)
        if cost > best.get(pos, 1 << 30) or cost > limit:
            continue
        for dx, dy in MOVES.values():
            nxt = (pos[0] + dx, pos[1] + dy)
            step = _cost(actor, nxt, blocked)
            if step is None:
                continue
            total = cost + step
            if total < best.get(nxt, 1 << 30):
                best[nxt] = total
                parent[nxt] = pos
                heapq.heappush(queue, (total, nxt))
    return best, parent


def _route(actor: Actor, goals: set[Pos], blocked: set[Pos]) -> list[Pos] | None:
    """The cheapest cell path to any of ``goals`` (without the start); None if none."""
    start = _here(actor)
    if start in goals:
        return []
    best, parent = _search(actor, blocked)
    reachable = [g for g in goals if g in best]
    if not reachable:
        return None
    goal = min(reachable, key=lambda g: (best[g], g))
    path = [goal]
    while parent[path[-1]] != start:
        path.append(parent[path[-1]])
    return path[::-1]


def _move_toward(actor: Actor, nxt: Pos) -> None:
    """One press toward the neighbouring cell ``nxt``: mine it first if it is in the way."""
    here = _here(actor)
    vector = (nxt[0] - here[0], nxt[1] - here[1])
    move = next(name for name, v in MOVES.items() if v == vector)
    facing = _state(actor)[1]
    material = actor.seen.material(nxt)
    if material not in WALKABLE and facing == vector:
        actor.press("do")  # mine the faced block (the route only crosses minable ones)
    else:
        actor.press(move)


def _adjacent_cells(pos: Pos) -> list[Pos]:
    return [(pos[0] + dx, pos[1] + dy) for dx, dy in MOVES.values()]


def _standing_spots(actor: Actor, targets: set[Pos], blocked: set[Pos]) -> set[Pos]:
    """Cells next to a target from which it can be faced and hit."""
    spots = set()
    for target in targets:
        for cell in _adjacent_cells(target):
            if cell == _here(actor) or _cost(actor, cell, blocked) is not None:
                spots.add(cell)
    return spots


def _face(actor: Actor, target: Pos) -> bool:
    """Turn to ``target`` (adjacent); True when it is faced."""
    here = _here(actor)
    vector = (target[0] - here[0], target[1] - here[1])
    if _state(actor)[1] == vector:
        return True
    move = next((name for name, v in MOVES.items() if v == vector), None)
    if move is None:
        return False
    actor.press(move)  # blocked by the target, so this only turns
    return _state(actor)[1] == vector


def _blocked(actor: Actor) -> set[Pos]:
    return set(actor.seen.visible_objects)


def _hurt_by_monster(actor: Actor, health_before: int) -> str | None:
    if _vitals(actor)["health"] >= health_before - 1:
        return None
    here = _here(actor)
    near = [
        kind
        for pos, kind in actor.seen.visible_objects.items()
        if kind in ("zombie", "skeleton", "arrow")
        and abs(pos[0] - here[0]) + abs(pos[1] - here[1]) <= 4
    ]
    if not near:
        return None
    return f"hurt by a {near[0]} (health {_vitals(actor)['health']})"


def _targets(actor: Actor, kind: str) -> set[Pos]:
    cells = actor.seen.positions(kind)
    if kind == "plant":
        ripe = {c.pos for c in actor.cells() if c.kind == "plant" and c.ripe}
        unseen_now = {p for p in cells if p not in actor.seen.visible}
        cells = ripe | unseen_now  # a plant out of view may have ripened since
    return cells


def _frontier(actor: Actor, kind: str, blocked: set[Pos]) -> dict[Pos, int]:
    """Seen cells we can stand on that border unseen ones, with a score (lower is better):
    presses to get there, less a bonus next to the target's habitat."""
    area = actor.seen.area
    here = _here(actor)
    habitat = set(HABITAT.get(kind, ()))
    best, _ = _search(actor, blocked)
    scores: dict[Pos, int] = {}
    for pos, cost in best.items():
        if cost < 2 or actor.seen.material(pos) not in WALKABLE or pos == here:
            continue
        unseen = [
            c
            for c in _ring(pos, 4)
            if 0 <= c[0] < area[0] and 0 <= c[1] < area[1] and actor.seen.material(c) is None
        ]
        if not unseen:
            continue
        near = any(actor.seen.material(c) in habitat for c in _ring(pos, 1) + _ring(pos, 2))
        scores[pos] = cost - (12 if near else 0)
    return scores


def _ring(pos: Pos, radius: int) -> list[Pos]:
    x, y = pos
    return [(x + radius, y), (x - radius, y), (x, y + radius), (x, y - radius)]


# What hitting a creature counts as (crafter/objects.py, Player._do_object).
CREATURE_ACHIEVEMENTS = {
    "cow": "eat_cow",
    "zombie": "defeat_zombie",
    "skeleton": "defeat_skeleton",
    "plant": "eat_plant",
}


def success_signal(kind: str) -> tuple[dict[str, int], str]:
    """The items and the achievement whose rise means hitting ``kind`` worked."""
    if kind in CREATURE_ACHIEVEMENTS:
        return {}, CREATURE_ACHIEVEMENTS[kind]
    gives = {k: int(v) for k, v in constants.collect[kind]["receive"].items()}
    return gives, f"collect_{next(iter(gives))}"


def collect(actor: Actor, kind: str | None, limit: int = COLLECT_LIMIT) -> Outcome:
    """Find ``kind`` (exploring toward its habitat), reach it (mining through stone when a
    pickaxe allows) and hit it until what it gives rises or its achievement counts up."""
    if kind is None or kind not in COLLECTABLE:
        return Outcome(False, f"cannot collect {kind}; choose one of {', '.join(COLLECTABLE)}")
    needs = constants.collect.get(kind, {}).get("require", {})
    missing = [f"{n} {item}" for item, n in needs.items() if _vitals(actor).get(item, 0) < n]
    if missing:
        return Outcome(False, f"need {', '.join(missing)} to collect {kind}")
    gives, achievement = success_signal(kind)
    start = _counter(actor, kind, gives, achievement)
    health = _vitals(actor)["health"]
    presses = 0
    hits = 0
    looking = 0  # presses spent with none of ``kind`` in view (see COMES_TO_PLAYER)
    explore_goal: Pos | None = None
    visits: dict[Pos, int] = {}  # cells stood on: exploring avoids going round in circles
    while presses < limit and not actor.done:
        if _counter(actor, kind, gives, achievement) > start:
            extra = _top_up(actor, kind, gives, limit - presses)
            presses += extra
            levels = "".join(
                f"; {item} {_vitals(actor)[item]}/{constants.items[item]['max']}"
                for item in gives
                if extra and item in VITALS
            )
            return Outcome(
                True,
                f"got {_gain(gives, achievement)} from {kind} in {_n(presses, 'step')}{levels}",
            )
        hurt = _hurt_by_monster(actor, health)
        if hurt and kind not in ("zombie", "skeleton"):
            return Outcome(False, f"stopped: {hurt}")
        # Health falling with the vital this restores at 0 is what it is for: going on is
        # the answer. (Stopped there, the agent walked away from water dying of thirst.)
        restoring = kind in SOURCES and _vitals(actor)[SOURCES[kind]] == 0
        if _vitals(actor)["health"] <= LOW_HEALTH < health and not restoring:
            return Outcome(False, f"stopped: health fell to {_vitals(actor)['health']}")
        blocked = _blocked(actor)
        targets = _targets(actor, kind)
        if kind in COMES_TO_PLAYER and kind not in actor.seen.visible_objects.values():
            if looking >= SEEK_LIMIT:
                return Outcome(
                    False,
                    f"no {kind} in view after {_n(looking, 'step')} of looking; a {kind} "
                    f"walks to you from {COMES_TO_PLAYER[kind]} cells away, more at night",
                )
            looking += 1
        here = _here(actor)
        adjacent = [t for t in _adjacent_cells(here) if t in targets]
        if adjacent:
            explore_goal = None
            if _face(actor, adjacent[0]):
                actor.press("do")
                hits += 1
            presses += 1
            continue
        path = _route(actor, _standing_spots(actor, targets, blocked), blocked) if targets else None
        if path is None:
            if explore_goal is None or explore_goal == here or explore_goal in blocked:
                frontier = {
                    pos: score + 8 * visits.get(pos, 0)
                    for pos, score in _frontier(actor, kind, blocked).items()
                }
                explore_goal = min(frontier, key=lambda p: (frontier[p], p), default=None)
                if explore_goal is None:
                    return Outcome(False, f"no {kind} in reach and nowhere left to look")
            path = _route(actor, {explore_goal}, blocked)
            if not path:
                explore_goal = None
                actor.press("noop")
                presses += 1
                continue
        _move_toward(actor, path[0])
        presses += 1
        visits[here] = visits.get(here, 0) + 1
    if actor.done:
        return Outcome(False, "the episode is over")
    where = "in view" if _targets(actor, kind) else "not found"
    return Outcome(
        False, f"{kind} {where}; not done after {_n(presses, 'step')} ({_n(hits, 'hit')})"
    )


def _top_up(actor: Actor, kind: str, gives: dict[str, int], limit: int) -> int:
    """Keep hitting a source that refills a vital (water gives drink one sip at a time)
    while it is within reach and the vital is below its maximum; the presses spent.

    One sip and away left the agent going to sleep with drink at 1: it woke up parched
    in the night and walked out into the zombies."""
    vitals = [item for item in gives if item in VITALS]  # not saplings: every item has a max
    presses = 0
    health = _vitals(actor)["health"]
    while vitals and presses < limit and not actor.done:
        if all(_vitals(actor)[v] >= constants.items[v]["max"] for v in vitals):
            break
        if _hurt_by_monster(actor, health):
            break
        adjacent = [t for t in _adjacent_cells(_here(actor)) if t in _targets(actor, kind)]
        if not adjacent or not _face(actor, adjacent[0]):
            break
        actor.press("do")
        presses += 1
    return presses


def _gain(gives: dict[str, int], achievement: str) -> str:
    if gives:
        return ", ".join(f"+{n} {item}" for item, n in gives.items())
    return achievement or "it"


def _nearest(actor: Actor, cells: set[Pos], blocked: set[Pos]) -> Pos | None:
    """The cell of ``cells`` cheapest to reach."""
    best, _ = _search(actor, blocked)
    reachable = [c for c in cells if c in best]
    return min(reachable, key=lambda c: (best[c], c)) if reachable else None


def stations_within(actor: Actor, radius: int = SEARCH_RADIUS) -> dict[str, int]:
    """Stations seen within ``radius`` steps (as the crow flies), 1 each: what the
    decomposer may count on without placing a new one."""
    here = _here(actor)
    found = {}
    for station in ("table", "furnace"):
        if any(
            abs(p[0] - here[0]) + abs(p[1] - here[1]) <= radius
            for p in actor.seen.positions(station)
        ):
            found[station] = 1
    ripe = [c for c in actor.cells() if c.kind == "plant" and c.ripe]
    if ripe:
        found["ripe_plant"] = 1
    for pos, kind in actor.seen.visible_objects.items():
        if kind in ("zombie", "skeleton") and abs(pos[0] - here[0]) + abs(pos[1] - here[1]) <= 3:
            found[kind] = found.get(kind, 0) + 1
    return found


def _spots_near_all(actor: Actor, stations: list[str], blocked: set[Pos]) -> set[Pos]:
    """Walkable free cells with every station in ``stations`` within one cell."""
    here = _here(actor)
    candidates: set[Pos] | None = None
    for station in stations:
        near: set[Pos] = set()
        for pos in actor.seen.positions(station):
            if abs(pos[0] - here[0]) + abs(pos[1] - here[1]) > SEARCH_RADIUS + 2:
                continue
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    cell = (pos[0] + dx, pos[1] + dy)
                    if cell == here or (
                        actor.seen.material(cell) in WALKABLE and cell not in blocked
                    ):
                        near.add(cell)
        candidates = near if candidates is None else candidates & near
    return candidates or set()


def _walk_to(
    actor: Actor, goals: set[Pos], limit: int, avoid: Collection[Pos] = ()
) -> tuple[bool, int]:
    """Walk (mining if need be) until on one of ``goals``, never through ``avoid``."""
    presses = 0
    while presses < limit and not actor.done:
        blocked = _blocked(actor) | set(avoid)
        if _here(actor) in goals:
            return True, presses
        path = _route(actor, goals, blocked)
        if not path:
            return False, presses
        _move_toward(actor, path[0])
        presses += 1
    return _here(actor) in goals, presses


def can_make(actor: Actor, item: str) -> bool:
    """Materials held, and a spot in reach with every station ``item`` needs beside it."""
    from agentkit_crafter.primitives import make_missing

    if any(not m.startswith("a nearby") for m in make_missing(actor, item)):
        return False
    return bool(_spots_near_all(actor, list(constants.make[item]["nearby"]), _blocked(actor)))


def collectable(actor: Actor) -> list[str]:
    """What ``collect`` can go for now: the tool each needs is held; plants only once seen."""
    have = _vitals(actor)
    kinds = []
    for kind in COLLECTABLE:
        needs = constants.collect.get(kind, {}).get("require", {})
        if any(have.get(k, 0) < v for k, v in needs.items()):
            continue
        if kind == "plant" and not actor.seen.positions("plant"):
            continue
        kinds.append(kind)
    return kinds


def make_near(actor: Actor, item: str | None, limit: int = MAKE_LIMIT) -> Outcome:
    """Walk to where every station ``item`` needs is within reach, then make it."""
    from agentkit_crafter.primitives import make, make_missing

    if item is None or item not in constants.make:
        return Outcome(False, f"cannot make {item}; choose one of {', '.join(constants.make)}")
    stations = list(constants.make[item]["nearby"])
    materials = [m for m in make_missing(actor, item) if not m.startswith("a nearby")]
    spots = _spots_near_all(actor, stations, _blocked(actor))
    far = [] if spots else [f"a nearby {s}" for s in stations]
    if materials or far:
        return Outcome(False, f"need {_join(materials + far)} to make {item}")
    reached, presses = _walk_to(actor, spots, limit)
    if not reached:
        return Outcome(
            False, f"could not reach the {' and '.join(stations)} in {_n(presses, 'step')}"
        )
    outcome = make(actor, item)
    return outcome


def place_near(actor: Actor, item: str | None) -> Outcome:
    """Place ``item``; a station goes next to the other stations in view, so tools that
    need both can be made from one spot."""
    from agentkit_crafter.primitives import place

    if item == "furnace":
        spots = _spots_near_all(actor, ["table"], _blocked(actor))
        if spots:
            _walk_to(actor, spots, 20)
    return place(actor, item)


SHELTER_REACH = 30  # presses worth spending to reach a spot for a shelter
WATER_WALL_BONUS = 10  # presses a shelter with water to drink from is worth


WALL_COST = 8  # presses a wall of placed stone is reckoned to cost (walk round, place)
BUILDABLE = frozenset(constants.place["stone"]["where"]) & WALKABLE  # where a wall can go


@dataclass(frozen=True)
class _Site:
    """A two-cell dead end ``entrance -> outer -> inner``, and the walls to build first."""

    outer: Pos
    inner: Pos
    build: tuple[tuple[Pos, Pos, Pos], ...] = ()  # (wall, stand-by cell, run-up cell)


def _approach(
    actor: Actor, wall: Pos, keep_clear: set[Pos], blocked: set[Pos], reachable: dict[Pos, int]
) -> Pos | None:
    """A cell next to ``wall`` to face it from, reached by a run-up in line (a move into
    an open cell moves the player, so facing one needs arriving toward it)."""
    for n in _adjacent_cells(wall):
        run_up = (2 * n[0] - wall[0], 2 * n[1] - wall[1])
        cells = (n, run_up)
        if any(c in keep_clear or c in blocked for c in cells) or run_up not in reachable:
            continue
        if all(actor.seen.material(c) in WALKABLE for c in cells):
            return n
    return None


def _shelter_sites(actor: Actor, blocked: set[Pos]) -> dict[Pos, _Site]:
    """Entrances ``E`` of a two-cell dead end ``E -> B -> A`` whose walls are solid, or
    open ground the stone held can wall in.

    Standing in ``A``, a move back to ``B`` faces ``E``; a stone placed there closes the
    pocket {A, B}, which no monster can enter. ``B`` and ``A`` may be stone still to mine.
    Maps each reachable ``E`` to its site, best first: near, few walls to build, and with
    water in a wall (water stops monsters too, and can be drunk from inside).
    """
    sites: dict[Pos, _Site] = {}
    scores: dict[Pos, int] = {}
    stones = _vitals(actor).get("stone", 0)
    best, _ = _search(actor, blocked)
    for entrance, cost in best.items():
        if cost > SHELTER_REACH or actor.seen.material(entrance) not in WALKABLE:
            continue
        for d in MOVES.values():
            outer = (entrance[0] + d[0], entrance[1] + d[1])
            inner = (outer[0] + d[0], outer[1] + d[1])
            beyond = (inner[0] + d[0], inner[1] + d[1])
            side = (d[1], d[0])
            walls = [
                beyond,
                *((c[0] + side[0], c[1] + side[1]) for c in (outer, inner)),
                *((c[0] - side[0], c[1] - side[1]) for c in (outer, inner)),
            ]
            cells_ok = all(
                actor.seen.material(c) in WALKABLE or _can_mine(actor, actor.seen.material(c))
                for c in (outer, inner)
            ) and not ({outer, inner} & blocked)
            if not cells_ok:
                continue
            open_walls = [c for c in walls if not _solid(actor.seen.material(c))]
            if len(open_walls) + 1 > stones:  # and one stone for the door
                continue
            keep_clear = {entrance, outer, inner, *walls}
            build = []
            for wall in open_walls:
                stand = None
                if actor.seen.material(wall) in BUILDABLE and wall not in blocked:
                    stand = _approach(actor, wall, keep_clear, blocked, best)
                if stand is None:
                    break
                run_up = (2 * stand[0] - wall[0], 2 * stand[1] - wall[1])
                build.append((wall, stand, run_up))
            if len(build) < len(open_walls):
                continue
            water = sum(actor.seen.material(c) == "water" for c in walls)
            score = cost + WALL_COST * len(build) - WATER_WALL_BONUS * water
            if entrance not in sites or score < scores[entrance]:
                sites[entrance] = _Site(outer, inner, tuple(build))
                scores[entrance] = score
    return {e: sites[e] for e in sorted(sites, key=lambda e: (scores[e], e))}


def _solid(material: str | None) -> bool:
    """A wall a monster cannot cross (and that is not lava, which would be a poor bed)."""
    return material is not None and material not in WALKABLE and material != "lava"


def _build_walls(actor: Actor, site: _Site, entrance: Pos) -> tuple[bool, int]:
    """Place a stone on each open wall of ``site``, each faced after a run-up."""
    presses = 0
    keep_clear = {entrance, site.outer, site.inner, *(wall for wall, _, _ in site.build)}
    for wall, stand, run_up in site.build:
        reached, walked = _walk_to(actor, {run_up}, WALL_COST * 3, avoid=keep_clear)
        presses += walked
        if not reached or _monsters_within(actor, 2):
            return False, presses
        _move_toward(actor, stand)  # into the stand-by cell: now facing the wall
        actor.press("place_stone")
        presses += 2
        if actor.seen.material(wall) != "stone":
            return False, presses
    return True, presses


def shelter(actor: Actor) -> Outcome:
    """Dig or find a two-cell dead end with solid walls, or wall one in with the stone
    held, and close it with a stone."""
    if not _vitals(actor).get("wood_pickaxe", 0):
        return Outcome(False, "a shelter needs a pickaxe (to dig in, and out again)")
    blocked = _blocked(actor)
    sites = _shelter_sites(actor, blocked)
    if not sites:
        return Outcome(False, "no spot for a shelter in reach (needs rock around, or stone)")
    entrance, site = next(iter(sites.items()))
    presses = 0
    if site.build:
        built, presses = _build_walls(actor, site, entrance)
        if not built:
            return Outcome(False, f"could not wall in a shelter ({_n(presses, 'step')})")
    walls = {wall for wall, _, _ in site.build}
    reached, walked = _walk_to(actor, {entrance}, SHELTER_REACH, avoid=walls)
    presses += walked
    here = _here(actor)
    if not reached or here != entrance:
        return Outcome(False, f"could not reach a shelter spot in {_n(presses, 'step')}")
    outer, inner = site.outer, site.inner
    for cell in (outer, inner):  # step in, mining what is in the way
        for _ in range(4):
            if _here(actor) == cell or actor.done:
                break
            _move_toward(actor, cell)
            presses += 1
        if _here(actor) != cell:
            return Outcome(False, "could not dig into the rock for a shelter")
    _move_toward(actor, outer)  # back one cell: now facing the entrance
    presses += 1
    if _here(actor) != outer or _vitals(actor).get("stone", 0) < 1:
        return Outcome(False, "could not turn to close the shelter")
    for _ in range(12):  # a monster in the doorway is fought off first
        if actor.seen.material(here) == "stone" or actor.done:
            break
        actor.press("do" if here in actor.seen.visible_objects else "place_stone")
        presses += 1
    if actor.seen.material(here) != "stone":
        return Outcome(False, "could not close the shelter")
    walls_built = f", {_n(len(site.build), 'wall')} of stone built" if site.build else ""
    return Outcome(True, f"walled in, safe from monsters ({_n(presses, 'step')}{walls_built})")


def enclosed(actor: Actor) -> bool:
    """No walkable cell leads out of the two or so cells around the player."""
    here = _here(actor)
    seen = {here}
    frontier = [here]
    while frontier:
        pos = frontier.pop()
        for cell in _adjacent_cells(pos):
            if cell in seen or actor.seen.material(cell) not in WALKABLE:
                continue
            seen.add(cell)
            if len(seen) > 3:
                return False
            frontier.append(cell)
    return True


def _monsters_within(actor: Actor, distance: int) -> list[str]:
    here = _here(actor)
    return [
        kind
        for pos, kind in actor.seen.visible_objects.items()
        if kind in ("zombie", "skeleton")
        and abs(pos[0] - here[0]) + abs(pos[1] - here[1]) <= distance
    ]


NIGHT = 0.35  # daylight below this is night (the text view says "It is night")
DAWN = 0.85  # a sheltered agent waits for this much light: night's zombies linger at dawn
HEALED = 8  # a sheltered agent waits until health is back to this
WAIT_LIMIT = 200  # presses spent waiting in a shelter for the day or for health


def is_night(actor: Actor) -> bool:
    world = getattr(actor, "world", None)
    return world is not None and float(world.daylight) < NIGHT


def can_rest(actor: Actor) -> bool:
    """Sleeping is possible (energy below full), or it is night and a shelter would help."""
    from agentkit_crafter.primitives import can_sleep

    return can_sleep(actor) or is_night(actor) or _vitals(actor)["health"] < HEALED


PROVISION_REACH = 30  # presses worth walking to drink or eat before a rest
WELL_STOCKED = 8  # drink or food at this or above lasts a night's rest


def _reach(actor: Actor, kind: str) -> int | None:
    """Presses to a spot next to a seen ``kind``, if within ``PROVISION_REACH``."""
    blocked = _blocked(actor)
    spots = _standing_spots(actor, _targets(actor, kind), blocked)
    best, _ = _search(actor, blocked, PROVISION_REACH)
    return min((best[s] for s in spots if s in best and best[s] <= PROVISION_REACH), default=None)


def provision(actor: Actor) -> list[str]:
    """Drink and eat up before a rest, from sources within reach; what was done.

    A night in a shelter lasts 100-150 steps, in which drink falls about 4 and food 3
    (half as fast asleep). Walled in with drink at 3, the agent woke parched in the dark
    and died walking out into the zombies (four of five protocol episodes at 77eb375).
    Only by day: at night the walk to water met the zombies, and the agent died on its
    way to a shelter it would have reached without the detour. A shelter already closed,
    and the night, are left only for a vital at 0, which no waiting survives.
    """
    notes = []
    for source, vital in SOURCES.items():
        have = _vitals(actor)[vital]
        if have >= WELL_STOCKED or (have > 0 and (enclosed(actor) or is_night(actor))):
            continue
        if _monsters_within(actor, 4) or _reach(actor, source) is None:
            continue
        outcome = collect(actor, source, limit=PROVISION_REACH + 12)
        notes.append(f"{vital} {have} first: {outcome.feedback}")
    return notes


def rest(actor: Actor, sleep: Callable[[Actor], Outcome]) -> Outcome:
    """Sleep when tired, and sit out the night; both in a closed shelter when one can be
    made (monsters hit sleepers hard, and most zombies come out in the dark), after
    drinking and eating up where water or a cow is near."""
    top = constants.items["energy"]["max"]
    tired = _vitals(actor)["energy"] < top or actor.player.sleeping
    hurt = _vitals(actor)["health"] < HEALED
    if not tired and not is_night(actor) and not hurt:
        return Outcome(False, f"energy is full ({top}/{top}), health is fine and it is day")
    notes = [] if actor.player.sleeping else provision(actor)
    if not enclosed(actor):
        built = shelter(actor)
        notes.append(built.feedback if built.ok else f"no shelter: {built.feedback}")
        danger = _monsters_within(actor, 6)
        # Never asleep in the open by night: zombies hit a sleeper for 7, not 2, and there
        # are up to 3.5 per chunk in the dark against 0.5 by day (crafter/objects.py,
        # crafter/env.py); one woke at health 0 six steps after lying down.
        if not built.ok and (danger or not tired or is_night(actor)):
            if danger:
                reason = f"a {danger[0]} is near"
            elif is_night(actor):
                reason = "zombies come to sleepers in the open at night; sleep by day"
            else:
                reason = "there is nowhere safe to wait"
            return Outcome(False, f"{'; '.join(notes)}; {reason}")
    ok = True
    if tired:
        outcome = sleep(actor)
        notes.append(outcome.feedback)
        ok = outcome.ok
    waited = 0
    health = _vitals(actor)["health"]

    def worth_waiting() -> bool:
        world = getattr(actor, "world", None)
        dark = world is not None and float(world.daylight) < DAWN
        return dark or _vitals(actor)["health"] < HEALED

    # Waiting asleep wherever energy allows: asleep, health comes back twice as fast and
    # drink and food fall half as fast (crafter/objects.py); awake, a wait of 160 steps for
    # dawn and health used up 8 drink and 6 food, and the agent came out to die of both.
    # It stays until drink or food is 0: leaving at 1, in the dark, met the zombies.
    while ok and worth_waiting() and enclosed(actor) and waited < WAIT_LIMIT:
        vitals = _vitals(actor)
        if actor.done or vitals["health"] < health or min(vitals["food"], vitals["drink"]) < 1:
            break  # hurt, or starving: better to go out and eat or drink
        water = [c for c in _adjacent_cells(_here(actor)) if actor.seen.material(c) == "water"]
        awake = not actor.player.sleeping
        thirsty = vitals["drink"] < constants.items["drink"]["max"]
        if awake and thirsty and water and _face(actor, water[0]):
            actor.press("do")  # drink from the shelter's wall
            waited += 1
            continue
        actor.press("sleep" if vitals["energy"] < top or not awake else "noop")
        waited += 1
    if waited:
        notes.append(f"waited {_n(waited, 'step')} (health {_vitals(actor)['health']})")
    if not notes:  # sheltered already, not tired, and too hungry or thirsty to wait
        vitals = _vitals(actor)
        return Outcome(
            False, f"cannot rest now: food {vitals['food']}, drink {vitals['drink']}; eat or drink"
        )
    return Outcome(ok, "; ".join(notes))
