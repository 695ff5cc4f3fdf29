"""Direct reuse (agentkit.nodes.reuse): when the task's own skill runs without a model call."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from agentkit.memory import Skill
from agentkit.nodes.reuse import reusable_skill


def skill(successes: int = 1, failures: int = 0, verified: bool = True) -> Skill:
    verdict = {"success": True if verified else None, "source": "environment"}
    return Skill(
        name="collect_wood",
        description="collect wood",
        code="def collect_wood():\n    return True\n",
        verdicts=[verdict],
        successes=successes,
        failures=failures,
    )


def runtime(stored: Skill | None, direct_reuse: bool = True) -> SimpleNamespace:
    library = SimpleNamespace(get=lambda name: stored if stored and name == stored.name else None)
    return SimpleNamespace(direct_reuse=direct_reuse, skills=library)


def state(**extra: object) -> dict:
    return {"task": "collect wood", "skills": [{"name": "collect_wood"}], **extra}


def test_the_tasks_own_verified_skill_runs_without_a_model_call():
    decision = reusable_skill(runtime(skill()), state())
    assert decision is not None
    assert (decision.kind, decision.name, decision.key) == (
        "skill",
        "collect_wood",
        "skill:collect_wood",
    )
    assert decision.reason.startswith("a verified skill for this task") and not decision.prompt


@pytest.mark.parametrize(
    ("stored", "extra", "direct_reuse"),
    [
        pytest.param(skill(), {}, False, id="reuse off"),
        pytest.param(None, {}, True, id="not in the library"),
        pytest.param(skill(verified=False), {}, True, id="never verified"),
        pytest.param(skill(successes=1, failures=1), {}, True, id="fails as often as not"),
        pytest.param(skill(), {"skills": []}, True, id="not recalled"),
        pytest.param(skill(), {"task": "place table"}, True, id="another task's skill"),
        pytest.param(
            skill(),
            {"task_actions": [["skill:collect_wood", None, False]]},
            True,
            id="already tried in this attempt",
        ),
        pytest.param(skill(), {"blocked": ["skill:collect_wood"]}, True, id="blocked"),
    ],
)
def test_no_direct_reuse(stored, extra, direct_reuse):
    assert reusable_skill(runtime(stored, direct_reuse), state(**extra)) is None


def test_no_library_no_reuse():
    assert reusable_skill(SimpleNamespace(direct_reuse=True, skills=None), state()) is None
