"""A learned skill carries its prerequisites: what each step needs, and which skill gets it."""

from __future__ import annotations

from agentkit.knowledge import Knowledge, Prerequisite, Rule, prerequisites
from agentkit.programs import skill_code_from_actions, unknown_calls

WORLD = Knowledge(
    rules=[
        Rule(name="collect wood", action="collect", argument="tree", gives={"wood": 1}),
        Rule(
            name="place table",
            action="place",
            argument="table",
            consumes={"wood": 2},
            gives={"table": 1},
        ),
        Rule(
            name="make pickaxe",
            action="make",
            argument="pickaxe",
            consumes={"wood": 1},
            near=["table"],
            gives={"pickaxe": 1},
        ),
        Rule(
            name="collect stone",
            action="collect",
            argument="stone",
            requires={"pickaxe": 1},
            gives={"stone": 1},
        ),
        Rule(
            name="make sword",
            action="make",
            argument="sword",
            consumes={"wood": 1, "stone": 1},
            near=["table"],
            gives={"sword": 1},
        ),
    ],
    stations=["table"],
)
LEARNED = {"wood": "collect_wood", "table": "place_table", "stone": "collect_stone"}


def test_a_step_gets_what_the_attempt_found_held_stations_first_then_the_harder_material():
    [needs] = prerequisites(WORLD, [WORLD.rule("make sword")], LEARNED.get)
    assert needs == [
        Prerequisite("table", 1, "place_table"),
        # stone before wood: getting stone needs a pickaxe, which spends wood
        Prerequisite("stone", 1, "collect_stone"),
        Prerequisite("wood", 1, "collect_wood"),
    ]


def test_what_an_earlier_step_gave_is_not_needed_again_and_counts_add_up():
    steps = [WORLD.rule("collect wood"), WORLD.rule("place table"), WORLD.rule("make pickaxe")]
    first, table, pickaxe = prerequisites(WORLD, steps, LEARNED.get)
    assert first == []
    assert table == [Prerequisite("wood", 2, "collect_wood")]  # one held of the two spent
    # the table stands and the guard before it got the wood, which the table then spent
    assert pickaxe == [Prerequisite("wood", 1, "collect_wood")]


def test_a_need_no_learned_skill_gets_is_left_to_the_replay():
    assert prerequisites(WORLD, [WORLD.rule("collect stone")], LEARNED.get) == [[]]
    assert prerequisites(WORLD, [None], LEARNED.get) == [[]]


def test_the_skill_code_runs_the_prerequisite_skills_before_the_step():
    needs = prerequisites(WORLD, [WORLD.rule("make pickaxe")], LEARNED.get)
    code = skill_code_from_actions(
        "make_pickaxe", "make pickaxe", [["make", "pickaxe", True]], needs
    )
    namespace: dict = {}
    calls: list[str] = []
    held = {"wood": 0, "table": 0}

    def collect_wood() -> bool:
        calls.append("collect_wood")
        held["wood"] += 1
        return True

    def place_table() -> bool:
        calls.append("place_table")
        while held["wood"] < 2:
            collect_wood()
        held["wood"] -= 2
        held["table"] = 1
        return True

    def act(name: str, argument: str | None = None) -> dict:
        calls.append(f"{name}({argument})")
        return {"ok": held["table"] >= 1 and held["wood"] >= 1}

    namespace.update(
        holding=lambda item: held.get(item, 0),
        act=act,
        collect_wood=collect_wood,
        place_table=place_table,
    )
    exec(code, namespace)
    assert namespace["make_pickaxe"]() is True
    assert calls == [
        "place_table",
        "collect_wood",
        "collect_wood",  # the table first, spending wood
        "collect_wood",  # then the wood the pickaxe spends
        "make(pickaxe)",
    ]
    assert unknown_calls(code, ["act", "holding", "collect_wood", "place_table"]) == []


def test_a_prerequisite_skill_that_fails_fails_the_skill_before_its_step():
    needs = prerequisites(WORLD, [WORLD.rule("make pickaxe")], LEARNED.get)
    code = skill_code_from_actions(
        "make_pickaxe", "make pickaxe", [["make", "pickaxe", True]], needs
    )
    acted: list[str] = []
    namespace: dict = {
        "holding": lambda item: 0,
        "place_table": lambda: False,
        "collect_wood": lambda: True,
        "act": lambda name, argument=None: acted.append(name) or {"ok": True},
    }
    exec(code, namespace)
    assert namespace["make_pickaxe"]() is False
    assert acted == []


def test_a_prerequisite_skill_that_never_gives_the_item_stops_after_bounded_rounds():
    needs = [[Prerequisite("wood", 1, "collect_wood")]]
    code = skill_code_from_actions(
        "make_pickaxe", "make pickaxe", [["make", "pickaxe", True]], needs
    )
    tries: list[int] = []
    namespace: dict = {
        "holding": lambda item: 0,
        "collect_wood": lambda: tries.append(1) or True,  # "succeeds", gives nothing
        "act": lambda name, argument=None: {"ok": False},
    }
    exec(code, namespace)
    assert namespace["make_pickaxe"]() is False  # the step itself then fails
    assert len(tries) == 4  # 2 * 1 + 2 rounds, not forever
