"""Seeds in parallel on Ray: one task per seed, on a local Ray started on demand or a cluster.

A seed's episodes run in one task (its world, its model, its run folder), so tasks share
nothing but the results they return. With ``workers`` > 1 and no ``address``, a local
Ray instance with ``workers`` CPUs is started for the call and shut down after it; with
an ``address`` (``ray://host:10001`` or ``auto``) the tasks go to that cluster, whose
workers must have agentkit, its plugins and the model installed, and see the output
folder (a shared file system) to write run folders into it (docs/serving.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["RAY_HINT", "map_seeds"]

RAY_HINT = "parallel seeds run on Ray: pip install 'xmodal-agentkit[ray]'"

Work = Callable[[int], list[dict[str, Any]]]


def map_seeds(
    work: Work,
    seeds: list[int],
    *,
    workers: int = 1,
    address: str | None = None,
    on_seed: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """``work(seed)`` for every seed, results in the order of ``seeds``.

    Sequential in this process when ``workers`` is 1 and no ``address`` is given; else
    one Ray task per seed. ``on_seed(seed, finished)`` hears of each finished seed.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if workers == 1 and address is None:
        results = []
        for finished, seed in enumerate(seeds, 1):
            results.append(work(seed))
            if on_seed is not None:
                on_seed(seed, finished)
        return [row for rows in results for row in rows]
    try:
        import ray
    except ImportError as error:
        raise RuntimeError(f"{RAY_HINT} ({error})") from error
    started_here = not ray.is_initialized()
    if started_here:
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if address is None:
            options["num_cpus"] = workers
        ray.init(address=address, **options)
    try:
        task = ray.remote(num_cpus=1)(_call)
        shipped = ray.put(work)  # pickled once, not once per seed
        pending = {task.remote(shipped, seed): seed for seed in seeds}
        done: dict[int, list[dict[str, Any]]] = {}
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                seed = pending.pop(ref)
                done[seed] = ray.get(ref)
                if on_seed is not None:
                    on_seed(seed, len(done))
        return [row for seed in seeds for row in done[seed]]
    finally:
        if started_here:
            ray.shutdown()


def _call(work: Work, seed: int) -> list[dict[str, Any]]:
    """The Ray task: ``work`` is any picklable callable (a ``functools.partial`` too)."""
    return work(seed)
