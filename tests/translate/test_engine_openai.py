"""The ``openai`` engine against a real local HTTP server (conftest ``chat_server``)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from newsdesk.errors import ConfigError, FetchError, HTTPStatusError, TransientFetchError
from newsdesk.translate import (
    Glossary,
    TranslationMemory,
    ViolationKind,
    create_engine,
    enforce,
    prepare_translation,
    required_terms,
)
from newsdesk.translate.engines.openai_compat import OpenAIEngine, OpenAIEngineConfig, chat_messages
from tests.translate.conftest import STEERING_EN, STEERING_VI, STEERING_WRONG, ChatServer

SENTENCE = f"{STEERING_VI} họp tại Hà Nội."
MakeEngine = Callable[..., OpenAIEngine]


@pytest.fixture
def make_engine(chat: ChatServer) -> Iterator[MakeEngine]:
    """Engines on the chat server with the given model name, closed afterwards; no retries by default."""
    engines: list[OpenAIEngine] = []

    def make(model: str = "dictionary", **options: object) -> OpenAIEngine:
        config = {"base_url": chat.url, "model": model, "retries": 0, "backoff": 0, **options}
        built = create_engine("openai", config)
        assert isinstance(built, OpenAIEngine)
        engines.append(built)
        return built

    yield make
    for built in engines:
        built.close()


def test_translates_one_request_per_segment(make_engine: MakeEngine, chat: ChatServer) -> None:
    out = make_engine().translate(["Xin chào.", "", "Bộ Ngoại giao ủng hộ hòa bình."], "vi", "en")
    assert out == ["Hello.", "", "The Ministry of Foreign Affairs supports peace."]
    assert len(chat.requests) == 2
    body = chat.requests[0]["body"]
    assert body["model"] == "dictionary" and body["temperature"] == 0
    assert (
        body["messages"][0]["role"] == "system"
        and "from Vietnamese to English" in body["messages"][0]["content"]
    )
    assert body["messages"][1] == {"role": "user", "content": "Xin chào."}


def test_glossary_terms_of_the_segment_are_in_the_prompt(
    make_engine: MakeEngine, chat: ChatServer, glossary: Glossary
) -> None:
    terms = [
        required_terms(SENTENCE, "vi", "en", glossary),
        required_terms("Xin chào.", "vi", "en", glossary),
    ]
    make_engine().translate([SENTENCE, "Xin chào."], "vi", "en", terms=terms)
    with_terms, without = (request["body"]["messages"][0]["content"] for request in chat.requests)
    assert f'"{STEERING_VI}" → "{STEERING_EN}"' in with_terms
    assert f'Never use these wrong variants: "{STEERING_WRONG}"' in with_terms
    assert 'Ban Chỉ đạo" → "Steering Committee"' not in with_terms, "the longer term won"
    assert "approved terms" not in without and "Never use" not in without


def test_unknown_language_codes_are_named_by_their_code() -> None:
    messages = chat_messages("Xin chào.", "vi", "xx")
    assert "from Vietnamese to xx" in messages[0]["content"]


def test_api_key_is_sent_as_bearer(make_engine: MakeEngine) -> None:
    assert make_engine("secured", api_key="s3cret").translate(["Xin chào."], "vi", "en") == ["Hello."]
    with pytest.raises(HTTPStatusError) as caught:
        make_engine("secured", api_key="wrong").translate(["Xin chào."], "vi", "en")
    assert caught.value.status == 401


@pytest.mark.parametrize(
    ("model", "error", "reason"),
    [
        ("missing", HTTPStatusError, "http_404"),
        ("broken", TransientFetchError, "http_500"),
        ("not-json", FetchError, "bad_response"),
        ("no-choices", FetchError, "bad_response"),
    ],
)
def test_http_failures_are_clear_errors(
    make_engine: MakeEngine, chat: ChatServer, model: str, error: type[FetchError], reason: str
) -> None:
    with pytest.raises(error) as caught:
        make_engine(model).translate(["Xin chào."], "vi", "en")
    assert type(caught.value) is error and caught.value.reason == reason
    assert str(caught.value).startswith(f"{chat.url}/chat/completions: ")
    assert "proxy error" not in str(caught.value), "the reply body is never dumped"


def test_transient_failures_are_retried_a_bounded_number_of_times(
    make_engine: MakeEngine, chat: ChatServer
) -> None:
    assert make_engine("flaky", retries=1).translate(["Xin chào."], "vi", "en") == ["Hello."]
    assert chat.attempts["Xin chào."] == 2
    chat.clear()
    with pytest.raises(TransientFetchError, match="HTTP 500; gave up after 3 attempt"):
        make_engine("broken", retries=2).translate(["Xin chào."], "vi", "en")
    assert chat.attempts["Xin chào."] == 3


def test_a_slow_server_times_out(make_engine: MakeEngine) -> None:
    started = time.monotonic()
    with pytest.raises(TransientFetchError, match=r"no reply within 0\.2s") as caught:
        make_engine("slow", timeout=0.2).translate(["Xin chào."], "vi", "en")
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 1.0


def test_a_closed_port_is_a_transient_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = OpenAIEngineConfig(base_url=f"http://127.0.0.1:{port}/v1", model="m", retries=0)
    with pytest.raises(TransientFetchError) as caught:
        OpenAIEngine(config).translate(["Xin chào."], "vi", "en")
    assert caught.value.reason == "connection"


def test_retry_backoff_doubles() -> None:
    sleeps: list[float] = []
    transport = httpx.MockTransport(lambda request: httpx.Response(503))
    config = OpenAIEngineConfig(base_url="http://llm.local/v1", model="m", retries=3, backoff=0.5)
    with pytest.raises(TransientFetchError):
        OpenAIEngine(config, transport=transport, sleep=sleeps.append).translate(["a"], "vi", "en")
    assert sleeps == [0.5, 1.0, 2.0]


def test_reasoning_blocks_are_dropped() -> None:
    reply = {"choices": [{"message": {"content": "<think>vi→en…</think>\n Hello."}}]}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=reply))
    config = OpenAIEngineConfig(base_url="http://llm.local/v1", model="m")
    assert OpenAIEngine(config, transport=transport).translate(["Xin chào."], "vi", "en") == ["Hello."]


def test_configuration_is_validated() -> None:
    with pytest.raises(ConfigError, match="model"):
        create_engine("openai", {"base_url": "http://x/v1"})
    engine = create_engine("openai", {"base_url": "http://x/v1/", "model": "m", "languages": ["vi", "en"]})
    assert isinstance(engine, OpenAIEngine)
    assert engine.url == "http://x/v1/chat/completions"
    assert engine.languages == {("vi", "en"), ("en", "vi")}
    assert engine.supports("en", "vi") and not engine.supports("vi", "fr")


def test_prepare_flags_and_enforce_repairs_a_forbidden_name(
    make_engine: MakeEngine, glossary: Glossary
) -> None:
    text = f"{SENTENCE} Xin chào."
    prepared = prepare_translation(text, "vi", "en", glossary, TranslationMemory(), make_engine("wrong-name"))
    assert not prepared.manual and prepared.engine == "openai"
    first = prepared.segments[0]
    assert first.machine == f"The {STEERING_WRONG} met in Hanoi."
    assert {v.kind for v in first.violations} == {ViolationKind.MISSING, ViolationKind.FORBIDDEN}
    assert "1 with glossary problems" in prepared.message
    repaired = enforce(first.source, first.machine, "vi", "en", glossary)
    assert repaired.text == f"The {STEERING_EN} met in Hanoi."
    assert [v.found for v in repaired.fixed] == [STEERING_WRONG] and repaired.remaining == ()


def test_prepare_with_an_unreachable_engine_falls_back_to_manual(glossary: Glossary) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(404))
    engine = OpenAIEngine(OpenAIEngineConfig(base_url="http://llm.local/v1", model="m"), transport=transport)
    prepared = prepare_translation("Xin chào.", "vi", "en", glossary, TranslationMemory(), engine)
    assert prepared.manual and prepared.engine is None
    assert "openai engine failed" in prepared.message and "HTTP 404" in prepared.message
