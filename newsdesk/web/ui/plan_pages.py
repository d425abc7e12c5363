"""Plans in the workspace: ``/plans`` (every unit's, with clash warnings) and ``/plans/{id}``.

Everyone logged in reads; an editor creates and changes their own unit's plans, an
administrator any unit's (:mod:`newsdesk.publish.plans`). Every change is a ``POST`` form
with the session's CSRF token, answered by a redirect (so a reload repeats nothing), or by
the page again with the problem when the change is refused for a reason the user can fix.

Warnings: the list shows every clash among the active plans (two units planning the same
theme and language within a week); a plan's page shows its own clashes and, once linked to
a publication, other units' publications that overlap strongly with it
(:func:`newsdesk.publish.overlap.overlapping`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.auth import Permission, User
from newsdesk.errors import Forbidden, NewsdeskError, NotFound
from newsdesk.publish.overlap import overlapping
from newsdesk.publish.plans import PLAN_STATUSES, TRANSITIONS, Plans
from newsdesk.publish.workflow import Actor
from newsdesk.store.search import parse_when
from newsdesk.web.deps import Reader, Ws, require
from newsdesk.web.ui.i18n import TIMEZONE, Translator
from newsdesk.web.ui.render import page_language, qs, render
from newsdesk.web.ui.report_pages import theme_options, unit_names

__all__ = ["router"]

router = APIRouter()
Editor = Annotated[User, Depends(require(Permission.EDIT_OWN_UNIT))]
Text = Annotated[str, Form(max_length=10_000)]


def _plans(ws: Ws) -> Plans:
    return Plans(ws.store.engine)


def _may_change(user: User, unit: str) -> bool:
    return user.can(Permission.EDIT_OWN_UNIT) and (user.role == "administrator" or user.unit_code == unit)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _due(text: str) -> datetime | None:
    return parse_when(text) if text.strip() else None


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _shown(plan: dict[str, Any]) -> dict[str, Any]:
    due = _when(plan["due"])
    day = due.astimezone(TIMEZONE).date().isoformat() if due else ""
    return plan | {"due_at": due, "due_day": day, "updated": _when(plan["updated_at"])}


# ---------------------------------------------------------------- the list


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, user: Reader, ws: Ws, unit: str = "", status: str = "") -> Response:
    return _list(request, ws, user, unit=unit, status=status)


@router.post("/plans")
def add_plan(
    request: Request,
    user: Editor,
    ws: Ws,
    unit: Annotated[str, Form()],
    title: Annotated[str, Form(max_length=500)],
    description: Text = "",
    themes: Text = "",
    languages: Text = "",
    due: Annotated[str, Form()] = "",
) -> Response:
    try:
        new_id = _plans(ws).add(
            Actor.of(user),
            unit=unit,
            title=title,
            description=description,
            themes=_split(themes),
            languages=_split(languages),
            due=_due(due),
        )
    except (Forbidden, NotFound):
        raise
    except (NewsdeskError, ValueError) as exc:
        return _list(request, ws, user, problem=str(exc))
    return RedirectResponse(qs(f"/plans/{new_id}", saved="created"), status_code=303)


def _list(
    request: Request,
    ws: Ws,
    user: User,
    *,
    unit: str = "",
    status: str = "",
    problem: str = "",
) -> Response:
    lang = page_language(request)
    plans = _plans(ws)
    status = status if status in PLAN_STATUSES else ""
    items = plans.listing(unit=unit or None, status=status or None)
    clashes = plans.clashes()
    if unit:
        clashes = [c for c in clashes if unit in (c["plan"]["unit"], c["other"]["unit"])]
    units = unit_names(ws, lang)
    return render(
        request,
        "plans.html",
        status=400 if problem else 200,
        items=[_shown(p) for p in items],
        clashes=[_clash(c, units, Translator(lang)) for c in clashes],
        units=units,
        own_units={c: n for c, n in units.items() if _may_change(user, c)},
        themes=theme_options(lang),
        statuses=PLAN_STATUSES,
        filters={"unit": unit, "status": status},
        can_create=user.can(Permission.EDIT_OWN_UNIT),
        problem=problem,
    )


def _clash(clash: dict[str, Any], units: dict[str, str], t: Translator) -> dict[str, Any]:
    first, other = clash["plan"], clash["other"]
    return {
        "plan": first,
        "other": other,
        "text": t(
            "plans.clash",
            unit=units.get(other["unit"], other["unit"]),
            title=other["title"],
            themes=", ".join(clash["themes"]),
            languages=", ".join(clash["languages"]),
            days=t.number(clash["days_apart"], 1),
        ),
        "unit_name": units.get(first["unit"], first["unit"]),
    }


# ---------------------------------------------------------------- one plan


@router.get("/plans/{plan_id:int}", response_class=HTMLResponse)
def plan_page(request: Request, user: Reader, ws: Ws, plan_id: int, saved: str = "") -> Response:
    return _plan(request, ws, user, plan_id, saved=saved)


@router.post("/plans/{plan_id:int}")
def edit_plan(
    request: Request,
    user: Editor,
    ws: Ws,
    plan_id: int,
    title: Annotated[str, Form(max_length=500)],
    description: Text = "",
    themes: Text = "",
    languages: Text = "",
    due: Annotated[str, Form()] = "",
) -> Response:
    def change() -> None:
        _plans(ws).edit(
            Actor.of(user),
            plan_id,
            title=title,
            description=description,
            themes=_split(themes),
            languages=_split(languages),
            due=_due(due),
        )

    return _apply(request, ws, user, plan_id, change)


@router.post("/plans/{plan_id:int}/status")
def set_status(
    request: Request, user: Editor, ws: Ws, plan_id: int, status: Annotated[str, Form()]
) -> Response:
    return _apply(request, ws, user, plan_id, lambda: _plans(ws).set_status(Actor.of(user), plan_id, status))


@router.post("/plans/{plan_id:int}/link")
def link_publication(
    request: Request, user: Editor, ws: Ws, plan_id: int, publication_id: Annotated[str, Form()] = ""
) -> Response:
    def change() -> None:
        wanted = publication_id.strip().lstrip("#")
        if wanted and not wanted.isdigit():
            raise NewsdeskError(f"publication id {publication_id!r} is not a number")
        _plans(ws).link(Actor.of(user), plan_id, int(wanted) if wanted else None)

    return _apply(request, ws, user, plan_id, change)


def _apply(request: Request, ws: Ws, user: User, plan_id: int, change: Any) -> Response:
    try:
        change()
    except (Forbidden, NotFound):
        raise
    except (NewsdeskError, ValueError) as exc:
        return _plan(request, ws, user, plan_id, problem=str(exc), status=400)
    return RedirectResponse(qs(f"/plans/{plan_id}", saved="updated"), status_code=303)


def _plan(
    request: Request,
    ws: Ws,
    user: User,
    plan_id: int,
    *,
    saved: str = "",
    problem: str = "",
    status: int = 200,
) -> Response:
    lang = page_language(request)
    t = Translator(lang)
    plans = _plans(ws)
    plan = plans.get(plan_id)
    units = unit_names(ws, lang)
    overlaps = []
    if plan["publication_id"] is not None:
        for item in overlapping(ws.store.engine, plan["publication_id"]):
            when = _when(item["published_at"] or item["updated_at"])
            text = t(
                "plans.overlap",
                unit=units.get(item["unit"], item["unit"]),
                date=t.date(when),
                title=item["title"],
                share=t.percent(item["containment"]),
            )
            overlaps.append(item | {"text": text})
    return render(
        request,
        "plans_plan.html",
        status=status,
        plan=_shown(plan),
        units=units,
        clashes=[_clash(_facing(c, plan_id), units, t) for c in plans.clashes(plan_id=plan_id)],
        overlaps=overlaps,
        moves=TRANSITIONS[plan["status"]],
        can_change=_may_change(user, plan["unit"]),
        notice=t(f"plans.{saved}") if saved in ("created", "updated") else "",
        problem=problem,
    )


def _facing(clash: dict[str, Any], plan_id: int) -> dict[str, Any]:
    """The clash seen from ``plan_id``: that plan first."""
    if clash["plan"]["id"] == plan_id:
        return clash
    return clash | {"plan": clash["other"], "other": clash["plan"]}
