"""The data path of one batch: raw items → articles (or discards, or quarantine) → store.

``derive_batch`` turns raw items into outcomes without touching the database,
so ``newsdesk reprocess`` and ``newsdesk extract`` reuse it. ``Ingestor`` feeds
batches of outcomes to the store, one transaction per batch; re-running an
interrupted ingest completes it with no duplicates and no losses.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsdesk.analyze.registry import resolve
from newsdesk.errors import InputError
from newsdesk.extract.dispatch import extract_raw
from newsdesk.model import Article, Discard, Extracted, FetchSection, RawItem, TextSection
from newsdesk.settings import Settings
from newsdesk.store.repo import BatchEntry, BatchResult, Store

__all__ = ["IngestReport", "Ingestor", "canonical_url", "derive_batch", "identity_key", "reprocess"]

log = logging.getLogger("newsdesk.pipeline")

Outcome = Article | Discard | InputError

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "zarsrc", "_ga")


class StageFailed(InputError):
    """An analysis stage raised on this input; the raw item is kept in quarantine."""

    reason = "stage_failed"


def canonical_url(url: str) -> str:
    """One spelling per URL: lower-case scheme and host, no default port, fragment or tracking."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith(_TRACKING)]
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def identity_key(raw: RawItem, extracted: Extracted) -> str:
    """``url:<canonical>`` when the input names its URL, else ``sha256:<content hash>``."""
    url = extracted.canonical_url or raw.url or raw.fields.get("url")
    if url and str(url).startswith(("http://", "https://")):
        return "url:" + canonical_url(str(url))
    return "sha256:" + raw.sha256


def _article(raw: RawItem, extracted: Extracted) -> Article:
    url = raw.url or extracted.canonical_url
    title = extracted.title or _first_line(extracted.text)
    return Article(
        key=identity_key(raw, extracted),
        fetch=FetchSection(
            origin=raw.origin,
            kind=raw.kind,
            url=url,
            canonical_url=extracted.canonical_url,
            source_id=raw.source_id,
            fetched_at=raw.fetched_at,
        ),
        text=TextSection(
            title=title,
            body=extracted.text,
            lead=extracted.lead,
            author=extracted.author,
            outlet=raw.meta.get("outlet") or extracted.outlet,
            published=extracted.published,
        ),
        sections={"extract": {"removed": extracted.removed}} if extracted.removed else {},
    )


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


def _extract(raw: RawItem) -> Outcome:
    try:
        return _article(raw, extract_raw(raw))
    except InputError as exc:
        return exc


def derive_batch(raws: list[RawItem], settings: Settings) -> list[Outcome]:
    """Derive every field of each raw item: extraction, then the configured stages, then checks."""
    outcomes = [_extract(raw) for raw in raws]
    articles = [o for o in outcomes if isinstance(o, Article)]
    failed = _run_stages(articles, settings)
    minimum = settings.ingest.min_text_chars
    result: list[Outcome] = []
    for raw, outcome in zip(raws, outcomes, strict=True):
        if isinstance(outcome, Article) and id(outcome) in failed:
            result.append(failed[id(outcome)])
        elif isinstance(outcome, Article) and len(outcome.text.body) < minimum:
            result.append(
                Discard("too_short", f"{len(outcome.text.body)} < {minimum} characters", raw.origin)
            )
        else:
            result.append(outcome)
    return result


def _run_stages(articles: list[Article], settings: Settings) -> dict[int, InputError]:
    """Run stages on the batch; if one raises, retry article by article to isolate the culprit."""
    stages = resolve(settings.analysis_stages)
    failed: dict[int, InputError] = {}
    for st in stages:
        todo = [a for a in articles if id(a) not in failed]
        try:
            st.fn(todo, settings)
        except Exception:  # a bug in a stage must not lose the batch
            for article in todo:
                try:
                    st.fn([article], settings)
                except Exception as exc:
                    log.exception("stage %s failed on %s", st.name, article.fetch.origin)
                    failed[id(article)] = StageFailed(article.fetch.origin, f"stage {st.name}: {exc!r}")
    return failed


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did: counts per fate, and each problem with its reason."""

    ingested: int = 0
    duplicate: int = 0
    discarded: Counter[str] = field(default_factory=Counter)
    quarantined: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    seen: int = 0
    seconds: float = 0.0
    article_ids: list[int] = field(default_factory=list)

    def absorb(self, batch: BatchResult) -> None:
        self.ingested += batch.ingested
        self.duplicate += batch.duplicate
        self.discarded.update(batch.discarded)
        self.quarantined.update(batch.quarantined)
        self.problems.extend(batch.problems)
        self.article_ids.extend(batch.article_ids)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "ingested": self.ingested,
            "duplicate": self.duplicate,
            "discarded": dict(self.discarded),
            "rejected": sum(self.discarded.values()) + sum(self.quarantined.values()),
            "quarantined": dict(self.quarantined),
            "problems": [{"origin": o, "reason": r, "detail": d} for o, r, d in self.problems],
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.ingested / self.seconds, 1) if self.seconds else None,
            "article_ids": self.article_ids,
        }


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Ingestor:
    """Feeds items to the store batch by batch."""

    def __init__(self, store: Store, settings: Settings) -> None:
        from newsdesk.collect import Collector

        self.store = store
        self.settings = settings
        resolve(settings.analysis_stages)  # fail fast on a misconfigured pipeline
        self.collector = Collector(store, settings)

    def run(
        self,
        items: Iterable[RawItem | InputError],
        on_progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        self.collector.run()  # catch up on anything an interrupted run stored
        for chunk in _batched(items, self.settings.ingest.batch_size):
            report.seen += len(chunk)
            report.absorb(self._ingest_batch(chunk))
            self.collector.run(flush=False)
            if on_progress is not None:
                on_progress(len(chunk))
        self.collector.run()  # and save the stages' state
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_batch(self, chunk: list[RawItem | InputError]) -> BatchResult:
        raws = [i for i in chunk if isinstance(i, RawItem)]
        known = self.store.known_raw(r.sha256 for r in raws)
        fresh, seen, duplicates = [], set(), 0
        for raw in raws:
            if raw.sha256 in known or raw.sha256 in seen:
                duplicates += 1
            else:
                seen.add(raw.sha256)
                fresh.append(raw)
        entries = [BatchEntry(None, e) for e in chunk if isinstance(e, InputError)]
        outcomes = derive_batch(fresh, self.settings)
        entries += [BatchEntry(r, o) for r, o in zip(fresh, outcomes, strict=True)]
        result = self.store.write_batch(entries)
        result.duplicate += duplicates
        return result


def reprocess(
    store: Store, settings: Settings, on_progress: Callable[[int], None] | None = None
) -> IngestReport:
    """Recompute every derived field from stored raw input, in the order it arrived;
    copy groups and stories are then rebuilt from scratch over all articles (a backfill)."""
    from newsdesk.collect import Collector

    report = IngestReport()
    started = time.perf_counter()
    collector = Collector(store, settings)
    collector.reset()
    for batch in store.iter_raw(settings.ingest.batch_size):
        outcomes = derive_batch([item for _, item, _ in batch], settings)
        updates = [
            (raw_id, article_id, o) for (raw_id, _, article_id), o in zip(batch, outcomes, strict=True)
        ]
        report.seen += len(batch)
        report.absorb(store.replace_derived(updates))
        if on_progress is not None:
            on_progress(len(batch))
    collector.run()
    report.seconds = time.perf_counter() - started
    return report
