"""A cross-modal world for agentkit: the goal is only on a sign, the password only spoken."""

from agentkit_crossmodal.env import (
    DOORS,
    TASK_OPEN,
    TASK_SAY,
    WORDS,
    CrossmodalEnvironment,
    sign_text,
    spoken_text,
)
from agentkit_crossmodal.speech import SpeechSetupError

__all__ = [
    "DOORS",
    "TASK_OPEN",
    "TASK_SAY",
    "WORDS",
    "CrossmodalEnvironment",
    "SpeechSetupError",
    "__version__",
    "sign_text",
    "spoken_text",
]
__version__ = "0.1.0"
