"""One agent-like writer of a shared memory, run as a process by test_memory_server.py.

``python memory_writer.py URL LOG STOP SEED`` opens the memory at URL and, until the file STOP
exists, adds private skills, new versions of shared skills, repeats of its own code (merged,
no new version), outcomes and episodes. Before each call it appends a "try" line to LOG,
after it returns an "ack" line, so a writer killed with SIGKILL leaves an exact account of
what was acknowledged. Every code string is unique to one process and call.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from agentkit.memory import Episode, Skill, open_memory
from agentkit.testing import HashingEmbedder

SHARED = 5  # names every writer versions, for contention on the same rows


def main(url: str, log_path: str, stop: str, seed: int) -> None:
    rng = random.Random(seed)
    tag = f"p{os.getpid()}"
    log = open(log_path, "a", buffering=1)  # one write per line

    def note(**fields: Any) -> None:
        log.write(json.dumps(fields) + "\n")

    skills, episodes = open_memory(url, HashingEmbedder())
    note(event="open", repaired=skills.index.repaired, episodes=episodes._store.index.repaired)
    mine: list[tuple[str, int, str]] = []  # (name, version, code) acknowledged here
    i = 0
    while not Path(stop).exists():
        i += 1
        roll = rng.random()
        if roll < 0.35 or not mine:
            name = f"shared {rng.randrange(SHARED)}" if roll < 0.2 else f"{tag} {i}"
            code = f"{tag}-{i}"
            skill = Skill(name=name, description=f"{name} does {code} words{i % 7}", code=code)
            note(event="try", op="add", name=name, code=code)
            stored = skills.add(skill)
            note(event="ack", op="add", name=name, code=code, version=stored.version)
            mine.append((name, stored.version, code))
        elif roll < 0.5:
            name, version, code = rng.choice(mine)
            skill = Skill(name=name, description=f"{name} again", code=code, successes=1)
            note(event="try", op="repeat", name=name, code=code)
            stored = skills.add(skill)  # same code as a version: merged if it is the latest
            note(event="ack", op="repeat", name=name, code=code, version=stored.version)
        elif roll < 0.75:
            name, version, code = rng.choice(mine)
            note(event="try", op="outcome", name=name, version=version)
            skills.record_outcome(name, version, True, {"success": True, "by": tag})
            note(event="ack", op="outcome", name=name, version=version)
        else:
            episode = Episode(
                id=f"{tag}:{i}",
                run_id=tag,
                iteration=i,
                environment="test",
                task=f"task {i} of {tag}",
                plan=[f"step {i}"],
                success=rng.random() < 0.7,
            )
            note(event="try", op="episode", id=episode.id)
            episodes.add(episode)
            note(event="ack", op="episode", id=episode.id)
        if i % 10 == 0:
            note(
                event="stats",
                pid=os.getpid(),
                rewrites=skills.index.rewrites + episodes._store.index.rewrites,
                retries=skills.index.vectors.retries + episodes._store.index.vectors.retries,
            )
        time.sleep(rng.random() * 0.01)
    note(
        event="stats",
        pid=os.getpid(),
        rewrites=skills.index.rewrites + episodes._store.index.rewrites,
        retries=skills.index.vectors.retries + episodes._store.index.vectors.retries,
    )
    skills.close()
    episodes.close()
    note(event="exit")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
