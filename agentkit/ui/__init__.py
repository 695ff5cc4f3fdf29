"""``agentkit ui``: a local web viewer over a home folder.

Runs (list, status, resumable), a run's replay step by step with its frames, prompts and
replies, a live view of a run in progress (server-sent events tailing its trajectory), the
skill library, episodes, learning curves, bench results and the installed plugins.

Modules, one concept each: :mod:`~agentkit.ui.app` (routes), :mod:`~agentkit.ui.runindex`
(the runs of a home), :mod:`~agentkit.ui.trajectory` (paging a trajectory by byte offsets),
:mod:`~agentkit.ui.live` (the live tail), :mod:`~agentkit.ui.memory` (skills and episodes,
read-only), :mod:`~agentkit.ui.results` (curves and bench results),
:mod:`~agentkit.ui.actions` (the two guarded writes), :mod:`~agentkit.ui.server` (uvicorn on
127.0.0.1); the front end is in ``static/``.
"""

from __future__ import annotations

from agentkit.ui.actions import WriteAccess
from agentkit.ui.app import create_app
from agentkit.ui.server import serve

__all__ = ["WriteAccess", "create_app", "serve"]
