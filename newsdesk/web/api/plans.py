"""Coordination between units: plans (``/api/plans``) and overlap warnings (``/api/overlaps``).

Everyone logged in reads every unit's plans and their clashes; editors create and change
their own unit's, administrators any (:mod:`newsdesk.publish.plans`). ``PATCH`` changes
fields, the status (only along the allowed transitions) and the linked publication in
one call, in that order. ``/api/overlaps/{publication_id}`` lists other units' recent
publications that share much of its text (:mod:`newsdesk.publish.overlap`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from newsdesk.auth import Permission, User
from newsdesk.publish.overlap import overlapping
from newsdesk.publish.plans import PLAN_STATUSES, Plans
from newsdesk.publish.workflow import Actor
from newsdesk.web.api.paging import Page, PageSize, paged
from newsdesk.web.deps import Reader, Ws, require

__all__ = ["PlanCreate", "PlanUpdate", "router"]

router = APIRouter(tags=["coordination"])
Editor = Annotated[User, Depends(require(Permission.EDIT_OWN_UNIT))]
_STATUS = "^(" + "|".join(PLAN_STATUSES) + ")$"


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str
    title: str = Field(min_length=1, max_length=500)
    description: str = Field("", max_length=10_000)
    themes: list[str] = Field(default_factory=list, max_length=20)
    languages: list[str] = Field(default_factory=list, max_length=20)
    due: datetime | None = None


class PlanUpdate(BaseModel):
    """Only the fields sent change; ``"due": null`` clears the due date, ``"publication_id": null``
    unlinks the publication."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = Field(None, max_length=10_000)
    themes: list[str] | None = Field(None, max_length=20)
    languages: list[str] | None = Field(None, max_length=20)
    due: datetime | None = None
    status: str | None = Field(None, pattern=_STATUS)
    publication_id: int | None = None


@router.get("/plans")
def list_plans(
    _: Reader,
    ws: Ws,
    page: Page = 1,
    page_size: PageSize = 50,
    unit: str | None = None,
    status: Annotated[str | None, Query(pattern=_STATUS)] = None,
) -> dict[str, Any]:
    rows = Plans(ws.store.engine).listing(unit=unit, status=status, limit=100_000)
    start = (page - 1) * page_size
    return paged(rows[start : start + page_size], len(rows), page, page_size)


@router.post("/plans", status_code=201)
def add_plan(user: Editor, ws: Ws, body: PlanCreate) -> dict[str, Any]:
    plans = Plans(ws.store.engine)
    new_id = plans.add(Actor.of(user), **body.model_dump())
    return plans.get(new_id)


@router.get("/plans/warnings")
def plan_warnings(_: Reader, ws: Ws, days: Annotated[int, Query(ge=0, le=365)] = 7) -> list[dict[str, Any]]:
    """Active plans of different units with a shared theme and language, ``days`` apart at most."""
    return Plans(ws.store.engine).clashes(days=days)


@router.get("/plans/{plan_id}")
def get_plan(_: Reader, ws: Ws, plan_id: int) -> dict[str, Any]:
    plans = Plans(ws.store.engine)
    return plans.get(plan_id) | {"warnings": plans.clashes(plan_id=plan_id)}


@router.patch("/plans/{plan_id}")
def update_plan(user: Editor, ws: Ws, plan_id: int, body: PlanUpdate) -> dict[str, Any]:
    plans, actor = Plans(ws.store.engine), Actor.of(user)
    sent = body.model_dump(exclude_unset=True)
    status, linked = sent.pop("status", None), "publication_id" in sent
    publication = sent.pop("publication_id", None)
    plan = plans.get(plan_id)
    if sent:
        plan = plans.edit(actor, plan_id, **sent)
    if status is not None:
        plan = plans.set_status(actor, plan_id, status)
    if linked:
        plan = plans.link(actor, plan_id, publication)
    return plan


@router.get("/overlaps/{publication_id}")
def overlaps(
    _: Reader,
    ws: Ws,
    publication_id: int,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
    threshold: Annotated[float, Query(gt=0, le=1)] = 0.5,
) -> list[dict[str, Any]]:
    """Other units' publications in the same language that share much of this one's text."""
    return overlapping(ws.store.engine, publication_id, days=days, threshold=threshold)
