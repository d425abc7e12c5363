"""``newsdesk publications …`` and ``newsdesk pickup``: the office's own articles.

The command line acts as ``cli:<account>`` with an administrator's rights (see
:mod:`newsdesk.publish.workflow`); the unit a publication belongs to is always given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from newsdesk.publish.workflow import ACTIONS

__all__ = ["pickup", "publications_app", "register"]

publications_app = typer.Typer(
    help="The office's own publications: drafts, versions, variants.", no_args_is_help=True
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _cli() -> Any:
    from newsdesk import cli

    return cli


def _publications() -> Any:
    from newsdesk.publish.publications import Publications

    return Publications(_cli().store().engine)


def _actor() -> Any:
    from newsdesk.publish.workflow import Actor

    return Actor.command_line()


def _read(path: Path) -> tuple[str, str]:
    from newsdesk.errors import UnreadableInput
    from newsdesk.publish.publications import read_publication_file

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(str(path), exc.strerror or str(exc), reason="unreadable") from exc
    return read_publication_file(data, str(path))


@publications_app.command("add")
def publications_add(
    file: Annotated[Path, typer.Argument(help="Text or Markdown; the first line is the title.")],
    unit: Annotated[str, typer.Option(help="Author unit: central or a province code.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the text (vi, en, fr …).")],
    theme: Annotated[list[str] | None, typer.Option(help="Theme id (repeatable).")] = None,
    variant_of: Annotated[
        int | None, typer.Option(help="Make it a language variant of this publication.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a publication as a draft and print its id."""
    cli = _cli()
    with cli.failures():
        title, body = _read(file)
        new_id = _publications().add(
            _actor(), unit=unit, language=lang, title=title, body=body, themes=theme, source_id=variant_of
        )
    if as_json:
        cli.emit_json({"id": new_id})
    else:
        cli.console.print(new_id)


@publications_app.command("list")
def publications_list(
    unit: Annotated[str | None, typer.Option(help="Only this unit.")] = None,
    status: Annotated[str | None, typer.Option(help="draft, review, approved or published.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List publications, most recently changed first."""
    cli = _cli()
    with cli.failures():
        rows = _publications().listing(unit=unit, status=status, language=lang)
    if as_json:
        cli.emit_json(rows)
        return
    table = Table("id", "unit", "lang", "status", "v", "title", "variant of")
    for r in rows:
        source = f"{r['source_id']}{' (stale)' if r['stale'] else ''}" if r["source_id"] else ""
        table.add_row(
            str(r["id"]), r["unit"], r["language"], r["status"], str(r["version"]), r["title"][:60], source
        )
    cli.console.print(table)


@publications_app.command("show")
def publications_show(publication_id: Annotated[int, typer.Argument()], as_json: JsonOpt = False) -> None:
    """A publication with its text, history, versions and variants."""
    cli = _cli()
    with cli.failures():
        data = _publications().get(publication_id)
    if as_json:
        cli.emit_json(data)
        return
    cli.console.print(
        f"[bold]{data['title']}[/]  "
        f"({data['language']}, {data['unit']}, {data['status']}, v{data['version']})"
    )
    cli.console.print(data["body"], highlight=False)
    for event in data["events"]:
        cli.console.print(f"  {event['at'][:16]}  {event['actor']}: {event['action']} (v{event['version']})")
    for variant in data["variants"]:
        stale = " [yellow]stale[/]" if variant["stale"] else ""
        cli.console.print(f"  variant {variant['id']} ({variant['language']}){stale}")


@publications_app.command("edit")
def publications_edit(
    publication_id: Annotated[int, typer.Argument()],
    file: Annotated[Path, typer.Argument(help="The new text; the first line is the title.")],
    note: Annotated[str, typer.Option(help="What changed and why.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Save a new version of a publication's text."""
    cli = _cli()
    with cli.failures():
        title, body = _read(file)
        data = _publications().edit(_actor(), publication_id, title=title, body=body, note=note)
    if as_json:
        cli.emit_json(data)
    else:
        cli.console.print(f"publication {publication_id}: version {data['version']}, {data['status']}")


@publications_app.command("act")
def publications_act(
    publication_id: Annotated[int, typer.Argument()],
    action: Annotated[str, typer.Argument(help=f"One of: {', '.join(ACTIONS)}.")],
    note: Annotated[str, typer.Option(help="A note for the history.")] = "",
    url: Annotated[str | None, typer.Option(help="Where it was published (with publish).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Move a publication through draft → review → approved → published."""
    cli = _cli()
    with cli.failures():
        data = _publications().act(_actor(), publication_id, action, note=note, url=url)
    if as_json:
        cli.emit_json(data)
    else:
        cli.console.print(f"publication {publication_id}: {data['status']}")


@publications_app.command("diff")
def publications_diff(
    publication_id: Annotated[int, typer.Argument()],
    old: Annotated[int, typer.Argument(help="Older version.")],
    new: Annotated[int, typer.Argument(help="Newer version.")],
    as_json: JsonOpt = False,
) -> None:
    """What changed between two versions (unified diff)."""
    cli = _cli()
    with cli.failures():
        data = _publications().diff(publication_id, old, new)
    if as_json:
        cli.emit_json(data)
    else:
        for line in data["diff"]:
            colour = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
            cli.console.print(
                f"[{colour}]{line}[/]" if colour else line, highlight=False, markup=bool(colour)
            )


def pickup(
    publication_id: Annotated[int, typer.Argument(help="Publication id (any status).")],
    candidates: Annotated[
        int, typer.Option(min=10, max=500, help="Archive articles compared per variant.")
    ] = 300,
    as_json: JsonOpt = False,
) -> None:
    """Monitored articles that reuse a publication or its language variants."""
    from newsdesk.measure.archive import pickups

    cli = _cli()
    with cli.failures():
        rows = pickups(cli.store(), _publications(), publication_id, candidates=candidates)
    if as_json:
        cli.emit_json(rows)
        return
    table = Table("article", "outlet", "lang", "published", "delay h", "kind", "reused")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["outlet"] or "",
            r["language"] or "",
            cli._short_time(r["published_at"]),
            "" if r["delay_hours"] is None else f"{r['delay_hours']:g}",
            r["kind"],
            f"{r['reused_share']:.0%}",
        )
    cli.console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(publications_app, name="publications")
    app.command("pickup")(pickup)
