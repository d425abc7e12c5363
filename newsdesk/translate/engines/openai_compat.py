"""The ``openai`` engine: any OpenAI-compatible chat endpoint (vLLM, llama.cpp, Ollama, LiteLLM …).

One ``POST {base_url}/chat/completions`` per segment, ``temperature`` 0, with
a system message that states the language pair, asks for the translation only
and lists the segment's glossary constraints — each approved term as
``"source" → "target"`` and each forbidden variant as *never use* — and the
segment as the user message. The reply is ``choices[0].message.content``
(a leading ``<think>…</think>`` block of reasoning models is dropped).

Failures, named by the endpoint URL (never the response body):

* timeout, connection error, HTTP 429/500/502/503/504 — retried ``retries``
  times with exponential ``backoff``, then :class:`TransientFetchError`;
* any other HTTP error status — :class:`HTTPStatusError` at once (a wrong key
  or model name does not get better by retrying);
* a reply that is not the expected JSON — :class:`FetchError` with reason
  ``bad_response``.

The API key is sent as ``Authorization: Bearer …`` when configured.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from newsdesk.errors import FetchError, HTTPStatusError, TransientFetchError
from newsdesk.translate.check import RequiredTerm
from newsdesk.translate.engines.base import register_engine

__all__ = ["OpenAIEngine", "OpenAIEngineConfig", "chat_messages", "language_name"]

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_THINK = re.compile(r"^\s*<think>.*?</think>", re.DOTALL)


class OpenAIEngineConfig(BaseModel):
    """Configuration of the ``openai`` engine."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(description="e.g. http://127.0.0.1:8080/v1; /chat/completions is appended")
    model: str = Field(min_length=1)
    api_key: SecretStr | None = None
    languages: list[str] = Field(default=["vi", "en", "fr"], description="languages translated between")
    timeout: float = Field(60.0, gt=0, description="seconds to wait for one reply")
    connect_timeout: float = Field(5.0, gt=0)
    retries: int = Field(2, ge=0, le=10, description="retries of a transient failure")
    backoff: float = Field(1.0, ge=0, description="first retry delay in seconds, doubled each time")
    temperature: float = Field(0.0, ge=0, le=2)


class _Retry(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class OpenAIEngine:
    """Translation by an OpenAI-compatible chat model, glossary terms in the prompt."""

    name = "openai"

    def __init__(
        self,
        config: OpenAIEngineConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.url = config.base_url.rstrip("/") + "/chat/completions"
        headers = {"Authorization": f"Bearer {config.api_key.get_secret_value()}"} if config.api_key else {}
        timeout = httpx.Timeout(config.timeout, connect=config.connect_timeout)
        self._client = httpx.Client(timeout=timeout, headers=headers, transport=transport)
        self._sleep = sleep
        self._languages = frozenset((s, t) for s in config.languages for t in config.languages if s != t)

    @property
    def languages(self) -> frozenset[tuple[str, str]]:
        return self._languages

    def supports(self, src: str, tgt: str) -> bool:
        return (src, tgt) in self._languages

    def close(self) -> None:
        self._client.close()

    def translate(
        self,
        segments: list[str],
        src: str,
        tgt: str,
        *,
        terms: Sequence[Sequence[RequiredTerm]] | None = None,
    ) -> list[str]:
        """One request per non-blank segment; blank segments stay ``""``."""
        if terms is not None and len(terms) != len(segments):
            raise ValueError(f"{len(terms)} term lists for {len(segments)} segments")
        outputs = []
        for i, segment in enumerate(segments):
            segment_terms = terms[i] if terms is not None else ()
            outputs.append(self._translate_one(segment, src, tgt, segment_terms) if segment.strip() else "")
        return outputs

    def _translate_one(self, segment: str, src: str, tgt: str, terms: Sequence[RequiredTerm]) -> str:
        payload = {
            "model": self.config.model,
            "messages": chat_messages(segment, src, tgt, terms),
            "temperature": self.config.temperature,
        }
        return _content(self.url, self._post(payload))

    def _post(self, payload: dict[str, Any]) -> Any:
        attempt = 0
        while True:
            try:
                return self._attempt(payload)
            except _Retry as retry:
                if attempt == self.config.retries:
                    detail = f"{retry.detail}; gave up after {attempt + 1} attempt(s)"
                    raise TransientFetchError(self.url, detail, reason=retry.reason) from retry
                delay = self.config.backoff * 2**attempt
                log.info("retrying %s in %.1fs: %s", self.url, delay, retry.detail)
                self._sleep(delay)
                attempt += 1

    def _attempt(self, payload: dict[str, Any]) -> Any:
        try:
            response = self._client.post(self.url, json=payload)
        except httpx.TimeoutException as exc:
            raise _Retry("timeout", f"no reply within {self.config.timeout:g}s") from exc
        except httpx.TransportError as exc:
            raise _Retry("connection", f"connection failed: {type(exc).__name__}") from exc
        if response.status_code in RETRY_STATUSES:
            raise _Retry(f"http_{response.status_code}", f"HTTP {response.status_code}")
        if response.status_code >= 400:
            log.warning("%s answered HTTP %d: %s", self.url, response.status_code, _error_message(response))
            raise HTTPStatusError(self.url, response.status_code)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise FetchError(self.url, "the reply is not JSON", reason="bad_response") from exc


def _content(url: str, reply: Any) -> str:
    try:
        content = reply["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise FetchError(url, "the reply has no choices[0].message.content", reason="bad_response") from exc
    if not isinstance(content, str) or not _THINK.sub("", content).strip():
        raise FetchError(url, "the reply holds no translation", reason="bad_response")
    return _THINK.sub("", content).strip()


def _error_message(response: httpx.Response) -> str:
    """The ``error.message`` of an OpenAI-style error reply, cut short; ``""`` if there is none."""
    try:
        message = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return ""
    return str(message)[:200]


def language_name(code: str) -> str:
    """``"vi"`` → ``"Vietnamese"``; the code itself when Babel does not know it."""
    try:
        return str(Locale.parse(code).get_display_name("en"))
    except (UnknownLocaleError, ValueError):
        return code


def chat_messages(
    segment: str, src: str, tgt: str, terms: Sequence[RequiredTerm] = ()
) -> list[dict[str, str]]:
    """The system and user messages that ask for ``segment`` in ``tgt``, glossary terms as constraints."""
    source, target = language_name(src), language_name(tgt)
    lines = [
        f"You translate official texts of a Vietnamese public-information office from {source} to {target}.",
        f"Reply with the {target} translation only: no explanations, no notes, no quotation marks around it.",
        "Keep numbers, dates, names and document references exactly.",
    ]
    approved = {(t.source.text, t.target) for t in terms if t.target}
    if approved:
        lines.append("Use these approved terms exactly as given:")
        lines += [f'- "{src_text}" → "{tgt_text}"' for src_text, tgt_text in sorted(approved)]
    forbidden = sorted({variant for t in terms for variant in t.forbidden})
    if forbidden:
        lines.append("Never use these wrong variants: " + "; ".join(f'"{v}"' for v in forbidden))
    return [{"role": "system", "content": "\n".join(lines)}, {"role": "user", "content": segment}]


@register_engine("openai", config=OpenAIEngineConfig)
def openai_engine(config: OpenAIEngineConfig) -> OpenAIEngine:
    """Any OpenAI-compatible /chat/completions endpoint."""
    return OpenAIEngine(config)
