"""Sources: sitemap discovery from robots.txt (ingest gap 2) and local feeds through iter_inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from newsdesk.errors import BlockedURL, MalformedInput, TransientFetchError
from newsdesk.ingest.fetcher import Fetcher
from newsdesk.ingest.sources import discover_sitemaps, iter_inputs
from newsdesk.model import RawItem
from newsdesk.settings import FetchSettings, Settings
from tests.conftest import FIXTURES

ROBOTS = (
    "User-agent: *\nDisallow: /search\n\n"
    "Sitemap: https://news.example/sitemap-news.xml\n"
    "Sitemap: https://news.example/sitemap-index.xml\n"
)


def site(routes: dict[str, httpx.Response]) -> Fetcher:
    def handler(request: httpx.Request) -> httpx.Response:
        return routes.get(str(request.url), httpx.Response(404))

    settings = FetchSettings.model_validate({"per_host_delay": 0.0, "retries": 0})
    return Fetcher(
        settings, transport=httpx.MockTransport(handler), resolver=lambda host, port: ["93.184.216.34"]
    )


def test_gap2_a_site_root_leads_to_its_sitemaps() -> None:
    with site({"https://news.example/robots.txt": httpx.Response(200, text=ROBOTS)}) as fetcher:
        found = discover_sitemaps("https://news.example/", fetcher)
    assert found == ["https://news.example/sitemap-news.xml", "https://news.example/sitemap-index.xml"]


def test_gap2_no_robots_txt_means_no_sitemaps() -> None:
    with site({}) as fetcher:
        assert discover_sitemaps("https://news.example", fetcher) == []


@pytest.mark.parametrize(
    ("url", "routes", "error", "reason"),
    [
        ("/srv/news", {}, MalformedInput, "malformed"),
        ("http://192.168.1.1/", {}, BlockedURL, "private_address"),
        (
            "https://news.example/",
            {"https://news.example/robots.txt": httpx.Response(500)},
            TransientFetchError,
            "robots_unavailable",
        ),
    ],
)
def test_gap2_discovery_failures_name_the_url(
    url: str, routes: dict[str, httpx.Response], error: type[Exception], reason: str
) -> None:
    with site(routes) as fetcher, pytest.raises(error) as caught:
        discover_sitemaps(url, fetcher)
    assert url in str(caught.value) and getattr(caught.value, "reason", None) == reason


def test_gap4_local_feed_through_iter_inputs_keeps_the_source(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "tin-moi.xml"
    shutil.copy(FIXTURES / "ingest" / "net" / "vi_feed.xml", path)
    items = list(iter_inputs([str(path)], settings, source_id=7))
    assert len(items) == 2
    assert all(isinstance(i, RawItem) and i.kind == "record" and i.source_id == 7 for i in items)
