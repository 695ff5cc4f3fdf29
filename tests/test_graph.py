"""The graph: uncompiled builder, node names, custom progress events, a full episode."""

import json

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import StateGraph

from agentkit import build_graph


def test_build_graph_returns_an_uncompiled_builder_with_the_loop_nodes(make_runtime):
    graph = build_graph(make_runtime())
    assert isinstance(graph, StateGraph)
    assert {"perceive", "plan", "decide", "execute", "critique"} <= set(graph.nodes)


def test_an_episode_streams_custom_events_and_reaches_the_goal(make_runtime):
    # Down, down, right, right, down, right crosses FrozenLake's 4x4 map without a hole.
    moves = ["down", "down", "right", "right", "down", "right"]
    replies = [json.dumps({"subgoals": ["reach the goal"]})]
    replies += [json.dumps({"action": m, "argument": None, "reason": ""}) for m in moves]
    runtime = make_runtime(replies)
    app = build_graph(runtime).compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    events = [
        chunk
        for chunk in app.stream(
            {"task": "reach the goal", "seed": 0, "max_steps": 20, "step": 0},
            config,
            stream_mode="custom",
        )
    ]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "plan" and kinds.count("step") == 6 and kinds[-1] == "critique"
    final = app.get_state(config).values
    assert final["success"] is True and final["done"] is True and final["step"] == 6
    assert final["env_steps"] == 6 and "raw_actions" not in final
    assert runtime.actions.read(0, 6) == [1, 1, 2, 2, 1, 2]
    assert final["llm"]["decide"]["calls"] == 6 and final["llm"]["plan"]["calls"] == 1
