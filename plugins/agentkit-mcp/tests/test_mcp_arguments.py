"""Mapping agentkit's one free-text input to an MCP tool's arguments (no server needed)."""

from __future__ import annotations

import pytest
from agentkit_mcp.tools import arguments_from_input

TWO_INTS = {
    "type": "object",
    "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
    "required": ["a", "b"],
}
ONE_STRING = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
ONE_INT = {"type": "object", "properties": {"n": {"type": "integer"}}}


def test_a_single_string_parameter_takes_the_text_as_is():
    assert arguments_from_input("hello, world", ONE_STRING, "s.echo") == {"text": "hello, world"}
    assert arguments_from_input('{"text": "hi"}', ONE_STRING, "s.echo") == {"text": "hi"}
    assert arguments_from_input('{"other": 1}', ONE_STRING, "s.echo") == {"text": '{"other": 1}'}
    assert arguments_from_input("", ONE_STRING, "s.echo") == {"text": ""}


def test_other_tools_take_a_json_object():
    assert arguments_from_input('{"a": 2, "b": 3}', TWO_INTS, "s.add") == {"a": 2, "b": 3}
    assert arguments_from_input("7", ONE_INT, "s.inc") == {"n": 7}
    assert arguments_from_input("", ONE_INT, "s.inc") == {}
    assert arguments_from_input("anything", {"type": "object"}, "s.ping") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("two and three", 's.add takes a JSON object {"a": integer, "b": integer}'),
        ("[2, 3]", "takes a JSON object"),
        ('{"a": 2}', "missing b"),
        ('{"a": 2, "b": 3, "c": 4}', "unknown c"),
        ("", "missing a, b"),
    ],
)
def test_input_that_does_not_fit_is_refused_with_the_expected_shape(text, message):
    with pytest.raises(ValueError, match=r"s\.add takes") as caught:
        arguments_from_input(text, TWO_INTS, "s.add")
    assert message in str(caught.value)
