"""The observation text: compact, complete, and the same for the same state."""

from __future__ import annotations

from agentkit_minecraft.render import held_items, render_observation, time_phase

OBSERVATION = {
    "position": {"x": 1.5312, "y": 64, "z": -3.5}, "health": 19.6, "food": 20, "biome": "plains",
    "time_of_day": 6020, "is_day": True, "dead": False,
    "inventory": {"oak_log": 3, "dirt": 1},
    "equipment": {"hand": "oak_log", "head": "leather_helmet", "off_hand": None},
    "nearby_blocks": ["grass_block", "oak_log", "stone"],
    "nearby_entities": {"pig": 6.24, "cow": 12.9}, "chests": {"(3, 64, 5)": {"cobblestone": 4}},
}


def test_rendering() -> None:
    text = render_observation(OBSERVATION, ["pickup: 1 oak_log"])
    assert text.splitlines() == [
        "Position: block x=1 y=64 z=-4; biome: plains; time: afternoon",
        "Health: 20/20; food: 20/20",
        "Inventory (4 items): dirt x1, oak_log x3",
        "Equipment: hand=oak_log, head=leather_helmet",
        "Nearby blocks: grass_block, oak_log, stone",
        "Nearby entities: pig (6 m), cow (13 m)",
        "Chests: (3, 64, 5) cobblestone x4",
        "Events: pickup: 1 oak_log",
    ]
    # drifting values (the clock within a phase, a position within its block) do not
    # change the text; another block does
    drifted = {**OBSERVATION, "time_of_day": 6500, "position": {"x": 1.97, "y": 64.0, "z": -3.1}}
    assert render_observation(drifted) == render_observation(OBSERVATION)
    moved = {**OBSERVATION, "position": {"x": 2.01, "y": 64, "z": -3.5}}
    assert "Position: block x=2 y=64 z=-4" in render_observation(moved)


def test_empty_observation_still_renders() -> None:
    text = render_observation({})
    assert "Inventory (0 items): empty" in text and "Nearby entities: none" in text


def test_phases_and_held_items() -> None:
    assert [time_phase(t) for t in (0, 3000, 9000, 12500, 18000, 23500, None)] == [
        "sunrise", "morning", "afternoon", "sunset", "night", "sunrise", "unknown"]
    assert held_items(OBSERVATION) == {"oak_log": 3, "dirt": 1, "leather_helmet": 1}
