"""The service's status page: counts, source health, latest articles and quarantine.

Vietnamese by default, English on request. Every value from the database is
HTML-escaped; the page carries no script.
"""

from __future__ import annotations

from html import escape
from typing import Any

from newsdesk.store.repo import Store

__all__ = ["render_status"]

TEXT = {
    "vi": {
        "title": "newsdesk — trạng thái",
        "articles": "Bài viết",
        "sources": "Nguồn",
        "quarantined": "Cách ly",
        "raw": "Dữ liệu gốc",
        "source_health": "Tình trạng nguồn",
        "name": "Tên",
        "kind": "Loại",
        "last_success": "Lần thành công cuối",
        "last_error": "Lỗi gần nhất",
        "latest": "Bài mới nhất",
        "outlet": "Cơ quan báo chí",
        "language": "Ngôn ngữ",
        "published": "Ngày đăng",
        "quarantine": "Đầu vào bị cách ly",
        "origin": "Nguồn gốc",
        "reason": "Lý do",
        "none": "Chưa có",
        "switch": "English",
        "api": "API JSON",
    },
    "en": {
        "title": "newsdesk — status",
        "articles": "Articles",
        "sources": "Sources",
        "quarantined": "Quarantined",
        "raw": "Raw items",
        "source_health": "Source health",
        "name": "Name",
        "kind": "Kind",
        "last_success": "Last success",
        "last_error": "Last error",
        "latest": "Latest articles",
        "outlet": "Outlet",
        "language": "Language",
        "published": "Published",
        "quarantine": "Quarantined input",
        "origin": "Origin",
        "reason": "Reason",
        "none": "None yet",
        "switch": "Tiếng Việt",
        "api": "JSON API",
    },
}

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#1d2630;padding:0 1rem}
h1{font-size:1.4rem} h2{font-size:1.1rem;margin-top:2rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #d5dbe1;border-radius:6px;padding:.8rem 1.2rem}
.card b{display:block;font-size:1.6rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{border-bottom:1px solid #e3e7eb;padding:.35rem .5rem;text-align:left;vertical-align:top}
.err{color:#a12622}nav{float:right}
"""


def _fmt_number(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def _when(value: Any) -> str:
    if not value:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return escape(text[:16].replace("T", " "))


def _rows(rows: list[list[str]], empty: str, width: int) -> str:
    if not rows:
        return f"<tr><td colspan={width}>{escape(empty)}</td></tr>"
    return "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)


def render_status(store: Store, lang: str = "vi") -> str:
    t = TEXT[lang]
    stats = store.stats()
    sources = store.list_sources()
    latest = store.search("", order="date", page_size=15).hits
    quarantine = store.quarantine(10)
    other = "en" if lang == "vi" else "vi"
    cards = "".join(
        f'<div class="card">{escape(t[k])}<b>{_fmt_number(stats[key], lang)}</b></div>'
        for k, key in (
            ("articles", "articles"),
            ("sources", "sources"),
            ("quarantined", "quarantined"),
            ("raw", "raw_items"),
        )
    )
    source_rows = [
        [
            escape(s["name"]),
            escape(s["kind"]),
            _fmt_number(s["articles"], lang),
            _when(s["last_success_at"]),
            f'<span class="err">{escape((s["last_error"] or "")[:120])}</span>',
        ]
        for s in sources
    ]
    article_rows = [
        [
            f'<a href="/api/articles/{h.id}">{escape(h.title)}</a>',
            escape(h.outlet or ""),
            escape(h.language or ""),
            _when(h.published_at),
        ]
        for h in latest
    ]
    quarantine_rows = [
        [escape(q["origin"][:120]), escape(q["reason"]), escape(q["detail"][:160]), _when(q["created_at"])]
        for q in quarantine
    ]
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(t["title"])}</title><style>{STYLE}</style></head><body>
<nav><a href="/?lang={other}">{escape(t["switch"])}</a> · <a href="/docs">{escape(t["api"])}</a></nav>
<h1>{escape(t["title"])}</h1><div class="cards">{cards}</div>
<h2>{escape(t["source_health"])}</h2><table><tr><th>{t["name"]}</th><th>{t["kind"]}</th><th>{t["articles"]}</th>
<th>{t["last_success"]}</th><th>{t["last_error"]}</th></tr>{_rows(source_rows, t["none"], 5)}</table>
<h2>{escape(t["latest"])}</h2><table><tr><th>{t["articles"]}</th><th>{t["outlet"]}</th><th>{t["language"]}</th>
<th>{t["published"]}</th></tr>{_rows(article_rows, t["none"], 4)}</table>
<h2>{escape(t["quarantine"])}</h2><table><tr><th>{t["origin"]}</th><th>{t["reason"]}</th><th></th><th></th></tr>
{_rows(quarantine_rows, t["none"], 4)}</table></body></html>"""
