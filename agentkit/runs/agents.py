"""Several agents learning at once into one shared memory, each a Ray task.

Voyager's authors point at many agents sharing one skill library as the way to scale
lifelong learning. Here agent ``i`` is a lifelong run of its own (run id
``<base>-a<i>``, world seed ``seed + i``) in the same home, and all of them read and write
the memory that ``LearnConfig.memory`` names. That must be the shared server memory
(``postgresql://...?chroma=...``, docs/memory.md): the embedded memory is locked by the
one process that opens it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from agentkit.memory.location import is_server_url
from agentkit.runs.folder import default_home, new_run_id
from agentkit.runs.lifelong import LearnConfig, start_learning
from agentkit.runs.parallel import map_seeds

__all__ = ["start_agents"]


def start_agents(
    config: LearnConfig,
    agents: int,
    *,
    home: Path | None = None,
    base_id: str | None = None,
    ray_address: str | None = None,
) -> list[dict[str, Any]]:
    """Run ``agents`` lifelong runs at once on Ray; return one row per agent, in order."""
    if agents < 2:
        raise ValueError(f"agents must be at least 2 to run on Ray, not {agents}")
    if config.memory is None or not is_server_url(config.memory):
        raise ValueError(
            "agents share what they learn through the server memory: pass --memory "
            "'postgresql://USER@HOST/DB?chroma=http://HOST:PORT' (docs/memory.md); the "
            "embedded memory is locked by one process at a time"
        )
    work = partial(_one_agent, config, home or default_home(), base_id or new_run_id())
    return map_seeds(work, list(range(agents)), workers=agents, address=ray_address)


def _one_agent(config: LearnConfig, home: Path, base_id: str, index: int) -> list[dict[str, Any]]:
    """Agent ``index``'s lifelong run (in a Ray worker)."""
    run_id = f"{base_id}-a{index}"
    result = start_learning(replace(config, seed=config.seed + index), home=home, run_id=run_id)
    summary = result.summary
    return [
        {
            "agent": index,
            "run_id": run_id,
            "folder": str(result.folder),
            "tasks_completed": summary.get("tasks_completed"),
            "completed": summary.get("completed", []),
            "skills_learned": summary.get("skills_learned"),
            "llm_calls": summary.get("llm_calls"),
        }
    ]
