"""The nodes of the agent loop, one module each: perceive, recall, plan, decide, execute,
critique, learn, curriculum."""
