"""Embed the agent graph as one node of your own LangGraph application.

The app below briefs the agent, runs it as a subgraph, then writes a report. It is compiled
with the app's own checkpointer (SQLite here), and the agent's progress events are streamed
through the parent with ``subgraphs=True``.

    python examples/embed_subgraph.py --env crafter --max-steps 20
    python examples/embed_subgraph.py --env gymnasium:FrozenLake-v1 --task "reach the goal"
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph

from agentkit import (
    AgentRuntime,
    AgentState,
    Controller,
    build_graph,
    make_environment,
    resolve_model,
)
from agentkit.state import llm_totals


class AppState(AgentState, total=False):
    """The app's state: the agent's keys plus the app's own."""

    mission: str
    report: str


def brief(state: AppState) -> dict[str, Any]:
    """Turn the app's mission into the agent's task."""
    return {"task": state["mission"], "step": 0, "env_steps": 0}


def report(state: AppState) -> dict[str, Any]:
    calls = int(llm_totals(state.get("llm")).get("calls", 0))
    verdict = "succeeded" if state.get("success") else "did not succeed"
    return {
        "report": f"The agent {verdict} after {state.get('step', 0)} steps and {calls} LLM calls."
    }


def build_app(runtime: AgentRuntime) -> StateGraph:
    """The user's graph, with the (uncompiled) agent graph compiled as a subgraph node."""
    agent = build_graph(runtime).compile()  # no checkpointer: the parent's is inherited
    app = StateGraph(AppState)
    app.add_node("brief", brief)
    app.add_node("agent", agent)
    app.add_node("report", report)
    app.add_edge(START, "brief")
    app.add_edge("brief", "agent")
    app.add_edge("agent", "report")
    app.add_edge("report", END)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="crafter")
    parser.add_argument("--model", default="local")
    parser.add_argument("--task", default="collect wood")
    parser.add_argument("--max-steps", type=int, default=20)
    args = parser.parse_args()
    runtime = AgentRuntime(
        env=make_environment(args.env), controller=Controller(resolve_model(args.model))
    )
    database = Path(tempfile.mkdtemp()) / "app.sqlite"
    with sqlite3.connect(database, check_same_thread=False) as conn:
        app = build_app(runtime).compile(checkpointer=SqliteSaver(conn))
        config = {"configurable": {"thread_id": "demo"}, "recursion_limit": args.max_steps * 6 + 50}
        inputs = {"mission": args.task, "seed": 0, "max_steps": args.max_steps}
        for namespace, event in app.stream(inputs, config, stream_mode="custom", subgraphs=True):
            if event["event"] == "step":
                record = event["record"]
                print(
                    f"{'/'.join(namespace)} step {record['step']}: {record['action']}"
                    f"({record['argument'] or ''}) -> {record['feedback'][:60]}"
                )
        print(app.get_state(config).values["report"])


if __name__ == "__main__":
    main()
