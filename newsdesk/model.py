"""The records that travel along newsdesk's data path.

``RawItem``   what a source hands over: the raw bytes plus where they came from.
              Stored before anything else happens; everything else is derived.
``Extracted`` what extraction makes of one raw item: title, body, metadata.
``Article``   one article with one section per stage; a stage writes only its part.
``Discard``   an expected rejection (too short, duplicate …) — a result, not an error.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "Article",
    "Discard",
    "Extracted",
    "FetchSection",
    "LangSection",
    "RawItem",
    "RawKind",
    "TextSection",
    "content_hash",
]

RawKind = Literal["html", "text", "record"]
"""``html``: a web page; ``text``: plain text (first line the title);
``record``: a structured item whose fields were already parsed (JSON Lines,
NINJS, NewsML-G2, a feed entry) — its ``fields`` carry title/text/…"""


def content_hash(data: bytes) -> str:
    """Hex SHA-256 of raw bytes: the identity of file content."""
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class RawItem:
    """One unit of raw input, exactly as received.

    ``origin`` names it for humans and error messages: a URL, a file path,
    ``path#L12`` for a JSON Lines record, ``path#record-3`` for a WARC record.
    ``body`` is the raw bytes (for a structured record: its serialized form).
    ``fields`` holds what a structured format already told us (title, text,
    published, outlet, language, author, url, id); empty for html/text.
    """

    origin: str
    kind: RawKind
    body: bytes
    url: str | None = None
    content_type: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    source_id: int | None = None
    fetched_at: datetime | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    _sha256: str = field(default="", init=False, repr=False, compare=False)

    @property
    def sha256(self) -> str:
        """SHA-256 of ``body``: the identity of this exact input (computed once)."""
        if not self._sha256:
            self._sha256 = content_hash(self.body)
        return self._sha256


@dataclass(slots=True)
class Extracted:
    """What extraction yields for one raw item."""

    title: str = ""
    text: str = ""
    published: datetime | None = None
    author: str | None = None
    outlet: str | None = None
    canonical_url: str | None = None
    language_hint: str | None = None
    lead: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)
    """Noise taken out, as ``(kind, line)``: ``("view_counter", "Lượt xem: 3")``."""


@dataclass(slots=True)
class Discard:
    """An expected rejection, counted per reason: ``too_short``, ``duplicate``, …"""

    reason: str
    detail: str = ""
    origin: str = ""


@dataclass(slots=True)
class FetchSection:
    origin: str
    kind: RawKind
    url: str | None = None
    canonical_url: str | None = None
    source_id: int | None = None
    fetched_at: datetime | None = None


@dataclass(slots=True)
class TextSection:
    title: str
    body: str
    lead: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: datetime | None = None


@dataclass(slots=True)
class LangSection:
    code: str
    confidence: float


@dataclass(slots=True)
class Article:
    """One article: identity plus one section per stage.

    ``key`` is the identity used for idempotency: ``url:<canonical url>`` or
    ``sha256:<hash of content>``.
    """

    key: str
    fetch: FetchSection
    text: TextSection
    lang: LangSection | None = None
    id: int | None = None
    raw_id: int | None = None
    sections: dict[str, Any] = field(default_factory=dict)
    """Sections written by later analysis stages, by stage name."""
