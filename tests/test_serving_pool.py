"""WorldPool: one world per thread, bounded, closed when idle, never taken while in use."""

from __future__ import annotations

import pytest

from agentkit import AgentRuntime, Controller
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.serving import PoolFull, WorldPool
from agentkit.testing import ScriptedChatModel


class Lake(GymnasiumEnvironment):
    """FrozenLake that remembers being closed."""

    closed = False

    def close(self) -> None:
        super().close()
        self.closed = True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def made():  # type: ignore[no-untyped-def]
    """Runtimes the pool builds, by thread, each with its own (real) gymnasium world."""
    built: dict[str, list[AgentRuntime]] = {}

    def make(thread: str) -> AgentRuntime:
        runtime = AgentRuntime(
            env=Lake("FrozenLake-v1"), controller=Controller(ScriptedChatModel())
        )
        built.setdefault(thread, []).append(runtime)
        return runtime

    return built, make


def closed(runtime: AgentRuntime) -> bool:
    return bool(runtime.env.closed)  # type: ignore[attr-defined]


def test_each_thread_keeps_its_own_world_between_runs(made) -> None:  # type: ignore[no-untyped-def]
    built, make = made
    pool = WorldPool(make, max_worlds=4)
    with pool.world("a") as first, pool.world("b") as other:
        assert first is not other and first.env is not other.env
    with pool.world("a") as again:
        assert again is first
    assert len(built["a"]) == 1 and pool.threads() == ["b", "a"]


def test_a_full_pool_closes_the_least_recently_used_idle_world(made) -> None:  # type: ignore[no-untyped-def]
    built, make = made
    pool = WorldPool(make, max_worlds=2)
    with pool.world("a"):
        pass
    with pool.world("b"):
        pass
    with pool.world("c"):
        pass
    assert closed(built["a"][0]) and not closed(built["b"][0])
    assert pool.threads() == ["b", "c"]
    with pool.world("a") as back:  # a thread whose world was closed gets a new one
        assert back is built["a"][1]


def test_a_world_in_use_is_never_taken(made) -> None:  # type: ignore[no-untyped-def]
    _, make = made
    pool = WorldPool(make, max_worlds=1)
    with pool.world("a"), pytest.raises(PoolFull, match="all 1 worlds are in use"):
        pool.acquire("b")


def test_idle_worlds_close_after_the_timeout(made) -> None:  # type: ignore[no-untyped-def]
    built, make = made
    clock = Clock()
    pool = WorldPool(make, idle_seconds=60, clock=clock)
    with pool.world("a"):
        clock.now = 1000  # in use: not idle however long the run takes
        assert pool.sweep() == 0
    clock.now = 1059
    assert pool.sweep() == 0
    clock.now = 1060
    assert pool.sweep() == 1 and closed(built["a"][0]) and len(pool) == 0


def test_close_leaves_worlds_in_use_open(made) -> None:  # type: ignore[no-untyped-def]
    built, make = made
    pool = WorldPool(make)
    with pool.world("busy"):
        with pool.world("idle"):
            pass
        pool.close()
        assert pool.threads() == ["busy"] and closed(built["idle"][0])
    pool.close("busy")
    assert len(pool) == 0 and closed(built["busy"][0])
