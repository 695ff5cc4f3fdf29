"""Spelling correction of search queries: misspelt words are corrected against English,
and a word any skill's description uses is never touched."""

from __future__ import annotations

import pytest

from agentkit.memory import Skill, SkillLibrary
from agentkit.memory import spelling as spelling_module
from agentkit.memory.spelling import Speller, correct_query
from agentkit.testing import HashingEmbedder

pytest.importorskip("chromadb")

WORDS = {"wooden": 50, "pickaxe": 20, "golden": 30, "woven": 10, "crafting": 15, "table": 40}


def test_one_edit_away_is_corrected_and_the_most_frequent_word_wins() -> None:
    speller = Speller(dict(WORDS))
    assert speller.correct("make a wodden pikaxe") == "make a wooden pickaxe"  # one edit each
    assert speller.correct_word("woden") == "wooden"  # wooden (50) beats woven (10)


def test_two_edits_only_for_long_words() -> None:
    speller = Speller(dict(WORDS))
    assert speller.correct("crafitgn") == "crafting"  # eight letters, two swaps
    assert Speller({"tabla": 1}).correct_word("tbl") == "tbl"  # short: never two edits


def test_known_short_and_unmatched_words_are_left_alone() -> None:
    speller = Speller(dict(WORDS))
    assert speller.correct("golden table") == "golden table"
    assert speller.correct("bot") == "bot"  # three letters: too many neighbours
    assert speller.correct("pikAxe") == "pikAxe"  # an identifier (else "pickaxe")
    assert speller.correct("zzzzqqq") == "zzzzqqq"  # nothing near it
    assert speller.correct("wodden", known=lambda word: word == "wodden") == "wodden"


def test_the_english_list_ships_inside_the_package() -> None:
    assert correct_query("plase a crafitng table") == "place a crafting table"
    assert correct_query("quench my thirst") == "quench my thirst"


def test_a_missing_word_list_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(_package: str) -> None:
        raise ModuleNotFoundError("No module named 'spellchecker'")

    monkeypatch.setattr(spelling_module.resources, "files", missing)
    with pytest.raises(RuntimeError, match="pip install 'pyspellchecker"):
        Speller().correct("wodden")


@pytest.fixture
def library(tmp_path):
    lib = SkillLibrary.open(tmp_path / "memory", HashingEmbedder())
    lib.add_many(
        [
            Skill(name="pick", description="assemble a wooden pickaxe", code="pass"),
            Skill(name="bot", description="connect the mineflayer bot", code="pass"),
            *(
                Skill(name=f"d{i}", description=f"paint a {colour} fence", code="pass")
                for i, colour in enumerate(["red", "blue", "green", "white"])
            ),
        ]
    )
    yield lib
    lib.close()


def test_search_corrects_a_misspelt_query(library: SkillLibrary) -> None:
    plain = library.search("wodden pikaxe", k=1, mode="lexical", spelling=False)
    assert plain == []  # BM25 knows neither word
    hits = library.search("wodden pikaxe", k=1, mode="lexical")
    assert [hit.skill.name for hit in hits] == ["pick"]


def test_search_leaves_the_librarys_own_words_alone(library: SkillLibrary) -> None:
    assert correct_query("mineflayer") != "mineflayer"  # not English: corrected alone
    hits = library.search("mineflayer", k=1, mode="lexical")  # but a description has it
    assert [hit.skill.name for hit in hits] == ["bot"]
