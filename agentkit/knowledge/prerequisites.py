"""What a learned skill's steps need before them, and which learned skill gets each thing.

A skill written from the steps that completed a task replays them. An attempt that began
with wood in hand never collected any, so its replay fails wherever wood is not held:
iron tools were made in the lifelong bench from what earlier attempts had left, and their
skills held only those last steps. Voyager's skills call the skills that get what they
need; here the world's rules say what each step needs and the library says which learned
skill gets it, so the skill carries its prerequisites.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agentkit.knowledge.rules import Knowledge, Rule

__all__ = ["Prerequisite", "prerequisites"]


@dataclass(frozen=True)
class Prerequisite:
    """Before a step, hold ``count`` of ``item``; the learned skill ``skill`` gets it."""

    item: str
    count: int
    skill: str


def _needs(rule: Rule) -> dict[str, int]:
    """What ``rule`` needs at hand: tools held, stations near, materials it spends."""
    needed: dict[str, int] = {}
    for item, count in [*rule.requires.items(), *((s, 1) for s in rule.near)]:
        needed[item] = max(needed.get(item, 0), int(count))
    for item, count in rule.consumes.items():
        needed[item] = needed.get(item, 0) + int(count)
    return needed


def prerequisites(
    knowledge: Knowledge,
    steps: Sequence[Rule | None],
    skill_for: Callable[[str], str | None],
) -> list[list[Prerequisite]]:
    """For each of ``steps`` (the rules a skill replays, in order; None where no rule
    covers a step), what it needs that no step before it gave, each with the learned skill
    that gets it (``skill_for(item)``; a need no skill gets is left to the replay).

    The replay starts from nothing held. The needs of a step come tools and stations
    first, then the materials whose rules need the most (a stone is got with a pickaxe
    that spends wood, so stone before wood), the decomposer's order.
    """

    def effort(item: str) -> int:
        givers = knowledge.givers(item)
        return min((len(r.requires) + len(r.near) for r in givers), default=0)

    have: dict[str, int] = {}
    found: list[list[Prerequisite]] = []
    for rule in steps:
        before: list[Prerequisite] = []
        if rule is not None:
            needed = _needs(rule)
            tools = [i for i in needed if i in rule.requires or i in rule.near]
            materials = sorted((i for i in needed if i not in tools), key=effort, reverse=True)
            for item in [*tools, *materials]:
                if have.get(item, 0) >= needed[item]:
                    continue
                skill = skill_for(item)
                if skill is not None:
                    before.append(Prerequisite(item, needed[item], skill))
                have[item] = needed[item]  # got by the skill, or assumed held as before
            for item, count in rule.consumes.items():
                have[item] = have.get(item, 0) - int(count)
            for item, count in rule.gives.items():
                have[item] = have.get(item, 0) + int(count)
        found.append(before)
    return found
