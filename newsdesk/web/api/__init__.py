"""The JSON API under ``/api/``: one router per resource, all behind login or an API token.

Every list is paged (``page``, ``page_size``; the answer has ``total``); every error
has the one shape of :mod:`newsdesk.web.errors`. ``/api/health`` alone answers
anonymous callers, and says nothing about the data.
"""

from __future__ import annotations

from fastapi import APIRouter

from newsdesk.web.api import analysis, me, monitor, plans, publications, reports, translation, users

__all__ = ["api_router"]

api_router = APIRouter(prefix="/api")
for module in (monitor, analysis, me, users, publications, translation, reports, plans):
    api_router.include_router(module.router)
