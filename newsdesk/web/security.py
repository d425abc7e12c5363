"""Security headers on every response.

The workspace's pages carry no inline script and no third-party resource, so the
Content-Security-Policy can be strict: scripts, styles, images and forms only from
the workspace itself (images also as ``data:`` URLs for the charts' icons), no
plugins, no framing, no ``<base>`` rewriting. Article HTML from the web is sanitised
before it is rendered (:mod:`newsdesk.web.ui.sanitize`); the policy is the second
wall. Only the interactive API docs at ``/docs`` load Swagger UI from its CDN.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response

__all__ = ["CSP", "install_security_headers"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
_DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def install_security_headers(app: FastAPI, *, https: bool = False) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        docs = request.url.path == "/docs" or request.url.path.startswith("/docs/")
        response.headers.setdefault("Content-Security-Policy", _DOCS_CSP if docs else CSP)
        if https:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if "text/html" in response.headers.get("content-type", "") or request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
