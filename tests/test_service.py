"""`newsdesk up`: the poller keeps source health, the inbox ingests dropped files, the server answers."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import httpx
import pytest

from newsdesk.ingest.fetcher import Fetcher
from newsdesk.service import Inbox, Poller
from newsdesk.settings import Settings
from tests.conftest import FIXTURES

SPINE = FIXTURES / "spine"

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Báo Ví Dụ</title><link>https://bao.example.vn/</link><language>vi</language>
<item><title>Hội thảo quốc tế về bảo tồn di sản</title><link>https://bao.example.vn/a1.html</link>
<pubDate>Mon, 12 Oct 2026 08:00:00 +0700</pubDate><description>Tóm tắt bài một.</description></item>
<item><title>Du lịch Khánh Hòa phục hồi mạnh mẽ sau đại dịch</title><link>https://bao.example.vn/a2.html</link>
<pubDate>Tue, 13 Oct 2026 08:00:00 +0700</pubDate>
<description>Khách quốc tế đến Khánh Hòa tăng mạnh trong năm nay, nhiều khách sạn kín phòng,
các doanh nghiệp lữ hành mở thêm tuyến mới và đầu tư vào sản phẩm du lịch biển đảo,
văn hóa và ẩm thực để giữ chân du khách.</description>
</item></channel></rss>"""


def _page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="vi"><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}'
        "</article></body></html>"
    ).encode()


class Site:
    """A fake news site: a feed with validators and pages; counts requests."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.feed_status = 200
        self.a2_status = 200

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        path = request.url.path
        if path == "/rss":
            if self.feed_status != 200:
                return httpx.Response(self.feed_status)
            if request.headers.get("if-none-match") == '"v1"':
                return httpx.Response(304)
            return httpx.Response(
                200, content=FEED.encode(), headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"}
            )
        if path == "/a1.html":
            text = (SPINE / "vi_hoi_thao.txt").read_text(encoding="utf-8").split("\n\n")
            return httpx.Response(
                200, content=_page(text[0], text[1:]), headers={"Content-Type": "text/html"}
            )
        if path == "/a2.html":
            return httpx.Response(self.a2_status)
        return httpx.Response(404)


@pytest.fixture
def site() -> Site:
    return Site()


@pytest.fixture
def poller(store, settings: Settings, site: Site) -> Poller:  # type: ignore[no-untyped-def]
    fetcher = Fetcher(
        settings.fetch,
        transport=httpx.MockTransport(site),
        resolver=lambda host, port: ["93.184.216.34"],
    )
    return Poller(store, settings, fetcher)


def test_poll_ingests_feed_pages_and_keeps_health(poller: Poller, store, site: Site) -> None:  # type: ignore[no-untyped-def]
    source = store.add_source(name="vidu", kind="feed", url="https://bao.example.vn/rss", outlet="Báo Ví Dụ")
    site.a2_status = 503  # the second page is down: its feed entry still becomes an article
    report = poller.poll(source)
    assert report.ingested == 2
    health = store.get_source("vidu")
    assert health["articles"] == 2 and health["polls"] == 1 and health["last_success_at"]
    assert health["last_error"] is None
    titles = {h.title: h for h in store.search("", page_size=10).hits}
    assert "Hội thảo quốc tế về bảo tồn di sản văn hóa phi vật thể tại Huế" in titles
    assert {h.outlet for h in titles.values()} == {"Báo Ví Dụ"}


def test_unchanged_feed_costs_one_conditional_request(poller: Poller, store, site: Site) -> None:  # type: ignore[no-untyped-def]
    source = store.add_source(name="vidu", kind="feed", url="https://bao.example.vn/rss")
    poller.poll(source)
    site.requests.clear()
    report = poller.poll(store.get_source("vidu"))
    assert report.ingested == 0
    assert site.requests == ["https://bao.example.vn/rss"]
    assert store.get_source("vidu")["polls"] == 2


def test_known_pages_are_not_fetched_again(poller: Poller, store, site: Site) -> None:  # type: ignore[no-untyped-def]
    source = store.add_source(name="vidu", kind="feed", url="https://bao.example.vn/rss")
    poller.poll(source)
    with store.engine.begin() as conn:  # forget the validators: the feed is fetched in full again
        conn.exec_driver_sql("UPDATE sources SET etag = NULL")
    site.requests.clear()
    poller.poll(store.get_source("vidu"))
    assert site.requests == ["https://bao.example.vn/rss"]


def test_failing_source_records_its_error(poller: Poller, store, site: Site) -> None:  # type: ignore[no-untyped-def]
    source = store.add_source(name="vidu", kind="feed", url="https://bao.example.vn/rss")
    site.feed_status = 404
    poller.poll(source)
    health = store.get_source("vidu")
    assert health["errors"] == 1 and "404" in health["last_error"] and health["last_success_at"] is None
    assert store.stats()["articles"] == 0


def test_due_respects_the_poll_interval(poller: Poller, store) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    store.add_source(name="vidu", kind="feed", url="https://bao.example.vn/rss")
    now = datetime.now(UTC)
    assert [s["name"] for s in poller.due(now)] == ["vidu"]
    poller.poll_due()
    assert poller.due(now + timedelta(seconds=10)) == []
    assert len(poller.due(now + timedelta(seconds=poller.settings.service.poll_interval + 1))) == 1


def test_inbox_ingests_and_moves_files(store, settings: Settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inbox = Inbox(store, settings, tmp_path / "inbox")
    for name in ("vi_hoi_thao.txt", "image.txt"):
        (inbox.folder / name).write_bytes((SPINE / name).read_bytes())
    report = inbox.scan(settle_seconds=0)
    assert report is not None and report.ingested == 1 and report.quarantined == {"binary": 1}
    assert [p.name for p in inbox.folder.iterdir() if p.is_file()] == []
    assert sorted(p.name for p in (inbox.done).rglob("*") if p.is_file()) == ["image.txt", "vi_hoi_thao.txt"]
    assert inbox.scan(settle_seconds=0) is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _one_time_password(proc: subprocess.Popen[bytes]) -> str:
    """The administrator's one-time password, from the first lines `newsdesk up` prints."""
    assert proc.stderr is not None
    for _ in range(20):
        line = proc.stderr.readline().decode()
        if not line:  # the process ended
            break
        match = re.search(r"one-time password (\S+)", line)
        if match:
            return match.group(1)
    raise AssertionError("newsdesk up printed no one-time password")


def _browser_login(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    """Log in through the login form, like a browser: cookies kept in a jar."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = opener.open(base + "/login", timeout=5).read().decode()
    token = re.search(r'name="login_csrf" value="([^"]+)"', form)
    assert token
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "login_csrf": token.group(1), "next": "/"}
    ).encode()
    opener.open(base + "/login", data=data, timeout=5)
    return opener


def test_newsdesk_up_serves_and_watches_the_inbox(tmp_path: Path) -> None:
    port = _free_port()
    env = os.environ | {
        "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
        "NEWSDESK_INGEST__INBOX": str(tmp_path / "inbox"),
        "NEWSDESK_SERVICE__INBOX_INTERVAL": "0.2",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "up", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        one_time = _one_time_password(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = _get(base + "/api/health")
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert status == 200
        assert _get(base + "/api/stats")[0] == 401  # nothing readable without logging in
        browser = _browser_login(base, "admin", one_time)
        page = browser.open(base + "/account/password", timeout=5).read().decode()
        assert "mật khẩu dùng một lần" in page  # the newcomer is asked to choose a password
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        new = {
            "csrf": csrf.group(1),
            "current": one_time,
            "new": "new admin pass",
            "repeat": "new admin pass",
        }
        browser.open(base + "/account/password", data=urllib.parse.urlencode(new).encode(), timeout=5)

        def api(path: str) -> dict[str, object]:
            return json.loads(browser.open(base + path, timeout=5).read())

        (tmp_path / "inbox" / "bai.txt").write_bytes((SPINE / "vi_hoi_thao.txt").read_bytes())
        os.utime(tmp_path / "inbox" / "bai.txt", (time.time() - 10, time.time() - 10))
        while api("/api/stats")["articles"] < 1:  # type: ignore[operator]
            assert time.monotonic() < deadline + 30, "inbox file was not ingested"
            time.sleep(0.2)
        assert api("/api/search?q=di+san+van+hoa")["total"] == 1
        today = browser.open(base + "/", timeout=5).read().decode()
        assert "Hôm nay" in today and "Bài viết" in today
    finally:
        proc.terminate()
        proc.wait(timeout=10)
