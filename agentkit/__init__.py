"""agentkit: cross-modal LLM agents.

One controller at the centre, N perceivers and tools around it, a LangGraph loop that
plans, acts, observes and critiques, a skill library and episodic memory that make it
learn for its whole life, and plugins for everything that varies.
"""

from agentkit.controller import CallStats, Controller, ControllerError
from agentkit.environment import ActionSpec, Environment, Observation, StepResult
from agentkit.environments import EnvironmentNotFound, make_environment
from agentkit.graph import build_graph, build_lifelong_graph
from agentkit.models import ModelNotFound, resolve_model
from agentkit.perception import Perceiver, Percept
from agentkit.plugins import Registry, get_registry, load_plugins
from agentkit.plugins.hookspecs import hookimpl
from agentkit.runs import (
    LearnConfig,
    RunConfig,
    RunResult,
    resume_learning,
    resume_run,
    start_learning,
    start_run,
)
from agentkit.runtime import AgentRuntime
from agentkit.schemas import Action, Critique, Plan
from agentkit.state import AgentState
from agentkit.steps import Decision, Outcome, StepRecord

__version__ = "0.1.0"

__all__ = [
    "Action",
    "ActionSpec",
    "AgentRuntime",
    "AgentState",
    "CallStats",
    "Controller",
    "ControllerError",
    "Critique",
    "Decision",
    "Environment",
    "EnvironmentNotFound",
    "LearnConfig",
    "ModelNotFound",
    "Observation",
    "Outcome",
    "Perceiver",
    "Percept",
    "Plan",
    "Registry",
    "RunConfig",
    "RunResult",
    "StepRecord",
    "StepResult",
    "__version__",
    "build_graph",
    "build_lifelong_graph",
    "get_registry",
    "hookimpl",
    "load_plugins",
    "make_environment",
    "resolve_model",
    "resume_learning",
    "resume_run",
    "start_learning",
    "start_run",
]
