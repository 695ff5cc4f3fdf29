"""How rules and options read to the model: short lines, the same every time.

The rules come first in the prompt and never change within a run, so a local model
evaluates them once and reuses its cached prefix for every later decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agentkit.knowledge.decompose import Option
from agentkit.knowledge.rules import Knowledge, Rule

__all__ = ["describe_holdings", "describe_options", "describe_rules", "rule_line"]


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {item}" if n != 1 else item for item, n in counts.items())


def rule_line(rule: Rule) -> str:
    """``make stone_pickaxe: spend 1 wood, 1 stone; near table -> stone_pickaxe``."""
    parts = []
    if rule.requires:
        parts.append(f"hold {_counts(rule.requires)}")
    if rule.consumes:
        parts.append(f"spend {_counts(rule.consumes)}")
    if rule.near:
        parts.append(f"near {' and '.join(rule.near)}")
    result = f" -> {_counts(rule.gives)}" if rule.gives else ""
    needs = "; ".join(parts) or "no needs"
    note = f" ({rule.note})" if rule.note else ""
    return f"- {rule.name}: {needs}{result}{note}"


def describe_rules(knowledge: Knowledge) -> str:
    lines = [rule_line(rule) for rule in knowledge.rules]
    lines += [f"- {fact}" for fact in knowledge.facts]
    return "\n".join(lines)


def describe_holdings(knowledge: Knowledge, holdings: Mapping[str, int]) -> str:
    """Vitals as ``n/max``, then the other things held (stations and creatures left out)."""
    vitals = {need.stat: need.maximum for need in knowledge.needs}
    shown = []
    for stat, maximum in vitals.items():
        shown.append(f"{stat} {int(holdings.get(stat, 0))}/{maximum}")
    skip = set(vitals) | set(knowledge.stations) | {t.kind for t in knowledge.threats}
    items = [f"{n} {k}" for k, n in holdings.items() if n > 0 and k not in skip]
    if "health" in holdings and "health" not in vitals:
        shown.insert(0, f"health {int(holdings['health'])}")
        items = [i for i in items if not i.endswith(" health")]
    return f"{', '.join(shown)}; holding: {', '.join(items) or 'nothing'}"


def describe_options(options: Sequence[Option]) -> str:
    lines = []
    for option in options:
        why = ", ".join(option.serves[:2]) + ("..." if len(option.serves) > 2 else "")
        lines.append(f"- {option.label}: for {why}" if why else f"- {option.label}")
    return "\n".join(lines)
