"""Skill descriptions for ``agentkit bench memory``: a deterministic synthetic corpus and a
hand-written labelled set of paraphrased task-to-skill queries.

The synthetic descriptions combine a verb, an object and a place or tool ("craft a wooden
pickaxe at a crafting table"); :func:`synthetic_skills` enumerates the product in a fixed
shuffled order, so ``synthetic_skills(n)`` is the same list on every machine and its first
``n`` items are the same for every larger ``n``. The labelled targets are written by hand,
are never produced by the generator, and are inserted among the synthetic skills; each
query words its task differently from its target (a paraphrase, not a copy).

``LABELLED`` is the development set, and ``dev_with_typos()`` the same 50 tasks with
typing errors made by a seeded generator (what spelling correction was designed on, since
the development set has no misspelling). ``test_set()`` reads the held-out test set
(``skill_testset.json``): 200 more tasks over the same 50 targets, four per target, worded
unlike the development query (another verb or synonym, another word order, misspellings, or
a terse form); written by hand before any retrieval ran on it, and never used to tune.
"""

from __future__ import annotations

import functools
import itertools
import json
import random
from pathlib import Path

__all__ = [
    "LABELLED",
    "MAX_SYNTHETIC",
    "TEST_SET_FILE",
    "dev_with_typos",
    "synthetic_skills",
    "test_set",
]

TEST_SET_FILE = Path(__file__).with_name("skill_testset.json")

VERBS = (
    "craft", "build", "repair", "collect", "store", "carry", "place", "smelt", "trade",
    "sharpen", "paint", "polish", "hide", "inspect", "deliver", "dismantle", "upgrade",
    "enchant", "wash", "guard",
)  # fmt: skip
MATERIALS = (
    "a wooden", "a stone", "an iron", "a diamond", "a golden", "a copper", "a bone",
    "a crystal", "an obsidian", "a leather", "a bronze", "a glass",
)  # fmt: skip
ITEMS = (
    "pickaxe", "sword", "axe", "shovel", "hoe", "bucket", "shield", "helmet", "lantern",
    "chest", "door", "ladder", "boat", "fence", "bow", "hammer", "bowl", "cart", "key", "torch",
)  # fmt: skip
PLACES = (
    "at a crafting table", "near the river", "inside the cave", "on the mountain",
    "by the furnace", "in the forest", "at the village market", "beside the lake",
    "in the desert", "under the bridge", "at the base camp", "on the beach",
    "in the mine shaft", "with a hammer", "with a chisel", "using a workbench", "at night",
    "before sunset", "in the snow", "near the lava pool", "in the garden", "at the anvil",
    "on the farm", "inside the tower", "in the swamp",
)  # fmt: skip
MAX_SYNTHETIC = len(VERBS) * len(MATERIALS) * len(ITEMS) * len(PLACES)

# (task as a user or curriculum would word it, the skill description it should retrieve)
LABELLED: tuple[tuple[str, str], ...] = (
    ("make a pickaxe out of wood", "assemble a wood pickaxe from planks and sticks at a table"),
    ("get some wood from the trees", "chop down a tree to gather logs"),
    ("find something to drink", "drink fresh water from a lake or river"),
    ("go to sleep when it gets dark", "rest in a safe shelter through the night"),
    ("plant a sapling in the grass", "sow a young tree seedling on a grass tile"),
    ("put down a crafting table", "set up a workbench on open ground"),
    ("mine some stone", "break rock blocks with a pickaxe to obtain cobblestone"),
    ("make a sword from stone", "forge a cobblestone blade at the workbench"),
    ("get coal", "dig out black fuel ore from a rock face"),
    ("build a furnace", "construct a smelting oven next to the workbench"),
    ("defeat the zombie", "fight off an undead attacker with melee hits"),
    ("kill a skeleton in the cave", "slay the archer monster lurking in dark tunnels"),
    ("eat a cow", "hunt cattle for meat to restore hunger"),
    ("collect a diamond", "extract a precious gem deep underground with an iron pick"),
    ("eat a plant once it is ripe", "harvest grown crops and consume them for food"),
    ("make an iron pickaxe", "smelt metal ore and shape it into a mining tool"),
    ("get iron ore", "quarry metallic ore using a stone pick"),
    ("make a wooden sword", "carve a timber blade at the workbench"),
    ("place a stone block", "lay a cobblestone tile to wall off an area"),
    ("cross the water", "bridge a river by filling it with blocks"),
    ("escape from a monster", "run away from an approaching enemy to stay alive"),
    ("heal up", "recover health by eating, drinking and resting"),
    ("light up the cave", "put a torch on the tunnel wall so it is not dark"),
    ("build a shelter for the night", "enclose yourself with blocks before darkness"),
    ("look for water", "explore until you find a lake to drink from"),
    ("look around the map", "wander in new directions to discover the terrain"),
    ("go back to the table", "return to the crafting bench you placed earlier"),
    ("open the door", "unlock and swing open the entrance of a house"),
    ("fill the bucket with water", "scoop lake water into a pail"),
    ("cook some meat", "roast raw beef over a fire or oven"),
    ("catch a fish", "use a rod to pull a fish from the water"),
    ("tame the wolf", "befriend a wild dog by feeding it bones"),
    ("milk the cow", "draw milk from cattle into a pail"),
    ("shear the sheep", "cut wool from a sheep with shears"),
    ("brew a healing potion", "mix ingredients in a cauldron to make a health drink"),
    ("climb the cliff", "scale a steep rock wall by placing ladders"),
    ("ride the horse", "mount a horse and travel on its back"),
    ("sell the apples", "exchange fruit for coins with a merchant"),
    ("write down what happened", "record the events of the day in a journal"),
    ("read the map", "study the chart to work out where you are"),
    ("turn on the light", "switch the lamp on to brighten the room"),
    ("water the crops", "irrigate the field so plants grow"),
    ("pick up the key", "take the small metal key lying on the floor"),
    ("push the box onto the button", "slide the crate until it presses the switch"),
    ("jump over the gap", "leap across a chasm to the other ledge"),
    ("swim to the island", "cross open water to reach land in the sea"),
    ("throw away the junk", "drop unwanted items from your inventory"),
    ("sort my inventory", "arrange the items in your bag in order"),
    ("wait until morning", "pass the time until the sun rises"),
    ("call for help", "shout to nearby villagers for assistance"),
)

_ORDER_SEED = 20261128


def _descriptions() -> list[str]:
    return [
        f"{verb} {material} {item} {place}"
        for verb, material, item, place in itertools.product(VERBS, MATERIALS, ITEMS, PLACES)
    ]


def synthetic_skills(count: int) -> list[str]:
    """``count`` distinct synthetic skill descriptions, in a fixed pseudo-random order."""
    if not 0 <= count <= MAX_SYNTHETIC:
        raise ValueError(f"synthetic skills: 0 to {MAX_SYNTHETIC:,} can be made, not {count:,}")
    everything = _descriptions()
    random.Random(_ORDER_SEED).shuffle(everything)
    return everything[:count]


@functools.cache
def test_set() -> tuple[tuple[str, str, str], ...]:
    """The held-out test set: ``(task, target description, style)`` triples."""
    data = json.loads(TEST_SET_FILE.read_text())
    return tuple((item["task"], item["target"], item["style"]) for item in data["pairs"])


_TYPO_SEED = 7


def _typo(word: str, rng: random.Random) -> str:
    """One typing error in ``word``: a letter other than the first and the last dropped,
    doubled, or swapped with the one before it (so the first letter may move)."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


@functools.cache
def dev_with_typos() -> tuple[tuple[str, str], ...]:
    """``LABELLED`` with a typing error in about 60 % of the words of four letters or more."""
    rng = random.Random(_TYPO_SEED)
    return tuple(
        (
            " ".join(
                _typo(word, rng) if len(word) >= 4 and rng.random() < 0.6 else word
                for word in task.split()
            ),
            target,
        )
        for task, target in LABELLED
    )
