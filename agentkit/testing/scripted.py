"""A chat model that replays a script: the test double for the controller's model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field, PrivateAttr

__all__ = ["ScriptedChatModel"]

Reply = str | Callable[[Sequence[BaseMessage]], str]


class ScriptedChatModel(BaseChatModel):
    """TEST DOUBLE. Returns ``replies`` in order (a reply may be a function of the messages).

    When the script runs out, ``default`` answers (if given), else an error is raised so a
    test notices an unexpected extra call. Every prompt is kept in ``prompts`` for asserts.
    Token usage is reported as whitespace-separated word counts.
    """

    replies: list[Any] = Field(default_factory=list)
    default: Any = None
    supports_json_schema: ClassVar[bool] = False
    _index: int = PrivateAttr(default=0)
    _prompts: list[list[BaseMessage]] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-test-double"

    @property
    def prompts(self) -> list[list[BaseMessage]]:
        return self._prompts

    def _next_reply(self, messages: Sequence[BaseMessage]) -> str:
        if self._index < len(self.replies):
            reply: Reply = self.replies[self._index]
            self._index += 1
        elif self.default is not None:
            reply = self.default
        else:
            raise RuntimeError(f"ScriptedChatModel script exhausted after {self._index} replies")
        return reply(messages) if callable(reply) else str(reply)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self._prompts.append(list(messages))
        text = self._next_reply(messages)
        prompt_words = sum(len(str(m.content).split()) for m in messages)
        out_words = len(text.split())
        message = AIMessage(
            content=text,
            usage_metadata={
                "input_tokens": prompt_words,
                "output_tokens": out_words,
                "total_tokens": prompt_words + out_words,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
