"""The nodes of the agent loop, one module each: perceive, plan, act, observe, critique."""
