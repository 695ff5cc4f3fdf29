"""The rules of a world as data: what each thing needs, what gives it, what keeps you alive.

An environment that knows its own rules (Crafter's ``data.yaml``, Minecraft's recipes and
block drops) returns them as a :class:`Knowledge` from ``Environment.knowledge()``. The
agent then plans from the rules (GITM's decomposer with text knowledge) instead of asking
a small model to invent how wood or a pickaxe is obtained; the model chooses among what the
rules say is possible now.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["Knowledge", "Need", "Rule", "Threat"]


class Rule(BaseModel):
    """Doing ``action(argument)`` with ``requires`` held and ``near`` stations in reach
    spends ``consumes`` and yields ``gives``.

    ``gives`` may name a station (``table``): it then stands in the world, not in the
    inventory. ``achievement`` is the world's name for what doing it counts as, if any.
    """

    name: str = Field(description="How the agent and the model name it: 'collect wood'.")
    action: str = Field(description="The environment action that carries it out.")
    argument: str | None = None
    gives: dict[str, int] = Field(default_factory=dict)
    consumes: dict[str, int] = Field(default_factory=dict)
    requires: dict[str, int] = Field(default_factory=dict)
    near: list[str] = Field(default_factory=list)
    achievement: str | None = None
    note: str = Field(default="", description="One line of the rule for the model to read.")


class Need(BaseModel):
    """A vital the agent must keep up: below ``low`` of ``maximum``, ``restored_by`` helps."""

    stat: str
    maximum: int
    low: int
    restored_by: list[str] = Field(description="Names of the rules that restore it.")
    note: str = ""


class Threat(BaseModel):
    """Something that hurts the agent when near; ``holdings`` counts those near by ``kind``
    and ``answered_by`` names the rules that deal with it."""

    kind: str
    answered_by: list[str]
    note: str = ""


class Knowledge(BaseModel):
    """Everything an environment tells the agent about its rules."""

    rules: list[Rule]
    stations: list[str] = Field(
        default_factory=list, description="Things placed in the world and used from nearby."
    )
    needs: list[Need] = Field(default_factory=list)
    threats: list[Threat] = Field(default_factory=list)
    goals: list[str] = Field(
        default_factory=list,
        description="The world's own goals (achievements), easiest first; each is the "
        "achievement of some rule and can be checked with Environment.check.",
    )
    facts: list[str] = Field(
        default_factory=list, description="Other rules of the world, one line each."
    )

    def rule(self, name: str) -> Rule:
        """The rule called ``name``."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(f"no rule named {name!r}")

    def givers(self, item: str) -> list[Rule]:
        """The rules that yield ``item``, in the order the world listed them."""
        return [rule for rule in self.rules if rule.gives.get(item, 0) > 0]

    def for_goal(self, goal: str) -> Rule | None:
        """The rule whose achievement is ``goal``."""
        return next((rule for rule in self.rules if rule.achievement == goal), None)

    def items(self) -> set[str]:
        """Every thing a rule gives, spends, needs held or needs nearby."""
        names: set[str] = set(self.stations)
        for rule in self.rules:
            names |= set(rule.gives) | set(rule.consumes) | set(rule.requires) | set(rule.near)
        return names
