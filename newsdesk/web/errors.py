"""One error shape for the API, error pages for the workspace.

API paths (``/api/…``) answer ``{"error": {"status": 404, "code": "not_found",
"message": "article 7 not found"}}`` for every failure, pinned by a test. Page paths
answer an HTML page in the user's language, except that an anonymous visitor is sent
to the login page with the page they wanted.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.errors import Conflict, Forbidden, NewsdeskError, NotAuthenticated, NotFound

__all__ = ["error_body", "install_error_handlers", "is_api"]

log = logging.getLogger("newsdesk.web")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid_request",
}


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _respond(request: Request, status: int, code: str, message: str) -> Response:
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
    if status == 401:
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(wanted, safe='')}", status_code=303)
    from newsdesk.web.ui.render import error_page

    return error_page(request, status, message)


_DOMAIN_ERRORS: tuple[tuple[type[NewsdeskError], int, str], ...] = (
    (NotAuthenticated, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (NewsdeskError, 400, "bad_request"),  # any other deliberate error: the request was wrong
)


def _handler(status: int, code: str) -> Any:
    async def handler(request: Request, exc: Exception) -> Response:
        return _respond(request, status, code, str(exc))

    return handler


async def _unexpected(request: Request, exc: Exception) -> Response:
    """A bug or an outage: logged with its traceback, answered in the one shape without details."""
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(request, 500, "internal_error", "internal error: the failure was logged")


def install_error_handlers(app: FastAPI) -> None:
    for error, status, code in _DOMAIN_ERRORS:
        app.add_exception_handler(error, _handler(status, code))
    app.add_exception_handler(Exception, _unexpected)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return _respond(request, 422, "invalid_request", problems)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _respond(request, exc.status_code, CODES.get(exc.status_code, "error"), str(exc.detail))

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _respond(request, exc.status_code, CODES.get(exc.status_code, "error"), str(exc.detail))
