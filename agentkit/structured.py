"""How to ask a provider's chat model for a structured reply.

Models that constrain decoding themselves (``supports_json_schema``, the llama.cpp plugin)
take the schema as a call option. Provider models (OpenAI, Ollama, vLLM, llama.cpp's server,
...) get LangChain's native structured output, ``with_structured_output``, so the server
constrains or at least validates the reply instead of the prompt only describing it:

- ``function_calling``: the schema is a tool the model is forced to call (the most portable:
  llama.cpp's server builds a grammar from it, vLLM and Ollama support it, hosted APIs too);
- ``json_schema``: an OpenAI ``response_format`` of type ``json_schema`` (vLLM, Ollama,
  OpenAI; llama-cpp-python's server refuses it);
- ``json_mode``: any JSON object, so the prompt still carries the schema;
- ``prompt``: no native support asked; the schema goes in the prompt (the old behaviour).

The reply is returned as JSON text with the raw message (for token usage); validation and
repair stay with :class:`agentkit.controller.Controller`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage

__all__ = [
    "METHODS",
    "NATIVE_METHODS",
    "StructuredReply",
    "ask",
    "choose_method",
    "object_schema",
    "schema_in_request",
]

METHODS = ("auto", "function_calling", "json_schema", "json_mode", "prompt")
"""What a user may ask for; ``auto`` picks ``function_calling`` where the model has tools."""

NATIVE_METHODS = ("function_calling", "json_schema", "json_mode")
GRAMMAR = "grammar"
"""The method of models that take ``json_schema=`` themselves (never chosen by the user)."""


def supports_tools(model: BaseChatModel) -> bool:
    """Whether the model's class implements tool calling (LangChain's base class does not)."""
    return type(model).bind_tools is not BaseChatModel.bind_tools


def choose_method(model: BaseChatModel, requested: str = "auto") -> str:
    """The method used for ``model``: ``grammar``, a native method, or ``prompt``.

    A model with its own constrained decoding keeps it whatever was asked: it is stronger
    than any of the provider methods. ``auto`` asks for tool calling where the model has it,
    else falls back to the prompt (test doubles, plain chat models). A native method asked
    of a model without tool calling is an error now rather than at the first decision.
    """
    if requested not in METHODS:
        raise ValueError(f"structured output {requested!r}: choose one of {', '.join(METHODS)}")
    if getattr(model, "supports_json_schema", False):
        return GRAMMAR
    if requested == "auto":
        return "function_calling" if supports_tools(model) else "prompt"
    if requested in NATIVE_METHODS and not supports_tools(model):
        raise ValueError(
            f"structured output {requested!r} needs a provider chat model with tool calling; "
            f"{type(model).__name__} has none (use 'prompt')"
        )
    return requested


def schema_in_request(method: str) -> bool:
    """Whether the request itself carries the schema (so the prompt needs only an example)."""
    return method in (GRAMMAR, "function_calling", "json_schema")


def object_schema(schema: dict[str, Any], name: str, description: str = "") -> dict[str, Any]:
    """``schema`` as one top-level object with a title, as tools and response formats need.

    The action schema is an ``anyOf`` with one object branch per action; a tool's parameters
    must be a single object, so the branches are merged property by property: ``action``
    becomes an enum of every name, ``argument`` the union of every choice (or any text) or
    null. The merge admits mismatched pairs, which the controller's check rejects and repairs.
    """
    branches = schema.get("anyOf") or schema.get("oneOf")
    flat = dict(schema) if not branches else _merge_objects(branches)
    flat["title"] = name
    if description and "description" not in flat:
        flat["description"] = description
    return flat


def _merge_objects(branches: Sequence[dict[str, Any]]) -> dict[str, Any]:
    alternatives: dict[str, list[dict[str, Any]]] = {}
    for branch in branches:
        for key, value in branch.get("properties", {}).items():
            alternatives.setdefault(key, []).append(value)
    required = [
        key for key in alternatives if all(key in b.get("required", ()) for b in branches)
    ]
    merged: dict[str, Any] = {
        "type": "object",
        "properties": {key: _merge_values(values) for key, values in alternatives.items()},
        "required": required,
    }
    if all(b.get("additionalProperties") is False for b in branches):
        merged["additionalProperties"] = False
    return merged


def _merge_values(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One schema admitting each of ``values`` (string constants and enums become one enum)."""
    literals: list[Any] = []
    free_string: dict[str, Any] | None = None
    others: list[dict[str, Any]] = []
    for value in values:
        if "const" in value:
            choices = [value["const"]]
        elif "enum" in value:
            choices = list(value["enum"])
        elif value.get("type") == "string":
            free_string = free_string or dict(value)
            continue
        else:
            if value not in others:
                others.append(value)
            continue
        literals += [c for c in choices if c not in literals]
    strings = [c for c in literals if isinstance(c, str)]
    options: list[dict[str, Any]] = []
    if free_string is not None:
        options.append(free_string)
    elif strings:
        options.append({"type": "string", "enum": strings})
    for option in [
        {"type": "null"} if c is None else {"const": c} for c in literals if not isinstance(c, str)
    ] + others:
        if option not in options:
            options.append(option)
    # llama.cpp's grammar converter reads a type list before an enum, so null stays an
    # alternative of its own rather than {"type": ["string", "null"], "enum": [...]}.
    return options[0] if len(options) == 1 else {"anyOf": options}


@dataclass
class StructuredReply:
    """One native structured-output call: the raw message, the reply as JSON text."""

    message: AIMessage
    """The provider's message as sent: its usage metadata is what the call cost."""
    text: str
    """The parsed reply dumped as JSON, else the raw tool arguments or text, for repair."""
    parsed: bool
    """Whether LangChain parsed the reply from the structured channel (tool call, format)."""
    error: str = ""


def ask(
    model: BaseChatModel,
    messages: list[BaseMessage],
    schema: dict[str, Any],
    method: str,
    *,
    name: str,
    description: str = "",
) -> StructuredReply:
    """Ask ``model`` for a reply matching ``schema`` through ``with_structured_output``."""
    runnable = model.with_structured_output(
        object_schema(schema, name, description), method=method, include_raw=True
    )
    try:
        result: Any = runnable.invoke(messages)
    except Exception as error:
        cut = _cut_off(error)
        if cut is None:
            raise
        return cut
    raw = result["raw"]
    if not isinstance(raw, AIMessage):
        raw = AIMessage(content=str(getattr(raw, "content", raw)))
    parsed = result.get("parsed")
    if parsed is not None:
        data = parsed.model_dump() if hasattr(parsed, "model_dump") else parsed
        return StructuredReply(raw, json.dumps(data), True)
    return StructuredReply(raw, _raw_text(raw), False, str(result.get("parsing_error") or ""))


CUT_OFF_CHARS = 1000
"""How much of a reply cut off at the token limit goes back in the repair prompt."""


def _cut_off(error: Exception) -> StructuredReply | None:
    """A reply the openai client refused to parse because it hit the token limit.

    ``openai``'s ``LengthFinishReasonError`` (raised where a response format is parsed) is
    an invalid reply, not a failed model: it goes to the repair loop, with its usage.
    """
    completion = getattr(error, "completion", None)
    if type(error).__name__ != "LengthFinishReasonError" or completion is None:
        return None
    usage = getattr(completion, "usage", None)
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    output = int(getattr(usage, "completion_tokens", 0) or 0)
    choices = getattr(completion, "choices", None) or []
    text = str(getattr(choices[0].message, "content", "") or "") if choices else ""
    message = AIMessage(
        content=text[:CUT_OFF_CHARS],
        usage_metadata={
            "input_tokens": prompt,
            "output_tokens": output,
            "total_tokens": prompt + output,
        },
    )
    return StructuredReply(message, text[:CUT_OFF_CHARS], False, "cut off at the token limit")


def _raw_text(message: AIMessage) -> str:
    """What the model said when LangChain could not parse it: tool arguments, else text."""
    if message.tool_calls:
        return json.dumps(message.tool_calls[0]["args"])
    if message.invalid_tool_calls:
        return str(message.invalid_tool_calls[0].get("args") or "")
    return str(message.content)
