"""MineDojo observation dicts map onto agentkit observations."""

from __future__ import annotations

import numpy as np
import pytest
from minedojo_layout import (
    blank_observation,
    documented_layout,
    layout_of_space,
    real_spaces,
    sample_observation,
)

from agentkit_minedojo.metadata import canonical_item, display_name
from agentkit_minedojo.observation import ObservationMapper, facing_name, rgb_hwc

IMAGE = (16, 24)
VOXELS = {"xmin": -1, "ymin": -1, "zmin": -1, "xmax": 1, "ymax": 1, "zmax": 1}


@pytest.fixture(scope="module")
def real_layout(meta):
    observation_space, _ = real_spaces(IMAGE, VOXELS, [(0.0, 0.0, 10.0)])
    return layout_of_space(observation_space)


def test_documented_layout_matches_minedojos_own_spaces(meta, real_layout) -> None:
    documented = documented_layout(meta, IMAGE, (3, 3, 3), rays=1, wrappers=False)
    # ARMasksWrapper drops full_stats; the wrapper keys (masks, delta_inv) are added later.
    real = {k: v for k, v in real_layout.items() if not k.startswith("full_stats.")}
    assert sorted(real) == sorted(documented)
    for key, leaf in documented.items():
        assert (real[key].shape, real[key].dtype) == (leaf.shape, leaf.dtype), key


def _layout(meta, source):
    if source == "documented":
        return documented_layout(meta, IMAGE)
    observation_space, _ = real_spaces(IMAGE, VOXELS, [(0.0, 0.0, 10.0)])
    real = layout_of_space(observation_space)
    return {k: v for k, v in real.items() if not k.startswith("full_stats.")}


@pytest.mark.parametrize("source", ["documented", "minedojo"])
def test_sampled_observations_map_to_text_and_images(meta, source) -> None:
    layout = _layout(meta, source)
    mapper = ObservationMapper(meta, voxel_min=(-1, -1, -1))
    rng = np.random.default_rng(7)
    for _ in range(20):
        obs = sample_observation(layout, meta, rng)
        observation = mapper.to_observation(obs)
        text = observation.text
        # Every held item appears with its total count.
        totals: dict[str, int] = {}
        for name, count in zip(obs["inventory"]["name"], obs["inventory"]["quantity"], strict=True):
            if name != "air":
                key = canonical_item(name)
                totals[key] = totals.get(key, 0) + int(count)
        for item, count in totals.items():
            assert f"{count} {display_name(item)}" in text
        assert observation.extras["inventory"] == totals
        # The frame is H x W x 3 and is the CHW frame transposed.
        rgb = observation.images["rgb"]
        assert rgb.shape == (*IMAGE, 3) and rgb.dtype == np.uint8
        assert np.array_equal(rgb, np.transpose(obs["rgb"], (1, 2, 0)))
        assert rgb.flags["C_CONTIGUOUS"]
        life = float(obs["life_stats"]["life"][0])
        assert f"health {life:g}/20" in text
        x = float(obs["location_stats"]["pos"][0])
        assert f"x {x:.1f}" in text
        biome = int(obs["location_stats"]["biome_id"])
        assert f"({biome})" in text
        if meta.biome_name(biome):
            assert f"biome {meta.biome_name(biome)}" in text
        mainhand = canonical_item(obs["equipment"]["name"][0])
        if mainhand != "air":
            assert f"mainhand {display_name(mainhand)}" in text
        assert "Around you:" in text and "Crosshair:" in text


def _scene(meta):
    obs = blank_observation(documented_layout(meta, IMAGE))
    obs["rgb"][0] = 200  # red channel
    inv = obs["inventory"]
    inv["name"][[0, 3, 9]] = ["wooden pickaxe", "log", "log"]
    inv["quantity"][[0, 3, 9]] = [1, 2, 1]
    inv["name"][5] = "crafting table"
    inv["quantity"][5] = 1
    obs["equipment"]["name"][0] = "wooden pickaxe"
    obs["life_stats"]["life"][0] = 20
    obs["life_stats"]["food"][0] = 18
    obs["life_stats"]["oxygen"][0] = 300
    obs["location_stats"]["pos"][:] = [10.3, 64.0, -3.7]
    obs["location_stats"]["yaw"][0] = 90  # facing west (-x)
    obs["location_stats"]["pitch"][0] = 0
    obs["location_stats"]["biome_id"] = np.int64(4)
    obs["nearby_tools"]["table"] = np.bool_(True)
    voxels = obs["voxels"]["block_name"]
    voxels[:, 0, :] = "grass"  # the layer under the feet (y offset -1)
    voxels[0, 1, 1] = "log"  # x offset -1 (west), feet level, z offset 0
    voxels[0, 2, 1] = "leaves"
    obs["voxels"]["cos_look_vec_angle"][0, 1, 1] = 0.99
    obs["masks"]["craft_smelt"][meta.craft_index("planks")] = True
    obs["masks"]["craft_smelt"][meta.craft_index("stick")] = True
    return obs


def test_a_built_scene_reads_as_expected(meta) -> None:
    mapper = ObservationMapper(meta, voxel_min=(-1, -1, -1))
    obs = _scene(meta)
    del obs["rays"]
    observation = mapper.to_observation(obs, task="obtain log (harvest_1_log)")
    lines = observation.text.splitlines()
    assert lines[0] == "Task: obtain log (harvest_1_log)"
    assert lines[1] == "Vitals: health 20/20, food 18/20, oxygen 300/300"
    assert lines[2] == (
        "Location: x 10.3, y 64.0, z -3.7; facing west (yaw 90); level (pitch 0); biome forest (4)"
    )
    assert lines[3] == "Equipment: mainhand wooden pickaxe"
    assert lines[4] == "Inventory (4/36 slots): 3 log, 1 crafting table, 1 wooden pickaxe"
    assert lines[5].startswith("Crosshair: log, ") and lines[5].endswith(
        "(estimated from nearby blocks)"
    )
    assert lines[6] == (
        "Around you: below you grass; ahead log (feet), leaves (head); "
        "blocks within 3x3x3: grass 9, leaves 1, log 1"
    )
    assert lines[7] == "Tools: a crafting table is nearby; no furnace nearby"
    assert lines[8] == "Can craft or smelt now: planks, stick"
    assert observation.images["rgb"].shape == (16, 24, 3)
    assert (observation.images["rgb"][..., 0] == 200).all()
    assert observation.extras["inventory"] == {"log": 3, "crafting_table": 1, "wooden_pickaxe": 1}
    assert observation.extras["biome"] == "forest"


def test_rays_give_the_crosshair_and_entities_win_when_closer(meta) -> None:
    mapper = ObservationMapper(meta, voxel_min=(-1, -1, -1))
    obs = _scene(meta)
    rays = obs["rays"]
    rays["block_name"][0] = "iron ore"
    rays["block_distance"][0] = 2.25
    rays["entity_name"][0] = "null"
    rays["entity_distance"][0] = -1
    for axis, value in zip("xyz", (9.0, 64.0, -4.0), strict=True):
        rays[f"traced_block_{axis}"][0] = value
    state = mapper.parse(obs)
    assert (state.crosshair.name, state.crosshair.block) == ("iron_ore", (9, 64, -4))
    assert "Crosshair: iron ore, 2.2 blocks away" in mapper.render(state)
    rays["entity_name"][0] = "cow"
    rays["entity_distance"][0] = 1.5
    assert mapper.parse(obs).crosshair.name == "cow"


def test_rgb_and_facing_helpers() -> None:
    chw = np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5)
    assert rgb_hwc(chw).shape == (4, 5, 3)
    assert rgb_hwc(chw)[1, 2, 0] == chw[0, 1, 2]
    with pytest.raises(ValueError, match="3 x H x W"):
        rgb_hwc(np.zeros((4, 5), dtype=np.uint8))
    assert [facing_name(y) for y in (0, 90, 180, -90, -180, 45)] == [
        "south",
        "west",
        "north",
        "east",
        "north",
        "southwest",
    ]


def test_partial_observations_still_render(meta) -> None:
    mapper = ObservationMapper(meta)
    assert mapper.to_observation({}).text == "The observation holds no state the adapter can read."
    obs = {"inventory": {"name": np.array(["air"] * 36, dtype=object), "quantity": np.zeros(36)}}
    assert mapper.to_observation(obs).text == "Inventory (0/36 slots): empty"
