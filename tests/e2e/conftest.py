"""End-to-end fixtures: the real workspace served by uvicorn, driven by Debian's Chromium.

Playwright is given ``executable_path=/usr/bin/chromium`` and never downloads a
browser; ``make test`` installs the package (``make browser``). Without it the tests
skip, except under ``CI=true``, where they fail.

The archive is made at test time from ../shared/corpus/vims-dev: a dozen real event
clusters, spread over eight invented outlets and the last three days, so that the
Today page, stories, entities and themes have real Vietnamese content. Plus one
hostile HTML page carrying the OWASP XSS vectors.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pytest

from newsdesk.auth import Accounts
from newsdesk.ingest.sources import iter_inputs
from newsdesk.pipeline import Ingestor
from newsdesk.settings import load_settings
from newsdesk.store.repo import Store
from newsdesk.web.app import create_app
from tests.conftest import FIXTURES, REPO, require_corpus

CHROMIUM = Path(os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = REPO / "docs" / "screenshots"
PASSWORD = "mật khẩu thử nghiệm"
OUTLETS = [
    ("Báo Tin Nhanh", "tinnhanh.example.vn"),
    ("Thời Báo Phương Nam", "phuongnam.example.vn"),
    ("Nhật báo Thủ Đô", "thudo.example.vn"),
    ("Tạp chí Kinh Tế", "kinhte.example.vn"),
    ("Đài Tiếng Nói Miền Trung", "mientrung.example.vn"),
    ("Cổng Tin Tây Nguyên", "taynguyen.example.vn"),
    ("Báo Biển Đông", "biendong.example.vn"),
    ("Bản tin Đồng Bằng", "dongbang.example.vn"),
]


@dataclass
class LiveWorkspace:
    url: str
    store: Store
    accounts: Accounts
    clusters: dict[str, list[dict[str, Any]]]
    xss_article_id: int


def _require_chromium() -> Path:
    if CHROMIUM.is_file():
        return CHROMIUM
    message = f"{CHROMIUM} absent: run `make browser` (Debian's chromium) for the end-to-end tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _archive(path: Path, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Twelve vims-dev clusters as JSON Lines with outlets and recent dates."""
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with gzip.open(require_corpus("vims-dev.articles.jsonl.gz"), "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            clusters[record["cluster"]].append(record)
    rng = random.Random(7)
    chosen = sorted(c for c, items in clusters.items() if len(items) >= 6)[:12]
    picked: dict[str, list[dict[str, Any]]] = {}
    with path.open("w", encoding="utf-8") as out:
        for index, cluster in enumerate(chosen):
            start = now - timedelta(hours=2 + index * 5)
            for n, record in enumerate(clusters[cluster]):
                outlet, domain = OUTLETS[(index + n) % len(OUTLETS)]
                published = start - timedelta(hours=n * 1.5 + rng.random())
                row = {
                    "id": record["id"],
                    "url": f"https://{domain}/{record['id']}.html",
                    "title": record["title"],
                    "text": record["text"],
                    "published": published.isoformat(),
                    "outlet": outlet,
                    "language": "vi",
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                picked.setdefault(cluster, []).append(row)
    return picked


def _hostile_page(path: Path) -> None:
    vectors = [
        v
        for v in (FIXTURES / "web" / "xss_vectors.txt").read_text(encoding="utf-8").splitlines()
        if v.strip()
    ]
    paragraphs = "\n".join(f"<p>Đoạn {i}: {v}</p>" for i, v in enumerate(vectors))
    body = (
        "<p>Bài viết thử nghiệm an ninh: nội dung dưới đây chứa các mẫu tấn công XSS "
        "được dùng để kiểm tra rằng không đoạn mã nào được chạy trong trình duyệt.</p>" * 3
    )
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<title>Kiểm thử XSS <script>alert('title')</script></title>"
        f"<script>alert('head')</script></head><body><article><h1>Kiểm thử XSS {escape('<b>')}</h1>"
        f"{body}{paragraphs}</article></body></html>",
        encoding="utf-8",
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWorkspace]:
    import uvicorn

    _require_chromium()
    root = tmp_path_factory.mktemp("e2e")
    settings = load_settings(data_dir=root / "data", ingest={"min_text_chars": 80})
    store = Store.open(settings.resolved_database_url)
    clusters = _archive(root / "archive.jsonl", datetime.now(UTC))
    _hostile_page(root / "xss-test.html")
    Ingestor(store, settings).run(
        iter_inputs([str(root / "archive.jsonl"), str(root / "xss-test.html")], settings)
    )
    accounts = Accounts(store.engine, settings.auth)
    accounts.add_user(
        "analyst", unit="central", role="analyst", password=PASSWORD, display_name="Trần Thu Hà"
    )
    accounts.add_user("viewer", unit="hue", role="viewer", password=PASSWORD)
    accounts.add_user("editor", unit="hue", role="editor", password=PASSWORD, display_name="Lê Văn Biên")
    xss = store.search("kiem thu an ninh")
    assert xss.hits, "the hostile page was not ingested"
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(store, settings, accounts), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "workspace did not start"
        time.sleep(0.05)
    yield LiveWorkspace(f"http://127.0.0.1:{port}", store, accounts, clusters, xss.hits[0].id)
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="session")
def browser(live: LiveWorkspace) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(_require_chromium()),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Any, live: LiveWorkspace, username: str = "analyst") -> None:
    page.goto(live.url + "/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(live.url + "/")


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
