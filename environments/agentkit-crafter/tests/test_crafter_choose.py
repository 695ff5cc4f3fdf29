"""Knowledge mode's act node on a real Crafter world: which recalled skills are offered.

The controller is a test double that records the options it was shown and picks the first.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from agentkit.controller import Decided
from agentkit.memory import Skill, open_memory
from agentkit.nodes.choose import choose_step, idle_key
from agentkit.schemas import Choice
from agentkit.testing import HashingEmbedder

from agentkit_crafter import CrafterEnvironment


class RecordingChooser:
    """Test double for the controller's ``choose``: remembers the options, picks the first."""

    def __init__(self) -> None:
        self.offered: list[list[str]] = []
        self.descriptions: list[str] = []

    def choose(self, **kwargs: Any) -> Decided[Choice]:
        self.offered.append(list(kwargs["options"]))
        self.descriptions.append(kwargs["descriptions"])
        choice = Choice(option=kwargs["options"][0], reason="first")
        return Decided(choice, None, False, "a prompt", "a reply")  # type: ignore[arg-type]


def skill(name: str) -> dict[str, str]:
    return {"name": name, "description": name.replace("_", " "), "code": "def run(): pass"}


def offered(env: CrafterEnvironment, task: str, skills: list[dict[str, str]],
            blocked: list[str] | None = None, library: Any = None) -> list[str]:  # fmt: skip
    chooser = RecordingChooser()
    runtime = SimpleNamespace(env=env, controller=chooser, reason_first=False, skills=library)
    state: dict[str, Any] = {"task": task, "skills": skills, "blocked": blocked or []}
    update = choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    return update["action"]["options"]


def test_a_skill_is_offered_for_a_goal_further_down_the_chain(env: CrafterEnvironment) -> None:
    # an empty inventory on a fresh world: the step offered is collecting wood; a table and
    # the pickaxe come later on the chain, a stone sword is on no chain of the task
    skills = [skill("collect_wood"), skill("place_table"), skill("make_stone_sword"),
              skill("look_around")]  # fmt: skip
    labels = offered(env, "make wood pickaxe", skills)
    # several of the rules' steps in one agent step, in place of the first of them
    assert labels == ["skill:place_table", "skill:look_around"]
    # collect_wood: the very step offered now, nothing gained; make_stone_sword: its goal
    # is on no chain of the task; look_around names no goal: the model judges


def test_a_skill_says_which_goals_it_serves_and_how_many_steps_it_does_in_one(
    env: CrafterEnvironment,
) -> None:
    # described by its task's words alone, a skill beside "collect wood: for
    # make_wood_pickaxe" was passed over: its line says what it serves and saves
    chooser = RecordingChooser()
    runtime = SimpleNamespace(env=env, controller=chooser, reason_first=False, skills=None)
    skills = [skill("place_table"), skill("look_around")]
    state: dict[str, Any] = {"task": "make wood pickaxe", "skills": skills, "blocked": []}
    choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    lines = chooser.descriptions[0].splitlines()
    assert lines == [
        "- skill:place_table: for make_wood_pickaxe: a learned skill that does 3 steps in one"
        " (collect wood x2, place table)",
        "- skill:look_around: a learned skill: look around",  # names no goal: no claim
    ]
    # with 2 wood held, the chain starts at the table, and a skill for a goal one step
    # away claims no steps saved
    env._sim.player.inventory["wood"] = 2
    state["skills"] = [skill("make_wood_pickaxe"), skill("look_around")]
    choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    assert chooser.descriptions[-1].splitlines()[0] == (
        "- skill:make_wood_pickaxe: for make_wood_pickaxe: a learned skill that does 3 steps"
        " in one (place table, collect wood, make wood_pickaxe)"
    )
    state = {"task": "place table", "skills": [skill("place_table")], "blocked": []}
    choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    assert chooser.descriptions[-1].splitlines()[-1] == (
        "- skill:place_table: for place_table: a learned skill: place table"
    )


def test_a_skill_one_step_away_is_not_offered_before_the_step_due(
    env: CrafterEnvironment,
) -> None:
    # 2 wood: the step due is placing the table; collecting wood comes after it on the
    # chain, one step, which the rules will offer then (a 1.5B model chose a collect_wood
    # skill three times in a row here, and the attempt ran out of steps)
    env._sim.player.inventory["wood"] = 2
    labels = offered(env, "make wood pickaxe", [skill("collect_wood"), skill("place_table"),
                                                skill("make_wood_pickaxe")])  # fmt: skip
    # collect_wood: one step, due later; place_table: one step, due now; the task's own
    # skill does the step due and the rest, in its place
    assert labels == ["skill:make_wood_pickaxe"]
    # failed since the last progress: the step due is offered again
    labels = offered(env, "make wood pickaxe", [skill("make_wood_pickaxe")],
                     ["skill:make_wood_pickaxe"])  # fmt: skip
    assert labels == ["place table"]


def test_a_skill_that_repeats_the_one_step_offered_asks_no_model(env: CrafterEnvironment) -> None:
    chooser = RecordingChooser()
    runtime = SimpleNamespace(env=env, controller=chooser, reason_first=False, skills=None)
    state: dict[str, Any] = {"task": "place table", "skills": [skill("collect_wood")],
                             "blocked": []}  # fmt: skip
    update = choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    assert update["action"]["options"] == ["collect wood"] and not chooser.offered
    # the task's own skill stays offered beside its step (without direct reuse, that is
    # the only way it is used)
    state = {"task": "collect wood", "skills": [skill("collect_wood")], "blocked": []}
    update = choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    assert update["action"]["options"] == ["collect wood", "skill:collect_wood"]


def test_a_skill_that_failed_since_the_last_progress_is_not_offered(
    env: CrafterEnvironment,
) -> None:
    labels = offered(env, "make wood pickaxe", [skill("place_table")], ["skill:place_table"])
    assert "skill:place_table" not in labels
    assert labels  # the rules' own steps remain


def test_a_step_with_one_option_records_no_prompt_or_reply(env: CrafterEnvironment) -> None:
    chooser = RecordingChooser()
    runtime = SimpleNamespace(env=env, controller=chooser, reason_first=False, skills=None)
    state: dict[str, Any] = {"task": "collect wood", "skills": [], "blocked": []}
    update = choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    assert update["action"]["options"] == ["collect wood"] and not chooser.offered
    assert (update["action"]["prompt"], update["action"]["reply"]) == ("", "")
    assert "llm" not in update


def test_when_every_option_failed_without_moving_the_world_time_passes(
    env: CrafterEnvironment,
) -> None:
    chooser = RecordingChooser()
    runtime = SimpleNamespace(env=env, controller=chooser, reason_first=False, skills=None)
    found = offered(env, "make wood pickaxe", [])
    state: dict[str, Any] = {"task": "make wood pickaxe", "skills": [], "env_steps": 12}
    # failed, but pressed keys: offered again once everything has failed
    state["blocked"] = list(found)
    update = choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    assert update["action"]["options"] == found
    # failed without a key press at this very world step: the world must move first
    state["blocked"] = [*found, *(idle_key(label, 12) for label in found)]
    update = choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    assert update["action"]["action"] == "noop" and not update["action"]["fallback"]
    assert "options" not in update["action"]
    # one world step later they may work again
    state["env_steps"] = 13
    update = choose_step(runtime, state, env.knowledge())  # type: ignore[arg-type]
    assert update["action"]["options"] == found


def learned(library: Any, name: str, *, verified: bool = True, failures: int = 0) -> None:
    verdict = {"success": True, "source": "world"} if verified else {"success": None}
    library.add(Skill(name=name, description=name.replace("_", " "), code=f"def {name}(): pass",
                      environment="crafter", verdicts=[verdict], successes=1,
                      failures=failures))  # fmt: skip


def test_learned_skills_for_goals_on_the_chain_are_offered_though_not_recalled(
    env: CrafterEnvironment, tmp_path: Path
) -> None:
    # recall by the task's words found none of these for "make iron pickaxe"; the rules'
    # chain names them, so the library is asked for them by name, furthest first
    library, episodes = open_memory(tmp_path, HashingEmbedder())
    try:
        for name in ("collect_wood", "place_table", "make_wood_pickaxe", "collect_stone",
                     "place_furnace", "make_stone_sword"):  # fmt: skip
            learned(library, name)
        learned(library, "collect_coal", verified=False)
        learned(library, "make_stone_pickaxe", failures=1)
        labels = offered(env, "make iron pickaxe", [], library=library)
        without = offered(env, "make iron pickaxe", [])
        # the furthest in place of the step due; each failure brings the next furthest
        ladder, failed = [labels], list(labels)
        for _ in range(4):
            ladder.append(offered(env, "make iron pickaxe", [], [*failed], library))
            failed += ladder[-1]
    finally:
        library.close()
        episodes.close()
    assert without == ["collect wood"]
    # wood is one step (due now); the sword is on no chain; an unverified and a failing
    # skill are not offered; all start with the step due (three are looked up at most:
    # the table comes in when the others have failed)
    assert ladder == [
        ["skill:place_furnace"], ["skill:collect_stone"], ["skill:make_wood_pickaxe"],
        ["skill:place_table"], ["collect wood"],
    ]  # fmt: skip


def test_an_open_task_waits_for_monsters_to_come_near(env: CrafterEnvironment) -> None:
    # By day the 1.5B model went looking for monsters (80-press zombie searches, skeleton
    # hunts of up to 78 presses) while the pickaxe for its night shelter waited.
    from crafter import objects
    from crafter_helpers import carve

    px, py = carve(env, floor="grass")
    open_task = "survive and unlock as many achievements as you can"
    labels = offered(env, open_task, [])
    assert "defeat zombie" not in labels and "defeat skeleton" not in labels
    assert "collect wood" in labels or "collect sapling" in labels  # the other goals stay
    # a task that names the monster still hunts it
    assert "defeat zombie" in offered(env, "defeat zombie", [])
    # and one that comes near is answered in the open task too
    env.world.add(objects.Zombie(env.world, (px + 2, py), env.player))
    env.observe()
    assert offered(env, open_task, []) == ["defeat zombie"]


def test_at_night_a_refused_sleep_gives_way_to_the_goals(env: CrafterEnvironment) -> None:
    # At d2a85bd the night's one answer, sleep, was refused with no shelter in reach, and
    # the agent alternated refused sleeps and waits for 117 of its 150 decisions (seed 19);
    # collecting stone on the way to a goal is what a shelter needs.
    from crafter_helpers import carve

    carve(env, floor="grass")
    env.world.daylight = 0.1
    env.observe()
    open_task = "survive and unlock as many achievements as you can"
    assert offered(env, open_task, []) == ["sleep"]  # the night is answered first
    after = offered(env, open_task, [], ["sleep", idle_key("sleep", 0)])
    assert "sleep" not in after and ("collect wood" in after or "collect sapling" in after)
