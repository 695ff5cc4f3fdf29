"""The LLM controller: the "1" at the centre of the 1 + N system.

It asks a LangChain chat model for a plan, an action or a critique and returns a validated
pydantic object. Output is constrained by JSON schema when the model says it can be
(``supports_json_schema = True`` and a ``json_schema`` call option, as the llama.cpp plugin
does); provider models get LangChain's native structured output, tool calling by default
(:mod:`agentkit.structured`). Invalid output gets a repair prompt carrying the validation
error, a bounded number of retries, then a safe fallback that is recorded as a fallback.
Every call is counted.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from agentkit.environment import ActionSpec
from agentkit.schemas import (
    Action,
    Choice,
    Critique,
    NextTask,
    Plan,
    Program,
    action_schema,
    choice_schema,
    task_schema,
)
from agentkit.structured import NATIVE_METHODS, ask, choose_method, schema_in_request

__all__ = ["CallStats", "Controller", "ControllerError", "Decided"]

T = TypeVar("T", bound=BaseModel)

SYSTEM_PROMPT = (
    "You control an agent in a game world. You read what the agent perceives and reply "
    "with one JSON object only, exactly in the requested format."
)


class ControllerError(RuntimeError):
    """The chat model itself failed (not just its output): network, missing model, ..."""


@dataclass
class CallStats:
    """Counts for the LLM calls made by one node in one step."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    repairs: int = 0
    fallbacks: int = 0
    cached_tokens: int = 0
    """Prompt tokens the model reused from its cache instead of evaluating them."""
    structured_calls: int = 0
    """Calls whose reply came parsed through the provider's native structured output."""

    def as_dict(self) -> dict[str, float]:
        return {
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cached_tokens": self.cached_tokens,
            "structured_calls": self.structured_calls,
            "latency_s": round(self.latency_s, 4),
            "repairs": self.repairs,
            "fallbacks": self.fallbacks,
        }


@dataclass
class Decided(Generic[T]):
    """One decision: the validated ``value``, its call counts, whether it ``fell_back``,
    and the ``prompt`` the model read and its raw ``reply`` (the last one, after repairs),
    which trajectories keep so verified episodes can be exported as training data.

    It unpacks as ``value, stats, fell_back`` for callers that need no more.
    """

    value: T
    stats: CallStats
    fell_back: bool
    prompt: str = ""
    reply: str = ""

    def __iter__(self) -> Iterator[Any]:
        return iter((self.value, self.stats, self.fell_back))


_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def _extract_json(text: str) -> str:
    match = _JSON_OBJECT.search(text)
    return match.group(0) if match else text


def _usage(message: AIMessage, prompt: Sequence[BaseMessage]) -> tuple[int, int, int]:
    """Prompt, completion and cache-read tokens of one reply."""
    usage = getattr(message, "usage_metadata", None)
    if usage:
        cached = (usage.get("input_token_details") or {}).get("cache_read", 0)
        return (
            int(usage.get("input_tokens", 0)),
            int(usage.get("output_tokens", 0)),
            int(cached or 0),
        )
    # Providers that report nothing: count words, and say so in docs/controller.md.
    prompt_words = sum(len(str(m.content).split()) for m in prompt)
    return prompt_words, len(str(message.content).split()), 0


class Controller:
    """Structured decisions from any LangChain chat model."""

    def __init__(
        self,
        model: BaseChatModel,
        *,
        max_repairs: int = 2,
        image_blocks: bool = False,
        structured_output: str = "auto",
    ):
        """``structured_output`` is how a provider model is asked for JSON (see
        :mod:`agentkit.structured`): ``auto`` (tool calling where the model has it),
        ``function_calling``, ``json_schema``, ``json_mode`` or ``prompt``."""
        self.model = model
        self.max_repairs = max_repairs
        self.image_blocks = image_blocks
        self.method = choose_method(model, structured_output)

    @property
    def constrained(self) -> bool:
        return bool(getattr(self.model, "supports_json_schema", False))

    def _invoke(
        self, messages: list[BaseMessage], schema: dict[str, Any], slot: str, output: type[T]
    ) -> tuple[AIMessage, str, bool]:
        """The raw reply (for usage), its text to validate, and whether it came structured."""
        options: dict[str, Any] = {}
        if getattr(self.model, "supports_cache_slots", False):
            options["cache_slot"] = slot  # one cached prompt prefix per kind of decision
        try:
            if self.method in NATIVE_METHODS:
                doc = (output.__doc__ or "").strip().splitlines()
                native = ask(
                    self.model,
                    messages,
                    schema,
                    self.method,
                    name=output.__name__,
                    description=doc[0] if doc else "",
                )
                return native.message, native.text, native.parsed
            if self.constrained:
                reply = self.model.invoke(messages, json_schema=schema, **options)
            else:
                reply = self.model.invoke(messages, **options)
        except Exception as error:
            raise ControllerError(f"chat model failed: {type(error).__name__}: {error}") from error
        if not isinstance(reply, AIMessage):
            reply = AIMessage(content=str(getattr(reply, "content", reply)))
        return reply, str(reply.content), False

    def decide(
        self,
        output: type[T],
        prompt: str,
        *,
        schema: dict[str, Any] | None = None,
        check: Callable[[T], None] | None = None,
        fallback: Callable[[], T],
        image_png_b64: str | None = None,
        example: str | None = None,
        slot: str = "default",
        head: str = "",
    ) -> Decided[T]:
        """Ask for an ``output`` object; return it with the call counts, whether it fell
        back, and the prompt and the model's last reply.

        ``example`` replaces the generic reply example: small models copy examples word for
        word, so one built from the task at hand does less harm. ``slot`` names the kind of
        prompt, for models that keep a cached prompt prefix per kind. ``head`` is text that
        never changes within a run: it goes first, with the reply format right after it,
        so that everything up to the changing ``prompt`` is one cacheable prefix.
        """
        schema = schema or output.model_json_schema()
        stats = CallStats()
        if schema_in_request(self.method):
            # The decoder or the request carries the schema; a short example keeps the
            # prompt small.
            reply_format = f"Reply with JSON like {example or _example(output)}"
            instructions = (
                f"{head}\n{reply_format}\n\n{prompt}" if head else f"{prompt}\n\n{reply_format}"
            )
        else:
            body = f"{head}\n\n{prompt}" if head else prompt
            instructions = (
                f"{body}\n\nReply with JSON matching this schema:\n{json.dumps(schema)}"
            )
        content: Any = instructions
        if image_png_b64 and self.image_blocks:
            content = [
                {"type": "text", "text": instructions},
                {
                    "type": "image_url",
                    "image_url": {"url": f"data:image/png;base64,{image_png_b64}"},
                },
            ]
        messages: list[BaseMessage] = [SystemMessage(SYSTEM_PROMPT), HumanMessage(content)]
        text = ""
        for attempt in range(self.max_repairs + 1):
            started = time.perf_counter()
            reply, text, structured = self._invoke(messages, schema, slot, output)
            stats.latency_s += time.perf_counter() - started
            stats.calls += 1
            stats.structured_calls += structured
            prompt_tokens, completion_tokens, cached = _usage(reply, messages)
            stats.prompt_tokens += prompt_tokens
            stats.completion_tokens += completion_tokens
            stats.cached_tokens += cached
            try:
                value = output.model_validate_json(_extract_json(text))
                if check is not None:
                    check(value)
                return Decided(value, stats, False, instructions, text)
            except (ValidationError, ValueError) as error:
                if attempt == self.max_repairs:
                    break
                stats.repairs += 1
                messages = [
                    *messages,
                    AIMessage(text),
                    HumanMessage(
                        f"That reply was invalid: {_short_error(error)}\n"
                        "Reply again with only a corrected JSON object."
                    ),
                ]
        stats.fallbacks += 1
        return Decided(fallback(), stats, True, instructions, text)

    # The three decisions the loop makes -------------------------------------------------

    def plan(
        self, task: str, percept: str, references: Sequence[str] = ()
    ) -> Decided[Plan]:
        refs = "".join(f"\nA plan that worked before: {r}" for r in references)
        prompt = (
            f"Task: {task}\nWhat you perceive:\n{percept}{refs}\n"
            "Break the task into 1 to 4 short sub-goals, in order."
        )
        # SmolLM2-135M copied the generic example ("first step") as its plan; an example
        # made of the task itself is harmless when copied.
        example = json.dumps({"subgoals": [task[:80]]})
        return self.decide(
            Plan, prompt, fallback=lambda: Plan(subgoals=[task]), example=example, slot="plan"
        )

    def act(
        self,
        task: str,
        subgoal: str,
        percept: str,
        specs: list[ActionSpec],
        history: Sequence[str] = (),
        feedback: str = "",
        fallback_action: str = "noop",
        image_png_b64: str | None = None,
    ) -> Decided[Action]:
        lines = []
        for spec in specs:
            if spec.argument:
                choices = "|".join(spec.choices or []) or "text"
                lines.append(f"- {spec.name}({spec.argument}: {choices}): {spec.description}")
            else:
                lines.append(f"- {spec.name}: {spec.description}")
        recent = "\n".join(history[-5:]) or "none"
        # What changes least comes first, so a local model's prompt cache reuses the prefix
        # (measured with llama.cpp: 1.46 s -> 0.60 s per decision for a 405-token prompt).
        prompt = (
            f"Task: {task}\nActions:\n"
            + "\n".join(lines)
            + f"\nCurrent sub-goal: {subgoal}\nRecent actions:\n{recent}\n"
            + (f"Feedback on your last choice: {feedback}\n" if feedback else "")
            + f"What you perceive:\n{percept}\nChoose the next action."
        )
        by_name = {spec.name: spec for spec in specs}

        def check(action: Action) -> None:
            spec = by_name.get(action.action)
            if spec is None:
                raise ValueError(f"unknown action {action.action!r}; choose one of {list(by_name)}")
            if spec.argument and spec.choices and action.argument not in spec.choices:
                raise ValueError(
                    f"{spec.name} needs {spec.argument} in {spec.choices}, got {action.argument!r}"
                )
            if not spec.argument:
                action.argument = None

        safe = fallback_action if fallback_action in by_name else specs[0].name
        return self.decide(
            Action,
            prompt,
            schema=action_schema(specs),
            check=check,
            fallback=lambda: Action(action=safe, reason="fallback"),
            image_png_b64=image_png_b64,
            slot="act",
        )

    def choose(
        self,
        task: str,
        rules: str,
        status: str,
        percept: str,
        options: Sequence[str],
        descriptions: str,
        history: Sequence[str] = (),
        reason_first: bool = True,
    ) -> Decided[Choice]:
        """Knowledge mode: pick one of ``options`` (steps the world's rules allow now).

        The rules and the task come first and do not change within a run, so a local
        model's cached prefix covers them; what changes each step comes last.
        """
        # What changes each step is kept short: every token after the cached head is
        # evaluated again on every decision. The percept already shows the vitals and the
        # inventory; the last step's feedback is in the recent steps.
        recent = "\n".join(line[:90] for line in history[-2:]) or "none"
        head = (
            f"Rules of the world:\n{rules}\nTask: {task}\n"
            "Each turn you see what you perceive, your last steps and the options possible "
            "now (with what each leads to). Choose the option that best serves the task; "
            "stay alive first."
        )
        prompt = (
            (f"{percept}\n" if percept else f"Status: {status}\n")
            + f"Last steps:\n{recent}\nOptions:\n{descriptions}"
        )
        labels = list(options)

        def check(choice: Choice) -> None:
            if choice.option not in labels:
                raise ValueError(f"option must be one of {labels}, got {choice.option!r}")

        example = json.dumps(
            {"reason": "<why, briefly>", "option": "<one option>"}
            if reason_first
            else {"option": "<one option>"}
        )
        return self.decide(
            Choice,
            prompt,
            schema=choice_schema(labels, reason_first),
            check=check,
            fallback=lambda: Choice(option=labels[0], reason="fallback"),
            example=example,
            slot="act",
            head=head,
        )

    def critique(
        self, task: str, subgoal: str, percept: str, outcome: str
    ) -> Decided[Critique]:
        prompt = (
            f"Task: {task}\nSub-goal: {subgoal}\nWhat happened: {outcome}\n"
            f"What you perceive now:\n{percept}\n"
            "Was the sub-goal achieved? If not, say what to do differently."
        )
        return self.decide(
            Critique,
            prompt,
            fallback=lambda: Critique(success=False, reasoning="fallback", critique=""),
            slot="critique",
        )


    def program(
        self,
        task: str,
        subgoal: str,
        percept: str,
        functions: Sequence[str],
        feedback: str = "",
        check: Callable[[str], list[str]] | None = None,
        fallback_code: str = "def run():\n    return None\n",
        example: str | None = None,
        language: str = "python",
        knowledge: str = "",
    ) -> Decided[Program]:
        """Code mode: ask for a function ``run()`` in ``language`` that composes ``functions``.

        ``check`` returns static problems (syntax, forbidden imports) with line numbers;
        they go back to the model through the repair prompt before anything runs.
        ``knowledge`` (the world's rules and the steps they give towards the task) goes
        first, where it stays the same from one program to the next.
        """
        listing = "\n".join(f"- {line}" for line in functions)
        prompt = (
            (f"{knowledge}\n" if knowledge else "")
            + f"Task: {task}\nFunctions you can call (each returns a dict with ok, feedback, "
            f"reward, events, done):\n{listing}\nCurrent sub-goal: {subgoal}\n"
            + (f"Your last program failed: {feedback}\n" if feedback else "")
            + f"What you perceive:\n{percept}\n"
            f"Write a {_LANGUAGE_NAMES.get(language, language)} function run() that achieves "
            "the sub-goal using only those functions. Put the whole function in the code field."
        )
        defines_run = _DEFINES_RUN.get(language, _DEFINES_RUN["*"])

        def validate(program: Program) -> None:
            if not defines_run.search(program.code):
                raise ValueError("the code must define a function run()")
            problems = check(program.code) if check else []
            if problems:
                raise ValueError("; ".join(problems[:3]))

        # No length bounds in the decoding schema: llama.cpp refuses grammars that repeat a
        # rule 1,500 times; the model's max_tokens bounds it and pydantic checks the rest.
        schema = {
            "type": "object",
            "properties": {"code": {"type": "string"}},
            "required": ["code"],
            "additionalProperties": False,
        }
        return self.decide(
            Program,
            prompt,
            schema=schema,
            check=validate,
            fallback=lambda: Program(code=fallback_code),
            example=json.dumps({"code": example}) if example else None,
            slot="program",
        )

    def next_task(
        self,
        candidates: Sequence[str],
        completed: Sequence[str],
        failed: Sequence[str],
        percept: str,
    ) -> Decided[NextTask]:
        """The automatic curriculum (Voyager): propose the next task from what was done.

        The proposal is constrained to ``candidates`` so the world can verify it.
        """
        prompt = (
            f"You propose the next task for an agent that is learning a game.\n"
            f"Completed tasks: {', '.join(completed) or 'none'}\n"
            f"Failed tasks: {', '.join(failed[-5:]) or 'none'}\n"
            f"What the agent perceives:\n{percept}\n"
            f"Candidate tasks: {', '.join(candidates)}\n"
            "Choose the candidate the agent can most likely complete next and learn from."
        )

        def check(proposal: NextTask) -> None:
            if proposal.task not in candidates:
                raise ValueError(f"task must be one of {list(candidates)}")

        return self.decide(
            NextTask,
            prompt,
            schema=task_schema(list(candidates)),
            check=check,
            fallback=lambda: NextTask(task=candidates[0], reasoning="fallback"),
            slot="curriculum",
        )


_EXAMPLES: dict[str, str] = {
    "Plan": '{"subgoals": ["first step", "second step"]}',
    "Action": '{"action": "<name>", "argument": "<value or null>", "reason": "<why>"}',
    "Critique": '{"success": false, "reasoning": "<why>", "critique": "<what to change>"}',
    "Program": '{"code": "def run():\\n    result = some_function(\\"arg\\")\\n    return result"}',
    "NextTask": '{"task": "<one candidate>", "reasoning": "<why>"}',
}


_LANGUAGE_NAMES = {"python": "Python", "javascript": "JavaScript"}
_DEFINES_RUN = {
    "python": re.compile(r"\bdef run\("),
    "javascript": re.compile(r"\bfunction\s+run\s*\("),
    "*": re.compile(r"\brun\s*\("),
}


def _example(output: type[BaseModel]) -> str:
    return _EXAMPLES.get(output.__name__, json.dumps(output.model_json_schema()))


def _short_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        parts = [
            f"{'.'.join(map(str, e['loc'])) or 'reply'}: {e['msg']}" for e in error.errors()[:3]
        ]
        return "; ".join(parts)
    return str(error)[:300]
