"""The polite fetcher: one HTTP GET, done the way a well-behaved crawler does it.

:class:`Fetcher` wraps a synchronous ``httpx.Client`` and adds, for every hop
of a redirect chain (redirects are followed by hand, at most five):

* a scheme check (``http``/``https`` only) and the private-address guard of
  :mod:`newsdesk.ingest.netguard` (unless ``FetchSettings.allow_private``): the
  host is refused when *any* of its addresses is not global. The guard runs
  twice: here, up front, for an early refusal that names the URL (and so a test
  transport sees the policy), and again in the connection layer at connect
  time, which connects to exactly the addresses it vetted, so DNS rebinding
  between the check and the connect is caught too;
* robots.txt (:mod:`newsdesk.ingest.robots`, RFC 9309: longest match wins,
  ``*`` and ``$`` wildcards), fetched once per origin and cached for
  ``robots_ttl`` seconds. A 4xx robots.txt allows everything; a 5xx or
  unreachable one disallows this fetch (RFC 9309 §2.3.1) with a
  :class:`TransientFetchError` whose reason is ``robots_unavailable``, so the
  caller may try again later. ``Crawl-delay`` lengthens the per-host delay, up
  to 30 seconds; the ``Sitemap`` lines are offered by :meth:`Fetcher.sitemaps`;
* a per-host delay of at least ``per_host_delay`` seconds between two request
  starts, shared by all threads using the fetcher;
* bounded retries with exponential backoff for timeouts, connection errors and
  HTTP 429/502/503/504, honouring ``Retry-After`` up to ``max_retry_after``;
* a size cap (``max_bytes``, on the decoded body, checked while streaming) and
  a total time budget of ``timeout`` seconds per request.

Conditional GET: pass the ``etag``/``last_modified`` stored from an earlier
:class:`FetchResult`; a 304 comes back as ``not_modified=True`` with an empty body.

Failures are :mod:`newsdesk.errors`: ``BlockedURL`` (reasons ``scheme``,
``private_address``, ``robots``), ``HTTPStatusError``, ``TransientFetchError``
(reasons ``timeout``, ``connection``, ``dns``, ``http_503`` …,
``robots_unavailable``) and ``FetchError`` (``too_large``, ``redirects``,
``bad_redirect``, ``invalid_url``, ``decoding``).
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import httpcore
import httpx

from newsdesk.errors import BlockedURL, FetchError, HTTPStatusError, TransientFetchError
from newsdesk.ingest.netguard import AddressRefused, Resolver, guarded_transport, system_resolver, vet_host
from newsdesk.ingest.robots import RobotsTxt, parse_robots
from newsdesk.settings import FetchSettings

__all__ = ["FetchResult", "Fetcher"]

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024
MAX_CRAWL_DELAY = 30.0
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one successful (2xx or 304) fetch.

    ``url`` is the final URL after redirects; ``elapsed`` is seconds from the
    first request to the end of the body; ``etag`` and ``last_modified`` are the
    validators to pass to the next conditional fetch.
    """

    url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    fetched_at: datetime
    elapsed: float


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    headers: httpx.Headers
    body: bytes


@dataclass(frozen=True, slots=True)
class _Limit:
    """How much body to accept: over ``cap`` raise, or keep the first ``cap`` bytes."""

    cap: int
    truncate: bool = False


class _Retry(Exception):
    """A transient failure of one attempt; the retry loop decides what happens next."""

    def __init__(self, reason: str, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class _Robots:
    """One origin's robots.txt as cached; an empty :class:`RobotsTxt` allows everything."""

    rules: RobotsTxt
    crawl_delay: float
    expires: float


class _HostThrottle:
    """Keeps request starts to one host at least ``delay`` seconds apart, across threads."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + delay
        if start > now:
            self._sleep(start - now)


class Fetcher:
    """A polite HTTP fetcher built from :class:`FetchSettings`.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests); without
    it the fetcher uses :func:`~newsdesk.ingest.netguard.guarded_transport`, whose
    socket layer ``network`` may replace (a fake httpcore backend in tests).
    ``resolver``, ``clock`` (monotonic seconds) and ``sleep`` are injectable so
    tests neither resolve names nor wait. Safe to share between threads.
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = system_resolver,
        network: httpcore.NetworkBackend | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        robots_ttl: float = 3600.0,
        max_retry_after: float = 60.0,
    ) -> None:
        self.settings = settings if settings is not None else FetchSettings.model_validate({})
        self._resolver = resolver
        self._clock = clock
        self._sleep = sleep
        self._robots_ttl = robots_ttl
        self._max_retry_after = max_retry_after
        self._throttle = _HostThrottle(clock, sleep)
        self._robots_lock = threading.Lock()
        self._robots_cache: dict[str, _Robots] = {}
        if transport is None:
            guard = not self.settings.allow_private
            transport = guarded_transport(resolver, inner=network, guard=guard)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(self.settings.timeout),
            headers={"User-Agent": self.settings.user_agent},
            follow_redirects=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | datetime | None = None
    ) -> FetchResult:
        """GET ``url`` politely; conditional when ``etag``/``last_modified`` are given."""
        started = self._clock()
        headers = _conditional_headers(etag, last_modified)
        final, reply = self._follow(_parse_url(url), headers, _Limit(self.settings.max_bytes), robots=True)
        return FetchResult(
            url=str(final),
            status=reply.status,
            body=reply.body,
            content_type=reply.headers.get("content-type"),
            etag=reply.headers.get("etag") or (etag if reply.status == 304 else None),
            last_modified=reply.headers.get("last-modified"),
            not_modified=reply.status == 304,
            fetched_at=datetime.now(UTC),
            elapsed=self._clock() - started,
        )

    def sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` URLs of the robots.txt of ``url``'s origin (cached like its rules).

        Read even when ``respect_robots`` is off: discovery is not obedience. A robots.txt that
        is missing (4xx) names none; an unavailable one (5xx, unreachable) raises
        :class:`TransientFetchError` (``robots_unavailable``).
        """
        parsed = _parse_url(url)
        self._admit(parsed, robots=False)
        return list(self._robots(parsed).rules.sitemaps)

    # -- redirect chain -------------------------------------------------------------------------

    def _follow(
        self, url: httpx.URL, headers: dict[str, str], limit: _Limit, *, robots: bool
    ) -> tuple[httpx.URL, _Reply]:
        for _hop in range(MAX_REDIRECTS + 1):
            self._admit(url, robots=robots)
            reply = self._with_retries(url, headers, limit)
            target = _redirect_target(url, reply)
            if target is None:
                return url, _accepted(url, reply)
            log.debug("redirect %s -> %s (HTTP %d)", url, target, reply.status)
            url = target
        raise FetchError(str(url), f"more than {MAX_REDIRECTS} redirects", reason="redirects")

    def _admit(self, url: httpx.URL, *, robots: bool) -> None:
        if url.scheme not in ("http", "https"):
            raise BlockedURL(str(url), f"scheme {url.scheme!r} is not http or https", reason="scheme")
        if not self.settings.allow_private:
            self._check_addresses(url)
        if robots and self.settings.respect_robots:
            self._check_robots(url)

    # -- private-address guard ------------------------------------------------------------------

    def _check_addresses(self, url: httpx.URL) -> None:
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            vet_host(url.raw_host.decode("ascii"), port, self._resolver)
        except AddressRefused as exc:
            raise _refused(url, exc) from exc
        except OSError as exc:
            raise TransientFetchError(str(url), f"cannot resolve {url.host}: {exc}", reason="dns") from exc

    # -- robots.txt -----------------------------------------------------------------------------

    def _check_robots(self, url: httpx.URL) -> None:
        if not self._robots(url).rules.allows(str(url), self.settings.user_agent):
            raise BlockedURL(str(url), "disallowed by robots.txt", reason="robots")

    def _robots(self, url: httpx.URL) -> _Robots:
        key = _origin(url)
        with self._robots_lock:
            cached = self._robots_cache.get(key)
        if cached is not None and cached.expires > self._clock():
            return cached
        entry = self._load_robots(url)
        with self._robots_lock:
            self._robots_cache[key] = entry
        return entry

    def _load_robots(self, url: httpx.URL) -> _Robots:
        robots_url = url.copy_with(path="/robots.txt", query=None, fragment=None)
        try:
            final, reply = self._follow(robots_url, {}, _Limit(ROBOTS_MAX_BYTES, truncate=True), robots=False)
        except HTTPStatusError as exc:
            if exc.status >= 500:
                raise _robots_unavailable(url, f"HTTP {exc.status}") from exc
            return self._robots_entry(RobotsTxt())
        except TransientFetchError as exc:
            raise _robots_unavailable(url, exc.detail) from exc
        except FetchError as exc:  # redirect loop, blocked hop: "unavailable" in RFC 9309 terms
            log.info("robots.txt for %s unusable (%s): allowing all", url.host, exc.detail)
            return self._robots_entry(RobotsTxt())
        return self._robots_entry(parse_robots(reply.body, str(final)))

    def _robots_entry(self, rules: RobotsTxt) -> _Robots:
        crawl_delay = min(rules.crawl_delay(self.settings.user_agent) or 0.0, MAX_CRAWL_DELAY)
        return _Robots(rules, crawl_delay, self._clock() + self._robots_ttl)

    def _host_delay(self, url: httpx.URL) -> float:
        with self._robots_lock:
            cached = self._robots_cache.get(_origin(url))
        crawl_delay = cached.crawl_delay if cached is not None else 0.0
        return max(self.settings.per_host_delay, crawl_delay)

    # -- one request, retried -------------------------------------------------------------------

    def _with_retries(self, url: httpx.URL, headers: dict[str, str], limit: _Limit) -> _Reply:
        attempt = 0
        while True:
            self._throttle.wait(url.host, self._host_delay(url))
            try:
                return self._send(url, headers, limit)
            except _Retry as retry:
                delay = self._retry_delay(url, attempt, retry)
                log.info("retrying %s in %.1fs: %s", url, delay, retry.detail)
                self._sleep(delay)
            attempt += 1

    def _retry_delay(self, url: httpx.URL, attempt: int, retry: _Retry) -> float:
        """Seconds to wait before the next attempt; raise when there is none."""
        if attempt >= self.settings.retries:
            detail = f"{retry.detail}; gave up after {attempt + 1} attempts"
            raise TransientFetchError(str(url), detail, reason=retry.reason) from retry
        if retry.retry_after is not None and retry.retry_after > self._max_retry_after:
            detail = f"{retry.detail}; Retry-After {retry.retry_after:.0f}s is over the cap"
            raise TransientFetchError(str(url), detail, reason=retry.reason) from retry
        return max(self.settings.backoff * 2**attempt, retry.retry_after or 0.0)

    def _send(self, url: httpx.URL, headers: dict[str, str], limit: _Limit) -> _Reply:
        deadline = self._clock() + self.settings.timeout
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in RETRY_STATUSES:
                    raise _Retry(f"http_{status}", f"HTTP {status}", _retry_after(response.headers))
                body = self._read(url, response, limit, deadline) if response.is_success else b""
                return _Reply(status, response.headers, body)
        except AddressRefused as exc:  # the connection layer's own check: DNS changed since _admit
            raise _refused(url, exc) from exc
        except httpx.TimeoutException as exc:
            raise _Retry("timeout", f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _Retry("connection", f"connection failed ({type(exc).__name__})") from exc
        except httpx.DecodingError as exc:
            raise FetchError(str(url), "cannot decode the content encoding", reason="decoding") from exc

    def _read(self, url: httpx.URL, response: httpx.Response, limit: _Limit, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if not limit.truncate and declared.isdigit() and int(declared) > limit.cap:
            raise _too_large(url, limit.cap)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > limit.cap:
                if limit.truncate:
                    break
                raise _too_large(url, limit.cap)
            if self._clock() > deadline:
                raise _Retry("timeout", f"body not received within {self.settings.timeout:g}s")
        return b"".join(chunks)[: limit.cap]


# -- helpers ------------------------------------------------------------------------------------


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"invalid URL: {exc}", reason="invalid_url") from exc
    if parsed.scheme in ("http", "https") and not parsed.host:
        raise FetchError(url, "URL has no host", reason="invalid_url")
    return parsed


def _conditional_headers(etag: str | None, last_modified: str | datetime | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if isinstance(last_modified, datetime):
        moment = last_modified if last_modified.tzinfo else last_modified.replace(tzinfo=UTC)
        headers["If-Modified-Since"] = email.utils.format_datetime(moment.astimezone(UTC), usegmt=True)
    elif last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _redirect_target(url: httpx.URL, reply: _Reply) -> httpx.URL | None:
    if reply.status not in REDIRECT_STATUSES:
        return None
    location = reply.headers.get("location")
    if not location:
        raise FetchError(str(url), f"HTTP {reply.status} without a Location", reason="bad_redirect")
    try:
        return url.join(location)
    except httpx.InvalidURL as exc:
        raise FetchError(str(url), f"invalid redirect Location: {exc}", reason="bad_redirect") from exc


def _accepted(url: httpx.URL, reply: _Reply) -> _Reply:
    """The final reply when it is a success or a 304; otherwise the status error."""
    if 200 <= reply.status < 300 or reply.status == 304:
        return reply
    raise HTTPStatusError(str(url), reply.status)


def _retry_after(headers: httpx.Headers) -> float | None:
    """``Retry-After`` in seconds (delta or HTTP date), or None when absent or unreadable."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _origin(url: httpx.URL) -> str:
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.scheme}://{url.host}:{port}"


def _refused(url: httpx.URL, exc: AddressRefused) -> BlockedURL:
    return BlockedURL(str(url), exc.detail, reason="private_address")


def _robots_unavailable(url: httpx.URL, detail: str) -> TransientFetchError:
    return TransientFetchError(
        str(url), f"robots.txt unavailable ({detail}): not fetching", reason="robots_unavailable"
    )


def _too_large(url: httpx.URL, cap: int) -> FetchError:
    return FetchError(str(url), f"body over {cap} bytes", reason="too_large")
