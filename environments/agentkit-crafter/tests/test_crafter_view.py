"""The agent sees the 9 x 7 window around the player and nothing else."""

from __future__ import annotations

import re

from crafter_helpers import carve

from agentkit_crafter import CrafterEnvironment
from agentkit_crafter.view import offset_text


def test_text_mentions_only_cells_in_the_view(env: CrafterEnvironment) -> None:
    px, py = carve(env, radius=7)
    world = env.world
    world[(px + 4, py + 3)] = "diamond"  # corner of the view: visible
    world[(px - 2, py - 1)] = "tree"  # visible
    world[(px + 5, py)] = "coal"  # one column beyond the view
    world[(px - 6, py)] = "iron"  # six cells west
    world[(px, py - 4)] = "water"  # one row beyond the view (north)
    world[(px + 1, py + 4)] = "lava"  # one row beyond the view (south)
    text = env.observe().text
    assert "- diamond 3 steps south, 4 steps east" in text
    assert "- tree 1 step north, 2 steps west" in text
    for hidden in ("coal", "iron", "water", "lava", "stone"):
        assert hidden not in text, hidden


def test_nearest_instance_of_each_kind_is_listed_once(env: CrafterEnvironment) -> None:
    px, py = carve(env, radius=7)
    env.world[(px + 1, py)] = "tree"
    env.world[(px - 3, py)] = "tree"
    text = env.observe().text
    assert re.findall(r"^- tree .*$", text, re.M) == ["- tree 1 step east"]


def test_text_has_facing_vitals_inventory(env: CrafterEnvironment) -> None:
    px, py = carve(env, radius=7)
    fx, fy = px + int(env.player.facing[0]), py + int(env.player.facing[1])
    env.world[(fx, fy)] = "water"
    env.player.inventory["wood"] = 3
    text = env.observe().text
    assert "You face water (south)." in text  # a new player faces south
    assert "Health 9/9, food 9/9, drink 9/9, energy 9/9." in text
    assert "Inventory: wood 3." in text
    assert len(text.splitlines()) <= 12


def test_observation_exposes_no_world_map() -> None:
    env = CrafterEnvironment(render=True, size=96)
    obs = env.reset(4)
    assert set(obs.extras) == {"inventory", "achievements", "position", "facing", "sleeping"}
    assert obs.extras["position"] == [32, 32]
    assert list(obs.images) == ["rgb"]
    assert obs.images["rgb"].shape == (96, 96, 3)
    result = env.step("noop")
    assert "semantic" not in result.info
    assert set(result.observation.extras["inventory"]) >= {"health", "food", "drink", "energy"}


def test_render_off_has_no_images() -> None:
    env = CrafterEnvironment(render=False)
    obs = env.reset(4)
    assert obs.images == {} and env.frame() is None


def test_offset_text() -> None:
    assert offset_text(-1, -2) == "2 steps north, 1 step west"
    assert offset_text(3, 0) == "3 steps east"
    assert offset_text(0, 1) == "1 step south"


def test_perceivers_do_not_read_the_frame_the_text_already_states() -> None:
    from agentkit import Percept
    from agentkit.perception import run_perceivers

    class ImageKeys:
        name = "keys"

        def perceive(self, observation):  # type: ignore[no-untyped-def]
            return Percept(source="keys", text=",".join(sorted(observation.images)))

    env = CrafterEnvironment(size=64)  # drawing frames
    observation = env.reset(seed=1)
    assert "rgb" in observation.images and env.text_covers == ("rgb",)
    percepts, _ = run_perceivers([ImageKeys()], observation, covered=env.text_covers)
    assert percepts[0].text == ""
    assert "rgb" in observation.images  # the frame stays for replays and GIFs
    env.text_covers = ()  # an instance may opt back in
    percepts, _ = run_perceivers([ImageKeys()], observation, covered=env.text_covers)
    assert percepts[0].text == "rgb"
