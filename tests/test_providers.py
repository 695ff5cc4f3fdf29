"""The provider path: native structured output through the controller, without a server.

The model is LangChain's real ``ChatOpenAI``; only its HTTP transport is a test double
(``httpx.MockTransport``), so what is asserted is the request a provider would receive and
what the controller makes of the reply. The same path against a real OpenAI-compatible
server is tests/test_providers_server.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
import pytest
from langchain_openai import ChatOpenAI
from llama_cpp.llama_grammar import json_schema_to_gbnf
from typer.testing import CliRunner

from agentkit import ActionSpec, Controller, RunConfig, load_plugins, start_run
from agentkit.schemas import action_schema
from agentkit.structured import choose_method, object_schema
from agentkit.testing import ScriptedChatModel

SPECS = [
    ActionSpec(name="noop", description="wait"),
    ActionSpec(name="goto", description="walk", argument="target", choices=["tree", "water"]),
    ActionSpec(name="say", description="talk", argument="text"),
]
USAGE = {"prompt_tokens": 123, "completion_tokens": 7, "total_tokens": 130}

Reply = dict[str, Any] | str  # a JSON object to return, or plain text with no tool call


class CutOff(str):
    """Text the fake server returns with ``finish_reason: length`` (the token limit)."""


class FakeServer:
    """TEST DOUBLE: an OpenAI chat-completions endpoint answering from a script."""

    def __init__(self, *replies: Reply, default: Callable[[str], Reply] | None = None):
        self.replies = list(replies)
        self.default = default
        self.bodies: list[dict[str, Any]] = []

    def model(self) -> ChatOpenAI:
        client = httpx.Client(transport=httpx.MockTransport(self.handle))
        return ChatOpenAI(
            model="fake", api_key="dummy", base_url="http://fake/v1", http_client=client
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/chat/completions", request.url.path
        body = json.loads(request.content)
        self.bodies.append(body)
        name = _requested_name(body)
        if self.replies:
            reply = self.replies.pop(0)
        else:
            assert self.default is not None, "unexpected extra request"
            reply = self.default(name)
        message: dict[str, Any] = {"role": "assistant", "content": None}
        if isinstance(reply, str):
            message["content"] = reply
        elif body.get("tools"):
            call = {"name": name, "arguments": json.dumps(reply)}
            message["tool_calls"] = [{"id": "call_1", "type": "function", "function": call}]
        else:
            message["content"] = json.dumps(reply)
        finish = "length" if isinstance(reply, CutOff) else "stop"
        choice = {"index": 0, "message": message, "finish_reason": finish}
        return httpx.Response(
            200,
            json={
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "fake",
                "choices": [choice],
                "usage": USAGE,
            },
        )


def _requested_name(body: dict[str, Any]) -> str:
    if body.get("tools"):
        return str(body["tools"][0]["function"]["name"])
    fmt = body.get("response_format") or {}
    return str(fmt.get("json_schema", {}).get("name", ""))


def test_action_branches_merge_into_one_object_that_llama_cpp_can_constrain():
    flat = object_schema(action_schema(SPECS), "Action", "The next action.")
    assert flat["type"] == "object" and flat["title"] == "Action"
    assert flat["required"] == ["action", "argument", "reason"]
    assert flat["additionalProperties"] is False
    props = flat["properties"]
    assert props["action"] == {"type": "string", "enum": ["noop", "goto", "say"]}
    # 'say' takes free text, so the merged argument is any string or null
    assert props["argument"] == {"anyOf": [{"type": "string", "maxLength": 200}, {"type": "null"}]}
    without_text = object_schema(action_schema(SPECS[:2]), "Action")
    assert without_text["properties"]["argument"] == {
        "anyOf": [{"type": "string", "enum": ["tree", "water"]}, {"type": "null"}]
    }
    # llama.cpp's server builds its tool grammar with this converter; a schema it cannot
    # read falls back to "any JSON" silently, so check the enums reach the grammar.
    grammar = json_schema_to_gbnf(json.dumps(without_text))
    assert '"\\"goto\\""' in grammar and '"\\"water\\""' in grammar


def test_method_choice_by_model():
    class Grammar(ScriptedChatModel):
        supports_json_schema: ClassVar[bool] = True

    openai = FakeServer().model()
    assert choose_method(openai) == "function_calling"
    assert choose_method(openai, "json_mode") == "json_mode"
    assert choose_method(openai, "prompt") == "prompt"
    assert choose_method(ScriptedChatModel()) == "prompt"  # no tool calling: the old path
    assert choose_method(Grammar(), "function_calling") == "grammar"
    with pytest.raises(ValueError, match="needs a provider chat model with tool calling"):
        choose_method(ScriptedChatModel(), "json_schema")
    with pytest.raises(ValueError, match="choose one of"):
        choose_method(openai, "xml")


@pytest.mark.parametrize("method", ["function_calling", "json_schema", "json_mode"])
def test_each_method_sends_its_native_request(method):
    server = FakeServer({"action": "goto", "argument": "tree", "reason": "wood"})
    controller = Controller(server.model(), structured_output=method)
    decided = controller.act(task="t", subgoal="s", percept="p", specs=SPECS)
    action, stats, fell_back = decided

    assert (action.action, action.argument, fell_back) == ("goto", "tree", False)
    assert stats.calls == stats.structured_calls == 1
    assert (stats.prompt_tokens, stats.completion_tokens) == (123, 7)  # the server's usage
    assert json.loads(decided.reply)["action"] == "goto"
    body = server.bodies[0]
    prompt = body["messages"][-1]["content"]
    if method == "function_calling":
        assert body["tool_choice"] == {"type": "function", "function": {"name": "Action"}}
        parameters = body["tools"][0]["function"]["parameters"]
        assert parameters["properties"]["action"]["enum"] == ["noop", "goto", "say"]
        assert "matching this schema" not in prompt
    elif method == "json_schema":
        assert body["response_format"]["type"] == "json_schema"
        assert body["response_format"]["json_schema"]["name"] == "Action"
        assert "tools" not in body and "matching this schema" not in prompt
    else:  # json_mode: any JSON object, so the schema must be in the prompt
        assert body["response_format"] == {"type": "json_object"}
        assert "matching this schema" in prompt


def test_mismatched_tool_call_is_repaired_in_plain_messages():
    server = FakeServer(
        {"action": "goto", "argument": None, "reason": "?"},  # goto needs a target
        {"action": "goto", "argument": "water", "reason": "drink"},
    )
    controller = Controller(server.model())
    action, stats, fell_back = controller.act(task="t", subgoal="s", percept="p", specs=SPECS)

    assert (action.argument, fell_back, stats.repairs, stats.structured_calls) == (
        "water",
        False,
        1,
        2,
    )
    assistant, repair = server.bodies[1]["messages"][-2:]
    # An assistant turn with tool_calls would need a tool message after it (OpenAI refuses
    # otherwise): the repair shows the reply as JSON text instead.
    assert assistant["role"] == "assistant" and "tool_calls" not in assistant
    assert json.loads(assistant["content"])["action"] == "goto"
    assert repair["role"] == "user" and "invalid" in repair["content"]


def test_reply_without_a_tool_call_goes_through_repair_and_is_not_counted_structured():
    server = FakeServer(
        "I would go to the tree.", {"action": "noop", "argument": None, "reason": "wait"}
    )
    action, stats, fell_back = Controller(server.model()).act(
        task="t", subgoal="s", percept="p", specs=SPECS
    )
    assert (action.action, fell_back) == ("noop", False)
    assert (stats.calls, stats.structured_calls, stats.repairs) == (2, 1, 1)


def test_a_reply_cut_off_at_the_token_limit_is_repaired_not_a_model_failure():
    # json_mode parses through the openai client, which raises LengthFinishReasonError
    server = FakeServer(
        CutOff('{"action": "goto", "argument": "tr'),
        {"action": "goto", "argument": "tree", "reason": "wood"},
    )
    controller = Controller(server.model(), structured_output="json_mode")
    action, stats, fell_back = controller.act(task="t", subgoal="s", percept="p", specs=SPECS)
    assert (action.argument, fell_back, stats.repairs, stats.calls) == ("tree", False, 1, 2)
    assert stats.prompt_tokens == 2 * 123  # the cut-off call's usage is counted too
    assert server.bodies[1]["messages"][-2]["content"] == '{"action": "goto", "argument": "tr'


def _cartpole_reply(name: str) -> Reply:
    return {
        "Plan": {"subgoals": ["balance the pole"]},
        "Action": {"action": "push_left", "argument": None, "reason": "lean"},
        "Critique": {"success": True, "reasoning": "ok", "critique": ""},
    }[name]


@pytest.mark.parametrize("method", ["auto", "prompt"])
def test_a_run_records_how_replies_came(tmp_path, monkeypatch, method):
    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "")
    server = FakeServer(default=lambda name: _cartpole_reply(name or "Action"))
    if method == "prompt":  # the old path: free text, schema in the prompt
        server.default = lambda _: json.dumps({"action": "push_left", "reason": "lean"})
        server.replies = [json.dumps({"subgoals": ["balance"]})]
    config = RunConfig(
        env="gymnasium:CartPole-v1", task="balance", max_steps=3, structured_output=method
    )
    result = start_run(config, home=tmp_path, registry=load_plugins(), model=server.model())

    totals = result.summary["llm_totals"]
    assert totals["calls"] >= 4 and totals["fallbacks"] == 0
    assert totals["prompt_tokens"] == 123 * totals["calls"]
    if method == "auto":
        assert totals["structured_calls"] == totals["calls"]
        assert all(body["tool_choice"]["type"] == "function" for body in server.bodies)
    else:
        assert totals["structured_calls"] == 0
        assert not any("tools" in body for body in server.bodies)


def test_a_method_the_model_lacks_fails_before_a_run_folder_exists(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "")
    config = RunConfig(env="gymnasium:CartPole-v1", structured_output="function_calling")
    with pytest.raises(ValueError, match="tool calling"):
        start_run(config, home=tmp_path, registry=load_plugins(), model=ScriptedChatModel())
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_cli_refuses_an_unknown_method(tmp_path):
    from agentkit import cli

    done = CliRunner().invoke(
        cli.app, ["run", "crafter", "--structured-output", "xml", "--home", str(tmp_path)]
    )
    assert done.exit_code == 2
    words = " ".join(done.output.replace("│", " ").split())
    assert "'xml': choose one of auto, function_calling, json_schema, json_mode, prompt" in words
