"""Generated reports: files under ``settings.reports.folder`` and a ``reports`` row each.

A report is written as ``<year>/<kind>-<unit|all>[-<theme>]-<from>-<to>-<id>`` with three
suffixes: ``.html`` (always), ``.pdf`` (when asked; the scheduled ones always) and
``.json`` (the figures with the ids behind them, which the workspace's figure pages read).
The row is inserted first, since the documents' links carry its id; if rendering fails the
row and any file written are removed, so a half-made report never shows in the list (and
the scheduler tries again on its next pass). Paths in the row are relative to the folder.

``period_from`` is the first instant of the period and ``period_to`` the instant after it
(both UTC; the period's days are Vietnam's).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, func, insert, select, update

from newsdesk.errors import NotFound
from newsdesk.measure.kpis import LOCAL, Kpis, Scope, compute
from newsdesk.reports.render import render_html, render_pdf
from newsdesk.reports.view import build_view
from newsdesk.settings import ReportSettings
from newsdesk.store.repo import Store
from newsdesk.store.tables import ReportRow

__all__ = ["KINDS", "Reports"]

log = logging.getLogger("newsdesk.reports")

KINDS = ("weekly", "monthly", "on_demand")
Format = Literal["html", "pdf", "json"]


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-") or "x"


class Reports:
    """Make, list and read the generated reports."""

    def __init__(self, store: Store, settings: ReportSettings) -> None:
        self.store = store
        self.settings = settings
        self.folder = Path(settings.folder)

    # -- making ------------------------------------------------------------------------------
    def generate(
        self,
        scope: Scope,
        *,
        kind: str = "on_demand",
        created_by: str,
        pdf: bool = True,
        lang: str = "vi",
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Compute, render and file one report; its row as a dict."""
        if kind not in KINDS:
            raise ValueError(f"unknown report kind {kind!r}")
        from newsdesk.measure.refresh import refresh_pass, refresh_period

        refresh_pass(self.store)  # the figures count stored pickups: bring them up to date first,
        refresh_period(self.store, scope.start, scope.end)  # including the period's never-matched ones
        created = _aware(now or datetime.now(UTC))
        report_id = self._insert(scope, kind, created_by, created)
        written: list[Path] = []
        try:
            paths = self._write(report_id, scope, kind, created, pdf=pdf, lang=lang, written=written)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            with self.store.engine.begin() as conn:
                conn.execute(delete(ReportRow).where(ReportRow.id == report_id))
            raise
        with self.store.engine.begin() as conn:
            conn.execute(update(ReportRow).where(ReportRow.id == report_id).values(**paths))
        log.info("report %s: %s %s %s–%s", report_id, kind, scope.unit or "all", scope.first, scope.last)
        return self.get(report_id)

    def _insert(self, scope: Scope, kind: str, created_by: str, created: datetime) -> int:
        with self.store.engine.begin() as conn:
            return int(
                conn.execute(
                    insert(ReportRow)
                    .values(
                        kind=kind,
                        unit_code=scope.unit,
                        theme=scope.theme,
                        period_from=scope.start,
                        period_to=scope.end,
                        html_path="",
                        pdf_path=None,
                        created_by=created_by,
                        created_at=created,
                    )
                    .returning(ReportRow.id)
                ).scalar_one()
            )

    def _write(
        self,
        report_id: int,
        scope: Scope,
        kind: str,
        created: datetime,
        *,
        pdf: bool,
        lang: str,
        written: list[Path],
    ) -> dict[str, str | None]:
        with self.store.engine.connect() as conn:
            kpis = compute(conn, scope)
            view = build_view(
                conn, report_id, kind, kpis, lang=lang, base=self.settings.base_url, created_at=created
            )
        stem = self._stem(report_id, scope, kind)
        (self.folder / stem).parent.mkdir(parents=True, exist_ok=True)
        html = render_html(view)
        figures = kpis.as_dict() | {"report": report_id, "kind": kind, "lang": lang}
        self._save(stem + ".json", json.dumps(figures, ensure_ascii=False).encode(), written)
        self._save(stem + ".html", html.encode(), written)
        if pdf:
            self._save(stem + ".pdf", render_pdf(html), written)
        return {"html_path": stem + ".html", "pdf_path": stem + ".pdf" if pdf else None}

    def _save(self, relative: str, data: bytes, written: list[Path]) -> None:
        path = self.folder / relative
        written.append(path)
        path.write_bytes(data)

    @staticmethod
    def _stem(report_id: int, scope: Scope, kind: str) -> str:
        parts = [kind.replace("_", "-"), scope.unit or "all"]
        if scope.theme:
            parts.append(_slug(scope.theme))
        parts += [scope.first.isoformat(), scope.last.isoformat(), str(report_id)]
        return f"{scope.first.year}/{'-'.join(parts)}"

    # -- reading -----------------------------------------------------------------------------
    def exists(self, kind: str, scope: Scope) -> bool:
        """Whether a finished report of this kind and scope was made already."""
        r = ReportRow
        stmt = select(r.period_from, r.period_to).where(r.kind == kind, r.html_path != "")
        stmt = stmt.where(r.unit_code == scope.unit if scope.unit else r.unit_code.is_(None))
        stmt = stmt.where(r.theme == scope.theme if scope.theme else r.theme.is_(None))
        with self.store.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return any((_aware(a), _aware(b)) == (scope.start, scope.end) for a, b in rows)

    def listing(
        self, *, unit: str | None = None, kind: str | None = None, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        """Finished reports, newest first, one page; and how many there are."""
        r = ReportRow
        where = [r.html_path != ""]
        if unit:
            where.append(r.unit_code == unit)
        if kind:
            where.append(r.kind == kind)
        with self.store.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(r).where(*where)).scalar_one()
            rows = conn.execute(
                select(r)
                .where(*where)
                .order_by(r.created_at.desc(), r.id.desc())
                .limit(page_size)
                .offset((page - 1) * page_size)
            ).all()
        return [self._dict(row) for row in rows], int(total)

    def get(self, report_id: int) -> dict[str, Any]:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(ReportRow).where(ReportRow.id == report_id)).first()
        if row is None or not row.html_path:
            raise NotFound(f"report {report_id} not found")
        return self._dict(row)

    def path(self, report_id: int, fmt: Format) -> Path:
        """The file of a report in ``fmt``; NotFound when it was not made or is gone."""
        data = self.get(report_id)
        relative = {"html": data["html_path"], "pdf": data["pdf_path"]}.get(fmt)
        if fmt == "json":
            relative = str(Path(data["html_path"]).with_suffix(".json"))
        if not relative:
            raise NotFound(f"report {report_id} has no {fmt.upper()} file")
        path = Path(relative) if Path(relative).is_absolute() else self.folder / relative
        if not path.is_file():
            raise NotFound(f"report {report_id}: {path.name} is missing from {self.folder}")
        return path

    def kpis(self, report_id: int) -> Kpis:
        """The figures the report was made from, ids included."""
        return Kpis.from_dict(json.loads(self.path(report_id, "json").read_text(encoding="utf-8")))

    @staticmethod
    def _dict(row: Any) -> dict[str, Any]:
        start, end = _aware(row.period_from), _aware(row.period_to)
        first: date = start.astimezone(LOCAL).date()
        last: date = (end - timedelta(microseconds=1)).astimezone(LOCAL).date()
        return {
            "id": row.id,
            "kind": row.kind,
            "unit": row.unit_code,
            "theme": row.theme,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "html_path": row.html_path,
            "pdf_path": row.pdf_path,
            "html": f"/reports/{row.id}.html",
            "pdf": f"/reports/{row.id}.pdf" if row.pdf_path else None,
            "created_by": row.created_by,
            "created_at": _aware(row.created_at).isoformat(),
        }
