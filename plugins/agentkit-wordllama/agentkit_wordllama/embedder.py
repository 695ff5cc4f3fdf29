"""WordLlama's ``l2_supercat`` static embeddings, read from the files the ``wordllama`` wheel ships.

A static embedder is a lookup and a mean: each text is tokenized (the Llama 2 tokenizer, no
special tokens), its token rows of a 32,000 x 256 matrix are averaged and the mean is
scaled to unit length, exactly what ``WordLlamaInference.embed(texts, norm=True)`` computes.

The ``wordllama`` package is found through the import system and never imported: its
``WordLlama.load`` looks in ``~/.cache/wordllama`` and downloads from huggingface.co when a
file is missing, and importing it calls ``logging.basicConfig``. Reading the two files with
``tokenizers`` and ``safetensors`` leaves no path to the network, and both files are checked
against pinned SHA-256 hashes before use.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "DIMENSION",
    "MODEL_PACKAGE",
    "TOKENIZER_FILE",
    "TOKENIZER_SHA256",
    "WEIGHTS_FILE",
    "WEIGHTS_SHA256",
    "WordLlamaEmbedder",
    "WordLlamaSetupError",
    "wordllama_files",
]

DIMENSION = 256
MODEL_PACKAGE = "wordllama"
INSTALL_HINT = "pip install wordllama==0.4.0.post1"
WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
# Hashes of the files in wordllama-0.4.0.post1 (equal to the wheel's RECORD entries).
WEIGHTS_SHA256 = "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5"
TOKENIZER_SHA256 = "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68"
TENSOR = "embedding.weight"


class WordLlamaSetupError(RuntimeError):
    """The ``wordllama`` package or one of its files is missing, or a file's hash differs."""


def _package_folder() -> Path:
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise WordLlamaSetupError(
            f"the wordllama embedder needs the {MODEL_PACKAGE!r} package, which ships the "
            f"l2_supercat weights: {INSTALL_HINT}"
        )
    return Path(locations[0])


def wordllama_files(folder: Path | None = None) -> tuple[Path, Path]:
    """(weights, tokenizer) under ``folder`` (default: the installed ``wordllama`` package),
    each present and matching its pinned SHA-256; a clear error says what to reinstall."""
    root = folder if folder is not None else _package_folder()
    checked = []
    for relative, expected in ((WEIGHTS_FILE, WEIGHTS_SHA256), (TOKENIZER_FILE, TOKENIZER_SHA256)):
        path = root / relative
        if not path.is_file():
            raise WordLlamaSetupError(
                f"{relative} is missing from {root}; reinstall it: {INSTALL_HINT} --force-reinstall"
            )
        actual = _sha256(path)
        if actual != expected:
            raise WordLlamaSetupError(
                f"{path} has SHA-256 {actual}, expected {expected} (wordllama 0.4.0.post1); "
                f"reinstall it: {INSTALL_HINT} --force-reinstall"
            )
        checked.append(path)
    return checked[0], checked[1]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class WordLlamaEmbedder:
    """``embed(texts) -> list[list[float]]``: unit-length 256-dimension vectors.

    The files are checked and loaded on the first non-empty call (thread-safe); ``folder``
    replaces the installed package as their location (tests use it). Each text is pooled on
    its own, so a vector does not depend on the batch: the same text gives the same bits.
    A text with no tokens (only ``""``) is embedded as a single space.
    """

    name = "wordllama"
    dimension = DIMENSION

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._matrix: np.ndarray | None = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._matrix is not None

    def _load(self) -> tuple[np.ndarray, Any]:
        with self._lock:
            if self._matrix is None:
                weights, tokenizer_file = wordllama_files(self.folder)
                from safetensors import safe_open
                from tokenizers import Tokenizer

                with safe_open(str(weights), framework="np", device="cpu") as handle:
                    matrix = np.ascontiguousarray(handle.get_tensor(TENSOR), dtype=np.float32)
                tokenizer = Tokenizer.from_file(str(tokenizer_file))
                tokenizer.no_truncation()
                tokenizer.no_padding()
                if matrix.shape != (tokenizer.get_vocab_size(), DIMENSION):
                    raise WordLlamaSetupError(
                        f"{weights} holds a {matrix.shape} matrix, not "
                        f"({tokenizer.get_vocab_size()}, {DIMENSION}); {INSTALL_HINT}"
                    )
                self._tokenizer = tokenizer
                self._matrix = matrix
        assert self._matrix is not None
        return self._matrix, self._tokenizer

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        matrix, tokenizer = self._load()
        encodings = tokenizer.encode_batch(
            [text or " " for text in texts], add_special_tokens=False
        )
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids = encoding.ids
            out[row] = np.sum(matrix[ids], axis=0, dtype=np.float32) / np.float32(len(ids))
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), np.float32(1e-12))
        result: list[list[float]] = out.tolist()
        return result
