"""agentkit plugin: offline speech recognition of ``extras["audio"]`` (perceiver ``asr``)."""

from agentkit_audio.asr import AsrPerceiver, AsrSetupError, Search, words_of
from agentkit_audio.audio import AUDIO_KEY, TARGET_RATE, AudioFormatError, resample, to_pcm16_mono

__all__ = [
    "AUDIO_KEY",
    "TARGET_RATE",
    "AsrPerceiver",
    "AsrSetupError",
    "AudioFormatError",
    "Search",
    "resample",
    "to_pcm16_mono",
    "words_of",
]
