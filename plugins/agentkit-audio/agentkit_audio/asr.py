"""The ``asr`` perceiver: speech in ``extras["audio"]`` becomes ``[asr] heard: "..."``.

pocketsphinx decodes offline with the US English model inside its wheel. The general
language model knows 130,000 words and is easily misled; an environment whose instructions
use a small vocabulary should say so (``vocabulary``, ``sentences`` or a JSGF ``grammar``),
which in the measurements of ``bench_asr.py`` cut the word error rate by 40 to 90 %.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentkit.environment import Observation
from agentkit.perception import Percept
from agentkit_audio.audio import AUDIO_KEY, TARGET_RATE, resample, to_pcm16_mono

__all__ = ["AsrPerceiver", "AsrSetupError", "Search", "words_of"]

PAD_SECONDS = 0.5
"""Silence added on both sides: the model expects speech to start and end in silence."""

MAX_DECODERS = 8
"""Decoders kept for searches named by clips; the oldest is dropped beyond this."""

_WORD = re.compile(r"[a-z0-9']+")


class AsrSetupError(RuntimeError):
    """The decoder could not be built: pocketsphinx missing, unknown words, a bad grammar."""


def words_of(text: str) -> list[str]:
    """Lower-case words as the dictionary spells them (letters, digits, apostrophes)."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Search:
    """What the decoder may hear; hashable, so that each search builds one decoder."""

    vocabulary: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()
    grammar: str | None = None
    pronunciations: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        vocabulary: Sequence[str] | None = None,
        sentences: Sequence[str] | None = None,
        grammar: str | None = None,
        pronunciations: Mapping[str, str] | None = None,
    ) -> Search:
        """Normalise the options (lower case, dictionary spelling) and check they fit."""
        if grammar is not None and (vocabulary or sentences):
            raise ValueError("give either a grammar or vocabulary/sentences, not both")
        if isinstance(vocabulary, str) or isinstance(sentences, str):
            raise TypeError("vocabulary and sentences are sequences of strings, not one string")
        if grammar is not None and not isinstance(grammar, str):
            raise TypeError(f"grammar is JSGF text, got {type(grammar).__name__}")
        return cls(
            vocabulary=tuple(w for text in vocabulary or () for w in words_of(text)),
            sentences=tuple(" ".join(words_of(s)) for s in sentences or () if words_of(s)),
            grammar=grammar,
            pronunciations=tuple(sorted((k.lower(), v) for k, v in (pronunciations or {}).items())),
        )

    @property
    def mode(self) -> str:
        """``default``, ``custom-lm`` (vocabulary or sentences) or ``grammar``."""
        if self.grammar is not None:
            return "grammar"
        return "custom-lm" if self.vocabulary or self.sentences else "default"


class AsrPerceiver:
    """Speech recognition of the observation's audio clip with pocketsphinx.

    Constructing is cheap; the decoder loads on the first clip (0.6 s for the default
    model, 0.1 s for a restricted one). By default the wheel's general US English language
    model is used. To restrict it:

    - ``vocabulary``: words the speech uses; ``sentences``: example utterances. Both feed a
      small trigram model over only those words, built at load time, so word order in
      ``sentences`` helps and unseen combinations of their words still decode.
    - ``grammar``: a JSGF grammar (text) for a strict command language; nothing outside it
      can be heard. Exclusive with the two above.
    - ``pronunciations``: ``{"word": "W ER D"}`` in CMU phones, for words the dictionary
      lacks (unknown words are an :class:`AsrSetupError` that names them).

    A clip may carry the same four keys; they then replace the perceiver's own for that
    clip, which is how an environment restricts the registered perceiver.
    """

    def __init__(
        self,
        *,
        vocabulary: Sequence[str] | None = None,
        sentences: Sequence[str] | None = None,
        grammar: str | None = None,
        pronunciations: Mapping[str, str] | None = None,
        name: str = "asr",
        key: str = AUDIO_KEY,
        max_seconds: float = 60.0,
    ) -> None:
        self.search = Search.of(vocabulary, sentences, grammar, pronunciations)
        self.name = name
        self.key = key
        self.max_seconds = max_seconds
        self._decoders: dict[Search, Any] = {}
        self._lock = threading.Lock()

    @property
    def mode(self) -> str:
        return self.search.mode

    @property
    def loaded(self) -> bool:
        """Whether the decoder of the perceiver's own search is built."""
        return self.search in self._decoders

    def load(self, search: Search | None = None) -> Any:
        """Build (once, thread-safe) and return the decoder for ``search`` (default: own)."""
        search = search or self.search
        with self._lock:
            if search not in self._decoders:
                if len(self._decoders) >= MAX_DECODERS:
                    del self._decoders[next(k for k in self._decoders if k != self.search)]
                self._decoders[search] = _build(search)
            return self._decoders[search]

    def _search_of(self, clip: Any) -> Search:
        names = ("vocabulary", "sentences", "grammar", "pronunciations")
        if not isinstance(clip, Mapping) or not any(clip.get(n) for n in names):
            return self.search
        return Search.of(*(clip.get(n) for n in names))

    def transcribe(self, clip: Any) -> str | None:
        """The words heard in one clip of the audio convention; None for an empty clip."""
        decoded = self._decode(clip)
        return None if decoded is None else decoded[0]

    def _decode(self, clip: Any) -> tuple[str, float, Search] | None:
        pcm, rate = to_pcm16_mono(clip)
        if not pcm:
            return None
        search = self._search_of(clip)
        seconds = len(pcm) / rate
        pcm = resample(pcm, rate)[: int(self.max_seconds * TARGET_RATE)]
        silence = bytes(2 * int(PAD_SECONDS * TARGET_RATE))
        decoder = self.load(search)
        with self._lock:
            decoder.start_utt()
            decoder.process_raw(silence + pcm.tobytes() + silence, full_utt=True)
            decoder.end_utt()
            hypothesis = decoder.hyp()
        return (hypothesis.hypstr.strip() if hypothesis is not None else ""), seconds, search

    def perceive(self, observation: Observation) -> Percept | None:
        """``heard: "..."`` for a clip in ``extras[key]``; None without one.

        A malformed clip raises :class:`~agentkit_audio.audio.AudioFormatError`, which
        ``run_perceivers`` reports to the controller instead of a transcript.
        """
        clip = observation.extras.get(self.key)
        if clip is None:
            return None
        decoded = self._decode(clip)
        if decoded is None:
            return None
        transcript, seconds, search = decoded
        text = f'heard: "{transcript}"' if transcript else "heard no words"
        truncated = seconds > self.max_seconds
        if truncated:
            text += f" (only the first {self.max_seconds:g} s were decoded)"
        data = {
            "transcript": transcript,
            "seconds": round(seconds, 3),
            "mode": search.mode,
            "truncated": truncated,
        }
        return Percept(source=self.name, text=text, data=data)


def _build(search: Search) -> Any:
    try:
        from pocketsphinx import Decoder
    except ImportError as error:
        raise AsrSetupError(
            f"pocketsphinx is not installed ({error}); pip install pocketsphinx==5.1.1"
        ) from error
    if search.mode == "custom-lm":
        return _build_custom(Decoder, search)
    decoder = Decoder(loglevel="FATAL")
    for word, phones in search.pronunciations:
        try:
            decoder.add_word(word, phones, True)
        except (RuntimeError, ValueError) as error:
            raise AsrSetupError(f"bad pronunciation {phones!r} for {word!r}: {error}") from error
    if search.grammar is not None:
        try:
            decoder.add_jsgf_string("grammar", search.grammar)
            decoder.activate_search("grammar")
        except (RuntimeError, ValueError) as error:
            raise AsrSetupError(
                f"the JSGF grammar was rejected ({error}); check its syntax, that it has "
                "a public rule, and that every word is in the dictionary"
            ) from error
    return decoder


def _build_custom(decoder_class: Any, search: Search) -> Any:
    """A decoder whose language model and dictionary hold only the search's words.

    The small dictionary is what makes this fast: the same model over the full
    130,000-word dictionary took 6 s to load instead of 0.1 s.
    """
    from pocketsphinx.lm import ArpaBoLM

    lookup = decoder_class(loglevel="FATAL", lm=None)
    spelled = dict(search.pronunciations)
    words = sorted(set(search.vocabulary) | {w for s in search.sentences for w in s.split()})
    phones = {w: spelled.get(w) or lookup.lookup_word(w) for w in words}
    unknown = [w for w, p in phones.items() if not p]
    if unknown:
        raise AsrSetupError(
            f"words not in the pronunciation dictionary: {', '.join(unknown)}; pass "
            'pronunciations={"word": "W ER D"} or spell them out (numbers as words)'
        )
    model = ArpaBoLM(text="\n".join(search.sentences + search.vocabulary), add_start=True)
    model.compute()
    with tempfile.TemporaryDirectory(prefix="agentkit-asr-") as folder:
        arpa, dictionary = Path(folder) / "custom.arpa", Path(folder) / "custom.dict"
        with arpa.open("w") as file:
            model.write(file)
        dictionary.write_text("".join(f"{w} {p}\n" for w, p in phones.items()))
        try:
            return decoder_class(loglevel="FATAL", lm=str(arpa), dict=str(dictionary))
        except (RuntimeError, ValueError) as error:
            raise AsrSetupError(
                f"the custom language model did not load ({error}); check that the "
                "pronunciations use CMU phones such as 'D AO R'"
            ) from error
