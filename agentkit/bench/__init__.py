"""Benchmarks as commands (``agentkit bench ...``), so that claims about agents and about
the framework's cost can be checked by anyone with the exact command that made them.

- :mod:`agentkit.bench.scores`: the Crafter score and BALROG progression;
- :mod:`agentkit.bench.random_agent`: the uniform random baseline on raw Crafter actions;
- :mod:`agentkit.bench.crafter`: the Crafter harness under the crafter and balrog protocols;
- :mod:`agentkit.bench.overhead`: a step's time split into environment, LLM and framework;
- :mod:`agentkit.bench.report`: ``results.json``, ``results.md`` and ``achievements.png``.
"""
