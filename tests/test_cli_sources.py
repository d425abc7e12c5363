"""`newsdesk sources discover`: the sitemaps a site names in its robots.txt, from a real local server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app

ROBOTS = (
    b"User-agent: *\nDisallow: /private/\nSitemap: /sitemap-news.xml\nSitemap: https://cdn.example.vn/s.xml\n"
)


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = ROBOTS if self.path == "/robots.txt" else "<html><body>trang chủ</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_discover_lists_the_sitemaps_of_robots_txt(
    site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_FETCH__ALLOW_PRIVATE", "true")
    monkeypatch.setenv("NEWSDESK_FETCH__PER_HOST_DELAY", "0")
    result = CliRunner().invoke(app, ["sources", "discover", site + "/", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [f"{site}/sitemap-news.xml", "https://cdn.example.vn/s.xml"]


def test_discover_refuses_what_is_not_a_web_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["sources", "discover", "ftp://example.vn/"])
    assert result.exit_code == 1 and "needs an http(s) URL" in result.output
