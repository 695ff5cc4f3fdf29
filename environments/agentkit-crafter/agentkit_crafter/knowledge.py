"""Crafter's rules as :class:`agentkit.knowledge.Knowledge`.

Collect, place and make come from the game's own ``data.yaml`` (``crafter.constants``):
what each needs held, spends, needs nearby and yields. Eating, fighting, sleeping and the
vitals are rules of the game's code (``crafter/objects.py``), stated here once, each with
where it comes from. Nothing here says which achievement to pursue or in which order.
"""

from __future__ import annotations

import functools

from agentkit.knowledge import Knowledge, Need, Rule, Threat
from crafter import constants

__all__ = ["DRINK", "SLEEP", "crafter_knowledge"]

DRINK = "drink water"
SLEEP = "sleep"
_COLLECT_NAMES = {"water": DRINK, "grass": "collect sapling"}
_COLLECT_NOTES = {
    "tree": "wood comes from trees: face a tree and hit it",
    "grass": "hitting grass gives a sapling one time in ten",
    "water": "drinking from water restores drink",
    "coal": "coal is found in the stone of mountains",
    "iron": "iron is found in mountain tunnels",
    "diamond": "diamonds are rare, deep in the mountains",
}


def _collect_rules() -> list[Rule]:
    rules = []
    for material, info in constants.collect.items():
        ((item, amount),) = info["receive"].items()
        rules.append(
            Rule(
                name=_COLLECT_NAMES.get(material, f"collect {item}"),
                action="collect",
                argument=material,
                gives={item: int(amount)},
                requires={k: int(v) for k, v in info["require"].items()},
                achievement=f"collect_{item}",
                note=_COLLECT_NOTES.get(material, ""),
            )
        )
    return rules


def _place_rules() -> list[Rule]:
    rules = []
    for name, info in constants.place.items():
        what = "sapling" if name == "plant" else name
        rules.append(
            Rule(
                name=f"place {what}",
                action="place",
                argument=name,
                consumes={k: int(v) for k, v in info["uses"].items()},
                gives={name: 1} if name in ("table", "furnace", "plant") else {},
                achievement=f"place_{name}",
                note=f"place {what} on {' or '.join(info['where'])}",
            )
        )
    return rules


def _make_rules() -> list[Rule]:
    return [
        Rule(
            name=f"make {name}",
            action="make",
            argument=name,
            consumes={k: int(v) for k, v in info["uses"].items()},
            near=list(info["nearby"]),
            gives={name: int(info["gives"])},
            achievement=f"make_{name}",
        )
        for name, info in constants.make.items()
    ]


# Rules of crafter/objects.py (Player._do_object, Player.update, Plant, Zombie, Skeleton).
_GAME_RULES = [
    Rule(
        name="eat cow",
        action="collect",
        argument="cow",
        gives={"food": 6},
        achievement="eat_cow",
        note="hitting a cow until it dies gives 6 food",
    ),
    Rule(
        name="eat plant",
        action="collect",
        argument="plant",
        near=["ripe_plant"],
        gives={"food": 4},
        achievement="eat_plant",
        note="a placed sapling ripens after a few hundred steps; cows and monsters next "
        "to it destroy it",
    ),
    Rule(
        name="defeat zombie",
        action="collect",
        argument="zombie",
        achievement="defeat_zombie",
        note="zombies walk on grass, more at night; they hit harder while you sleep",
    ),
    Rule(
        name="defeat skeleton",
        action="collect",
        argument="skeleton",
        achievement="defeat_skeleton",
        note="skeletons live in dark mountain tunnels and shoot arrows",
    ),
    Rule(
        name=SLEEP,
        action="sleep",
        gives={"energy": 1},
        achievement="wake_up",
        note="sleep when energy is low; you wake up rested, or when hurt",
    ),
]

_FACTS = [
    "health falls when food, drink or energy is 0 and recovers while all are above 0",
    "swords make hits stronger; a stone or iron pickaxe mines what a wood one cannot",
    "making a tool needs the table (and for iron the furnace too) right next to you",
    "walking into lava kills you",
    "at night many zombies appear on grass; sleeping walled in by rock is safe",
]


@functools.cache
def crafter_knowledge() -> Knowledge:
    """Crafter's rules, vitals and achievements (easiest first, as in ``TECH_TREE``)."""
    from agentkit_crafter.achievements import TECH_TREE

    vitals = constants.items
    return Knowledge(
        rules=[*_collect_rules(), *_place_rules(), *_make_rules(), *_GAME_RULES],
        stations=["table", "furnace", "plant", "ripe_plant"],
        needs=[
            Need(stat="drink", maximum=vitals["drink"]["max"], low=6, restored_by=[DRINK]),
            Need(
                stat="food",
                maximum=vitals["food"]["max"],
                low=6,
                restored_by=["eat cow", "eat plant"],
            ),
            Need(stat="energy", maximum=vitals["energy"]["max"], low=5, restored_by=[SLEEP]),
            Need(
                stat="health",
                maximum=vitals["health"]["max"],
                low=4,
                restored_by=[SLEEP],
                note="health comes back while resting in a shelter",
            ),
        ],
        threats=[
            Threat(kind="zombie", answered_by=["defeat zombie"], note="zombies hit for 2"),
            Threat(kind="skeleton", answered_by=["defeat skeleton"], note="arrows hit for 2"),
            Threat(kind="night", answered_by=[SLEEP], note="zombies spawn in the dark"),
        ],
        goals=list(TECH_TREE),
        facts=_FACTS,
    )
