"""Make real run folders for the viewer's tests: ``python tests/ui_runs.py HOME KIND ...``.

The controller is the ``ScriptedChatModel`` TEST DOUBLE (a fixed policy, not an agent), so
the runs take seconds; everything else is real: Crafter, the graph, the run folder with its
trajectory, frames, GIF and summary, and for ``learn`` the lifelong loop writing skills and
episodes to the memory (with the ``HashingEmbedder`` test double).

    run HOME RUN_ID STEPS [DELAY]   a Crafter run; DELAY seconds per model reply (a live run)
    learn HOME RUN_ID               a lifelong Crafter run in code mode (two tasks, skills)
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def option_policy(delay: float) -> Any:
    """Knowledge-mode replies: one of the listed options, picked by a hash of the prompt."""

    def reply(messages: Sequence[Any]) -> str:
        time.sleep(delay)
        text = str(messages[-1].content)
        if '"success"' in text:
            return json.dumps({"success": False, "reasoning": "scripted", "critique": ""})
        if "Options:\n" in text:
            options = [
                line[2:].split(":")[0].strip()
                for line in text.split("Options:\n", 1)[1].splitlines()
                if line.startswith("- ")
            ]
            if options:
                digest = int(hashlib.sha256(text.encode()).hexdigest(), 16)
                choice = options[digest % len(options)]
                return json.dumps({"reason": f"scripted: {choice}", "option": choice})
        return json.dumps({"subgoals": ["collect wood", "place table"]})

    return reply


def make_run(home: Path, run_id: str, steps: int, delay: float = 0.0) -> Path:
    from agentkit import RunConfig, start_run
    from agentkit.testing import ScriptedChatModel

    model = ScriptedChatModel(default=option_policy(delay))
    config = RunConfig(env="crafter", max_steps=steps, seed=0)
    return start_run(config, home=home, run_id=run_id, model=model).folder


def make_learn(home: Path, run_id: str) -> Path:
    from agentkit import LearnConfig, start_learning
    from agentkit.testing import HashingEmbedder, ScriptedChatModel

    tasks = home / "tasks.txt"
    tasks.write_text("collect wood\ncollect wood then place table\ncollect wood\n")
    first = "def run():\n    return collect('tree')['ok']\n"
    program = (
        "def run():\n    for _ in range(2):\n        collect('tree')\n"
        "    return place('table')['ok']\n"
    )

    def policy(messages: Sequence[Any]) -> str:
        text = str(messages[-1].content)
        if '"success"' in text:
            return json.dumps({"success": True, "reasoning": "scripted", "critique": "fine"})
        return json.dumps({"code": first if "Task: collect wood\n" in text else program})

    config = LearnConfig(
        env="crafter", tasks=str(tasks), iterations=3, task_steps=3, seed=1, mode="code"
    )
    model = ScriptedChatModel(default=policy)
    result = start_learning(
        config, home=home, run_id=run_id, model=model, embedder=HashingEmbedder()
    )
    return result.folder


if __name__ == "__main__":
    kind, home, run_id, *rest = sys.argv[1:]
    if kind == "run":
        delay = float(rest[1]) if len(rest) > 1 else 0.0
        print(make_run(Path(home), run_id, int(rest[0]), delay))
    else:
        print(make_learn(Path(home), run_id))
