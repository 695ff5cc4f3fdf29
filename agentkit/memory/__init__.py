"""Lifelong memory for agents: a versioned skill library and an episodic memory.

Both keep their canonical records in ``<home>/memory/records.sqlite`` and a derived vector
index in ``<home>/memory/chroma/`` (embedded, the default), or in PostgreSQL and on Chroma's
server when given a ``postgresql://...?chroma=...`` location (shared by many processes).
Opening reconciles the two, so a process killed mid-write leaves a memory that opens
consistent. See ``docs/memory.md``.
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
from agentkit.memory.location import MemoryLocation, is_server_url
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
    "MemoryLocation",
    "Skill",
    "SkillHit",
    "SkillLibrary",
    "UnknownEmbedder",
    "is_server_url",
    "memory_folder",
    "memory_location",
    "open_memory",
    "register_hosted",
    "resolve_embedder",
]


def memory_folder(home: Path) -> Path:
    """Where an agentkit home keeps its memory."""
    return Path(home) / "memory"


def memory_location(home: Path | str | MemoryLocation) -> MemoryLocation:
    """Where the memory of ``home`` lives: ``<home>/memory`` for an agentkit home folder, or
    the servers of a ``postgresql://USER@HOST:PORT/DB?chroma=http://HOST:PORT`` URL (what
    ``--memory`` takes)."""
    if isinstance(home, MemoryLocation):
        return home
    if isinstance(home, str) and (is_server_url(home) or "://" in home):
        return MemoryLocation.parse(home)
    return MemoryLocation(folder=memory_folder(Path(home)))


def open_memory(
    home: Path | str | MemoryLocation, embedder: Embedder, *, reindex: bool = False
) -> tuple[SkillLibrary, EpisodicMemory]:
    """The skill library and episodic memory of ``home`` (a home folder, or a server URL:
    see :func:`memory_location`), sharing one folder or one pair of servers.

    ``reindex=True`` rebuilds both indexes for ``embedder`` if it differs from the stored one
    (what ``agentkit skills reindex --embedder NAME`` does) instead of raising
    :class:`EmbedderMismatch`.
    """
    where = memory_location(home)
    skills = SkillLibrary.open(where, embedder, reindex=reindex)
    try:
        episodes = EpisodicMemory.open(where, embedder, reindex=reindex)
    except BaseException:
        skills.close()
        raise
    return skills, episodes
