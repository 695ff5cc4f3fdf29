"""Building MineDojo's simulator, and saying plainly why it cannot be built.

``minedojo.make`` only assembles Python objects; the first ``reset`` launches Minecraft
through ``minedojo/sim/Malmo/Minecraft/launchClient.sh``. When the Malmo mod
(``build/libs/MalmoMod-0.37.0-fat.jar``) has not been built yet, that script runs
``./gradlew runClient``, which needs a Java 8 JDK and network access to download Forge,
ForgeGradle and MixinGradle. Those dependencies no longer resolve (MineDojo issues 113, 117
and 138: ``Could not find com.github.SpongePowered:MixinGradle:dcfaf61``), so a fresh
install cannot build the simulator. On the Python side MineDojo 0.1 also needs the stack it
was written for: ``gym==0.21.0`` (later gym's ``Dict`` breaks its action wrapper, and pip >=
24.1 rejects gym 0.21's metadata) and ``numpy<1.24`` (it uses ``np.int`` and ``np.float``).

:func:`simulator_status` checks all of this in well under a second without starting
anything; :func:`make_simulator` refuses early with :class:`MineDojoUnavailable` (its message
lists what is missing) unless ``AGENTKIT_MINEDOJO_SIM=1`` asks to try anyway.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from agentkit_minedojo.metadata import INSTALL_HINT, MineDojoNotInstalled, minedojo_package_dir

__all__ = [
    "FORCE_ENV_VAR",
    "ISSUES",
    "MOD_JAR",
    "MineDojoUnavailable",
    "SimulatorStatus",
    "make_simulator",
    "simulator_status",
]

FORCE_ENV_VAR = "AGENTKIT_MINEDOJO_SIM"
ISSUES = (
    "https://github.com/MineDojo/MineDojo/issues/113",
    "https://github.com/MineDojo/MineDojo/issues/117",
    "https://github.com/MineDojo/MineDojo/issues/138",
)
MOD_JAR = Path("sim/Malmo/Minecraft/build/libs/MalmoMod-0.37.0-fat.jar")
_NEEDS = (
    "The real MineDojo simulator needs MineDojo's own stack: Python 3.9 with gym==0.21.0 and "
    "numpy<1.24, a Java 8 JDK, and on the first run gradle with network access to build the "
    "Malmo Forge mod (build/libs/MalmoMod-0.37.0-fat.jar), whose build dependencies no longer "
    "resolve upstream (MineDojo issues 113, 117, 138: " + ", ".join(ISSUES) + "). Known "
    "workarounds: a patched build.gradle (MineDojo pull request 137) or a prebuilt mod jar "
    "copied into the package."
)


class MineDojoUnavailable(RuntimeError):
    """The MineDojo simulator cannot be built or started here; the message says why."""


@dataclass
class SimulatorStatus:
    """What stands between this machine and a running MineDojo simulator."""

    problems: list[str] = field(default_factory=list)
    package_dir: Path | None = None
    java: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def explain(self) -> str:
        if self.ok:
            return "the MineDojo simulator looks buildable here"
        listed = "\n".join(f"- {problem}" for problem in self.problems)
        return (
            f"MineDojo's simulator cannot run here:\n{listed}\n{_NEEDS} "
            f"Set {FORCE_ENV_VAR}=1 to try anyway."
        )


def _version(dist: str) -> str | None:
    try:
        return importlib_metadata.version(dist)
    except importlib_metadata.PackageNotFoundError:
        return None


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])


def _java_version(java: str) -> str | None:
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "([^"]+)"', done.stderr + done.stdout)
    return match.group(1) if match else None


def simulator_status() -> SimulatorStatus:
    """Check, without launching anything, whether MineDojo's simulator can start here."""
    status = SimulatorStatus()
    try:
        status.package_dir = minedojo_package_dir()
    except MineDojoNotInstalled:
        status.problems.append(f"the minedojo package is not installed ({INSTALL_HINT})")
        return status
    numpy_version = _version("numpy")
    if numpy_version and _release(numpy_version) >= (1, 24):
        status.problems.append(
            f"numpy {numpy_version} is installed; MineDojo 0.1 uses np.int/np.float, removed "
            "in numpy 1.24 (needs numpy<1.24)"
        )
    gym_version = _version("gym")
    if gym_version is None:
        status.problems.append("gym is not installed (MineDojo 0.1 needs gym==0.21.0)")
    elif _release(gym_version) != (0, 21, 0):
        status.problems.append(
            f"gym {gym_version} is installed; MineDojo 0.1 needs gym==0.21.0 (from gym 0.22 "
            "on, `key in space.keys()` tests membership of the space, which breaks its "
            "NNActionSpaceWrapper)"
        )
    java = shutil.which("java")
    if java is None:
        status.problems.append("no `java` on PATH (MineDojo needs a Java 8 JDK)")
    else:
        status.java = _java_version(java) or "unknown"
        if not (status.java.startswith("1.8") or status.java.split(".")[0] == "8"):
            status.problems.append(
                f"java {status.java} is on PATH; MineDojo's Forge 1.11.2 mod needs Java 8"
            )
    jar = status.package_dir / MOD_JAR
    if not jar.is_file():
        status.problems.append(
            f"the Malmo mod is not built ({jar} is missing): the first reset would run "
            "gradle, which needs network access and fails upstream (issues 113/117/138)"
        )
    return status


def forced() -> bool:
    return os.environ.get(FORCE_ENV_VAR, "").strip() == "1"


def make_simulator(task: str, image_size: tuple[int, int], **kwargs: Any) -> Any:
    """``minedojo.make(task, image_size=..., **kwargs)``, or :class:`MineDojoUnavailable`.

    Checks :func:`simulator_status` first unless ``AGENTKIT_MINEDOJO_SIM=1``.
    """
    if not forced():
        status = simulator_status()
        if not status.ok:
            raise MineDojoUnavailable(status.explain())
    try:
        import minedojo

        return minedojo.make(task, image_size=image_size, **kwargs)
    except Exception as error:
        raise MineDojoUnavailable(
            f"minedojo.make({task!r}) failed: {type(error).__name__}: {error}\n{_NEEDS}"
        ) from error


def unavailable_from(error: BaseException, during: str) -> MineDojoUnavailable:
    """Wrap a failure of the real simulator (e.g. gradle failing in the first reset)."""
    return MineDojoUnavailable(
        f"the MineDojo simulator failed during {during}: {type(error).__name__}: {error}\n{_NEEDS}"
    )
