"""Resolving --model names: registered plugins first, then LangChain providers."""

import pytest

from agentkit import ModelNotFound, load_plugins, resolve_model
from agentkit.plugins import Named
from agentkit.testing import ScriptedChatModel


def test_registered_models_are_created_by_their_factory(monkeypatch):
    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "")
    registry = load_plugins()
    registry.models["double"] = Named("double", lambda **kw: ScriptedChatModel(**kw))
    model = resolve_model("double", registry, replies=["hi"])
    assert isinstance(model, ScriptedChatModel) and model.replies == ["hi"]


def test_unknown_names_list_what_is_registered(monkeypatch):
    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "")
    with pytest.raises(ModelNotFound, match="registered models: none"):
        resolve_model("gpt-17", load_plugins())


def test_provider_names_go_to_init_chat_model_and_fail_clearly(monkeypatch):
    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "")
    with pytest.raises(ModelNotFound, match="could not create nosuchprovider:some-model"):
        resolve_model("nosuchprovider:some-model", load_plugins())
