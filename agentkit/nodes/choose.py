"""Knowledge mode of the decide node: choose among the steps the world's rules allow now.

The decomposer (``agentkit.knowledge``) lists, for every open goal and every vital or
threat that needs answering, the first step of its chain; recalled skills and tools join
them, and a learned skill that does a step and the ones after it is offered in that
step's place. The controller picks one; the environment carries it out with its own
primitives.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agentkit.controller import Decided
from agentkit.knowledge import Knowledge, Option, Step, Unreachable, chain_for_rule, options
from agentkit.knowledge.text import describe_holdings, describe_options, describe_rules
from agentkit.programs import function_name
from agentkit.runtime import AgentRuntime
from agentkit.schemas import Choice
from agentkit.state import AgentState
from agentkit.steps import Decision, as_kind, parse_label, skill_label

__all__ = ["choose_step", "idle_key", "knowledge_brief", "knowledge_of", "open_goals"]


def knowledge_of(runtime: AgentRuntime) -> Knowledge | None:
    """The world's rules when knowledge mode is on and the world has them."""
    if not runtime.use_knowledge:
        return None
    cached = getattr(runtime, "_knowledge", None)
    if cached is None:
        cached = runtime.env.knowledge()
        runtime._knowledge = cached  # type: ignore[attr-defined]
    return cached


def open_goals(runtime: AgentRuntime, knowledge: Knowledge, task: str) -> list[str]:
    """The goals ``task`` names (all of the world's goals if it names none), not yet met."""
    goals = runtime.env.goals_in(task) or list(knowledge.goals)
    return [goal for goal in goals if not runtime.env.check(goal)]


class _Chains:
    """The rules' steps from ``holdings`` to each goal asked for, worked out once per
    decision: the task's goals, the skills looked up and the skills offered ask for the
    same goals again."""

    def __init__(self, knowledge: Knowledge, holdings: dict[str, int]) -> None:
        self.knowledge = knowledge
        self.holdings = holdings
        self._found: dict[str, list[Step] | None] = {}

    def to(self, goal: str) -> list[Step] | None:
        """The steps to ``goal``; None if no rule reaches it."""
        if goal not in self._found:
            rule = self.knowledge.for_goal(goal)
            try:
                chain = chain_for_rule(self.knowledge, rule, self.holdings) if rule else None
            except Unreachable:
                chain = None
            self._found[goal] = chain
        return self._found[goal]

    def length(self, goal: str) -> int | None:
        """How many of the rules' steps reach ``goal``; None if none do."""
        chain = self.to(goal)
        return None if chain is None else _length(chain)

    def of(self, goals: list[str]) -> Iterator[list[Step]]:
        """The chain to each of ``goals`` that one reaches."""
        for goal in goals:
            chain = self.to(goal)
            if chain is not None:
                yield chain


def _length(chain: list[Step]) -> int:
    """How many steps ``chain`` takes (a step done three times counts three)."""
    return sum(step.times for step in chain)


def knowledge_brief(
    runtime: AgentRuntime, state: AgentState, knowledge: Knowledge
) -> tuple[str, str]:
    """Code mode's view of the rules: all of them, then the steps they give from what is
    held now towards the task's first open goal, each as the call that does it; and the
    first of those calls."""
    holdings = runtime.env.holdings()
    steps: list[str] = []
    calls: list[str] = []
    goals = open_goals(runtime, knowledge, state.get("task", ""))
    for chain in _Chains(knowledge, holdings).of(goals):
        for step in chain:
            argument = f'"{step.rule.argument}"' if step.rule.argument is not None else ""
            times = f" ({step.times} times)" if step.times > 1 else ""
            steps.append(f"- {step.rule.name}: {step.rule.action}({argument}){times}")
            calls.append(f"{step.rule.action}({argument})")
        break
    plan = "\n".join(steps) or "- none found"
    text = (
        f"Rules of the world:\n{describe_rules(knowledge)}\n"
        f"Steps the rules give from what you hold now:\n{plan}"
    )
    return text, calls[0] if calls else ""


def _without_far_threats(
    knowledge: Knowledge, goals: list[str], holdings: dict[str, int]
) -> list[str]:
    """``goals`` less those to defeat a threat that is not near. Given every goal at once,
    the 1.5B model went looking for monsters by day: in 20 Crafter protocol episodes, 9
    searches of 80 presses that ended with no zombie in view and skeleton hunts of up to
    78, while the pickaxe its night shelter needs was not made. A threat that comes near
    is still answered (``options`` offers its answer first)."""
    far = {threat.kind for threat in knowledge.threats if int(holdings.get(threat.kind, 0)) <= 0}
    return [
        goal for goal in goals if getattr(knowledge.for_goal(goal), "argument", None) not in far
    ]


def _feasible(runtime: AgentRuntime, found: list[Option]) -> list[Option]:
    """Options whose action the world offers now with that argument (its action mask)."""
    specs = {spec.name: spec for spec in runtime.env.actions()}
    kept = []
    for option in found:
        spec = specs.get(option.rule.action)
        if spec is None:
            continue
        if option.rule.argument is not None and spec.choices is not None:
            if option.rule.argument not in spec.choices:
                continue
        kept.append(option)
    return kept


def idle_key(choice: str, env_steps: int) -> str:
    """How ``blocked`` marks a choice that failed without a key press at world step
    ``env_steps``: it cannot succeed again until the world moves on."""
    return f"{choice}@{env_steps}"


def _kind(runtime: AgentRuntime, action: str) -> str:
    """The kind of the world's action ``action`` (``raw`` or ``primitive``)."""
    spec = next((spec for spec in runtime.env.actions() if spec.name == action), None)
    return as_kind(spec.kind if spec is not None else None)


def _wait(runtime: AgentRuntime, reason: str, *, fallback: bool = True) -> dict[str, Any]:
    """The environment's fallback action (a no-op that lets time pass), chosen by no model."""
    name = getattr(runtime.env, "fallback_action", "noop")
    decision = Decision(kind=as_kind(_kind(runtime, name)), name=name, reason=reason,
                        fallback=fallback)  # fmt: skip
    return decision.fields()


def _goals_on_the_way(chains: _Chains, task_goals: list[str]) -> set[str]:
    """The world's goals met on the way to the task's open goals: every achievement of
    each chain the rules give from what is held now (the first steps included)."""
    goals: set[str] = set()
    for chain in chains.of(task_goals):
        goals.update(step.rule.achievement for step in chain if step.rule.achievement)
    return goals


MAX_SKILLS_ON_THE_WAY = 3


def _skills_on_the_way(
    runtime: AgentRuntime,
    chains: _Chains,
    on_the_way: set[str],
    recalled: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Learned skills named for goals on the way to the task, looked up by name (GITM keeps
    what worked per sub-goal): recall by the task's words misses them (for "make iron
    pickaxe" it found ``make_stone_sword``, not ``place_table``). Verified and more often
    successful than not, those furthest from what is held first (a skill that carries its
    prerequisites does the most in one step); the caller offers at most
    :data:`MAX_SKILLS_ON_THE_WAY` of them."""
    if runtime.skills is None:
        return []
    have = {str(s["name"]) for s in recalled}
    found: list[tuple[int, dict[str, Any]]] = []
    for goal in sorted(on_the_way):
        rule = chains.knowledge.for_goal(goal)
        name = function_name(rule.name) if rule is not None else ""
        skill = runtime.skills.get(name) if name and name not in have else None
        if skill is None or not skill.verified or skill.failures >= skill.successes:
            continue
        entry = {"name": skill.name, "version": skill.version, "description": skill.description}
        found.append((chains.length(goal) or 0, entry))
    found.sort(key=lambda item: -item[0])
    return [entry for _, entry in found]


def _relevant_skills(
    runtime: AgentRuntime,
    chains: _Chains,
    skills: list[dict[str, Any]],
    task: str,
    blocked: set[str],
    on_the_way: set[str],
) -> list[dict[str, Any]]:
    """Recalled skills worth offering beside the rules' steps: not failed since the last
    progress, and, when a skill's name names goals of the world, one of them is a goal
    the task names or one met on the way to it (``on_the_way``), and, unless it is the
    task's own, one of them is more than one of the rules' steps away. Offered for
    anything, a small model picked an unrelated skill that had once succeeded again and
    again (``place_plant`` for "eat plant", ``make_stone_sword`` for "collect diamond"). A
    skill for a goal several steps down the chain (``place_table`` while the step offered
    is ``collect wood``) does in one agent step what the rules' steps do in several; a
    skill for a goal one step away does that one step, which the rules offer now or will
    when it is due: offered beside them it cost a model call, and a 1.5B model spent
    three of an attempt's six steps on a ``collect_wood`` skill while the step due was
    ``place table``."""
    named = set(runtime.env.goals_in(task))
    relevant = []
    for skill in skills:
        if skill_label(str(skill["name"])) in blocked:
            continue
        names = set(runtime.env.goals_in(str(skill["name"]).replace("_", " ")))
        if names and not names & (named | on_the_way):
            continue
        if names and not names & named:
            # stops at the first goal more than one step away (each costs a chain walk)
            if not any((chains.length(goal) or 0) > 1 for goal in names):
                continue
        relevant.append(skill)
    return relevant


def _skill_chain(runtime: AgentRuntime, chains: _Chains, name: str) -> list[Step] | None:
    """The rules' steps from what is held to the first goal the skill ``name`` names that
    they reach ([] if none does); None if its name names no goal of the world."""
    named = runtime.env.goals_in(name.replace("_", " "))
    if not named:
        return None
    return next(chains.of(named), [])


def _describe_skill(skill: dict[str, Any], chain: list[Step] | None, goals: list[str]) -> str:
    """A skill's line among the options. One named for a goal of the world says the goals
    it serves, as the rules' steps do, and, when the rules take several steps to that goal
    from what is held (``chain``), that it does them in one."""
    name = str(skill["name"])
    what = f"a learned skill: {str(skill['description'])[:80]}"
    count = _length(chain or [])
    if chain and count > 1:
        done = ", ".join(step.label for step in chain)
        what = f"a learned skill that does {count} steps in one ({done})"
    why = ", ".join(goals[:2]) + ("..." if len(goals) > 2 else "")
    if chain is not None and why:
        return f"- {skill_label(name)}: for {why}: {what}"
    return f"- {skill_label(name)}: {what}"


def _skill_in_place(
    option: Option, skills: list[dict[str, Any]], chains: dict[str, list[Step] | None]
) -> dict[str, Any] | None:
    """The learned skill offered instead of ``option``: of those whose chain of the rules'
    steps starts with it and goes on, the one that goes furthest. Offered beside the step
    it starts with, a skill was passed over: described by its task's words, it was chosen
    3 times in 39 offers in the five-seed lifelong bench; described with the goals it
    serves and the steps it does in one, 0 times in 5 at the top of the list (a 1.5B
    model took "collect wood: for make_iron_pickaxe" each time, step by step, until the
    attempt's six steps ran out). In its place, the step comes back if the skill fails
    (a failed option is not offered again until progress)."""
    best: tuple[int, dict[str, Any]] | None = None
    for skill in skills:
        chain = chains.get(str(skill["name"]))
        if _starts_with(chain, option) and (best is None or _length(chain or []) > best[0]):
            best = (_length(chain or []), skill)
    return best[1] if best else None


def _starts_with(chain: list[Step] | None, option: Option) -> bool:
    """Whether ``chain`` starts with ``option``'s step and goes on after it."""
    if not chain:
        return False
    return chain[0].rule.name == option.rule.name and _length(chain) > 1


def choose_step(runtime: AgentRuntime, state: AgentState, knowledge: Knowledge) -> dict[str, Any]:
    """The decide node's update in knowledge mode."""
    task = state.get("task", "")
    holdings = runtime.env.holdings()
    goals = open_goals(runtime, knowledge, task)
    if not runtime.env.goals_in(task):  # an open-ended task: wait for monsters to come
        goals = _without_far_threats(knowledge, goals, holdings)
    blocked = set(state.get("blocked", []))
    found = _feasible(runtime, options(knowledge, holdings, goals, failed=blocked))
    kept = [option for option in found if option.label not in blocked]
    if not kept:  # all failed since the last progress: retry those that may work now
        now = state.get("env_steps", 0)
        kept = [option for option in found if idle_key(option.label, now) not in blocked]
        if found and not kept:
            # Every step failed without moving the world (a shelter refused with a zombie
            # near, 685 times in a row in one benchmark episode): let the world move on.
            reason = "every option failed and the world has not moved"
            return {"action": _wait(runtime, reason, fallback=False)}  # a rule's choice
    recalled = list(state.get("skills") or [])
    # the chains again (options() walked them too) only when there may be skills to place
    learned = bool(recalled) or runtime.skills is not None
    chains = _Chains(knowledge, holdings)
    on_the_way = _goals_on_the_way(chains, goals) if learned else set()
    extra = _skills_on_the_way(runtime, chains, on_the_way, recalled)
    skills = _relevant_skills(runtime, chains, recalled + extra, task, blocked, on_the_way)
    if extra:
        looked_up = {str(s["name"]) for s in extra}
        skills = [s for s in skills if str(s["name"]) not in looked_up] + [
            s for s in skills if str(s["name"]) in looked_up
        ][:MAX_SKILLS_ON_THE_WAY]
    skill_chains = {str(s["name"]): _skill_chain(runtime, chains, str(s["name"])) for s in skills}
    labels: list[str] = []
    described: list[str] = []
    for option in kept:
        instead = _skill_in_place(option, skills, skill_chains)
        if instead is None:
            labels.append(option.label)
            described.append(describe_options([option]))
            continue
        labels.append(skill_label(str(instead["name"])))
        described.append(_describe_skill(instead, skill_chains[str(instead["name"])], goals))
        # the others that start with this step wait: offered in its place if it fails
        skills = [s for s in skills if not _starts_with(skill_chains[str(s["name"])], option)]
    for s in skills:
        labels.append(skill_label(str(s["name"])))
        described.append(_describe_skill(s, skill_chains[str(s["name"])], goals))
    if not labels:
        return {"action": _wait(runtime, "no options")}
    lines = "\n".join(described)
    decided: Decided[Choice] | None = None
    if len(labels) == 1:  # nothing to choose: no model call
        choice, fell_back = Choice(option=labels[0], reason="the only option"), False
    else:
        decided = runtime.controller.choose(
            task=task,
            rules=describe_rules(knowledge),
            status=describe_holdings(knowledge, holdings),
            percept=state.get("percept", ""),
            options=labels,
            descriptions=lines,
            history=state.get("history", []),
            reason_first=runtime.reason_first,
        )
        choice, fell_back = decided.value, decided.fell_back
    kind, name = parse_label(choice.option)
    if kind == "skill":
        chosen = Decision(kind="skill", name=name)
    else:
        rule = next(o.rule for o in kept if o.label == choice.option)
        chosen = Decision(
            kind=as_kind(_kind(runtime, rule.action)),
            name=rule.action,
            argument=rule.argument,
            label=rule.name,
        )
    chosen = chosen.model_copy(
        update={
            "reason": choice.reason,
            "fallback": fell_back,
            "options": labels,
            # a step with one option asked no model: no prompt or reply
            "prompt": decided.prompt if decided else "",
            "reply": decided.reply if decided else "",
        }
    )
    update: dict[str, Any] = {"action": chosen.fields()}
    if decided is not None and decided.stats:
        update["llm"] = {"decide": decided.stats.as_dict()}
    return update
