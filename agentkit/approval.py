"""A person approves, edits or rejects a program or a tool call before it runs.

With approval on (``RunConfig.approve``, ``agentkit run --approve``; or ``approve: true``
in a served run's ``configurable``), the execute node pauses the graph with LangGraph's
``interrupt()`` before a program or a tool call, showing what would run. The run resumes
with ``Command(resume=verdict)``, where the verdict is ``{"action": "approve"}``,
``{"action": "edit", "code": ..., "argument": ...}`` or
``{"action": "reject", "reason": ...}``. A rejected call does not run: the step records it
as failed with the reason, and the model decides again.

Once asked for, approval stays on for the thread (the ``approve`` key of its state, written
by the decide node before execute pauses): a resume whose config leaves ``approve`` out,
as a server's next run on the thread does, still reviews every call, so a verdict can never
be skipped by the way it was sent.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from agentkit.steps import Decision

__all__ = ["REVIEWED_KINDS", "Verdict", "review", "wants_approval"]

REVIEWED_KINDS = ("program", "tool")
"""What a person reviews: code the model wrote, and calls that reach outside the world."""


class Verdict(BaseModel):
    """A person's answer to an approval request."""

    action: Literal["approve", "edit", "reject"]
    code: str | None = None
    argument: str | None = None
    reason: str = ""


def wants_approval(runtime_approve: bool) -> bool:
    """Approval is on for this run: the runtime says so, or the run's ``configurable``."""
    if runtime_approve:
        return True
    try:
        from langgraph.config import get_config

        return bool(get_config().get("configurable", {}).get("approve"))
    except RuntimeError:  # a node called outside a graph
        return False


def request(decision: Decision) -> dict[str, Any]:
    """What the person is shown: what would run, and why the model chose it."""
    return {
        "kind": decision.kind,
        "name": decision.name,
        "argument": decision.argument,
        "code": decision.code if decision.kind == "program" else None,
        "reason": decision.reason,
    }


def review(decision: Decision) -> tuple[Decision, str | None]:
    """Pause for a verdict; return the decision to run and, if rejected, the feedback.

    Called again when the run resumes, ``interrupt()`` then returns the verdict given.
    """
    from langgraph.types import interrupt

    answer = interrupt(request(decision))
    try:
        verdict = Verdict.model_validate(
            answer if isinstance(answer, dict) else {"action": str(answer)}
        )
    except ValidationError as error:
        return decision, f"the approval answer was not understood, so nothing ran: {error}"
    if verdict.action == "reject":
        reason = verdict.reason or "no reason given"
        return decision, f"rejected by the person reviewing it: {reason}"
    if verdict.action == "edit":
        update: dict[str, Any] = {}
        if verdict.code is not None:
            update["code"] = verdict.code
        if verdict.argument is not None:
            update["argument"] = verdict.argument
        decision = decision.model_copy(update=update)
    return decision, None
