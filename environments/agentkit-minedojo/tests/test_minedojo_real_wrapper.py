"""The codec means what MineDojo's own ``NNActionSpaceWrapper`` does with each vector.

The wrapper is MineDojo's code, run on the real action space of a ``MineDojoSim`` object
(no Minecraft is started). gym >= 0.22 turned ``Dict`` into a Mapping whose ``in`` tests
space membership, which trips the wrapper's ``"equip" in env.action_space.keys()`` check,
so the simulator's Dict space is handed over behind a plain ``keys()``.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from minedojo_layout import real_spaces

from agentkit_minedojo.metadata import canonical_item

VOXELS = {"xmin": -1, "ymin": -1, "zmin": -1, "xmax": 1, "ymax": 1, "zmax": 1}


class _PlainKeys:
    """MineDojo's Dict action space with gym 0.21's ``keys()`` semantics."""

    def __init__(self, space) -> None:
        self.space = space

    def keys(self) -> list[str]:
        return list(self.space.spaces.keys())

    def no_op(self):
        return self.space.no_op()

    def contains(self, x) -> bool:
        return self.space.contains(x)


@pytest.fixture(scope="module")
def wrapper(meta):
    _, action_space = real_spaces((16, 24), VOXELS, [(0.0, 0.0, 10.0)])
    from minedojo.sim.wrappers.ar_nn.nn_action_space_wrapper import NNActionSpaceWrapper

    env = SimpleNamespace(
        action_space=_PlainKeys(action_space),
        observation_space={"inventory": None},
        reward_range=(0, 1),
        metadata={},
        spec=None,
    )
    wrapped = NNActionSpaceWrapper(env)
    names = np.array(["air"] * meta.inventory_slots, dtype=object)
    for slot in range(1, meta.inventory_slots):
        names[slot] = meta.all_items[(slot * 11) % len(meta.all_items)].replace("_", " ")
    names[names == "air"] = "dirt"
    names[0] = "air"
    wrapped._inventory_names = names
    return wrapped


def test_space_and_noop_match(wrapper, codec) -> None:
    assert tuple(int(n) for n in wrapper.action_space.nvec) == codec.nvec
    assert [int(v) for v in wrapper.action_space.no_op()] == codec.noop()


def _check(wrapper, codec, vector) -> None:
    malmo, (destroy, destroy_slot) = wrapper.action(np.asarray(vector, dtype=np.int64))
    ours = codec.decode(vector)
    assert malmo["forward"] == (ours.forward_back == "forward")
    assert malmo["back"] == (ours.forward_back == "back")
    assert malmo["left"] == (ours.left_right == "left")
    assert malmo["right"] == (ours.left_right == "right")
    for key in ("jump", "sneak", "sprint"):
        assert malmo[key] == (ours.jump_sneak_sprint == key)
    assert list(malmo["camera"]) == [ours.pitch, ours.yaw]
    for key in ("use", "drop", "attack"):
        assert malmo[key] == (ours.functional == key)
    crafted = {malmo[k] for k in ("craft", "craft_with_table", "smelt")} - {"none"}
    if ours.functional == "craft":
        assert crafted == {ours.craft_item}
        kind = next(k for k in ("craft", "craft_with_table", "smelt") if malmo[k] != "none")
        where = codec.metadata.recipe(ours.craft_item)["where"]
        assert kind == {"inventory": "craft", "crafting table": "craft_with_table"}.get(
            where, "smelt"
        )
    else:
        assert not crafted
    slot_item = canonical_item(wrapper._inventory_names[ours.slot])
    assert malmo["equip"] == (slot_item if ours.functional == "equip" else "none")
    assert malmo["place"] == (slot_item if ours.functional == "place" else "none")
    assert destroy == (ours.functional == "destroy")
    if destroy:
        assert destroy_slot == ours.slot


def test_sampled_vectors_mean_the_same_to_minedojo(wrapper, codec) -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        vector = [int(rng.integers(n)) for n in codec.nvec]
        if vector[5] in (5, 6, 7):
            vector[7] = int(rng.integers(1, codec.nvec[7]))  # slot 0 holds air here
        _check(wrapper, codec, vector)


def test_every_craft_argument_matches(wrapper, codec) -> None:
    for item in codec.metadata.craft_smelt_items:
        _check(wrapper, codec, codec.encode(functional="craft", craft_item=item))


def test_minedojo_refuses_air_slots_in_strict_mode(wrapper, codec) -> None:
    with pytest.raises(ValueError, match="equip air"):
        wrapper.action(np.asarray(codec.encode(functional="equip", slot=0)))
