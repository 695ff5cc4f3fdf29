"""The agentkit entry point: registers the perceiver ``asr`` (speech in ``extras["audio"]``).

Registering costs nothing: the perceiver imports pocketsphinx and loads its model on the
first observation that carries audio, so ``agentkit plugins`` stays fast and runs without
sound pay nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from agentkit.plugins.hookspecs import hookimpl
from agentkit_audio.asr import AsrPerceiver

__all__ = ["register_perceivers"]


@hookimpl
def register_perceivers(register: Callable[..., None]) -> None:
    register(AsrPerceiver())
