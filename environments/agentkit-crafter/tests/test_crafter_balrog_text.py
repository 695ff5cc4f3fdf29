"""BALROG's wording of the local view."""

from agentkit_crafter import CrafterEnvironment
from agentkit_crafter.balrog_text import describe_balrog
from agentkit_crafter.view import Cell


def test_wording_matches_balrog():
    cells = [
        Cell(9, 7, "tree"),  # 1 west, 3 north of the player at (10, 10)
        Cell(11, 10, "grass", "cow"),  # a cow hides the grass it stands on
        Cell(10, 11, "water"),
        Cell(12, 10, "grass"),
        Cell(8, 10, "tree"),  # a nearer tree: 2 west
    ]
    inventory = {"health": 9, "food": 7, "drink": 8, "energy": 9, "wood": 2, "sapling": 0}
    text = describe_balrog(cells, (10, 10), (0, 1), inventory)
    assert text == (
        "You see:\n"
        "- tree 2 steps to your west\n"  # kinds in the order met, column by column
        "- water 1 step to your south\n"
        "- cow 1 step to your east\n"
        "- grass 2 steps to your east\n\n"
        "You face water at your front.\n\n"
        "Your status:\n- health: 9/9\n- food: 7/9\n- drink: 8/9\n- energy: 9/9\n\n"
        "Your inventory:\n- wood: 2"
    )


def test_sleeping_and_empty_views_are_worded_as_balrog_does():
    text = describe_balrog([], (5, 5), (1, 0), {"health": 3}, sleeping=True)
    assert text.startswith("You are sleeping, and will not be able take actions until energy")
    assert "You see nothing away from you." in text and "You face nothing at your front." in text
    assert text.endswith("You have nothing in your inventory.")


def test_the_environment_option_switches_the_wording_not_the_world():
    ours, theirs = CrafterEnvironment(render=False), CrafterEnvironment(render=False, text="balrog")
    assert ours.reset(4).text.startswith("You see:") and "Health 9/9" in ours.observe().text
    theirs.reset(4)
    assert "Your status:\n- health: 9/9" in theirs.observe().text
    for action in ["move_left", "do", "move_up", "noop"]:
        ours.step(action)
        theirs.step(action)
    assert ours.fingerprint() == theirs.fingerprint()
