"""agentkit plugin: WordLlama's offline static embedder (``wordllama``, 256 dimensions)."""

from agentkit_wordllama.embedder import (
    DIMENSION,
    WordLlamaEmbedder,
    WordLlamaSetupError,
    wordllama_files,
)

__all__ = ["DIMENSION", "WordLlamaEmbedder", "WordLlamaSetupError", "wordllama_files"]
