"""JavaScript skills from select-mode steps, and the example program's shape."""

from __future__ import annotations

from agentkit_minecraft.names import game_names
from agentkit_minecraft.programs import (
    EXAMPLE_PROGRAM,
    PRIMITIVES,
    function_listing,
    js_identifier,
    skill_source,
)


def test_skill_calls_the_primitives_of_the_steps_that_worked() -> None:
    steps = [
        ("mine", "oak_log 3", True),
        ("mine", "diamond_block 1", False),
        ("craft", "oak_planks 4", True),
        ("skill:makeSticks", None, True),
        ("craft", "not_an_item", True),
        ("noop", None, True),
        ("smelt", "raw_iron 2", True),
        ("smelt", "raw_iron 1 oak_planks", True),
    ]
    code = skill_source("makeTable", "Craft a table,\n from logs */", steps,
                        names=game_names("1.20.4"))
    lines = code.splitlines()
    assert lines[0] == "// Craft a table, from logs * /"
    assert lines[1] == "async function makeTable(bot) {"
    assert lines[2] == ('  if (!bot.findBlock({ matching: "oak_log", maxDistance: 32 })) '
                        'await exploreUntil(bot, "oak_log", 60);')  # as the mine step does
    assert lines[3] == '  if ((await mineBlock(bot, "oak_log", 3)) === false) return false;'
    assert lines[4] == '  if ((await craftItem(bot, "oak_planks", 4)) === false) return false;'
    assert lines[5] == "  if ((await makeSticks(bot)) === false) return false;"
    assert lines[6].startswith('  if ((await smeltItem(bot, "raw_iron", (bot.inventory.items()')
    assert lines[6].endswith(", 2)) === false) return false;")
    assert lines[7] == (
        '  if ((await smeltItem(bot, "raw_iron", "oak_planks", 1)) === false) return false;'
    )
    assert lines[8:] == ["  return true;", "}"]


def test_skills_from_knowledge_steps_pick_the_wood_when_they_run() -> None:
    steps = [("mine", "log", True), ("craft", "planks", True), ("mine", "log", True)]
    code = skill_source("planks", "", steps, names=game_names("1.20.4"))
    assert code.count("const target = (bot.findBlock({ matching: (b) => /_log$/") == 2
    assert "const target = (bot.inventory.items().find((b) => /_log$/" in code
    assert '.name.replace(/_log$/, "_planks")' in code
    assert "await mineBlock(bot, target, 1)" in code and "await craftItem(bot, target, 1)" in code
    assert code.count("{") == code.count("}")


def test_identifiers() -> None:
    assert js_identifier("craft table!") == "craft_table_"
    assert js_identifier("3logs") == "_3logs"
    assert js_identifier("mineBlock") == "mineBlock_"
    assert js_identifier("delete") == "delete_"


def test_example_defines_run() -> None:
    assert EXAMPLE_PROGRAM.startswith("async function run(bot) {")
    assert 'await mineBlock(bot, "oak_log", 1);' in EXAMPLE_PROGRAM


def test_function_listing_has_the_primitives_then_the_skills() -> None:
    lines = function_listing([{"name": "makeTable", "description": "craft a\n table"},
                              {"name": "run", "description": ""}])
    assert [line.split("(")[0] for line in lines[: len(PRIMITIVES)]] == [
        f"await {name}" for name in PRIMITIVES]
    assert lines[-2] == "await makeTable(bot) // learned skill: craft a table"
    assert lines[-1] == "await run_(bot) // learned skill: no description"
