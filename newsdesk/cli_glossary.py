"""``newsdesk glossary …``, ``newsdesk memory …`` and ``newsdesk translate``: the translation library.

The command line acts as ``cli:<account>`` with an administrator's rights (see
:mod:`newsdesk.publish.workflow`): what it adds to the glossary is approved unless
``--status proposed`` says otherwise. Imports print what was added, updated and
rejected (with ``file:line``) and exit with status 1 when anything was rejected, so
a script notices; the good records are kept either way. ``translate`` prints the
per-segment suggestions of a publication; saving a translation is done on the
translate screen or through the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

__all__ = ["glossary_app", "memory_app", "register", "translate"]

glossary_app = typer.Typer(
    help="The shared multilingual glossary: list, add, import, export.", no_args_is_help=True
)
memory_app = typer.Typer(help="The translation memory: import, export, look up.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _cli() -> Any:
    from newsdesk import cli

    return cli


def _actor() -> Any:
    from newsdesk.publish.workflow import Actor

    return Actor.command_line()


def _glossary() -> Any:
    from newsdesk.publish.library import GlossaryStore

    return GlossaryStore(_cli().store().engine)


def _memory() -> Any:
    from newsdesk.publish.library import MemoryStore

    return MemoryStore(_cli().store().engine)


def _read(path: Path) -> bytes:
    from newsdesk.errors import UnreadableInput

    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(str(path), exc.strerror or str(exc)) from exc


def _write(path: Path, data: bytes) -> None:
    from newsdesk.errors import NewsdeskError

    try:
        path.write_bytes(data)
    except OSError as exc:
        raise NewsdeskError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _print_import(report: Any, as_json: bool) -> None:
    cli = _cli()
    if as_json:
        cli.emit_json(report.as_dict())
    else:
        cli.console.print(
            f"{report.origin}: added {report.added}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {len(report.rejected)}",
            highlight=False,
        )
        for problem in report.rejected:
            cli.err_console.print(f"  [red]{problem.origin}[/]: {problem.detail}", highlight=False)
    if report.rejected:
        raise typer.Exit(1)


# --- glossary -------------------------------------------------------------------------------------


@glossary_app.command("list")
def glossary_list(
    search: Annotated[
        str, typer.Argument(help="Words to find in terms, notes, domains (accents optional).")
    ] = "",
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only entries with a term in this language.")
    ] = None,
    domain: Annotated[str | None, typer.Option(help="Only this domain.")] = None,
    status: Annotated[str | None, typer.Option(help="approved or proposed.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List glossary entries by headword, with their terms per language."""
    cli = _cli()
    with cli.failures():
        total, entries = _glossary().listing(q=search, lang=lang, domain=domain, status=status)
    if as_json:
        cli.emit_json({"total": total, "results": [entry.as_dict() for entry in entries]})
        return
    table = Table("id", "terms", "domain", "status", "updated")
    for stored in entries:
        terms = "\n".join(_term_line(term) for term in stored.entry.terms)
        updated = f"{stored.updated_by} {stored.updated_at:%Y-%m-%d}"
        entry = stored.entry
        table.add_row(str(stored.id), terms, escape(entry.domain), entry.status.value, escape(updated))
    cli.console.print(table)


def _term_line(term: Any) -> str:
    mark = {"preferred": "", "admitted": " (admitted)", "forbidden": " [red](forbidden)[/]"}[term.usage.value]
    return f"{term.lang}: {escape(term.text)}{mark}"


def _triples(values: list[str], usage: str) -> list[tuple[str, str, str]]:
    triples = []
    for value in values:
        lang, sep, text = value.partition("=")
        if not sep:
            raise typer.BadParameter(f"{value!r}: write LANG=TEXT, e.g. en=Ministry of Foreign Affairs")
        triples.append((lang, text, usage))
    return triples


@glossary_app.command("add")
def glossary_add(
    terms: Annotated[list[str], typer.Argument(help="Preferred terms as LANG=TEXT, e.g. vi=Bộ Ngoại giao.")],
    admitted: Annotated[
        list[str] | None, typer.Option(help="An accepted variant, LANG=TEXT (repeatable).")
    ] = None,
    forbidden: Annotated[
        list[str] | None, typer.Option(help="A variant not to use, LANG=TEXT (repeatable).")
    ] = None,
    domain: Annotated[str, typer.Option(help="Domain label, e.g. Đối ngoại.")] = "",
    note: Annotated[str, typer.Option(help="Free note.")] = "",
    status: Annotated[str, typer.Option(help="approved or proposed.")] = "approved",
    as_json: JsonOpt = False,
) -> None:
    """Add a concept to the glossary."""
    from newsdesk.publish.library import build_entry

    cli = _cli()
    triples = _triples(terms, "preferred") + _triples(admitted or [], "admitted")
    triples += _triples(forbidden or [], "forbidden")
    with cli.failures():
        entry = build_entry(triples, status=status, domain=domain, note=note)
        stored = _glossary().add(_actor(), entry)
    if as_json:
        cli.emit_json(stored.as_dict())
    else:
        cli.console.print(f"added glossary entry {stored.id} ({stored.entry.status.value})")


@glossary_app.command("import")
def glossary_import(
    file: Annotated[Path, typer.Argument(help="A glossary as .csv or .tbx.")],
    as_json: JsonOpt = False,
) -> None:
    """Import a CSV or TBX glossary; existing concepts are updated, bad rows reported."""
    cli = _cli()
    with cli.failures():
        report = _glossary().import_file(_actor(), _read(file), origin=str(file))
    _print_import(report, as_json)


@glossary_app.command("export")
def glossary_export(
    file: Annotated[Path, typer.Argument(help="Where to write: .csv or .tbx (the format follows).")],
    status: Annotated[str | None, typer.Option(help="Only approved or only proposed entries.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the glossary to a CSV (opens in Excel) or TBX file."""
    from newsdesk.publish.library import glossary_format

    cli = _cli()
    with cli.failures():
        fmt = glossary_format(file.name)
        data = _glossary().export(fmt, status=status)
        _write(file, data)
    if as_json:
        cli.emit_json({"file": str(file), "format": fmt, "bytes": len(data)})
    else:
        cli.console.print(f"wrote {file} ({fmt}, {len(data)} bytes)", highlight=False)


# --- memory ---------------------------------------------------------------------------------------


@memory_app.command("import")
def memory_import(
    file: Annotated[Path, typer.Argument(help="A TMX file.")],
    as_json: JsonOpt = False,
) -> None:
    """Import translation units from a TMX file (units already stored are skipped)."""
    cli = _cli()
    with cli.failures():
        report = _memory().import_tmx(_read(file), origin=str(file))
    _print_import(report, as_json)


@memory_app.command("export")
def memory_export(
    file: Annotated[Path, typer.Argument(help="Where to write the TMX file.")],
    src: Annotated[str | None, typer.Option(help="Only units from this language.")] = None,
    tgt: Annotated[str | None, typer.Option(help="Only units into this language.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the translation memory as TMX 1.4."""
    cli = _cli()
    with cli.failures():
        memory = _memory()
        units = len(memory.units(src, tgt))
        _write(file, memory.export_tmx(src, tgt))
    if as_json:
        cli.emit_json({"file": str(file), "units": units})
    else:
        cli.console.print(f"wrote {units} unit(s) to {file}", highlight=False)


@memory_app.command("lookup")
def memory_lookup(
    text: Annotated[str, typer.Argument(help="A sentence to find translations of.")],
    src: Annotated[str, typer.Option(help="Its language.")] = "vi",
    tgt: Annotated[str, typer.Option(help="The language wanted.")] = "en",
    threshold: Annotated[float, typer.Option(min=0, max=100, help="Lowest fuzzy score.")] = 75.0,
    as_json: JsonOpt = False,
) -> None:
    """Stored translations of a sentence, best first (100 = exact)."""
    cli = _cli()
    with cli.failures():
        matches = _memory().lookup(text, src, tgt, threshold=threshold)
    if as_json:
        cli.emit_json([_match_dict(m) for m in matches])
        return
    table = Table("score", "source", "translation", "origin")
    for match in matches:
        table.add_row(f"{match.score:g}", *map(escape, (match.source, match.target, match.unit.origin)))
    cli.console.print(table)


def _match_dict(match: Any) -> dict[str, Any]:
    return {"score": match.score, "source": match.source, "target": match.target, "origin": match.unit.origin}


# --- translate ------------------------------------------------------------------------------------


def translate(
    publication_id: Annotated[int, typer.Argument(help="The source publication.")],
    lang: Annotated[str, typer.Option("--lang", help="Target language (en, fr …).")],
    as_json: JsonOpt = False,
) -> None:
    """Per-segment suggestions for translating a publication: memory, glossary, machine."""
    from newsdesk.publish.translation import translate_publication

    cli = _cli()
    with cli.failures():
        job = translate_publication(
            cli.store().engine, cli.settings().translate, _actor(), publication_id, lang
        )
    if as_json:
        cli.emit_json(job.as_dict())
        return
    data = job.as_dict()
    cli.console.print(data["message"], style="yellow" if job.manual else "green", highlight=False)
    table = Table("#", "source", "suggestion", "memory", "glossary")
    for segment in data["segments"]:
        best = max((m["score"] for m in segment["memory"]), default=None)
        terms = "\n".join(f"{t['source']} → {t['target'] or '?'}" for t in segment["terms"])
        memory = "" if best is None else f"{best:g}%"
        texts = map(escape, (segment["source"], segment["suggestion"], memory, terms))
        table.add_row(str(segment["index"] + 1), *texts)
    cli.console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(glossary_app, name="glossary")
    app.add_typer(memory_app, name="memory")
    app.command("translate")(translate)
