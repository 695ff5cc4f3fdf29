"""The graph that ``langgraph dev`` serves (see ``langgraph.json``).

It is built from the embedded defaults, configurable by environment variables
(``AGENTKIT_SERVE_ENV``, default ``crafter``; ``AGENTKIT_SERVE_MODEL``, default ``local``),
and left without a checkpointer because the LangGraph server brings its own.
"""

from __future__ import annotations

import os

from langgraph.graph.state import CompiledStateGraph

from agentkit.controller import Controller
from agentkit.environments import make_environment
from agentkit.graph import build_graph
from agentkit.models import DEFAULT_MODEL, resolve_model
from agentkit.runtime import AgentRuntime

__all__ = ["make_graph"]


def make_graph() -> CompiledStateGraph:
    """Build and compile the served agent graph."""
    runtime = AgentRuntime(
        env=make_environment(os.environ.get("AGENTKIT_SERVE_ENV", "crafter")),
        controller=Controller(resolve_model(os.environ.get("AGENTKIT_SERVE_MODEL", DEFAULT_MODEL))),
    )
    return build_graph(runtime).compile()
