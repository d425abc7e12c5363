"""The polite fetcher, against httpx.MockTransport only (no network, no real sleeping)."""

from __future__ import annotations

import ipaddress
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import TypeVar

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.errors import BlockedURL, FetchError, HTTPStatusError, TransientFetchError
from newsdesk.ingest.fetcher import Fetcher, FetchResult
from newsdesk.ingest.netguard import forbidden_reason
from newsdesk.settings import FetchSettings

PUBLIC_IP = "93.184.216.34"
Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Site:
    """A MockTransport handler: routes by full URL, records every request with its time."""

    def __init__(self, routes: dict[str, Handler | httpx.Response | list[httpx.Response]], clock: FakeClock):
        self.routes = routes
        self.clock = clock
        self.seen: list[tuple[str, float, httpx.Request]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.seen.append((url, self.clock(), request))
        route = self.routes.get(url)
        if route is None:
            return httpx.Response(404)
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route if isinstance(route, httpx.Response) else route(request)

    def hits(self, url: str) -> list[float]:
        return [when for seen, when, _ in self.seen if seen == url]


def make_fetcher(
    site: Site,
    *,
    resolve: dict[str, list[str]] | None = None,
    **settings: object,
) -> Fetcher:
    options: dict[str, object] = {"per_host_delay": 0.0, "retries": 3, "backoff": 0.5, **settings}
    table = resolve or {}

    def resolver(host: str, port: int) -> list[str]:
        return table.get(host, [PUBLIC_IP])

    return Fetcher(
        FetchSettings.model_validate(options),
        transport=httpx.MockTransport(site),
        resolver=resolver,
        clock=site.clock,
        sleep=site.clock.sleep,
    )


E = TypeVar("E", bound=Exception)


def failure(fetcher: Fetcher, url: str, kind: type[E]) -> E:
    """The error of type ``kind`` that fetching ``url`` raises; closes the fetcher."""
    with fetcher, pytest.raises(kind) as caught:
        fetcher.fetch(url)
    return caught.value


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


PAGE = "https://news.example/a/1.html"
ROBOTS = "https://news.example/robots.txt"


# -- success, validators, conditional GET ---------------------------------------------------------


def test_fetch_returns_body_headers_and_validators(clock: FakeClock) -> None:
    page = httpx.Response(
        200,
        content="<p>Xin chào</p>".encode(),
        headers={
            "content-type": "text/html; charset=utf-8",
            "etag": '"v1"',
            "last-modified": "Mon, 24 Nov 2025",
        },
    )
    site = Site({PAGE: page}, clock)
    with make_fetcher(site) as fetcher:
        result = fetcher.fetch(PAGE)
    assert isinstance(result, FetchResult)
    assert (result.url, result.status, result.body) == (PAGE, 200, "<p>Xin chào</p>".encode())
    assert result.content_type == "text/html; charset=utf-8"
    assert (result.etag, result.last_modified, result.not_modified) == ('"v1"', "Mon, 24 Nov 2025", False)
    assert result.fetched_at.tzinfo is not None and result.elapsed >= 0
    assert site.seen[-1][2].headers["user-agent"].startswith("newsdesk/")


def test_conditional_get_304_is_not_modified(clock: FakeClock) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, content=b"fresh", headers={"etag": '"v1"'})

    site = Site({PAGE: page}, clock)
    with make_fetcher(site) as fetcher:
        first = fetcher.fetch(PAGE)
        again = fetcher.fetch(PAGE, etag=first.etag)
    assert (again.status, again.not_modified, again.body, again.etag) == (304, True, b"", '"v1"')


def test_if_modified_since_from_datetime(clock: FakeClock) -> None:
    since = datetime(2025, 11, 24, 22, 30, tzinfo=timezone(timedelta(hours=7)))
    expected = "Mon, 24 Nov 2025 15:30:00 GMT"

    def page(request: httpx.Request) -> httpx.Response:
        return httpx.Response(304 if request.headers.get("if-modified-since") == expected else 200)

    with make_fetcher(Site({PAGE: page}, clock)) as fetcher:
        assert fetcher.fetch(PAGE, last_modified=since).not_modified
        assert fetcher.fetch(PAGE, last_modified=expected).not_modified
        assert not fetcher.fetch(PAGE).not_modified


# -- robots.txt -----------------------------------------------------------------------------------


def robots(text: str, status: int = 200) -> httpx.Response:
    return httpx.Response(status, text=text)


def test_robots_disallow_blocks_without_requesting_the_page(clock: FakeClock) -> None:
    site = Site({ROBOTS: robots("User-agent: newsdesk\nDisallow: /a/\n"), PAGE: httpx.Response(200)}, clock)
    error = failure(make_fetcher(site), PAGE, BlockedURL)
    assert error.reason == "robots" and error.url == PAGE
    assert "robots.txt" in str(error)
    assert site.hits(PAGE) == []


def test_robots_allow_and_cache(clock: FakeClock) -> None:
    text = "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n"
    site = Site({ROBOTS: robots(text), PAGE: httpx.Response(200, content=b"ok")}, clock)
    with make_fetcher(site) as fetcher:
        assert fetcher.fetch(PAGE).body == b"ok"
        assert fetcher.fetch(PAGE).body == b"ok"
        with pytest.raises(BlockedURL):
            fetcher.fetch("https://news.example/private/x")
    assert len(site.hits(ROBOTS)) == 1


def test_robots_cache_expires_after_ttl(clock: FakeClock) -> None:
    site = Site({ROBOTS: robots("User-agent: *\nAllow: /\n"), PAGE: httpx.Response(200)}, clock)
    with make_fetcher(site) as fetcher:
        fetcher.fetch(PAGE)
        clock.now += 3601
        fetcher.fetch(PAGE)
    assert len(site.hits(ROBOTS)) == 2


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_robots_4xx_allows_all(clock: FakeClock, status: int) -> None:
    site = Site({ROBOTS: robots("Disallow: /", status), PAGE: httpx.Response(200)}, clock)
    with make_fetcher(site) as fetcher:
        assert fetcher.fetch(PAGE).status == 200


@pytest.mark.parametrize("status", [500, 503])
def test_robots_5xx_disallows_this_fetch_only(clock: FakeClock, status: int) -> None:
    site = Site({ROBOTS: [robots("", status)], PAGE: httpx.Response(200)}, clock)
    with make_fetcher(site, retries=1) as fetcher:
        with pytest.raises(TransientFetchError, match=r"robots\.txt unavailable") as caught:
            fetcher.fetch(PAGE)
        assert caught.value.reason == "robots_unavailable"
        assert site.hits(PAGE) == []
        site.routes[ROBOTS] = robots("User-agent: *\nAllow: /\n")
        assert fetcher.fetch(PAGE).status == 200


def test_robots_unreachable_disallows(clock: FakeClock) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    site = Site({ROBOTS: down, PAGE: httpx.Response(200)}, clock)
    error = failure(make_fetcher(site, retries=0), PAGE, TransientFetchError)
    assert error.reason == "robots_unavailable" and site.hits(PAGE) == []


def test_respect_robots_off_skips_robots(clock: FakeClock) -> None:
    site = Site({ROBOTS: robots("User-agent: *\nDisallow: /\n"), PAGE: httpx.Response(200)}, clock)
    with make_fetcher(site, respect_robots=False) as fetcher:
        assert fetcher.fetch(PAGE).status == 200
    assert site.hits(ROBOTS) == []


def test_crawl_delay_lengthens_host_spacing(clock: FakeClock) -> None:
    site = Site({ROBOTS: robots("User-agent: *\nCrawl-delay: 5\n"), PAGE: httpx.Response(200)}, clock)
    with make_fetcher(site, per_host_delay=1.0) as fetcher:
        fetcher.fetch(PAGE)
        fetcher.fetch(PAGE)
    first, second = site.hits(PAGE)
    assert second - first >= 5.0


# -- per-host rate limit --------------------------------------------------------------------------


def test_per_host_delay_spaces_requests_with_fake_clock(clock: FakeClock) -> None:
    other = "https://other.example/x"
    site = Site({PAGE: httpx.Response(200), other: httpx.Response(200)}, clock)
    with make_fetcher(site, per_host_delay=2.0, respect_robots=False) as fetcher:
        for _ in range(3):
            fetcher.fetch(PAGE)
        fetcher.fetch(other)
    times = site.hits(PAGE)
    assert [b - a for a, b in itertools.pairwise(times)] == [2.0, 2.0]
    assert site.hits(other) == [times[-1]]  # another host does not wait
    assert sum(clock.sleeps) == pytest.approx(4.0)


def test_per_host_delay_holds_across_threads() -> None:
    stamps: list[float] = []
    lock = threading.Lock()

    def page(request: httpx.Request) -> httpx.Response:
        with lock:
            stamps.append(time.monotonic())
        return httpx.Response(200)

    settings = FetchSettings.model_validate({"per_host_delay": 0.1, "respect_robots": False})
    fetcher = Fetcher(settings, transport=httpx.MockTransport(page), resolver=lambda h, p: [PUBLIC_IP])
    threads = [threading.Thread(target=fetcher.fetch, args=(PAGE,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fetcher.close()
    # Scheduling jitter can only make a request later than its slot, so the span is robust:
    # four slots 0.1 s apart span at least 0.3 s, minus the first request's own delay.
    assert len(stamps) == 4
    assert max(stamps) - min(stamps) >= 0.28


# -- retries --------------------------------------------------------------------------------------


def test_transient_statuses_are_retried_with_backoff(clock: FakeClock) -> None:
    site = Site({PAGE: [httpx.Response(503), httpx.Response(502), httpx.Response(200, content=b"ok")]}, clock)
    with make_fetcher(site, respect_robots=False) as fetcher:
        assert fetcher.fetch(PAGE).body == b"ok"
    assert len(site.hits(PAGE)) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_timeouts_and_connection_errors_are_retried(clock: FakeClock) -> None:
    failures: Iterator[type[httpx.TransportError]] = iter([httpx.ConnectTimeout, httpx.ReadError])

    def flaky(request: httpx.Request) -> httpx.Response:
        error = next(failures, None)
        if error is not None:
            raise error("boom", request=request)
        return httpx.Response(200, content=b"ok")

    with make_fetcher(Site({PAGE: flaky}, clock), respect_robots=False) as fetcher:
        assert fetcher.fetch(PAGE).body == b"ok"


def test_retries_exhausted_raise_transient(clock: FakeClock) -> None:
    site = Site({PAGE: httpx.Response(504)}, clock)
    error = failure(make_fetcher(site, respect_robots=False, retries=2), PAGE, TransientFetchError)
    assert error.reason == "http_504" and "3 attempts" in error.detail
    assert len(site.hits(PAGE)) == 3 and clock.sleeps == [0.5, 1.0]


def test_timeout_exhausted_reason(clock: FakeClock) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    fetcher = make_fetcher(Site({PAGE: slow}, clock), respect_robots=False, retries=1)
    error = failure(fetcher, PAGE, TransientFetchError)
    assert error.reason == "timeout"


def http_date_in(seconds: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)


@pytest.mark.parametrize(
    ("header", "low", "high"),
    [(lambda: "7", 7.0, 7.0), (lambda: http_date_in(30), 27.0, 30.0)],
    ids=["delta-seconds", "http-date"],
)
def test_retry_after_is_honoured(
    clock: FakeClock, header: Callable[[], str], low: float, high: float
) -> None:
    busy = httpx.Response(429, headers={"retry-after": header()})
    site = Site({PAGE: [busy, httpx.Response(200)]}, clock)
    with make_fetcher(site, respect_robots=False) as fetcher:
        assert fetcher.fetch(PAGE).status == 200
    assert low <= clock.sleeps[0] <= high


def test_retry_after_over_cap_gives_up_at_once(clock: FakeClock) -> None:
    site = Site({PAGE: httpx.Response(503, headers={"retry-after": "3600"})}, clock)
    error = failure(make_fetcher(site, respect_robots=False), PAGE, TransientFetchError)
    assert "Retry-After" in error.detail and len(site.hits(PAGE)) == 1


@pytest.mark.parametrize("status", [400, 403, 404, 410, 500, 501])
def test_other_error_statuses_are_not_retried(clock: FakeClock, status: int) -> None:
    site = Site({PAGE: httpx.Response(status)}, clock)
    error = failure(make_fetcher(site, respect_robots=False), PAGE, HTTPStatusError)
    assert error.status == status and error.reason == f"http_{status}"
    assert len(site.hits(PAGE)) == 1


# -- size and time caps ---------------------------------------------------------------------------


def test_declared_length_over_cap_is_refused(clock: FakeClock) -> None:
    site = Site({PAGE: httpx.Response(200, content=b"x" * 2000)}, clock)
    error = failure(make_fetcher(site, respect_robots=False, max_bytes=1000), PAGE, FetchError)
    assert error.reason == "too_large" and "1000 bytes" in str(error)


def test_streamed_body_over_cap_is_refused(clock: FakeClock) -> None:
    chunks = iter([b"x" * 600, b"y" * 600, b"z" * 600])
    site = Site({PAGE: httpx.Response(200, content=chunks)}, clock)
    error = failure(make_fetcher(site, respect_robots=False, max_bytes=1000), PAGE, FetchError)
    assert error.reason == "too_large"


def test_body_exactly_at_cap_is_kept(clock: FakeClock) -> None:
    site = Site({PAGE: httpx.Response(200, content=iter([b"x" * 500, b"y" * 500]))}, clock)
    with make_fetcher(site, respect_robots=False, max_bytes=1000) as fetcher:
        assert len(fetcher.fetch(PAGE).body) == 1000


def test_trickling_body_hits_the_time_budget(clock: FakeClock) -> None:
    def trickle() -> Iterator[bytes]:
        for _ in range(10):
            clock.now += 3.0
            yield b"."

    site = Site({PAGE: lambda request: httpx.Response(200, content=trickle())}, clock)
    fetcher = make_fetcher(site, respect_robots=False, retries=0, timeout=5.0)
    error = failure(fetcher, PAGE, TransientFetchError)
    assert error.reason == "timeout"


# -- redirects ------------------------------------------------------------------------------------


def redirect(location: str, status: int = 302) -> httpx.Response:
    return httpx.Response(status, headers={"location": location})


def test_relative_redirect_is_followed(clock: FakeClock) -> None:
    final = "https://news.example/b/2.html"
    site = Site({PAGE: redirect("/b/2.html", 301), final: httpx.Response(200, content=b"moved")}, clock)
    with make_fetcher(site, respect_robots=False) as fetcher:
        result = fetcher.fetch(PAGE)
    assert (result.url, result.body) == (final, b"moved")


def test_redirect_to_private_address_is_blocked(clock: FakeClock) -> None:
    site = Site(
        {
            PAGE: redirect("http://intranet.example/admin"),
            "http://intranet.example/admin": httpx.Response(200),
        },
        clock,
    )
    resolve = {"intranet.example": ["10.0.0.7"]}
    error = failure(make_fetcher(site, resolve=resolve, respect_robots=False), PAGE, BlockedURL)
    assert error.reason == "private_address" and "10.0.0.7" in str(error)
    assert site.hits("http://intranet.example/admin") == []


@pytest.mark.parametrize("location", ["http://127.0.0.1:8080/", "http://[::1]/", "file:///etc/passwd"])
def test_redirect_to_literal_private_or_other_scheme_is_blocked(clock: FakeClock, location: str) -> None:
    site = Site({PAGE: redirect(location)}, clock)
    with make_fetcher(site, respect_robots=False) as fetcher, pytest.raises(BlockedURL):
        fetcher.fetch(PAGE)
    assert len(site.seen) == 1


def test_every_hop_checks_robots(clock: FakeClock) -> None:
    hop = "https://mirror.example/copy"
    site = Site(
        {
            PAGE: redirect(hop),
            "https://mirror.example/robots.txt": robots("User-agent: *\nDisallow: /copy\n"),
            hop: httpx.Response(200),
        },
        clock,
    )
    error = failure(make_fetcher(site), PAGE, BlockedURL)
    assert error.reason == "robots" and error.url == hop
    assert site.hits(hop) == []


def test_redirect_loop_stops_after_five(clock: FakeClock) -> None:
    site = Site({PAGE: redirect(PAGE)}, clock)
    error = failure(make_fetcher(site, respect_robots=False), PAGE, FetchError)
    assert error.reason == "redirects" and len(site.hits(PAGE)) == 6


def test_redirect_without_location(clock: FakeClock) -> None:
    site = Site({PAGE: httpx.Response(302)}, clock)
    error = failure(make_fetcher(site, respect_robots=False), PAGE, FetchError)
    assert error.reason == "bad_redirect"


# -- private-address guard and schemes ------------------------------------------------------------

BLOCKED_LITERALS = [
    "http://127.0.0.1/",
    "http://127.8.9.10:8000/x",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::a00:1]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://localhost:8000/",
    "http://api.localhost/",
]


@pytest.mark.parametrize("url", BLOCKED_LITERALS)
def test_private_literals_are_blocked(clock: FakeClock, url: str) -> None:
    site = Site({}, clock)
    error = failure(make_fetcher(site), url, BlockedURL)
    assert error.reason == "private_address"
    assert site.seen == []


def test_any_private_address_of_a_name_blocks_it(clock: FakeClock) -> None:
    site = Site({}, clock)
    resolve = {"mixed.example": [PUBLIC_IP, "192.168.0.10"]}
    with make_fetcher(site, resolve=resolve) as fetcher, pytest.raises(BlockedURL):
        fetcher.fetch("https://mixed.example/")
    assert site.seen == []


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f000001/", "http://127.1/"])
def test_numeric_host_spellings_are_caught_by_the_system_resolver(url: str) -> None:
    settings = FetchSettings.model_validate({"respect_robots": False})
    fetcher = Fetcher(settings, transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    assert "127.0.0.1" in str(failure(fetcher, url, BlockedURL))


def test_allow_private_lets_local_addresses_through(clock: FakeClock) -> None:
    local = "http://127.0.0.1:8000/feed.xml"
    site = Site({local: httpx.Response(200, content=b"<rss/>")}, clock)
    with make_fetcher(site, allow_private=True) as fetcher:
        assert fetcher.fetch(local).body == b"<rss/>"


@pytest.mark.parametrize(
    "url", ["ftp://news.example/a", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"]
)
def test_non_http_schemes_are_refused(clock: FakeClock, url: str) -> None:
    site = Site({}, clock)
    error = failure(make_fetcher(site), url, BlockedURL)
    assert error.reason == "scheme" and site.seen == []


def test_unresolvable_host_is_transient(clock: FakeClock) -> None:
    def nowhere(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    fetcher = Fetcher(transport=httpx.MockTransport(Site({}, clock)), resolver=nowhere)
    error = failure(fetcher, "https://no-such-host.example/", TransientFetchError)
    assert error.reason == "dns" and "no-such-host.example" in str(error)


def test_url_without_host_is_invalid(clock: FakeClock) -> None:
    error = failure(make_fetcher(Site({}, clock)), "http:///path", FetchError)
    assert error.reason == "invalid_url"


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ipv4_mapped_addresses_get_the_ipv4_verdict(number: int) -> None:
    v4 = ipaddress.IPv4Address(number)
    mapped = ipaddress.IPv6Address(f"::ffff:{v4}")
    assert forbidden_reason(mapped) == forbidden_reason(v4)


@given(st.integers(min_value=0, max_value=2**24 - 1))
def test_ten_slash_eight_is_always_private(offset: int) -> None:
    assert forbidden_reason(ipaddress.IPv4Address(0x0A000000 + offset)) == "private"


# -- robots.txt per RFC 9309 and its Sitemap lines (ingest gaps 1 and 2) ---------------------------


def test_gap1_robots_longest_match_lets_an_allow_beat_an_earlier_disallow(clock: FakeClock) -> None:
    text = "User-agent: *\nDisallow: /\nAllow: /a/\n"
    other = "https://news.example/b/2.html"
    site = Site({ROBOTS: robots(text), PAGE: httpx.Response(200), other: httpx.Response(200)}, clock)
    with make_fetcher(site) as fetcher:
        assert fetcher.fetch(PAGE).status == 200  # urllib.robotparser refused this: first match won
        with pytest.raises(BlockedURL):
            fetcher.fetch(other)
    assert site.hits(other) == []


def test_gap1_robots_wildcards_apply_to_fetches(clock: FakeClock) -> None:
    site = Site({ROBOTS: robots("User-agent: *\nDisallow: /*.html$\n"), PAGE: httpx.Response(200)}, clock)
    error = failure(make_fetcher(site), PAGE, BlockedURL)
    assert error.reason == "robots"


def test_gap2_sitemaps_come_from_robots_and_share_its_cache(clock: FakeClock) -> None:
    text = "Sitemap: https://news.example/news.xml\nUser-agent: *\nAllow: /\nSitemap: /index.xml\n"
    site = Site({ROBOTS: robots(text), PAGE: httpx.Response(200)}, clock)
    with make_fetcher(site) as fetcher:
        fetcher.fetch(PAGE)
        found = fetcher.sitemaps("https://news.example/")
    assert found == ["https://news.example/news.xml", "https://news.example/index.xml"]
    assert len(site.hits(ROBOTS)) == 1


def test_gap2_sitemaps_are_read_even_when_robots_is_not_obeyed(clock: FakeClock) -> None:
    site = Site({ROBOTS: robots("User-agent: *\nDisallow: /\nSitemap: /s.xml\n")}, clock)
    with make_fetcher(site, respect_robots=False) as fetcher:
        assert fetcher.sitemaps("https://news.example") == ["https://news.example/s.xml"]


def test_gap2_sitemaps_resolve_against_the_final_robots_url(clock: FakeClock) -> None:
    www = "https://www.news.example/robots.txt"
    site = Site({ROBOTS: redirect(www, 301), www: robots("Sitemap: /s.xml\n")}, clock)
    with make_fetcher(site) as fetcher:
        assert fetcher.sitemaps("https://news.example/") == ["https://www.news.example/s.xml"]


def test_gap2_sitemaps_missing_unavailable_and_blocked(clock: FakeClock) -> None:
    site = Site({ROBOTS: robots("", 404), "https://down.example/robots.txt": robots("", 503)}, clock)
    with make_fetcher(site, retries=0) as fetcher:
        assert fetcher.sitemaps("https://news.example/") == []
        with pytest.raises(TransientFetchError) as unavailable:
            fetcher.sitemaps("https://down.example/")
        with pytest.raises(BlockedURL) as blocked:
            fetcher.sitemaps("http://10.0.0.1/")
    assert unavailable.value.reason == "robots_unavailable"
    assert blocked.value.reason == "private_address" and blocked.value.url == "http://10.0.0.1/"
