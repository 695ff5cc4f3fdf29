"""Spelling correction for search queries: a word neither English nor in the library is
replaced by the nearest English word before the query is embedded and matched.

Why: a misspelt word ("wodden pikaxe") is a stranger to the embedder's vocabulary and to
BM25's, so both rankings lose the skill it names. On the development queries with seeded
typing errors (``agentkit bench memory``'s "dev, typos" column) correction took hybrid
top-5 from 26 to 46 % at 100,000 skills, and on the held-out test set from 53.5 to 58.5 %
(only its misspelt queries changed; docs/memory.md).

The word list is the English dictionary inside the ``pyspellchecker`` wheel (160,572
words with their frequencies; nothing is downloaded). A word is corrected only when it is
in neither that list nor the library (``known``): names a library uses ("mineflayer") are
never "corrected". Candidates are the words one edit away (a letter dropped, added,
changed, or two swapped), else two edits for words of five letters or more; the most
frequent wins. Peter Norvig's corrector, without his language model.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Callable, Iterable
from importlib import resources

__all__ = ["LONG_WORD", "SHORT_WORD", "Speller", "correct_query"]

SHORT_WORD = 3  # words this short are left alone: one edit from too many others ("bot")
LONG_WORD = 5  # words this long or longer may be two edits off; shorter ones one
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits(word: str) -> set[str]:
    """Every string one edit from ``word``: a deletion, a swap of neighbours, a
    replacement or an insertion of one letter."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in _LETTERS),
        *(a + c + b for a, b in splits for c in _LETTERS),
    }


class Speller:
    """Corrects words against a frequency list (the English one by default, loaded on
    first use)."""

    def __init__(self, frequencies: dict[str, int] | None = None) -> None:
        self._frequencies = frequencies
        self._lock = threading.Lock()

    @property
    def frequencies(self) -> dict[str, int]:
        with self._lock:
            if self._frequencies is None:
                self._frequencies = _english()
            return self._frequencies

    def known(self, word: str) -> bool:
        return word.lower() in self.frequencies

    def correct_word(self, word: str) -> str:
        """The most frequent known word one edit away, else two (long words only), else
        ``word`` itself."""
        words = self.frequencies
        lower = word.lower()
        near = _edits(lower)
        layers: list[Iterable[str]] = [near]
        if len(lower) >= LONG_WORD:
            layers.append(far for one in near for far in _edits(one))
        for layer in layers:
            found = {candidate for candidate in layer if candidate in words}
            if found:
                return max(found, key=lambda w: (words[w], w))
        return word

    def correct(self, text: str, known: Callable[[str], bool] = lambda _word: False) -> str:
        """``text`` with each word longer than :data:`SHORT_WORD` that neither this list
        nor ``known`` knows replaced by its correction."""

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            if len(word) <= SHORT_WORD or word[1:] != word[1:].lower():
                return word  # too short to tell, or an identifier ("mineBlock")
            if self.known(word) or known(word.lower()):
                return word
            return self.correct_word(word)

        return _WORD.sub(fix, text)


def _english() -> dict[str, int]:
    """pyspellchecker's English word frequencies (a file inside its wheel)."""
    try:
        data = resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise RuntimeError(
            "spelling correction needs the English word list of pyspellchecker: "
            "pip install 'pyspellchecker>=0.9,<0.10' (an agentkit dependency)"
        ) from error
    frequencies = json.loads(gzip.decompress(data))
    return {str(word): int(count) for word, count in frequencies.items()}


_SHARED = Speller()


def correct_query(text: str, known: Callable[[str], bool] = lambda _word: False) -> str:
    """:meth:`Speller.correct` with the shared English speller (loaded once per process)."""
    return _SHARED.correct(text, known)
