"""agentkit plugin: the offline all-MiniLM-L6-v2 embedder (``minilm``, 384 dimensions)."""

from agentkit_minilm.embedder import (
    DIMENSION,
    MiniLMEmbedder,
    MiniLMSetupError,
    minilm_model_path,
)

__all__ = ["DIMENSION", "MiniLMEmbedder", "MiniLMSetupError", "minilm_model_path"]
