"""``agentkit.__all__`` is honest: everything in it exists, everything public is in it."""

import types

import agentkit


def test_everything_in_all_is_importable():
    for name in agentkit.__all__:
        assert hasattr(agentkit, name), name


def test_every_public_name_is_exported():
    public = {
        name
        for name, value in vars(agentkit).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(agentkit.__all__) - {"__version__"}


def test_all_is_sorted_and_unique():
    assert list(agentkit.__all__) == sorted(set(agentkit.__all__))
