"""Serving the agent graph: one world per thread, for the LangGraph server and apps.

:class:`WorldPool` keeps a bounded set of worlds by thread id; :func:`make_graph` is the
graph factory ``langgraph.json`` names (docs/serving.md).
"""

from agentkit.serving.pool import PoolFull, WorldPool

__all__ = ["PoolFull", "WorldPool"]
