"""Runs: the engine every run goes through, and the run folder it leaves behind.

- :mod:`~agentkit.runs.engine`: prepare, run folder, checkpointer, stream, record; the
  ``custom`` stream feeds the trajectory, the observer hooks and progress.
- :mod:`~agentkit.runs.single`: ``agentkit run`` (episodes of a task).
- :mod:`~agentkit.runs.lifelong`: ``agentkit learn`` (a curriculum, memory that outlives it).
- :mod:`~agentkit.runs.folder`: ``<home>/runs/<id>/`` and its files.
- :mod:`~agentkit.runs.checkpoints`: checkpoint cadence and durability.
"""

from agentkit.runs.engine import RunResult
from agentkit.runs.folder import RunFolder, default_home, list_runs, new_run_id
from agentkit.runs.lifelong import LearnConfig, resume_learning, start_learning
from agentkit.runs.single import RunConfig, resume_run, start_run

__all__ = [
    "LearnConfig",
    "RunConfig",
    "RunFolder",
    "RunResult",
    "default_home",
    "list_runs",
    "new_run_id",
    "resume_learning",
    "resume_run",
    "start_learning",
    "start_run",
]
