"""The viewer's only state-changing actions: delete a run, import a skill pack.

Both are off unless ``agentkit ui --allow-write`` started the server, and each request must
carry that start's token in the ``X-Agentkit-Token`` header (the token is printed once, in
the URL's fragment, which browsers never send to a server or log). A custom header also
means a page on another origin cannot send the request without a CORS preflight, which
this server never answers.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentkit.ui.runindex import LIVE_SECONDS, RunIndex, run_folder

if TYPE_CHECKING:
    from agentkit.memory import Embedder

__all__ = ["TOKEN_HEADER", "WriteAccess", "delete_run", "import_skills"]

TOKEN_HEADER = "x-agentkit-token"


@dataclass
class WriteAccess:
    """Whether writes are allowed, and the token that proves a request comes from the user."""

    enabled: bool = False
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def allows(self, presented: str | None) -> bool:
        return (
            self.enabled
            and presented is not None
            and secrets.compare_digest(presented.encode(), self.token.encode())
        )


def delete_run(home: Path, index: RunIndex, run_id: str) -> dict[str, Any]:
    """Remove ``<home>/runs/<run_id>``; a run still writing (status running) is refused."""
    folder = run_folder(home, run_id)
    if folder is None:
        raise LookupError(f"no run {run_id!r}")
    row = index.row(run_id)
    if row is not None and row["status"] == "running":
        raise PermissionError(
            f"run {run_id} wrote in the last {LIVE_SECONDS:.0f} s; stop it before deleting"
        )
    shutil.rmtree(folder)
    return {"deleted": run_id}


def import_skills(home: Path, pack: bytes, embedder: str | Embedder) -> dict[str, int]:
    """Import a skill pack (``agentkit skills export`` format) into the home's library;
    ``embedder`` is a registered embedder's name or an embedder."""
    from agentkit.memory import SkillLibrary, memory_folder, resolve_embedder
    from agentkit.plugins import get_registry

    if isinstance(embedder, str):
        embedder = resolve_embedder(embedder, get_registry())
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "pack.json"
        path.write_bytes(pack)
        library = SkillLibrary.open(memory_folder(home), embedder)
        try:
            return library.import_pack(path)
        finally:
            library.close()
