"""Each node of the loop on its own, with the scripted test-double model and a real world."""

import json

from agentkit import Percept
from agentkit.nodes.critique import make_critique, route_after_critique
from agentkit.nodes.decide import make_decide
from agentkit.nodes.execute import make_execute
from agentkit.nodes.perceive import make_perceive
from agentkit.nodes.plan import make_plan
from agentkit.testing import capture_events


def reply(action, argument=None):
    return json.dumps({"action": action, "argument": argument, "reason": "test"})


class Echo:
    name = "echo"

    def perceive(self, observation):
        return Percept(source="echo", text=f"{len(observation.text)} chars")


class Broken:
    name = "broken"

    def perceive(self, observation):
        raise RuntimeError("lens cracked")


def start(seed=0, **extra):
    return {"task": "reach the goal", "seed": seed, "max_steps": 5, "step": 0, **extra}


def test_perceive_resets_the_world_and_runs_perceivers_isolated(make_runtime):
    runtime = make_runtime(perceivers=[Broken(), Echo()])
    update = make_perceive(runtime)(start())
    assert update["percept"].startswith("[S]FFF")
    assert "[echo]" in update["percept"]
    assert "perceiver broken failed: RuntimeError: lens cracked" in update["percept"]


def test_plan_asks_once_and_keeps_the_plan_until_replan(make_runtime):
    runtime = make_runtime([json.dumps({"subgoals": ["go down", "go right"]})])
    plan = make_plan(runtime)
    first = plan(start(percept="x"))
    assert first["plan"] == ["go down", "go right"] and first["llm"]["plan"]["calls"] == 1
    assert plan(start(plan=first["plan"], subgoal=0)) == {}
    assert len(runtime.controller.model.prompts) == 1


def test_act_offers_only_available_actions(make_runtime):
    runtime = make_runtime([reply("fly"), reply("down")])
    update = make_decide(runtime)(start(percept="x", plan=["g"], subgoal=0))
    assert update["action"]["action"] == "down" and update["action"]["fallback"] is False
    assert update["llm"]["decide"]["repairs"] == 1
    assert "unknown action 'fly'" in runtime.controller.model.prompts[1][-1].content


def test_observe_steps_the_world_and_records(make_runtime):
    runtime = make_runtime()
    state = start(action={"action": "down", "argument": None}, plan=["g"], subgoal=0)
    make_perceive(runtime)(state)
    with capture_events() as events:
        update = make_execute(runtime)(state)
    records = [e["record"] for e in events if e["event"] == "step"]
    assert update["step"] == 1 and update["env_steps"] == 1
    # the raw actions go to the action log, not the checkpointed state
    assert "raw_actions" not in update and runtime.actions.read(0, 1) == [1]
    assert records[0]["raw_actions"] == [1]
    assert "S[F]" not in runtime.observation.text and "[F]HFH" in runtime.observation.text
    assert records[0]["action"] == "down" and records[0]["step"] == 1
    assert update["history"] == ["down: ok - reward 0"]


def test_critique_sends_failure_feedback_round_then_replans(make_runtime):
    runtime = make_runtime(max_retries=1)
    critique = make_critique(runtime)
    failed = {"ok": False, "feedback": "bumped into a wall", "done": False}
    first = critique(start(step=1, outcome=failed, plan=["g"], subgoal=0))
    assert first["feedback"] == "bumped into a wall" and first["retries"] == 1
    second = critique(start(step=2, outcome=failed, retries=1, plan=["g"], subgoal=0))
    assert second["replan"] is True and second["retries"] == 0


def test_critique_ends_the_episode_at_max_steps_and_on_success(make_runtime, lake):
    runtime = make_runtime()
    ok = {"ok": True, "feedback": "", "done": False}
    update = make_critique(runtime)(start(step=5, outcome=ok, plan=["g"], subgoal=0))
    assert update["done"] is True
    assert route_after_critique({**update}) == "__end__"
    assert route_after_critique({"done": False}) == "perceive"


def test_critique_asks_the_controller_when_the_world_cannot_check(make_runtime):
    verdict = json.dumps({"success": False, "reasoning": "no", "critique": "try the other way"})
    runtime = make_runtime([verdict], critique_interval=1)
    ok = {"ok": True, "feedback": "", "done": False}
    update = make_critique(runtime)(
        {
            "task": "explore",
            "seed": 0,
            "max_steps": 9,
            "step": 1,
            "outcome": ok,
            "plan": ["look around"],
            "subgoal": 0,
        }
    )
    assert update["feedback"] == "try the other way"
    assert update["llm"]["critique"]["calls"] == 1


def test_a_verified_last_sub_goal_ends_only_tasks_meant_to_end(make_runtime):
    verdict = json.dumps({"success": True, "reasoning": "done", "critique": ""})
    ok = {"ok": True, "feedback": "", "done": False}
    state = {
        "task": "explore",  # the world cannot check it
        "seed": 0,
        "max_steps": 9,
        "step": 1,
        "outcome": ok,
        "plan": ["look around"],
        "subgoal": 0,
    }
    open_ended = make_critique(make_runtime([verdict], critique_interval=1))(state)
    assert open_ended["replan"] is True and not open_ended.get("done")
    lifelong = make_critique(make_runtime([verdict], critique_interval=1, plan_ends_task=True))
    update = lifelong(state)
    assert update["done"] is True and update["success"] is True
    assert update["verdict"]["source"] == "controller"


def test_a_failed_choice_stays_blocked_until_the_world_shows_progress(make_runtime):
    runtime = make_runtime([reply("up"), reply("left")])
    critique, act = make_critique(runtime), make_decide(runtime)
    failed = {"ok": False, "feedback": "no", "done": False}
    state = start(step=1, outcome=failed, plan=["g"], subgoal=0, action={"action": "down"})
    blocked = critique(state)["blocked"]
    assert blocked == ["down"]
    update = act(start(percept="x", plan=["g"], subgoal=0, blocked=blocked))
    assert update["action"]["action"] == "up"
    offered = runtime.controller.model.prompts[0][-1].content
    assert "- down:" not in offered and "- up:" in offered
    ok = {"ok": True, "feedback": "", "done": False}
    quiet = critique(start(step=2, outcome=ok, plan=["g"], subgoal=0, blocked=blocked))
    assert quiet.get("blocked", blocked) == ["down"]
    progress = {**ok, "events": ["unlocked collect_wood"]}
    assert (
        critique(start(step=2, outcome=progress, plan=["g"], subgoal=0, blocked=blocked))["blocked"]
        == []
    )


def test_a_failure_without_a_key_press_is_marked_for_the_world_step_it_happened_at(make_runtime):
    runtime = make_runtime([])
    critique = make_critique(runtime)
    idle = {"ok": False, "feedback": "no shelter", "done": False, "presses": 0}
    state = start(step=1, outcome=idle, plan=["g"], subgoal=0, env_steps=0, action={"action": "x"})
    assert critique(state)["blocked"] == ["x", "x@0"]
    pressed = {**idle, "presses": 3}
    state = start(
        step=1, outcome=pressed, plan=["g"], subgoal=0, env_steps=0, action={"action": "x"}
    )
    assert critique(state)["blocked"] == ["x"]


def test_blocking_removes_single_argument_values_not_the_whole_action():
    from agentkit import ActionSpec
    from agentkit.nodes.decide import without_blocked

    specs = [ActionSpec(name="goto", description="", argument="target", choices=["tree", "cow"])]
    assert without_blocked(specs, ["goto(tree)"])[0].choices == ["cow"]
    assert without_blocked(specs, ["goto(tree)", "goto(cow)"]) == specs  # never empty


def test_a_choice_repeated_without_effect_is_turned_into_failure_feedback(make_runtime):
    runtime = make_runtime(repeat_limit=3)
    critique = make_critique(runtime)
    ok = {"ok": True, "feedback": "", "done": False, "events": [], "reward": 0.0}
    state = start(step=1, outcome=ok, plan=["g"], subgoal=0, action={"action": "left"})
    first = critique(state)
    second = critique({**state, "streak": first["streak"]})
    assert second["streak"] == ["left", 2] and not second.get("blocked")
    third = critique({**state, "streak": second["streak"]})
    assert third["blocked"] == ["left"] and "used 3 times" in third["feedback"]
    eventful = {**ok, "events": ["unlocked collect_wood"]}
    assert critique({**state, "outcome": eventful, "streak": ["left", 2]})["streak"] == ["left", 0]


def test_vision_models_receive_the_frame_as_an_image_block(make_runtime):
    import base64
    import io

    import numpy as np
    from PIL import Image

    from agentkit import Observation

    runtime = make_runtime([reply("down")])
    runtime.controller.image_blocks = True
    frame = np.zeros((8, 8, 3), dtype=np.uint8)
    frame[2, 3] = (255, 0, 0)
    make_perceive(runtime)(start())
    runtime.observation = Observation(text="x", images={"rgb": frame})
    make_decide(runtime)(start(percept="x", plan=["g"], subgoal=0))
    content = runtime.controller.model.prompts[0][-1].content
    assert content[0]["type"] == "text" and content[1]["type"] == "image_url"
    url = content[1]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    decoded = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))))
    assert (decoded == frame).all()


def test_by_relevance_puts_what_the_subgoal_names_first_and_removes_nothing() -> None:
    from agentkit import ActionSpec
    from agentkit.nodes.decide import by_relevance

    specs = [
        ActionSpec(name="mine", description="dig", argument="block", choices=["dirt", "oak_log"]),
        ActionSpec(
            name="craft",
            description="make",
            argument="item",
            choices=["oak_planks", "crafting_table", "stick"],
        ),
        ActionSpec(name="noop", description="wait"),
    ]
    ordered = by_relevance(specs, "Craft sticks")
    assert [s.name for s in ordered] == ["craft", "mine", "noop"]
    assert ordered[0].choices == ["stick", "oak_planks", "crafting_table"]  # plural meets singular
    assert ordered[1].choices == ["dirt", "oak_log"]  # nothing named: own order kept
    mined = by_relevance(specs, "mine a log")
    assert [s.name for s in mined] == ["mine", "craft", "noop"]
    assert mined[0].choices == ["oak_log", "dirt"]
    # the sub-goal first, then the task; stop words ("a") match nothing
    planned = by_relevance(specs, "mine a log", task="craft a crafting table")
    assert planned[0].name == "mine" and planned[1].choices == [
        "crafting_table",
        "oak_planks",
        "stick",
    ]
    assert by_relevance(specs, "a")[1].choices == specs[1].choices
    assert sorted(by_relevance(specs, "")[1].choices or []) == sorted(specs[1].choices or [])
    assert specs[1].choices == ["oak_planks", "crafting_table", "stick"]  # inputs not changed


def test_perceive_hides_images_the_environment_says_its_text_covers(make_runtime):
    import numpy as np

    class Shown:
        name = "shown"

        def perceive(self, observation):
            return Percept(source="shown", text="images: " + ",".join(sorted(observation.images)))

    runtime = make_runtime(perceivers=[Shown()])
    runtime.observation = runtime.env.reset(seed=0).model_copy(
        update={"images": {"rgb": np.zeros((2, 2, 3)), "map": np.ones((2, 2, 3))}}
    )
    runtime.episode_key = (0, 0)
    runtime.env.text_covers = ("rgb",)
    try:
        percept = make_perceive(runtime)(start())["percept"]
    finally:
        del runtime.env.text_covers
    assert "[shown] images: map" in percept
