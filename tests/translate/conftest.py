"""Fixtures of the translate tests: a sample glossary, a tiny real CTranslate2 model, a chat server.

The model: no model can be downloaded, so one is *built* once per session — a
SentencePiece model trained in-process on a few hundred generated lines, and a
one-layer Transformer (d_model 16) with random weights assembled through
``ctranslate2.specs`` and saved with ``spec.save``. ``ctranslate2.Translator``
loads it like any converted OPUS-MT model; its output is gibberish, which is all
the tests need: the loading, tokenizing, batching and decoding code is real.

The chat server: a Starlette app served by uvicorn in a thread on a free port,
implementing ``POST /v1/chat/completions`` deterministically (a fixed dictionary
of translations). The ``model`` name selects a behaviour: ``dictionary``,
``wrong-name`` (uses a forbidden variant), ``secured`` (needs a Bearer key),
``broken`` (HTTP 500), ``missing`` (HTTP 404), ``flaky`` (HTTP 503 on the first
call of each segment), ``slow`` (answers after 1 s), ``not-json``, ``no-choices``.
"""

from __future__ import annotations

import asyncio
import io
import random
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sentencepiece as spm
import uvicorn
from ctranslate2.specs import TransformerSpec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from newsdesk.translate import EntryStatus, Glossary, Term, TermEntry, TermUsage

# --- glossary -----------------------------------------------------------------------------------

STEERING_VI = "Ban Chỉ đạo công tác thông tin đối ngoại"
STEERING_EN = "Steering Committee for External Information Work"
STEERING_FR = "Comité directeur de l'information pour l'étranger"
STEERING_WRONG = "External Information Steering Board"


def sample_entries() -> list[TermEntry]:
    return [
        TermEntry(
            (
                Term("vi", STEERING_VI),
                Term("vi", "BCĐ", TermUsage.ADMITTED),
                Term("en", STEERING_EN),
                Term("en", STEERING_WRONG, TermUsage.FORBIDDEN),
                Term("fr", STEERING_FR),
            ),
            note="Tên chính thức theo quyết định của Thủ tướng",
            domain="Đối ngoại",
        ),
        TermEntry(
            (Term("vi", "Ban Chỉ đạo"), Term("en", "Steering Committee"), Term("fr", "Comité directeur"))
        ),
        TermEntry((Term("vi", "thông tin đối ngoại"), Term("en", "external information"))),
        TermEntry((Term("vi", "Bộ Ngoại giao"), Term("en", "Ministry of Foreign Affairs"))),
        TermEntry((Term("vi", "hòa bình"), Term("en", "peace"), Term("fr", "paix"))),
        TermEntry(
            (Term("vi", "Thông tấn xã Việt Nam"), Term("en", "Vietnam News Agency")),
            status=EntryStatus.PROPOSED,
        ),
    ]


@pytest.fixture
def glossary() -> Glossary:
    return Glossary(sample_entries())


# --- a tiny real CTranslate2 model -------------------------------------------------------------

_SUBJECTS = ["Ban Chỉ đạo", "Bộ Ngoại giao", "Thủ tướng", "The committee", "The ministry", "Le comité"]
_VERBS = ["họp tại", "làm việc với", "phát biểu ở", "met in", "worked with", "s'est réuni à"]
_PLACES = ["Hà Nội", "Huế", "Đà Nẵng", "Hanoi", "Paris", "the province"]


def training_lines(count: int = 300) -> list[str]:
    """Generated sentences in three languages, enough for a ~100-piece SentencePiece model."""
    rng = random.Random(7)
    return [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_PLACES)} ngày {rng.randint(1, 31)}."
        for _ in range(count)
    ]


def train_sentencepiece() -> bytes:
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_lines()),
        model_writer=model,
        vocab_size=100,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
    )
    return model.getvalue()


def build_transformer(vocabulary: list[str], out: Path, *, d_model: int = 16, ffn: int = 32) -> None:
    """A one-layer pre-norm Transformer with random weights, saved as a CTranslate2 model."""
    rng = np.random.default_rng(0)

    def weights(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.1).astype(np.float32)

    def norm(layer: Any) -> None:
        layer.gamma = np.ones(d_model, np.float32)
        layer.beta = np.zeros(d_model, np.float32)

    def positions(count: int = 256) -> np.ndarray:
        position, dim = np.arange(count)[:, None], np.arange(d_model)[None, :]
        angle = position / np.power(10000, 2 * (dim // 2) / d_model)
        return np.where(dim % 2 == 0, np.sin(angle), np.cos(angle)).astype(np.float32)

    def attention(layer: Any, cross: bool) -> None:
        norm(layer.layer_norm)
        shapes = [(d_model, d_model), (2 * d_model, d_model)] if cross else [(3 * d_model, d_model)]
        for linear, shape in zip(layer.linear, [*shapes, (d_model, d_model)], strict=True):
            linear.weight = weights(*shape)

    def feed_forward(layer: Any) -> None:
        norm(layer.layer_norm)
        layer.linear_0.weight = weights(ffn, d_model)
        layer.linear_1.weight = weights(d_model, ffn)

    size = len(vocabulary)
    spec = TransformerSpec.from_config(1, 2)
    spec.encoder.embeddings[0].weight = weights(size, d_model)
    spec.encoder.position_encodings.encodings = positions()
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        attention(layer.self_attention, cross=False)
        feed_forward(layer.ffn)
    spec.decoder.embeddings.weight = weights(size, d_model)
    spec.decoder.position_encodings.encodings = positions()
    norm(spec.decoder.layer_norm)
    spec.decoder.projection.weight = weights(size, d_model)
    for layer in spec.decoder.layer:
        attention(layer.self_attention, cross=False)
        attention(layer.attention, cross=True)
        feed_forward(layer.ffn)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.config.add_source_eos = True
    spec.validate()
    spec.optimize()
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


@dataclass(frozen=True)
class TinyModels:
    root: Path
    """A models_dir with ``vi-en`` (OPUS-MT layout) and ``en-vi`` (Argos layout)."""
    spm_model: bytes

    def copy_pair(self, pair: str, to: Path) -> Path:
        """A fresh copy of one pair folder under ``to`` (for tests that break files)."""
        shutil.copytree(self.root / pair, to / pair)
        return to / pair


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    root = tmp_path_factory.mktemp("models")
    spm_model = train_sentencepiece()
    processor = spm.SentencePieceProcessor(model_proto=spm_model)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    opus = root / "vi-en"
    build_transformer(vocabulary, opus)
    (opus / "source.spm").write_bytes(spm_model)
    (opus / "target.spm").write_bytes(spm_model)
    argos = root / "en-vi"
    build_transformer(vocabulary, argos / "model")
    (argos / "sentencepiece.model").write_bytes(spm_model)
    (argos / "metadata.json").write_text('{"from_code": "en", "to_code": "vi"}', encoding="utf-8")
    return TinyModels(root, spm_model)


# --- an OpenAI-compatible chat server ----------------------------------------------------------

DICTIONARY = {
    f"{STEERING_VI} họp tại Hà Nội.": f"The {STEERING_EN} met in Hanoi.",
    "Bộ Ngoại giao ủng hộ hòa bình.": "The Ministry of Foreign Affairs supports peace.",
    "Xin chào.": "Hello.",
}
WRONG = {f"{STEERING_VI} họp tại Hà Nội.": f"The {STEERING_WRONG} met in Hanoi."}


@dataclass
class ChatServer:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)

    def clear(self) -> None:
        self.requests.clear()
        self.attempts.clear()


def _reply(content: str) -> JSONResponse:
    message = {"role": "assistant", "content": content}
    return JSONResponse({"object": "chat.completion", "choices": [{"index": 0, "message": message}]})


def chat_app(state: ChatServer) -> Starlette:
    async def completions(request: Request) -> Response:
        body = await request.json()
        state.requests.append({"headers": dict(request.headers), "body": body})
        model, segment = body["model"], body["messages"][-1]["content"]
        state.attempts[segment] = state.attempts.get(segment, 0) + 1
        if model == "broken":
            return JSONResponse({"error": {"message": "internal"}}, status_code=500)
        if model == "missing":
            return JSONResponse({"error": {"message": "no such model"}}, status_code=404)
        if model == "secured" and request.headers.get("authorization") != "Bearer s3cret":
            return JSONResponse({"error": {"message": "bad key"}}, status_code=401)
        if model == "flaky" and state.attempts[segment] == 1:
            return JSONResponse({"error": {"message": "busy"}}, status_code=503)
        if model == "slow":
            await asyncio.sleep(1.0)
        if model == "not-json":
            return PlainTextResponse("<html>proxy error</html>")
        if model == "no-choices":
            return JSONResponse({"choices": []})
        table = WRONG if model == "wrong-name" else DICTIONARY
        return _reply(table.get(segment, DICTIONARY.get(segment, f"[{segment}]")))

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


@pytest.fixture(scope="session")
def chat_server() -> Iterator[ChatServer]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    state = ChatServer(f"http://127.0.0.1:{sock.getsockname()[1]}/v1")
    config = uvicorn.Config(chat_app(state), log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the chat server did not start"
    yield state
    server.should_exit = True
    thread.join(5)
    sock.close()


@pytest.fixture
def chat(chat_server: ChatServer) -> ChatServer:
    chat_server.clear()
    return chat_server
