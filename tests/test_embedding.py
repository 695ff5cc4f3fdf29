"""The agent graph embeds in a user's graph and in ``langgraph dev``'s configuration."""

import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

ROOT = Path(__file__).resolve().parents[1]


def load_example():
    spec = importlib.util.spec_from_file_location(
        "embed_subgraph", ROOT / "examples" / "embed_subgraph.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_subgraph_runs_inside_the_users_graph_with_the_users_checkpointer(make_runtime, tmp_path):
    example = load_example()
    moves = ["down", "down", "right", "right", "down", "right"]
    replies = [json.dumps({"subgoals": ["reach the goal"]})]
    replies += [json.dumps({"action": m, "argument": None, "reason": ""}) for m in moves]
    runtime = make_runtime(replies)
    with sqlite3.connect(tmp_path / "app.sqlite", check_same_thread=False) as conn:
        app = example.build_app(runtime).compile(checkpointer=SqliteSaver(conn))
        config = {"configurable": {"thread_id": "x"}}
        inputs = {"mission": "reach the goal", "seed": 0, "max_steps": 10}
        chunks = list(app.stream(inputs, config, stream_mode="custom", subgraphs=True))
        steps = [(ns, e) for ns, e in chunks if e["event"] == "step"]
        assert len(steps) == 6
        assert all(ns and ns[0].startswith("agent:") for ns, _ in steps)
        final = app.get_state(config).values
        assert final["report"] == "The agent succeeded after 6 steps and 7 LLM calls."
        # the user's checkpointer holds the run: it can be read back from the database
        assert conn.execute("select count(*) from checkpoints").fetchone()[0] > 6


def test_langgraph_json_names_a_graph_factory_that_exists():
    config = json.loads((ROOT / "langgraph.json").read_text())
    path, _, attr = config["graphs"]["agent"].partition(":")
    spec = importlib.util.spec_from_file_location("served", ROOT / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as langgraph's loader does: dataclasses look it up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    assert callable(getattr(module, attr))


def test_langgraph_dev_serves_the_agent_graph(tmp_path):
    """``langgraph dev`` (from the dev extra) loads langgraph.json and exposes the loop."""
    import os
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    cli = shutil.which("langgraph") or str(Path(sys.executable).with_name("langgraph"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "AGENTKIT_SERVE_ENV": "gymnasium:FrozenLake-v1"}
    server = subprocess.Popen(
        [cli, "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/ok", timeout=2)
                break
            except OSError:
                assert time.time() < deadline, "langgraph dev did not start"
                assert server.poll() is None, "langgraph dev exited"
                time.sleep(0.5)
        search = urllib.request.Request(
            f"{base}/assistants/search", data=b"{}", headers={"content-type": "application/json"}
        )
        assistants = json.load(urllib.request.urlopen(search, timeout=10))
        agent = next(a for a in assistants if a["graph_id"] == "agent")
        graph = json.load(
            urllib.request.urlopen(f"{base}/assistants/{agent['assistant_id']}/graph")
        )
        nodes = {node["id"] for node in graph["nodes"]}
        assert {"perceive", "plan", "decide", "execute", "critique"} <= nodes
    finally:
        server.terminate()
        server.wait(timeout=20)
