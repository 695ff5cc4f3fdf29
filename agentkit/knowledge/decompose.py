"""GITM's decomposer, from rules as data: the chain of steps from what you hold to a goal.

``chain`` answers "what must I do, in order, to hold a stone pickaxe, starting from this
inventory?" by backward chaining over :class:`~agentkit.knowledge.rules.Rule` records.
``options`` is what the controller chooses from: for every open goal (and every vital
running low), the first step of its chain, which is always doable now. The model orders
the work; it no longer has to invent how anything is obtained.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from agentkit.knowledge.rules import Knowledge, Rule

__all__ = ["Option", "Step", "Unreachable", "chain", "chain_for_rule", "options"]

MAX_STEPS = 200  # no world this is used for needs longer chains; a guard against loops


class Unreachable(ValueError):
    """No chain of rules leads to the goal (nothing gives an item, or a cycle)."""


@dataclass(frozen=True)
class Step:
    """Do ``rule`` ``times`` times in a row."""

    rule: Rule
    times: int = 1

    @property
    def label(self) -> str:
        return self.rule.name if self.times == 1 else f"{self.rule.name} x{self.times}"


@dataclass
class Option:
    """A step the agent can take now, and the goals (or vitals) it moves towards."""

    rule: Rule
    serves: list[str] = field(default_factory=list)
    distance: int = 1
    """Steps left to the nearest goal it serves, this one included."""

    @property
    def label(self) -> str:
        return self.rule.name


class _Planner:
    def __init__(self, knowledge: Knowledge, holdings: Mapping[str, int]):
        self.knowledge = knowledge
        self.have: dict[str, int] = {k: int(v) for k, v in holdings.items()}
        self.done: list[Rule] = []

    def copy(self) -> _Planner:
        other = _Planner(self.knowledge, self.have)
        other.done = list(self.done)
        return other

    def need(self, item: str, count: int, stack: frozenset[str]) -> None:
        while self.have.get(item, 0) < count:
            if item in stack:
                raise Unreachable(f"{item} needs itself ({' <- '.join(sorted(stack))})")
            self.obtain(item, stack | {item})

    def obtain(self, item: str, stack: frozenset[str]) -> None:
        givers = self.knowledge.givers(item)
        if not givers:
            raise Unreachable(f"no rule gives {item}")
        best: _Planner | None = None
        problems = []
        for rule in givers:
            trial = self.copy()
            try:
                trial.do(rule, stack)
            except Unreachable as error:
                problems.append(str(error))
                continue
            if best is None or len(trial.done) < len(best.done):
                best = trial
        if best is None:
            raise Unreachable(f"cannot get {item}: {'; '.join(problems)}")
        self.have, self.done = best.have, best.done

    def do(self, rule: Rule, stack: frozenset[str]) -> None:
        if len(self.done) > MAX_STEPS:
            raise Unreachable(f"more than {MAX_STEPS} steps")
        # Tools and stations first (they spend materials), then materials, the harder
        # ones first; repeat, because getting one may have spent another.
        for _ in range(8):
            for tool, n in rule.requires.items():
                self.need(tool, n, stack)
            for station in rule.near:
                self.need(station, 1, stack)
            for material, n in sorted(rule.consumes.items(), key=self._effort, reverse=True):
                self.need(material, n, stack)
            if self._ready(rule):
                break
        else:
            raise Unreachable(f"could not gather what {rule.name} needs all at once")
        for material, n in rule.consumes.items():
            self.have[material] = self.have.get(material, 0) - n
        for item, n in rule.gives.items():
            self.have[item] = self.have.get(item, 0) + n
        self.done.append(rule)

    def _ready(self, rule: Rule) -> bool:
        needs = [*rule.requires.items(), *((s, 1) for s in rule.near), *rule.consumes.items()]
        return all(self.have.get(item, 0) >= n for item, n in needs)

    def _effort(self, entry: tuple[str, int]) -> int:
        givers = self.knowledge.givers(entry[0])
        return min((len(r.requires) + len(r.near) for r in givers), default=0)


def _merge(rules: Iterable[Rule]) -> list[Step]:
    steps: list[Step] = []
    for rule in rules:
        if steps and steps[-1].rule.name == rule.name:
            steps[-1] = Step(rule, steps[-1].times + 1)
        else:
            steps.append(Step(rule))
    return steps


def chain(
    knowledge: Knowledge, item: str, holdings: Mapping[str, int], count: int = 1
) -> list[Step]:
    """The steps, in order, from ``holdings`` to holding ``count`` of ``item``.

    Empty when it is held already; raises :class:`Unreachable` when no rules lead there.
    """
    planner = _Planner(knowledge, holdings)
    planner.need(item, count, frozenset())
    return _merge(planner.done)


def chain_for_rule(knowledge: Knowledge, rule: Rule, holdings: Mapping[str, int]) -> list[Step]:
    """The steps from ``holdings`` to doing ``rule`` once (it is the last step)."""
    planner = _Planner(knowledge, holdings)
    planner.do(rule, frozenset())
    return _merge(planner.done)


def options(
    knowledge: Knowledge,
    holdings: Mapping[str, int],
    goals: Iterable[str],
    failed: Collection[str] = (),
) -> list[Option]:
    """What can be done now towards ``goals`` (achievement names) and low vitals.

    One option per distinct first step, with every goal it serves; goals no chain reaches
    are left out. While a threat is near or a vital is empty (and can be restored now) only
    the answers to threats and to low vitals are offered; otherwise low vitals first, then
    the steps that serve the most goals (ties in the order of ``goals``): a hint, the
    controller chooses. An empty vital leads even a threat; other low vitals follow the
    threats. Answers labelled in ``failed`` (tried since the last progress, in vain) hold
    no goal back: when every answer has failed, the goals' steps follow them.
    """
    found: dict[str, Option] = {}

    def offer(rule: Rule, serves: str) -> None:
        try:
            steps = chain_for_rule(knowledge, rule, holdings)
        except Unreachable:
            return
        distance = sum(step.times for step in steps)
        first = steps[0].rule
        option = found.setdefault(first.name, Option(first, [], distance))
        option.serves.append(serves)
        option.distance = min(option.distance, distance)

    # The lowest vital (as a share of its maximum) first: health at 1 before drink at 5.
    low = [
        need
        for need in sorted(
            knowledge.needs, key=lambda n: holdings.get(n.stat, n.maximum) / n.maximum
        )
        if int(holdings.get(need.stat, need.maximum)) <= need.low
    ]

    def offer_needs(empty: bool) -> None:
        for need in low:
            have = int(holdings.get(need.stat, need.maximum))
            if (have <= 0) == empty:
                for name in need.restored_by:
                    offer(knowledge.rule(name), f"{need.stat} {have}/{need.maximum}")

    # An empty vital costs health on every tick from now on, whatever else is near: it
    # leads. (The 1.5B model took the first option, a zombie or the night, with drink at
    # 0 step after step, and died of thirst in every seed of a protocol run.)
    offer_needs(empty=True)
    # Goals wait while a vital is empty: with them on offer the 1.5B model kept choosing a
    # goal and died of thirst in four of five protocol episodes (docs/benchmarks.md).
    emptied = bool(found)
    threatened = False
    for threat in knowledge.threats:
        if int(holdings.get(threat.kind, 0)) > 0:
            threatened = True
            for name in threat.answered_by:
                offer(
                    knowledge.rule(name),
                    f"{threat.kind} ({threat.note})" if threat.note else threat.kind,
                )
    offer_needs(empty=False)
    urgent = len(found)
    # Staying alive comes before any goal, while something can be done for it. Waiting
    # while the answer cannot be given wasted the time: at night with no shelter in reach,
    # sleep was refused and the agent stood in the open for 117 of 150 decisions (Crafter
    # seed 19 at d2a85bd). Offered the goals instead, seed 0 went on to collect stone and
    # walled itself in for the night (b565a8f).
    if (threatened or emptied) and any(o.label not in failed for o in found.values()):
        return list(found.values())
    for goal in goals:
        rule = knowledge.for_goal(goal)
        if rule is not None:
            offer(rule, goal)
    ranked = list(found.values())
    # After what is urgent, the steps that open the way to the most goals come first.
    return ranked[:urgent] + sorted(ranked[urgent:], key=lambda o: -len(o.serves))
