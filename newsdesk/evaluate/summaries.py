"""Story summaries measured against human summaries (vims-dev).

Input: a JSON Lines file (optionally gzip-compressed) of articles ``{id, cluster, title,
text}`` and one of human summaries ``{cluster, summary_id, text}`` (usually two per
cluster). Each gold cluster is summarised with :func:`newsdesk.analyze.summarize.summarize_story`
and scored with :func:`newsdesk.evaluate.rouge.score_against_references`: F1 on lower-cased
syllable tokens against the better reference per metric, the system summary cut to the
references' mean length in tokens, averaged over clusters.

The summariser is given that same length as its word budget — the fixed-length protocol
of the DUC evaluations: a system is told how long a summary the reader wants — and finds
the cluster's language itself (an article's optional ``language`` field is used when
present). ``seconds`` is the time spent summarising, not reading or scoring.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsdesk.analyze.summarize import (
    DEFAULT_CONFIG,
    Method,
    Summary,
    SummaryConfig,
    SummaryDoc,
    summarize_story,
)
from newsdesk.errors import MalformedInput, UnreadableInput
from newsdesk.evaluate.rouge import RougeScores, rouge_tokens, score_against_references

__all__ = ["evaluate_summaries", "read_jsonl"]


def evaluate_summaries(
    articles: Path,
    summaries: Path,
    out: Path | None = None,
    *,
    method: Method = "coverage",
    config: SummaryConfig = DEFAULT_CONFIG,
) -> dict[str, Any]:
    """Mean ROUGE-1/2/L F1 over the gold clusters, the cluster count and the seconds spent summarising.

    When ``out`` is given, one ``{"cluster", "summary"}`` line per cluster is written there.
    """
    docs = _docs_by_cluster(articles)
    references = _references_by_cluster(summaries)
    clusters = sorted(cluster for cluster in references if cluster in docs)
    produced: dict[str, Summary] = {}
    started = time.perf_counter()
    for cluster in clusters:
        budget = _reference_length(references[cluster])
        produced[cluster] = summarize_story(docs[cluster], max_words=budget, method=method, config=config)
    seconds = time.perf_counter() - started
    scores = [score_against_references(produced[c].text, references[c]) for c in clusters]
    if out is not None:
        _write_summaries(out, produced)
    return {**_mean(scores), "clusters": len(clusters), "seconds": round(seconds, 3)}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file, gzip-compressed when its name ends in ``.gz``."""
    try:
        with _open_text(path) as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield _parse(line, f"{path}#L{number}")
    except (OSError, EOFError) as error:
        raise UnreadableInput(str(path), f"cannot read: {error}") from error


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _parse(line: str, origin: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise MalformedInput(origin, f"invalid JSON: {error.msg}", reason="malformed_json") from error
    if not isinstance(record, dict):
        raise MalformedInput(origin, "a record must be a JSON object", reason="malformed_json")
    return record


def _field(record: dict[str, Any], name: str, origin: Path) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise MalformedInput(str(origin), f"record without a string {name!r}", reason="missing_field")
    return value


def _docs_by_cluster(path: Path) -> dict[str, list[SummaryDoc]]:
    docs: dict[str, list[SummaryDoc]] = defaultdict(list)
    for record in read_jsonl(path):
        doc = SummaryDoc(
            id=_field(record, "id", path),
            title=str(record.get("title") or ""),
            text=_field(record, "text", path),
            language=record.get("language"),
        )
        docs[_field(record, "cluster", path)].append(doc)
    return dict(docs)


def _references_by_cluster(path: Path) -> dict[str, list[str]]:
    references: dict[str, list[str]] = defaultdict(list)
    for record in read_jsonl(path):
        text = _field(record, "text", path)
        if rouge_tokens(text):
            references[_field(record, "cluster", path)].append(text)
    return dict(references)


def _reference_length(references: list[str]) -> int:
    return round(sum(len(rouge_tokens(text)) for text in references) / len(references))


def _mean(scores: list[RougeScores]) -> dict[str, float]:
    count = len(scores) or 1
    return {
        "rouge1": round(sum(s.rouge1 for s in scores) / count, 4),
        "rouge2": round(sum(s.rouge2 for s in scores) / count, 4),
        "rougeL": round(sum(s.rougeL for s in scores) / count, 4),
    }


def _write_summaries(out: Path, produced: dict[str, Summary]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for cluster, summary in produced.items():
            handle.write(json.dumps({"cluster": cluster, "summary": summary.text}, ensure_ascii=False) + "\n")
