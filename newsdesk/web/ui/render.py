"""Rendering pages: one Jinja environment, the user's language, the CSRF token.

Templates are autoescaped and strict (an unknown variable is an error, not an
empty string). Every page gets ``t`` (messages and formats of the user's language),
``user``, ``csrf`` (the session's token for forms), ``path`` and ``charts``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from newsdesk import __version__
from newsdesk.web.deps import LANG_COOKIE, current_session, optional_user
from newsdesk.web.ui import charts
from newsdesk.web.ui.i18n import Translator, choose_language

__all__ = ["error_page", "page_language", "qs", "render"]

TEMPLATES = Path(__file__).with_name("templates")


def qs(base: str, **params: Any) -> str:
    """``base?k=v…`` with empty values left out (links keep only the filters in use)."""
    kept = {k: v for k, v in params.items() if v not in (None, "", [])}
    return f"{base}?{urlencode(kept, doseq=True)}" if kept else base


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(charts=charts, qs=qs, version=__version__)
    return env


def page_language(request: Request) -> str:
    """The user's saved choice, else the language cookie, else Vietnamese."""
    try:
        user = optional_user(request)
    except Exception:  # a bad token on a page request: fall back to the cookie
        user = None
    return choose_language(user.language if user else None, request.cookies.get(LANG_COOKIE))


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = page_language(request)
    session = current_session(request) if request.cookies else None
    user = getattr(request.state, "user", None)
    html = (
        environment()
        .get_template(template)
        .render(
            t=Translator(lang),
            lang=lang,
            user=user,
            csrf=session.csrf_token if session else "",
            path=request.url.path,
            full_path=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)
