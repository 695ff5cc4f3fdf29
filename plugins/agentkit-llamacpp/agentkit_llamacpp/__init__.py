"""agentkit's embedded local model: llama.cpp running a GGUF file in-process, offline."""

from agentkit_llamacpp.chat_model import (
    LlamaCppChatModel,
    LlamaCppSetupError,
    clear_model_cache,
    to_llama_messages,
)
from agentkit_llamacpp.smollm2 import smollm2_path

__all__ = [
    "LlamaCppChatModel",
    "LlamaCppSetupError",
    "clear_model_cache",
    "smollm2_path",
    "to_llama_messages",
]
__version__ = "0.1.0"
