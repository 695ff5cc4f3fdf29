"""Direct reuse: a verified skill learned for this very task runs without asking the model.

Voyager's second pass is cheap because a task the library already solved needs little new
thought. Here a recalled skill whose name is the task's own (``collect wood`` ->
``collect_wood``), verified by the critic and more often successful than not, is tried
once per attempt before any decision is asked for. If it fails, the failure is counted
against the skill, its label is blocked like any failed choice, and the model decides as
usual. What runs is only what the agent learned and verified itself.
"""

from __future__ import annotations

from typing import Any

from agentkit.programs import function_name
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState
from agentkit.steps import Decision, parse_label, skill_label

__all__ = ["reusable_skill"]


def reusable_skill(runtime: AgentRuntime, state: AgentState) -> Decision | None:
    """The decision to run the task's own verified skill, or None when there is none to run
    (reuse off, not recalled, already tried in this attempt, unverified, failing)."""
    if not runtime.direct_reuse or runtime.skills is None:
        return None
    name = function_name(state.get("task", ""))
    if name not in {str(s["name"]) for s in state.get("skills") or []}:
        return None
    label = skill_label(name)
    tried = any(parse_label(str(a[0])) == ("skill", name) for a in state.get("task_actions") or [])
    if tried or label in set(state.get("blocked", [])):
        return None
    skill: Any = runtime.skills.get(name)
    if skill is None or not skill.verified or skill.failures >= skill.successes:
        return None
    counts = f"{skill.successes} successes, {skill.failures} failures"
    reason = f"a verified skill for this task ({counts})"
    return Decision(kind="skill", name=name, reason=reason)
