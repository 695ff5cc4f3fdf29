"""agentkit's environment contract, run on the adapter over ``RecordingSimulatorDouble``.

The double stands in for MineDojo's simulator (which cannot run here), so this checks the
adapter's side of the contract: actions never raise, raw actions are JSON, replay restores
the observation text, check() judges every task of tasks(), the plugin is discoverable.
"""

from __future__ import annotations

import random

from agentkit.environment import ActionSpec
from agentkit.testing.contracts import EnvironmentContract
from minedojo_double import RecordingSimulatorDouble

from agentkit_minedojo import MineDojoEnvironment, load_metadata

_FREE_TEXT = {
    "turn": ["left", "right", "around", "up", "down", "30 -15", "yaw=45", "7"],
    "look_at": ["down", "ahead", "north", "east", "log", "grass", "0 64 1", "90 10", "stone"],
    "raw": ["1 0 0 12 12 0 0 0", "0 2 1 11 14 3 0 0", "0 0 0 12 12 4 7 0", "bad"],
    "mine": ["log", "grass", "dirt"],
    "craft": ["planks", "stick", "crafting_table"],
}


class TestMineDojoContract(EnvironmentContract):
    entry_point = "minedojo"
    registered_name = "minedojo:harvest_1_log"
    walk_steps = 25

    def make_environment(self) -> MineDojoEnvironment:
        sim = RecordingSimulatorDouble(load_metadata(), initial_inventory={"log": 2})
        return MineDojoEnvironment(sim, task="harvest_1_log", voxel_min=(-1, -1, -1))

    def sample_argument(self, spec: ActionSpec, rng: random.Random) -> str | None:
        if spec.argument is None:
            return None
        if spec.choices:
            return rng.choice(spec.choices)
        if spec.name in _FREE_TEXT:
            return rng.choice(_FREE_TEXT[spec.name])
        return rng.choice(["1", "2", "4", ""])  # step counts
