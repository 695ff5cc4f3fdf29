"""World rules as data and the decomposer that plans from them (GITM with text knowledge)."""

from agentkit.knowledge.decompose import Option, Step, Unreachable, chain, chain_for_rule, options
from agentkit.knowledge.prerequisites import Prerequisite, prerequisites
from agentkit.knowledge.rules import Knowledge, Need, Rule, Threat

__all__ = [
    "Knowledge",
    "Need",
    "Option",
    "Prerequisite",
    "Rule",
    "Step",
    "Threat",
    "Unreachable",
    "chain",
    "chain_for_rule",
    "options",
    "prerequisites",
]
