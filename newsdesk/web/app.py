"""The web app of ``newsdesk up``: the analyst's workspace and the JSON API.

* pages (:mod:`newsdesk.web.ui`), server-rendered, Vietnamese by default;
* the JSON API under ``/api/`` (:mod:`newsdesk.web.api`), OpenAPI at
  ``/openapi.json`` and ``/docs``;
* login with sessions or API tokens for both (:mod:`newsdesk.web.deps`), CSRF on
  every cookie-authenticated write, security headers on every response
  (:mod:`newsdesk.web.security`), one error shape (:mod:`newsdesk.web.errors`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from newsdesk import __version__
from newsdesk.auth import Accounts
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from newsdesk.web.api import api_router
from newsdesk.web.deps import Workspace, csrf_guard
from newsdesk.web.errors import error_body, install_error_handlers
from newsdesk.web.security import install_security_headers
from newsdesk.web.ui import ui_router
from newsdesk.web.ui.account_pages import router as account_router

__all__ = ["create_app", "error_body"]

_STATIC = Path(__file__).with_name("ui") / "static"


def create_app(store: Store, settings: Settings, accounts: Accounts | None = None) -> FastAPI:
    app = FastAPI(
        title="newsdesk",
        version=__version__,
        summary="Media monitoring and multilingual publishing for public-information offices",
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.workspace = Workspace(store, settings, accounts or Accounts(store.engine, settings.auth))
    install_error_handlers(app)
    install_security_headers(app, https=settings.auth.secure_cookies)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    app.include_router(api_router)
    app.include_router(account_router)
    app.include_router(ui_router())
    return app
