"""The controller validates, repairs, falls back, and counts."""

import json

import pytest

from agentkit import ActionSpec, Controller, ControllerError
from agentkit.testing import ScriptedChatModel

SPECS = [
    ActionSpec(name="noop", description="wait"),
    ActionSpec(name="goto", description="walk", argument="target", choices=["tree", "water"]),
]


def act(model: ScriptedChatModel, **kwargs):
    return Controller(model, **kwargs).act(task="t", subgoal="s", percept="p", specs=SPECS)


def test_valid_action_is_returned_and_counted():
    model = ScriptedChatModel(
        replies=[json.dumps({"action": "goto", "argument": "tree", "reason": "r"})]
    )
    action, stats, fell_back = act(model)
    assert (action.action, action.argument, fell_back) == ("goto", "tree", False)
    assert stats.calls == 1 and stats.repairs == 0
    assert stats.prompt_tokens > 20 and stats.completion_tokens == 6  # words in the reply


def test_invalid_output_gets_a_repair_prompt_with_the_error():
    model = ScriptedChatModel(
        replies=[
            "not json at all",
            json.dumps({"action": "goto", "argument": "lava", "reason": ""}),
            json.dumps({"action": "noop", "argument": None, "reason": ""}),
        ]
    )
    action, stats, fell_back = act(model)
    assert action.action == "noop" and not fell_back
    assert stats.calls == 3 and stats.repairs == 2
    second_prompt = model.prompts[1][-1].content
    assert "invalid" in second_prompt and "json" in second_prompt.lower()
    third_prompt = model.prompts[2][-1].content
    assert "goto needs target in ['tree', 'water']" in third_prompt


def test_fallback_after_bounded_retries_is_recorded():
    model = ScriptedChatModel(replies=["{}", "{}", "{}"])
    action, stats, fell_back = act(model, max_repairs=2)
    assert fell_back and action.action == "noop" and action.reason == "fallback"
    assert stats.calls == 3 and stats.fallbacks == 1


def test_argument_dropped_for_actions_without_one():
    model = ScriptedChatModel(
        replies=[json.dumps({"action": "noop", "argument": "tree", "reason": ""})]
    )
    action, _, _ = act(model)
    assert action.argument is None


def test_json_inside_prose_is_extracted():
    model = ScriptedChatModel(replies=['Sure! {"subgoals": ["find a tree"]} hope that helps'])
    plan, _, fell_back = Controller(model).plan("collect wood", "grass")
    assert plan.subgoals == ["find a tree"] and not fell_back


def test_constrained_models_receive_the_schema():
    class Constrained(ScriptedChatModel):
        supports_json_schema = True

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            seen.append(kwargs.get("json_schema"))
            return super()._generate(messages, stop, run_manager, **kwargs)

    seen: list = []
    model = Constrained(replies=[json.dumps({"action": "noop", "argument": None, "reason": ""})])
    act(model)
    assert [b["properties"]["action"]["const"] for b in seen[0]["anyOf"]] == ["noop", "goto"]
    assert seen[0]["anyOf"][1]["properties"]["argument"]["enum"] == ["tree", "water"]


def test_model_errors_are_reported_not_swallowed():
    model = ScriptedChatModel(replies=[])
    with pytest.raises(ControllerError, match="script exhausted"):
        act(model)
