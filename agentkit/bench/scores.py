"""Crafter's official score and BALROG's progression, computed from unlocked achievements.

Crafter (Hafner, 2021): s_i is the percentage of episodes in which achievement i was
unlocked at least once; the score is ``exp(mean_i ln(1 + s_i)) - 1`` over all 22
achievements, a geometric mean that rewards unlocking rare achievements over repeating easy
ones. BALROG (Paglieri et al., 2024): progression of an episode is the share of the 22
achievements unlocked, in percent, reported as mean and standard error over episodes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

__all__ = [
    "ACHIEVEMENTS",
    "crafter_score",
    "mean_sem",
    "mean_std",
    "progression",
    "success_rates",
]

# Crafter 1.8.3's achievements (crafter/data.yaml), spelled out so the core needs no Crafter.
ACHIEVEMENTS: tuple[str, ...] = (
    "collect_coal",
    "collect_diamond",
    "collect_drink",
    "collect_iron",
    "collect_sapling",
    "collect_stone",
    "collect_wood",
    "defeat_skeleton",
    "defeat_zombie",
    "eat_cow",
    "eat_plant",
    "make_iron_pickaxe",
    "make_iron_sword",
    "make_stone_pickaxe",
    "make_stone_sword",
    "make_wood_pickaxe",
    "make_wood_sword",
    "place_furnace",
    "place_plant",
    "place_stone",
    "place_table",
    "wake_up",
)


def success_rates(episodes: Sequence[Iterable[str]]) -> dict[str, float]:
    """Percent of ``episodes`` (each the achievements it unlocked) that unlocked each one."""
    unlocked = [set(e) for e in episodes]
    if not unlocked:
        return dict.fromkeys(ACHIEVEMENTS, 0.0)
    return {name: 100.0 * sum(name in e for e in unlocked) / len(unlocked) for name in ACHIEVEMENTS}


def crafter_score(rates: dict[str, float]) -> float:
    """``exp(mean(ln(1 + s_i))) - 1`` over the 22 achievements, ``s_i`` in percent."""
    logs = [math.log(1.0 + rates.get(name, 0.0)) for name in ACHIEVEMENTS]
    return math.exp(sum(logs) / len(logs)) - 1.0


def progression(achievements: Iterable[str]) -> float:
    """BALROG progression of one episode: percent of the 22 achievements unlocked."""
    return 100.0 * len(set(achievements) & set(ACHIEVEMENTS)) / len(ACHIEVEMENTS)


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for fewer than two values)."""
    if not values:
        return 0.0, 0.0
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var)


def mean_sem(values: Sequence[float]) -> tuple[float, float]:
    """Mean and standard error of the mean (sample std / sqrt(n))."""
    mean, std = mean_std(values)
    return mean, std / math.sqrt(len(values)) if values else 0.0
