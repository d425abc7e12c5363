"""Rendering a report: self-contained HTML (Jinja) and an A4 PDF (WeasyPrint).

The HTML carries everything it needs: the stylesheet is inlined (``templates/report.css``),
the charts are inline SVG, there is no script, no image file and no web font — so the file
opens the same from a mail attachment or a shared folder. The fonts are the system's
"Noto Sans", then "DejaVu Sans" (both cover Vietnamese), then any sans-serif.

Served by the workspace, the page's Content-Security-Policy allows exactly that inline
stylesheet, by its hash (:func:`style_hash`), and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from newsdesk.reports.view import ReportView

__all__ = ["CSS", "render_html", "render_pdf", "style_hash"]

_TEMPLATES = Path(__file__).with_name("templates")
CSS = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(view: ReportView) -> str:
    """The report as one self-contained HTML document."""
    template = _environment().get_template("report.html")
    return template.render(v=view, t=view.t, k=view.kpis, charts=view.charts(), css=Markup(CSS))


def render_pdf(html: str) -> bytes:
    """The HTML document printed to an A4 PDF (links kept as PDF links)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def style_hash(html: str) -> str:
    """The CSP source (``'sha256-…'``) of the document's inline stylesheet."""
    match = _STYLE.search(html)
    digest = hashlib.sha256((match.group(1) if match else "").encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"
