"""A ``crafter.Env`` whose world is a pure function of its seed and the actions taken.

Shipped Crafter 1.8.3 is not reproducible, which would break agentkit's resume-by-replay
contract. Two causes are fixed here by subclassing, without touching the installed package:

* ``Env._balance_object`` picks the creature to despawn with
  ``creatures[random.randint(...)]`` from a ``set`` of objects, whose order follows memory
  addresses (crafter issue #31). We hand it the objects in world-insertion order instead.
* ``LocalView._noise`` (night-time grain) draws from the world RNG, so merely rendering a
  frame changes what the world does next (crafter issue #36). Our view draws its noise from a
  private RNG seeded by (episode seed, step), so frames are reproducible too and do not
  depend on which earlier frames were drawn.

Drawing is optional (``draw=False``): the world then evolves exactly as with drawing on.
"""

from __future__ import annotations

from typing import Any

import crafter
import numpy as np
from crafter import engine

__all__ = ["SeededLocalView", "StableCrafterEnv"]


class SeededLocalView(engine.LocalView):
    """A ``LocalView`` whose night noise never touches the world's RNG."""

    seed: int = 0
    step: int = 0

    def _noise(self, canvas: np.ndarray, amount: float, stddev: float) -> np.ndarray:
        # Re-seeding per step keeps a frame a function of (seed, step, world) alone.
        rng = np.random.RandomState([self.seed % 2**32, self.step % 2**32])
        noise = rng.uniform(32, 127, canvas.shape[:2])[..., None]
        mask = amount * self._vignette(canvas.shape, stddev)[..., None]
        return (1 - mask) * canvas + mask * noise


class StableCrafterEnv(crafter.Env):
    """``crafter.Env`` made reproducible; see the module docstring for what changed."""

    def __init__(self, *, draw: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.draw = draw
        grid = [int(v) for v in self._local_view._grid]
        self._local_view = SeededLocalView(self._world, self._textures, grid)
        # The whole-world semantic map is never shown to the agent; skipping it saves time.
        self._sem_view = lambda: None

    @property
    def world(self) -> engine.World:
        return self._world

    @property
    def player(self) -> Any:
        return self._player

    @property
    def step_count(self) -> int:
        return int(self._step or 0)

    def reseed(self, seed: int) -> None:
        """Make the next ``reset`` build the world of ``seed`` (not of an episode counter)."""
        self._seed = int(seed)
        self._episode = 0
        self._local_view.seed = int(seed)

    def frame(self) -> np.ndarray:
        """Draw the current frame (whatever ``draw`` says); the world is left untouched."""
        self._local_view.step = self.step_count
        return self.render()

    def _obs(self) -> np.ndarray | None:
        return self.frame() if self.draw else None

    def _balance_object(self, chunk: Any, objs: Any, *args: Any) -> None:
        index = self._world._obj_map
        ordered = sorted(objs, key=lambda obj: int(index[tuple(obj.pos)]))
        super()._balance_object(chunk, ordered, *args)
