"""Measure raw steps per second with rendering on and off.

``python -m agentkit_crafter.bench --steps 2000 --seed 0``. Each raw action goes through
``CrafterEnvironment.step`` (one controller step, text observation included), so the
numbers are what an agent loop pays, minus the model. Resets are not timed.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from agentkit_crafter.env import RAW_ACTIONS, CrafterEnvironment


def measure(render: bool, steps: int, seed: int) -> float:
    env = CrafterEnvironment(render=render)
    env.reset(seed)
    rng = np.random.RandomState(seed)
    moves = [RAW_ACTIONS.index(n) for n in ("move_left", "move_right", "move_up", "move_down")]
    choices = moves + [RAW_ACTIONS.index("do"), RAW_ACTIONS.index("noop")]
    spent = 0.0
    for count in range(1, steps + 1):
        name = RAW_ACTIONS[int(rng.choice(choices))]
        start = time.perf_counter()
        result = env.step(name)
        spent += time.perf_counter() - start
        if result.done:  # world generation is not a step; keep it out of the timing
            env.reset(seed + count)
    return steps / spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for render in (True, False):
        rate = measure(render, args.steps, args.seed)
        print(f"render={'on ' if render else 'off'}  {rate:7.0f} steps/s")


if __name__ == "__main__":
    main()
