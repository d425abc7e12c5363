"""The ``newsdesk`` command line (Typer + Rich).

Every command that prints data takes ``--json``: one JSON document on stdout,
for scripts; human output goes through Rich. Errors print one line naming what
failed and why, and exit with status 1 (2 for usage errors).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from newsdesk.errors import NewsdeskError
from newsdesk.settings import Settings, load_settings

__all__ = ["app"]

app = typer.Typer(
    name="newsdesk",
    help="Media monitoring and multilingual publishing for public-information offices.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
sources_app = typer.Typer(help="Monitored sources: feeds, sitemaps, pages, folders.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
eval_app = typer.Typer(help="Measure analysis quality on labelled files.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

console = Console()
err_console = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


class SourceKind(StrEnum):
    feed = "feed"
    sitemap = "sitemap"
    page = "page"
    folder = "folder"


class Order(StrEnum):
    relevance = "relevance"
    date = "date"


_state: dict[str, Any] = {}


@app.callback()
def main(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Settings file (TOML); default ./newsdesk.toml.")
    ] = None,
) -> None:
    if "store" in _state:  # a new invocation in the same process (tests): start afresh
        _state["store"].close()
    _state.clear()
    _state["config"] = config


def settings() -> Settings:
    if "settings" not in _state:
        from newsdesk.logs import configure_logging

        _state["settings"] = load_settings(_state.get("config"))
        configure_logging(_state["settings"].log_level)
    return _state["settings"]


def store() -> Any:
    if "store" not in _state:
        from newsdesk.store.repo import Store

        _state["store"] = Store.open(settings().resolved_database_url)
    return _state["store"]


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def failures() -> Iterator[None]:
    """Turn newsdesk errors into one clear line and exit status 1."""
    try:
        yield
    except NewsdeskError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from exc


# -- sources ---------------------------------------------------------------------


@sources_app.command("add")
def sources_add(
    name: Annotated[str, typer.Argument(help="A unique name, e.g. vnexpress-thoi-su.")],
    url: Annotated[str, typer.Argument(help="Feed, sitemap or page URL, or a folder path.")],
    kind: Annotated[SourceKind, typer.Option(help="What the URL is.")] = SourceKind.feed,
    language: Annotated[str | None, typer.Option(help="Expected language (ISO 639-1).")] = None,
    country: Annotated[str | None, typer.Option(help="Country of the outlet (ISO 3166-1 alpha-2).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name shown with its articles.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a source to monitor."""
    from newsdesk.ingest.sources import validate_source

    with failures():
        url = validate_source(kind.value, url)
        row = store().add_source(
            name=name, kind=kind.value, url=url, language=language, country=country, outlet=outlet
        )
    if as_json:
        emit_json(row)
    else:
        console.print(f"added source [bold]{row['name']}[/] (id {row['id']}, {row['kind']}): {row['url']}")


@sources_app.command("discover")
def sources_discover(
    url: Annotated[str, typer.Argument(help="Any address of the site, usually its home page.")],
    as_json: JsonOpt = False,
) -> None:
    """The sitemaps a site announces in its robots.txt (to add them with `sources add --kind sitemap`)."""
    from newsdesk.ingest.fetcher import Fetcher
    from newsdesk.ingest.sources import discover_sitemaps

    with failures(), Fetcher(settings().fetch) as fetcher:
        found = discover_sitemaps(url, fetcher)
    if as_json:
        emit_json(found)
    elif not found:
        console.print(f"{url}: robots.txt names no sitemap")
    else:
        for sitemap in found:
            console.print(sitemap, highlight=False)


@sources_app.command("list")
def sources_list(as_json: JsonOpt = False) -> None:
    """List sources with their health."""
    with failures():
        rows = store().list_sources()
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "name", "kind", "url", "lang", "articles", "last success", "last error")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["name"],
            r["kind"],
            r["url"],
            r["language"] or "",
            str(r["articles"]),
            _short_time(r["last_success_at"]),
            (r["last_error"] or "")[:60],
        )
    console.print(table)


@sources_app.command("remove")
def sources_remove(
    ident: Annotated[str, typer.Argument(help="Source name or id.")], as_json: JsonOpt = False
) -> None:
    """Remove a source (its articles stay)."""
    with failures():
        row = store().remove_source(ident)
    if as_json:
        emit_json(row)
    else:
        console.print(f"removed source [bold]{row['name']}[/] (id {row['id']})")


def _short_time(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else ""


# -- ingest ----------------------------------------------------------------------


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or URLs (pages, feeds, sitemaps).")],
    source: Annotated[
        str | None, typer.Option(help="Attribute the articles to this source (name or id).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest files, folders and URLs; prints ingested / duplicate / rejected with reasons."""
    from newsdesk.ingest.sources import iter_inputs
    from newsdesk.pipeline import Ingestor

    with failures():
        cfg = settings()
        source_id = store().get_source(source)["id"] if source else None
        ingestor = Ingestor(store(), cfg)
        items = iter_inputs(inputs, cfg, source_id=source_id)
        try:
            with _progress(disable=as_json) as advance:
                report = ingestor.run(items, on_progress=advance)
        except KeyboardInterrupt:
            err_console.print(
                "[yellow]interrupted:[/] every batch stored so far is kept; "
                "run the same command again to finish (nothing is duplicated)."
            )
            raise typer.Exit(130) from None
    if as_json:
        emit_json(report.as_dict())
    else:
        _print_report(report.as_dict())


@contextmanager
def _progress(*, disable: bool) -> Iterator[Callable[[int], None]]:
    columns = (
        SpinnerColumn(),
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("items"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, disable=disable or not err_console.is_terminal) as progress:
        task = progress.add_task("ingest", total=None)
        yield lambda n: progress.advance(task, n)


def _print_report(report: dict[str, Any]) -> None:
    rate = report["articles_per_second"]
    console.print(
        f"[green]ingested {report['ingested']}[/], duplicate {report['duplicate']}, "
        f"rejected {report['rejected']} of {report['seen']} items in {report['seconds']} s"
        + (f" ({rate} articles/s)" if rate else "")
    )
    for reason, n in sorted(report["discarded"].items()):
        console.print(f"  discarded {n} × {reason}")
    for reason, n in sorted(report["quarantined"].items()):
        console.print(f"  [yellow]quarantined {n} × {reason}[/]")
    for problem in report["problems"][:50]:
        err_console.print(f"  [red]{problem['origin']}[/]: {problem['detail']}", highlight=False)
    if len(report["problems"]) > 50:
        err_console.print(f"  … and {len(report['problems']) - 50} more (newsdesk quarantine)")


# -- extract ---------------------------------------------------------------------


@app.command()
def extract(
    target: Annotated[str, typer.Argument(help="A file or URL.")],
    as_json: JsonOpt = False,
) -> None:
    """Show what extraction yields for one page or file, without storing anything."""
    from newsdesk.errors import InputError
    from newsdesk.ingest.sources import iter_inputs
    from newsdesk.pipeline import derive_batch

    results: list[dict[str, Any]] = []
    with failures():
        cfg = settings()
        for item in iter_inputs([target], cfg):
            if isinstance(item, InputError):
                results.append({"origin": item.origin, "error": item.reason, "detail": item.detail})
                continue
            outcome = derive_batch([item], cfg)[0]
            result = _outcome_dict(item.origin, outcome)
            if "key" in result:  # the id it has when it is already stored, else null
                result["id"] = store().article_id_for_key(result["key"])
            results.append(result)
    if as_json:
        emit_json(results[0] if len(results) == 1 else results)
        return
    for res in results:
        _print_extracted(res)
    if any("error" in r for r in results):
        raise typer.Exit(1)


def _outcome_dict(origin: str, outcome: Any) -> dict[str, Any]:
    from newsdesk.model import Article

    if not isinstance(outcome, Article):  # a Discard or an InputError: both name a reason
        return {"origin": origin, "error": outcome.reason, "detail": outcome.detail}
    t, lang = outcome.text, outcome.lang
    removed = outcome.sections.get("extract", {}).get("removed", [])
    return {
        "origin": origin,
        "key": outcome.key,
        "title": t.title,
        "text": t.body,
        "lead": t.lead,
        "author": t.author,
        "outlet": t.outlet,
        "published": t.published.isoformat() if t.published else None,
        "url": outcome.fetch.url,
        "canonical_url": outcome.fetch.canonical_url,
        "language": lang.code if lang else None,
        "language_confidence": lang.confidence if lang else None,
        "removed": [{"kind": kind, "line": line} for kind, line in removed],
    }


def _print_extracted(res: dict[str, Any]) -> None:
    if "error" in res:
        err_console.print(f"[red]{res['origin']}[/]: {res['error']}: {res['detail']}", highlight=False)
        return
    console.rule(res["title"] or "(no title)")
    meta = Table.grid(padding=(0, 2))
    for key in ("outlet", "author", "published", "language", "canonical_url", "key"):
        if res.get(key) is not None:
            meta.add_row(key, str(res[key]))
    console.print(meta)
    console.print(res["text"], highlight=False)
    if res["removed"]:
        console.print(f"[dim]removed {len(res['removed'])} noise line(s):[/]")
        for r in res["removed"]:
            console.print(f"[dim]  {r['kind']}: {r['line'][:100]}[/]", highlight=False)


# -- search / show / stats ------------------------------------------------------------


def _date(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{name}: expected a date like 2026-11-23, got {value!r}") from exc


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='Words, "a phrase", -exclude, a OR b, prefix*. Accents optional.')
    ],
    language: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    source: Annotated[int | None, typer.Option(help="Only this source id.")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Published on or after (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Published on or before (YYYY-MM-DD).")] = None,
    order: Annotated[Order, typer.Option(help="relevance or date.")] = Order.relevance,
    page: Annotated[int, typer.Option(min=1)] = 1,
    page_size: Annotated[int, typer.Option(min=1, max=500)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search, accent-insensitive ("nhan quyen" finds "nhân quyền")."""
    from newsdesk.store.search import SearchFilters

    end = _date(date_to, "--to")
    if end is not None and len(date_to or "") <= 10:
        end = end.replace(hour=23, minute=59, second=59)
    filters = SearchFilters(language, outlet, source, _date(date_from, "--from"), end)
    with failures():
        result = store().search(query, filters, order=order.value, page=page, page_size=page_size)
    if as_json:
        emit_json(_search_json(query, result))
        return
    console.print(f"{result.total} result(s), page {result.page}")
    for hit in result.hits:
        when = hit.published_at.date().isoformat() if hit.published_at else ""
        console.print(
            f"[bold]#{hit.id}[/] {hit.title}  [dim]{hit.outlet or ''} {when} {hit.language or ''}[/]"
        )
        console.print(f"    {hit.snippet}", highlight=False)


def _search_json(query: str, result: Any) -> dict[str, Any]:
    from newsdesk.store.repo import article_to_dict

    rows = {r.id: r for r in store().articles([h.id for h in result.hits])}
    return {
        "query": query,
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "results": [
            {**article_to_dict(rows[h.id]), "score": h.score, "snippet": h.snippet}
            for h in result.hits
            if h.id in rows
        ],
    }


@app.command()
def show(
    article_id: Annotated[int, typer.Argument(help="Article id.")],
    raw: Annotated[bool, typer.Option("--raw", help="Print the raw input as stored.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show one article: metadata and clean text (or its raw input)."""
    from newsdesk.store.repo import article_to_dict

    with failures():
        row = store().get_article(article_id)
        if raw:
            raw_row = store().get_raw(row.raw_id)
            sys.stdout.buffer.write(raw_row.body)
            return
    data = article_to_dict(row)
    if as_json:
        emit_json(data)
        return
    console.rule(data["title"])
    for key in ("id", "outlet", "author", "published_at", "language", "url", "origin"):
        if data.get(key) is not None:
            console.print(f"[dim]{key}:[/] {data[key]}", highlight=False)
    console.print()
    console.print(data["text"], highlight=False)


@app.command()
def compare(
    first: Annotated[int, typer.Argument(help="Article id.")],
    second: Annotated[int, typer.Argument(help="Another article id.")],
    as_json: JsonOpt = False,
) -> None:
    """The passages two articles share (a copy, syndication, partial reuse)."""
    with failures():
        data = store().reused(first, second)
    if as_json:
        emit_json(data)
        return
    console.print(
        f"#{first} and #{second} share {len(data['passages'])} passage(s), "
        f"{data['share_of_first'] * 100:.0f}% of #{first}"
    )
    for p in data["passages"]:
        console.print(f"[dim]{p['words']} words:[/] {p['text'][:300]}", highlight=False)


@app.command()
def stats(as_json: JsonOpt = False) -> None:
    """Counts: articles, sources, quarantined, by language and outlet."""
    with failures():
        data = store().stats()
    if as_json:
        emit_json(data)
        return
    console.print(
        f"articles [bold]{data['articles']}[/]  sources {data['sources']}  "
        f"quarantined {data['quarantined']}  raw items {data['raw_items']}"
    )
    for title, key in (("languages", "languages"), ("outlets", "outlets"), ("raw items", "raw_by_status")):
        if data[key]:
            console.print(f"{title}: " + ", ".join(f"{k or '?'} {v}" for k, v in data[key].items()))


class EntityKind(StrEnum):
    person = "person"
    organisation = "organisation"
    place = "place"


@app.command()
def documents(
    type_: Annotated[
        str | None, typer.Option("--type", help="Only this type: KL, NQ, CT, HD, QD, ND, TT …")
    ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Cited policy and legal documents, most cited first, with their canonical ids."""
    with failures():
        rows = store().list_documents(limit=limit, type_=type_)
    if as_json:
        emit_json(rows)
        return
    table = Table("canonical id", "type", "number", "issuer", "date", "articles")
    for r in rows:
        table.add_row(
            r["id"],
            r["type_name_vi"],
            r["number"] or "",
            r["issuer"] or "",
            r["date"] or str(r["year"] or ""),
            str(r["articles"]),
        )
    console.print(table)


@app.command()
def document(
    ident: Annotated[
        str, typer.Argument(help='Canonical id (KL-57-TW-XIII) or a reference as written ("57-KL/TW").')
    ],
    as_json: JsonOpt = False,
) -> None:
    """One cited document: the articles and stories that cite it."""
    with failures():
        data = store().get_document(ident)
    if as_json:
        emit_json(data)
        return
    console.rule(f"{data['type_name_vi']} {data['code'] or data['number'] or ''} ({data['id']})")
    for a in data["articles"]:
        console.print(
            f"#{a['id']} {a['title']}  [dim]{a['outlet'] or ''} {(a['published_at'] or '')[:10]}[/]"
        )


@app.command()
def entities(
    kind: Annotated[EntityKind | None, typer.Option(help="person, organisation or place")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """People, organisations and places named in the coverage, most mentioned first."""
    with failures():
        rows = store().list_entities(kind=kind.value if kind else None, limit=limit)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "kind", "name", "articles")
    for r in rows:
        table.add_row(str(r["id"]), r["kind"], r["name"], str(r["articles"]))
    console.print(table)


@app.command()
def entity(entity_id: Annotated[int, typer.Argument(help="Entity id.")], as_json: JsonOpt = False) -> None:
    """One entity: positions seen, articles, and who or what is named with it."""
    with failures():
        data = store().get_entity(entity_id)
    if as_json:
        emit_json(data)
        return
    console.rule(f"{data['name']} ({data['kind']})")
    for p in data["positions"]:
        console.print(f"  {p['title']} {p.get('unit') or ''} {p.get('organisation') or ''}".rstrip())
    for a in data["articles"][:20]:
        console.print(
            f"#{a['id']} {a['title']}  [dim]{a['outlet'] or ''} {(a['published_at'] or '')[:10]}[/]"
        )


class Bucket(StrEnum):
    day = "day"
    week = "week"
    month = "month"


@app.command()
def themes(
    theme: Annotated[str | None, typer.Option(help="Show attention over time for this theme id.")] = None,
    bucket: Annotated[Bucket, typer.Option(help="Period of the attention series.")] = Bucket.day,
    days: Annotated[float, typer.Option(help="Only the last DAYS days (0: all).")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Themes with article counts; with --theme, attention over time (articles and share per period)."""
    from datetime import UTC, timedelta

    since = datetime.now(UTC) - timedelta(days=days) if days else None
    with failures():
        data: Any = store().theme_attention(theme, bucket.value, since) if theme else store().list_themes()
    if as_json:
        emit_json(data)
        return
    if theme:
        console.rule(f"{data['label_vi']} / {data['label_en']}")
        for p in data["points"]:
            console.print(
                f"{p['start']}  {p['articles']:>6}  {p['share'] * 100:5.1f}%  " + "█" * round(p["share"] * 50)
            )
        return
    table = Table("id", "chủ đề", "theme", "articles")
    for t in data:
        table.add_row(t["id"], t["label_vi"], t["label_en"], str(t["articles"]))
    console.print(table)


@app.command()
def stories(
    days: Annotated[float, typer.Option(help="Stories active in the last DAYS days (0: all).")] = 0,
    min_size: Annotated[int, typer.Option(min=1, help="At least this many articles.")] = 1,
    limit: Annotated[int, typer.Option(min=1)] = 30,
    as_json: JsonOpt = False,
) -> None:
    """Stories (one event across outlets and languages), biggest first."""
    from datetime import UTC, timedelta

    since = datetime.now(UTC) - timedelta(days=days) if days else None
    with failures():
        rows = store().list_stories(since=since, limit=limit, min_size=min_size)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "title", "articles", "outlets", "languages", "last")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["title"][:80],
            str(r["size"]),
            str(len(r["outlets"])),
            ",".join(r["languages"]),
            _short_time(r["last_at"]),
        )
    console.print(table)


@app.command()
def story(story_id: Annotated[int, typer.Argument(help="Story id.")], as_json: JsonOpt = False) -> None:
    """One story: summary, timeline of its articles, outlets, languages, entities, copies."""
    with failures():
        data = store().get_story(story_id)
    if as_json:
        emit_json(data)
        return
    console.rule(data["title"])
    console.print(
        f"[dim]{data['size']} articles · {len(data['outlets'])} outlets · {', '.join(data['languages'])}[/]"
    )
    console.print(data["summary"], highlight=False)
    console.print()
    for a in data["articles"]:
        copy = f" [dim](copy of #{a['dup_of']})[/]" if a["dup_of"] else ""
        console.print(
            f"{_short_time(a['published_at'])}  #{a['id']} {a['title']}  [dim]{a['outlet'] or ''}[/]{copy}"
        )
    if data["entities"]:
        console.print("[dim]entities:[/] " + ", ".join(e["name"] for e in data["entities"][:12]))


@eval_app.command("stories")
def eval_stories(
    path: Annotated[
        Path, typer.Argument(help="gzip JSON Lines with id, cluster, title, text (vims-dev format).")
    ],
    out: Annotated[Path | None, typer.Option("--out", help='Write {"id", "story"} lines here.')] = None,
    as_json: JsonOpt = False,
) -> None:
    """Cluster the file from scratch in arrival order (the service's online algorithm) and score it."""
    from newsdesk.evaluate.stories import evaluate_stories

    with failures():
        scores = evaluate_stories(path, out)
    if as_json:
        emit_json(scores)
        return
    table = Table("measure", "precision", "recall", "F1")
    for name in ("bcubed", "pairwise"):
        table.add_row(name, *(f"{scores[f'{name}_{m}']:.4f}" for m in ("precision", "recall", "f1")))
    console.print(table)
    console.print(
        f"{scores['articles']} articles, {scores['gold_clusters']} gold clusters, "
        f"{scores['predicted_stories']} stories, {scores['seconds']:.2f} s"
    )


@eval_app.command("summaries")
def eval_summaries(
    articles: Annotated[
        Path, typer.Argument(help="Articles: gzip JSON Lines with id, cluster, title, text.")
    ],
    summaries: Annotated[Path, typer.Argument(help="Human summaries: gzip JSON Lines with cluster, text.")],
    out: Annotated[
        Path | None, typer.Option("--out", help='Write {"cluster", "summary"} lines here.')
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Summarize each gold cluster; print ROUGE-1/2/L (F1, syllables, best reference, cut to its length)."""
    from newsdesk.evaluate.summaries import evaluate_summaries

    with failures():
        scores = evaluate_summaries(articles, summaries, out)
    if as_json:
        emit_json(scores)
        return
    console.print(
        f"ROUGE-1 {scores['rouge1']:.4f}  ROUGE-2 {scores['rouge2']:.4f}  ROUGE-L {scores['rougeL']:.4f}  "
        f"({scores['clusters']} clusters, {scores['seconds']:.2f} s)"
    )


@app.command("quarantine")
def quarantine_list(limit: Annotated[int, typer.Option(min=1)] = 50, as_json: JsonOpt = False) -> None:
    """Inputs kept in quarantine, newest first, with their reason."""
    with failures():
        rows = store().quarantine(limit)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "origin", "reason", "detail", "when")
    for r in rows:
        table.add_row(str(r["id"]), r["origin"], r["reason"], r["detail"][:80], _short_time(r["created_at"]))
    console.print(table)


@app.command()
def reprocess(as_json: JsonOpt = False) -> None:
    """Recompute every derived field from the stored raw input."""
    from newsdesk.pipeline import reprocess as run_reprocess

    with failures():
        total = store().raw_count()
        with Progress(
            SpinnerColumn(),
            TextColumn("reprocessing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            disable=as_json or not err_console.is_terminal,
        ) as progress:
            task = progress.add_task("reprocess", total=total)
            report = run_reprocess(store(), settings(), on_progress=lambda n: progress.advance(task, n))
    if as_json:
        emit_json(report.as_dict())
    else:
        _print_report(report.as_dict())


@app.command()
def up(
    host: Annotated[str | None, typer.Option(help="Address to serve on (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to serve on (default 8000).")] = None,
) -> None:
    """The main job: poll sources, watch the inbox, serve the workspace and /api/ on one port.

    On a first start with no users it creates the administrator ``admin`` and prints a
    one-time password (or uses NEWSDESK_ADMIN_PASSWORD).
    """
    from newsdesk.service import run_service

    with failures():
        run_service(settings(), store(), host=host, port=port, console=err_console)


def _register_command_modules() -> None:
    """Each ``newsdesk/cli_<area>.py`` adds its commands with ``register(app)``."""
    import importlib
    import pkgutil

    import newsdesk

    for info in sorted(pkgutil.iter_modules(newsdesk.__path__), key=lambda m: m.name):
        if info.name.startswith("cli_"):
            importlib.import_module(f"newsdesk.{info.name}").register(app)


_register_command_modules()

if __name__ == "__main__":  # pragma: no cover
    app()
