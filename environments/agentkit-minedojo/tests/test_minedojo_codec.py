"""The MultiDiscrete codec: names, no-op, round trips and errors."""

from __future__ import annotations

import numpy as np
import pytest

from agentkit_minedojo.codec import DIMENSION_NAMES, FUNCTIONAL, RawAction


def test_space_shape_and_noop(codec) -> None:
    assert codec.nvec == (3, 3, 4, 25, 25, 8, 244, 36)
    assert codec.noop() == [0, 0, 0, 12, 12, 0, 0, 0]
    assert codec.decode(codec.noop()) == RawAction(craft_item=codec.metadata.craft_smelt_items[0])
    assert codec.describe(codec.noop()) == "noop"
    assert len(DIMENSION_NAMES) == 8
    assert FUNCTIONAL == ("noop", "use", "drop", "attack", "craft", "equip", "place", "destroy")


def test_camera_bins(codec) -> None:
    assert [codec.camera_degrees(i) for i in (0, 11, 12, 13, 24)] == [-180, -15, 0, 15, 180]
    assert codec.camera_bin(30) == 14 and codec.camera_bin(-180) == 0
    with pytest.raises(ValueError, match="multiple of 15"):
        codec.camera_bin(10)
    with pytest.raises(ValueError, match="multiple of 15"):
        codec.camera_bin(195)


def test_round_trip_over_sampled_vectors(codec) -> None:
    rng = np.random.default_rng(0)
    for _ in range(500):
        vector = [int(rng.integers(n)) for n in codec.nvec]
        action = codec.decode(vector)
        assert codec.encode_raw(action) == vector
        assert codec.validate(np.asarray(vector, dtype=np.int64)) == vector


def test_round_trip_over_every_value_of_every_dimension(codec) -> None:
    for dim, size in enumerate(codec.nvec):
        for value in range(size):
            vector = codec.noop()
            vector[dim] = value
            assert codec.encode_raw(codec.decode(vector)) == vector


def test_encode_by_name(codec) -> None:
    assert codec.encode(forward_back="forward", jump_sneak_sprint="jump") == [
        1,
        0,
        1,
        12,
        12,
        0,
        0,
        0,
    ]
    assert codec.encode(yaw=90, pitch=-30) == [0, 0, 0, 10, 18, 0, 0, 0]
    craft = codec.encode(functional="craft", craft_item="crafting_table")
    assert craft == [
        0,
        0,
        0,
        12,
        12,
        4,
        codec.metadata.craft_smelt_items.index("crafting_table"),
        0,
    ]
    assert codec.describe(craft) == "craft crafting table"
    assert codec.describe([2, 2, 3, 14, 6, 6, 0, 5]) == (
        "back + right + sprint, turn left 90, look down 30, place slot 5"
    )


@pytest.mark.parametrize(
    ("vector", "message"),
    [
        ([0] * 7, "has 8 numbers"),
        ([3, 0, 0, 12, 12, 0, 0, 0], "forward_back must be in 0..2"),
        ([0, 0, 0, 12, 25, 0, 0, 0], "camera_yaw must be in 0..24"),
        ([0, 0, 0, 12, 12, 0, 244, 0], "craft_argument must be in 0..243"),
        ([0, 0, 0, 12, 12, 0, 0, 36], "inventory_slot must be in 0..35"),
        ([0, 0, 0, 12.5, 12, 0, 0, 0], "camera_pitch must be an integer"),
        (["a", 0, 0, 12, 12, 0, 0, 0], "forward_back must be an integer"),
    ],
)
def test_invalid_vectors_are_named(codec, vector, message) -> None:
    with pytest.raises(ValueError, match=message):
        codec.validate(vector)


def test_invalid_names_are_clear(codec) -> None:
    with pytest.raises(ValueError, match=r"functional must be one of \['noop', 'use'"):
        codec.encode(functional="dig")
    with pytest.raises(ValueError, match="unknown MineDojo item 'wodden_pickaxe'.*wooden_pickaxe"):
        codec.encode(functional="craft", craft_item="wodden_pickaxe")
    with pytest.raises(ValueError, match="needs craft_item"):
        codec.encode(functional="craft")


def test_every_craft_index_decodes_to_its_item(codec) -> None:
    items = codec.metadata.craft_smelt_items
    for index, item in zip(range(len(items)), items, strict=True):
        vector = codec.encode(functional="craft", craft_item=item)
        assert vector[6] == index
        assert codec.decode(vector).craft_item == item
