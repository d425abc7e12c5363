"""``newsdesk up``: the monitoring service.

Four things run in one process:

* the **poller** thread visits each enabled source when its poll interval has
  passed (conditional GET, so an unchanged feed costs one 304) and ingests
  what is new; the source's health (last success, last error, counts) is kept;
* the **inbox** thread ingests files dropped into the inbox folder, then moves
  them to ``inbox/done/`` — their bytes are in the database by then (as
  articles, or in quarantine with the reason);
* the **reports** thread, about hourly, stores the pickups of new publications and
  articles, then makes last week's and last month's reports when they are due
  (:mod:`newsdesk.reports.schedule`);
* **uvicorn** serves the status page and the JSON API (:mod:`newsdesk.web.app`).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from newsdesk.auth import Accounts
from newsdesk.errors import FetchError, InputError
from newsdesk.ingest.fetcher import Fetcher
from newsdesk.ingest.sources import poll_items
from newsdesk.model import RawItem
from newsdesk.pipeline import Ingestor, IngestReport
from newsdesk.reports.schedule import INTERVAL as REPORTS_INTERVAL
from newsdesk.reports.schedule import scheduled_work
from newsdesk.settings import Settings
from newsdesk.store.repo import Store

__all__ = ["Inbox", "Poller", "run_service"]

log = logging.getLogger("newsdesk.service")


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Poller:
    """Polls due sources; one pass is :meth:`poll_due`, the thread loops over it."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        fetcher: Fetcher | None = None,
        ingestor: Ingestor | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.fetcher = fetcher or Fetcher(settings.fetch)
        self.ingestor = ingestor or Ingestor(store, settings)

    def due(self, now: datetime) -> list[dict[str, Any]]:
        interval = timedelta(seconds=self.settings.service.poll_interval)
        return [
            s
            for s in self.store.list_sources(enabled_only=True)
            if (last := _parse_time(s["last_polled_at"])) is None or now - last >= interval
        ]

    def poll_due(self) -> list[IngestReport]:
        return [self.poll(source) for source in self.due(datetime.now(UTC))]

    def poll(self, source: dict[str, Any]) -> IngestReport:
        etag, last_modified = self.store.source_validators(source["id"])
        try:
            result, items = poll_items(
                source, self.fetcher, self.settings, self._is_known, etag=etag, last_modified=last_modified
            )
            report = self.ingestor.run(self._with_outlet(items, source.get("outlet")))
        except (FetchError, InputError) as exc:
            log.warning("source %s failed: %s", source["name"], exc)
            self.store.record_poll(source["id"], error=str(exc))
            return IngestReport()
        self.store.record_poll(
            source["id"],
            etag=result.etag if result else None,
            last_modified=result.last_modified if result else None,
        )
        log.info("source %s: %s", source["name"], report.as_dict() | {"problems": len(report.problems)})
        return report

    def _is_known(self, url: str) -> bool:
        """Pages already stored are not fetched again."""
        return bool(self.store.known_urls([url]))

    @staticmethod
    def _with_outlet(
        items: Iterator[RawItem | InputError], outlet: str | None
    ) -> Iterator[RawItem | InputError]:
        for item in items:
            if outlet and isinstance(item, RawItem):
                item.meta["outlet"] = outlet
            yield item


class Inbox:
    """Ingests files dropped into a folder, then moves them to ``done/``."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        folder: Path | None = None,
        ingestor: Ingestor | None = None,
    ) -> None:
        self.folder = folder or settings.ingest.inbox
        self.done = self.folder / "done"
        self.settings = settings
        self.ingestor = ingestor or Ingestor(store, settings)
        self.folder.mkdir(parents=True, exist_ok=True)

    def ready_files(self, settle_seconds: float = 2.0) -> list[Path]:
        """Files not hidden, not in done/, and unchanged for ``settle_seconds`` (fully written)."""
        now = time.time()
        return sorted(
            p
            for p in self.folder.iterdir()
            if p.is_file() and not p.name.startswith(".") and now - p.stat().st_mtime >= settle_seconds
        )

    def scan(self, settle_seconds: float = 2.0) -> IngestReport | None:
        from newsdesk.ingest.sources import iter_inputs

        files = self.ready_files(settle_seconds)
        if not files:
            return None
        report = self.ingestor.run(iter_inputs([str(p) for p in files], self.settings))
        stamp = datetime.now(UTC).strftime("%Y%m%d")
        for path in files:
            target = self.done / stamp / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), _free_name(target))
        log.info("inbox: %s", report.as_dict() | {"problems": len(report.problems)})
        return report


def _free_name(target: Path) -> Path:
    n = 1
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}.{n}{target.suffix}")
        n += 1
    return candidate


def _loop(name: str, interval: float, stop: threading.Event, work: Any) -> threading.Thread:
    def run() -> None:
        while not stop.is_set():
            try:
                work()
            except Exception:  # the service keeps running; the failure is logged
                log.exception("%s pass failed", name)
            stop.wait(interval)

    thread = threading.Thread(target=run, name=f"newsdesk-{name}", daemon=True)
    thread.start()
    return thread


def first_admin(accounts: Accounts, settings: Settings, console: Console | None) -> str | None:
    """On a database without users, create ``admin``; print (and return) its one-time password."""
    given = settings.admin_password.get_secret_value() if settings.admin_password else None
    created = accounts.ensure_admin(given)
    if created is None:
        return None
    user, one_time = created
    if console is not None:
        if one_time:
            console.print(
                f"[bold]First start:[/] administrator [bold]{user.username}[/] created with the one-time "
                f"password [bold]{one_time}[/] — log in and choose a new one.",
                soft_wrap=True,
            )
        else:
            console.print(
                f"[bold]First start:[/] administrator [bold]{user.username}[/] created "
                "with the password from NEWSDESK_ADMIN_PASSWORD.",
                soft_wrap=True,
            )
    log.info("first start: created administrator %s", user.username)
    return one_time


def run_service(
    settings: Settings,
    store: Store,
    *,
    host: str | None = None,
    port: int | None = None,
    console: Console | None = None,
) -> None:
    """Run until interrupted: poller + inbox threads, web server in the foreground."""
    import uvicorn

    from newsdesk.web.app import create_app

    host = host or settings.service.host
    port = port or settings.service.port
    accounts = Accounts(store.engine, settings.auth)
    first_admin(accounts, settings, console)
    stop = threading.Event()
    ingestor = Ingestor(store, settings)  # one collector: the threads never reload each other's state
    poller, inbox = Poller(store, settings, ingestor=ingestor), Inbox(store, settings, ingestor=ingestor)
    _loop("poller", min(30.0, settings.service.poll_interval), stop, poller.poll_due)
    _loop("inbox", settings.service.inbox_interval, stop, inbox.scan)
    _loop("reports", REPORTS_INTERVAL, stop, scheduled_work(store, settings))  # pickups, then due reports
    if console is not None:
        console.print(
            f"newsdesk up: http://{host}:{port}/  (API under /api/, inbox {inbox.folder.resolve()})"
        )
    try:
        uvicorn.run(create_app(store, settings, accounts), host=host, port=port, log_level="warning")
    finally:
        stop.set()
        poller.fetcher.close()
