"""Test helpers for agentkit and its plugins.

``ScriptedChatModel`` is a test double: it replays scripted replies instead of thinking.
It exists for unit tests only and never stands in for a real model in runs or benchmarks.
"""

from agentkit.testing.hashing_embedder import HashingEmbedder
from agentkit.testing.scripted import ScriptedChatModel

__all__ = ["HashingEmbedder", "ScriptedChatModel"]
