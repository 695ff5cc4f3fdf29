"""Lifelong memory for agents: a versioned skill library and an episodic memory.

Both keep their canonical records in ``<home>/memory/records.sqlite`` and a derived vector
index in ``<home>/memory/chroma/``; opening reconciles the two, so a process killed
mid-write leaves a memory that opens consistent. See ``docs/memory.md``.
"""

from __future__ import annotations

from pathlib import Path

from agentkit.memory.embedders import (
    Embedder,
    EmbedderError,
    UnknownEmbedder,
    register_hosted,
    resolve_embedder,
)
from agentkit.memory.episodes import Episode, EpisodeHit, EpisodicMemory
from agentkit.memory.skills import Skill, SkillHit, SkillLibrary
from agentkit.memory.store import EmbedderMismatch, MemoryBusy, MemoryCorrupt

__all__ = [
    "Embedder",
    "EmbedderError",
    "EmbedderMismatch",
    "Episode",
    "EpisodeHit",
    "EpisodicMemory",
    "MemoryBusy",
    "MemoryCorrupt",
    "Skill",
    "SkillHit",
    "SkillLibrary",
    "UnknownEmbedder",
    "memory_folder",
    "open_memory",
    "register_hosted",
    "resolve_embedder",
]


def memory_folder(home: Path) -> Path:
    """Where an agentkit home keeps its memory."""
    return Path(home) / "memory"


def open_memory(
    home: Path, embedder: Embedder, *, reindex: bool = False
) -> tuple[SkillLibrary, EpisodicMemory]:
    """The skill library and episodic memory of ``home``, sharing one folder.

    ``reindex=True`` rebuilds both indexes for ``embedder`` if it differs from the stored one
    (what ``agentkit skills reindex --embedder NAME`` does) instead of raising
    :class:`EmbedderMismatch`.
    """
    folder = memory_folder(home)
    skills = SkillLibrary.open(folder, embedder, reindex=reindex)
    try:
        episodes = EpisodicMemory.open(folder, embedder, reindex=reindex)
    except BaseException:
        skills.close()
        raise
    return skills, episodes
