"""Test helpers for agentkit and its plugins.

``ScriptedChatModel`` is a test double: it replays scripted replies instead of thinking.
It exists for unit tests only and never stands in for a real model in runs or benchmarks.
``capture_events`` collects the stream events of a node called outside a graph.
"""

from agentkit.nodes._events import capture_events
from agentkit.testing.hashing_embedder import HashingEmbedder
from agentkit.testing.scripted import ScriptedChatModel

__all__ = ["HashingEmbedder", "ScriptedChatModel", "capture_events"]
