"""``newsdesk report``, ``newsdesk plans …`` and ``newsdesk pickup-refresh``.

* ``report`` makes a report of a unit (or all units), a theme and a period now, files it
  like the scheduled ones (:mod:`newsdesk.reports`) and prints the path of the file asked
  for — or copies it to ``--out``;
* ``plans`` adds, lists and changes the units' plans (:mod:`newsdesk.publish.plans`), acting
  as ``cli:<account>`` with an administrator's rights like ``newsdesk publications``;
* ``pickup-refresh`` redoes the stored pickups of the families published in the last days
  (or all of them, or one), e.g. after corrections or a large backfill of the archive;
  ``newsdesk up`` keeps them current by itself.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

__all__ = ["pickup_refresh", "plans_app", "register", "report"]

plans_app = typer.Typer(
    help="Units' publication plans, and where two units' plans clash.", no_args_is_help=True
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


class ReportFormat(StrEnum):
    pdf = "pdf"
    html = "html"


def _cli() -> Any:
    from newsdesk import cli

    return cli


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date such as 2026-06-30", param_hint=option) from exc


def _actor() -> Any:
    from newsdesk.publish.workflow import Actor

    return Actor.command_line()


# ---------------------------------------------------------------- report


def report(
    date_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD, Vietnam's days).")],
    date_to: Annotated[str, typer.Option("--to", help="Last day, included.")],
    unit: Annotated[str | None, typer.Option(help="Unit code; all units when left out.")] = None,
    theme: Annotated[
        str | None, typer.Option(help="Only publications of this theme (and its subthemes).")
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="The file to print (HTML is always kept).")
    ] = (ReportFormat.pdf),
    out: Annotated[Path | None, typer.Option(help="Also copy the file here.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: vi or en.")] = "vi",
    as_json: JsonOpt = False,
) -> None:
    """Make a report of a unit's output and pickups over a period; print the file's path."""
    from newsdesk.auth import Accounts
    from newsdesk.measure.kpis import Scope
    from newsdesk.reports import Reports

    cli = _cli()
    if lang not in ("vi", "en"):
        raise typer.BadParameter("vi or en", param_hint="--lang")
    first, last = _day(date_from, "--from"), _day(date_to, "--to")
    with cli.failures():
        store, settings = cli.store(), cli.settings()
        if unit:
            Accounts(store.engine).unit(unit)
        scope = Scope(unit, theme, first, last)
        reports = Reports(store, settings.reports)
        made = reports.generate(scope, created_by=_actor().name, pdf=fmt == ReportFormat.pdf, lang=lang)
        path = reports.path(made["id"], fmt.value).resolve()
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            path = Path(shutil.copyfile(path, out)).resolve()
    if as_json:
        cli.emit_json(made | {"path": str(path)})
    else:
        cli.console.print(str(path), highlight=False, soft_wrap=True)


# ---------------------------------------------------------------- plans


def _plans() -> Any:
    from newsdesk.publish.plans import Plans

    return Plans(_cli().store().engine)


def _due(value: str | None) -> datetime | None:
    from newsdesk.store.search import parse_when

    if value is None or value.lower() in ("", "none"):
        return None
    try:
        return parse_when(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date such as 2026-06-30", param_hint="--due") from exc


def _what(clash: dict[str, Any]) -> str:
    themes, languages = ", ".join(clash["themes"]), ", ".join(clash["languages"])
    return f"{themes} in {languages}, {clash['days_apart']:g} days apart"


@plans_app.command("add")
def plans_add(
    title: Annotated[str, typer.Argument(help="What the unit will publish.")],
    unit: Annotated[str, typer.Option(help="The unit that commits to it.")],
    description: Annotated[str, typer.Option(help="Details.")] = "",
    theme: Annotated[list[str] | None, typer.Option(help="Theme id (repeatable).")] = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="Language it will come out in (repeatable).")
    ] = None,
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a plan (status planned) and print its id."""
    cli = _cli()
    with cli.failures():
        plans = _plans()
        new_id = plans.add(
            _actor(),
            unit=unit,
            title=title,
            description=description,
            themes=theme,
            languages=lang,
            due=_due(due),
        )
        warnings = plans.clashes(plan_id=new_id)
    if as_json:
        cli.emit_json(plans.get(new_id) | {"warnings": warnings})
        return
    cli.console.print(new_id)
    for clash in warnings:
        other = clash["other"] if clash["plan"]["id"] == new_id else clash["plan"]
        cli.err_console.print(
            f"[yellow]warning:[/] {other['unit']} plans “{other['title']}” (#{other['id']}): {_what(clash)}",
            highlight=False,
        )


@plans_app.command("list")
def plans_list(
    unit: Annotated[str | None, typer.Option(help="Only this unit.")] = None,
    status: Annotated[str | None, typer.Option(help="planned, in_progress, done or dropped.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List plans by due date, with the clashes between units."""
    cli = _cli()
    with cli.failures():
        plans = _plans()
        rows = plans.listing(unit=unit, status=status)
        clashes = plans.clashes()
    if unit:
        clashes = [c for c in clashes if unit in (c["plan"]["unit"], c["other"]["unit"])]
    if as_json:
        cli.emit_json({"plans": rows, "warnings": clashes})
        return
    table = Table("id", "unit", "status", "due", "themes", "langs", "publication", "title")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["unit"],
            r["status"],
            (r["due"] or "")[:10],
            ", ".join(r["themes"]),
            ", ".join(r["languages"]),
            str(r["publication_id"] or ""),
            r["title"][:60],
        )
    cli.console.print(table)
    for clash in clashes:
        a, b = clash["plan"], clash["other"]
        cli.console.print(
            f"[yellow]clash:[/] #{a['id']} ({a['unit']}) and #{b['id']} ({b['unit']}): {_what(clash)}",
            highlight=False,
        )


@plans_app.command("set")
def plans_set(
    plan_id: Annotated[int, typer.Argument()],
    status: Annotated[str | None, typer.Option(help="planned, in_progress, done or dropped.")] = None,
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    description: Annotated[str | None, typer.Option(help="A new description.")] = None,
    theme: Annotated[list[str] | None, typer.Option(help="Replace the themes (repeatable).")] = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="Replace the languages (repeatable).")
    ] = None,
    due: Annotated[str | None, typer.Option(help="A new due date, or 'none' to clear it.")] = None,
    publication: Annotated[
        int | None, typer.Option(help="Link this publication of the unit; 0 unlinks.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a plan: fields, then status, then the linked publication."""
    cli = _cli()
    changes: dict[str, Any] = {
        k: v
        for k, v in {"title": title, "description": description, "themes": theme, "languages": lang}.items()
        if v is not None
    }
    if due is not None:
        changes["due"] = _due(due)
    with cli.failures():
        plans, actor = _plans(), _actor()
        data = plans.get(plan_id)
        if changes:
            data = plans.edit(actor, plan_id, **changes)
        if status is not None:
            data = plans.set_status(actor, plan_id, status)
        if publication is not None:
            data = plans.link(actor, plan_id, publication or None)
    if as_json:
        cli.emit_json(data)
    else:
        cli.console.print(f"plan {plan_id}: {data['status']}")


# ---------------------------------------------------------------- pickups


def pickup_refresh(
    days: Annotated[int, typer.Option(min=1, help="Families published in the last DAYS days.")] = 30,
    all_: Annotated[bool, typer.Option("--all", help="Every published family, whatever its age.")] = False,
    publication: Annotated[int | None, typer.Option(help="Only this publication's family.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Store the pickups of published publications again (replacing what was stored)."""
    from newsdesk.measure.refresh import RefreshReport, refresh_publication, refresh_recent

    cli = _cli()
    with cli.failures():
        if publication is not None:
            result = RefreshReport(families=1, pickups=refresh_publication(cli.store(), publication))
        else:
            result = refresh_recent(cli.store(), days=None if all_ else days)
    if as_json:
        cli.emit_json(result.as_dict())
    else:
        cli.console.print(f"{result.families} publications, {result.pickups} pickups stored")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.add_typer(plans_app, name="plans")
    app.command("pickup-refresh")(pickup_refresh)
