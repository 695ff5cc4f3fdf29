"""``build_graph``: the agent loop as an uncompiled LangGraph ``StateGraph``.

perceive -> plan -> decide -> execute -> critique -> (perceive | END)

``build_lifelong_graph`` is the whole Voyager/GITM loop of ``agentkit learn``:

curriculum -> perceive -> recall -> plan -> decide -> execute -> critique -> (perceive | learn)
learn -> curriculum -> (perceive | END)

Returning the builder (not a compiled graph) lets an application compile it with its own
checkpointer and store, add it as a node of its own graph, or serve it with
``langgraph dev``, which refuses graphs compiled with their own persistence.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agentkit.nodes.critique import make_critique, route_after_critique, route_to_learn
from agentkit.nodes.curriculum import make_curriculum_node, route_after_curriculum
from agentkit.nodes.decide import make_decide
from agentkit.nodes.execute import make_execute
from agentkit.nodes.learn import make_learn
from agentkit.nodes.perceive import make_perceive
from agentkit.nodes.plan import make_plan
from agentkit.nodes.recall import make_recall
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState

__all__ = ["LIFELONG_NODE_NAMES", "NODE_NAMES", "build_graph", "build_lifelong_graph"]

NODE_NAMES = ("perceive", "plan", "decide", "execute", "critique")
LIFELONG_NODE_NAMES = (
    "curriculum",
    "perceive",
    "recall",
    "plan",
    "decide",
    "execute",
    "critique",
    "learn",
)


def build_graph(runtime: AgentRuntime) -> StateGraph:
    """Build the plan-decide-execute-critique loop around ``runtime``'s controller and world."""
    graph = StateGraph(AgentState)
    graph.add_node("perceive", make_perceive(runtime))
    graph.add_node("plan", make_plan(runtime))
    graph.add_node("decide", make_decide(runtime))
    graph.add_node("execute", make_execute(runtime))
    graph.add_node("critique", make_critique(runtime))
    graph.add_edge(START, "perceive")
    graph.add_edge("perceive", "plan")
    graph.add_edge("plan", "decide")
    graph.add_edge("decide", "execute")
    graph.add_edge("execute", "critique")
    graph.add_conditional_edges("critique", route_after_critique, ["perceive", END])
    return graph


def build_lifelong_graph(runtime: AgentRuntime) -> StateGraph:
    """Build the lifelong loop: tasks from ``runtime.curriculum``, memory in ``runtime``.

    Input: ``{"iterations": N, "seed": S, "step": 0, "env_steps": 0}``; the run ends after N
    task attempts or when the curriculum has nothing left (state ``finished``).
    """
    graph = StateGraph(AgentState)
    graph.add_node("curriculum", make_curriculum_node(runtime))
    graph.add_node("perceive", make_perceive(runtime))
    graph.add_node("recall", make_recall(runtime))
    graph.add_node("plan", make_plan(runtime))
    graph.add_node("decide", make_decide(runtime))
    graph.add_node("execute", make_execute(runtime))
    graph.add_node("critique", make_critique(runtime))
    graph.add_node("learn", make_learn(runtime))
    graph.add_edge(START, "curriculum")
    graph.add_conditional_edges("curriculum", route_after_curriculum, ["perceive", END])
    graph.add_edge("perceive", "recall")
    graph.add_edge("recall", "plan")
    graph.add_edge("plan", "decide")
    graph.add_edge("decide", "execute")
    graph.add_edge("execute", "critique")
    graph.add_conditional_edges("critique", route_to_learn, ["perceive", "learn"])
    graph.add_edge("learn", "curriculum")
    return graph
