"""Where a memory lives: a folder (embedded) or a pair of servers (shared), from one string.

One string, so a CLI option, an environment variable and a config field can all carry it:

- a folder path: the embedded default, SQLite records and a ``chromadb.PersistentClient``
  in that folder, one process at a time;
- ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?chroma=http://HOST:PORT``: the
  canonical records in PostgreSQL and the vector index on Chroma's server (``chroma run``),
  for many processes and machines at once. ``chroma`` defaults to ``http://127.0.0.1:8000``;
  every other query parameter goes to PostgreSQL (``sslmode=require``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["DEFAULT_CHROMA_URL", "SERVER_SCHEMES", "MemoryLocation", "is_server_url"]

DEFAULT_CHROMA_URL = "http://127.0.0.1:8000"
SERVER_SCHEMES = ("postgresql", "postgres")


def is_server_url(text: str | Path) -> bool:
    """Whether ``text`` names the server set-up (a ``postgresql://`` URL) rather than a folder."""
    return isinstance(text, str) and urlsplit(text).scheme in SERVER_SCHEMES


@dataclass(frozen=True)
class MemoryLocation:
    """A parsed location: ``folder`` for the embedded backend, else ``records`` (the
    PostgreSQL connection string, without ``chroma``) and ``chroma`` (the server's URL)."""

    folder: Path | None = None
    records: str | None = None
    chroma: str | None = None

    @classmethod
    def parse(cls, where: str | Path | MemoryLocation) -> MemoryLocation:
        """A folder path or a ``postgresql://...?chroma=...`` URL; see the module doc."""
        if isinstance(where, MemoryLocation):
            return where
        if not is_server_url(where):
            if isinstance(where, str) and "://" in where:
                scheme = where.split("://", 1)[0]
                raise ValueError(
                    f"unsupported memory URL scheme {scheme!r}: give a folder, or "
                    "postgresql://USER@HOST:PORT/DATABASE?chroma=http://HOST:PORT"
                )
            return cls(folder=Path(where))
        parts = urlsplit(str(where))
        query = parse_qsl(parts.query, keep_blank_values=True)
        chroma = [value for key, value in query if key == "chroma"]
        rest = [(key, value) for key, value in query if key != "chroma"]
        chroma_url = chroma[-1] if chroma else DEFAULT_CHROMA_URL
        chroma_parts = urlsplit(chroma_url)
        if chroma_parts.scheme not in ("http", "https") or not chroma_parts.hostname:
            raise ValueError(
                f"chroma= must be an http(s) URL such as {DEFAULT_CHROMA_URL}, not {chroma_url!r}"
            )
        if not parts.path.strip("/"):
            raise ValueError(
                f"the memory URL {cls._hide(str(where))} names no database: "
                "postgresql://USER@HOST:PORT/DATABASE"
            )
        records = urlunsplit(parts._replace(query=urlencode(rest)))
        return cls(records=records, chroma=chroma_url)

    @property
    def is_server(self) -> bool:
        return self.records is not None

    @staticmethod
    def _hide(url: str) -> str:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))

    def __str__(self) -> str:
        """For messages: the folder, or the URL with any password hidden."""
        if self.folder is not None:
            return str(self.folder)
        return f"{self._hide(self.records or '')} (index on Chroma at {self.chroma})"
