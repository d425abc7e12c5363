"""The connection layer under the address guard: DNS rebinding is refused (ingest gap 3).

A fake httpcore backend records where connections go without a network; a real HTTP server on
127.0.0.1 proves the transport works over sockets, reached through a "NAT" backend that maps a
public test address to the loopback one (the guard itself would rightly refuse 127.0.0.1).
"""

from __future__ import annotations

import http.server
import re
import threading
import typing
from collections.abc import Iterator

import httpcore
import pytest

from newsdesk.errors import BlockedURL, TransientFetchError
from newsdesk.ingest.fetcher import Fetcher
from newsdesk.ingest.netguard import AddressRefused, GuardedBackend, Resolver, vet_host
from newsdesk.settings import FetchSettings

PUBLIC_IP = "93.184.216.34"
OTHER_PUBLIC_IP = "93.184.216.35"
PAGE = "https://news.example/a/1.html"
OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


class RecordingStream(httpcore.MockStream):
    """A canned response; keeps what the client wrote and the TLS server name it asked for."""

    def __init__(self, buffer: list[bytes]) -> None:
        super().__init__(buffer)
        self.written = b""
        self.server_hostname: str | None = None

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.written += buffer

    def start_tls(
        self, ssl_context: typing.Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        self.server_hostname = server_hostname
        return self


class FakeNetwork(httpcore.NetworkBackend):
    """Records every connect; refuses the addresses in ``down``; answers with ``OK``."""

    def __init__(self, down: tuple[str, ...] = ()) -> None:
        self.connects: list[tuple[str, int]] = []
        self.streams: list[RecordingStream] = []
        self.down = down

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        self.connects.append((host, port))
        if host in self.down:
            raise httpcore.ConnectError(f"{host}: connection refused")
        stream = RecordingStream([OK])
        self.streams.append(stream)
        return stream


def answers(*replies: list[str] | OSError) -> Resolver:
    """A resolver giving ``replies`` in turn (the last one from then on), like a rebinding DNS server."""
    queue = list(replies)

    def resolve(host: str, port: int) -> list[str]:
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, OSError):
            raise reply
        return reply

    return resolve


def fetcher(resolver: Resolver, network: httpcore.NetworkBackend | None = None, **options: object) -> Fetcher:
    settings = FetchSettings.model_validate(
        {"per_host_delay": 0.0, "respect_robots": False, "retries": 0, **options}
    )
    return Fetcher(settings, resolver=resolver, network=network)


# -- gap 3: the connection goes where the guard looked ---------------------------------------------


def test_gap3_dns_rebinding_between_check_and_connect_is_refused() -> None:
    network = FakeNetwork()
    with fetcher(answers([PUBLIC_IP], ["10.0.0.5"]), network) as client, pytest.raises(BlockedURL) as caught:
        client.fetch(PAGE)
    assert caught.value.reason == "private_address" and caught.value.url == PAGE
    assert "10.0.0.5" in str(caught.value)
    assert network.connects == []  # nothing was opened, not even to the public address


def test_gap3_connection_goes_to_the_vetted_address_by_number() -> None:
    network = FakeNetwork()
    with fetcher(answers([PUBLIC_IP]), network) as client:
        result = client.fetch(PAGE)
    assert result.body == b"ok" and result.url == PAGE
    assert network.connects == [(PUBLIC_IP, 443)]  # never the name: the socket layer cannot re-resolve
    (stream,) = network.streams
    assert stream.server_hostname == "news.example"  # SNI and certificate check keep the name
    assert b"Host: news.example\r\n" in stream.written
    assert stream.written.startswith(b"GET /a/1.html HTTP/1.1\r\n")


def test_next_vetted_address_is_tried_when_one_does_not_answer() -> None:
    network = FakeNetwork(down=(PUBLIC_IP,))
    with fetcher(answers([PUBLIC_IP, OTHER_PUBLIC_IP]), network) as client:
        assert client.fetch(PAGE).body == b"ok"
    assert network.connects == [(PUBLIC_IP, 443), (OTHER_PUBLIC_IP, 443)]


def test_dns_failure_at_connect_time_is_transient() -> None:
    network = FakeNetwork()
    resolver = answers([PUBLIC_IP], OSError("Name or service not known"))
    with fetcher(resolver, network) as client, pytest.raises(TransientFetchError) as caught:
        client.fetch(PAGE)
    assert caught.value.reason == "connection" and network.connects == []


def test_allow_private_connects_by_name_without_vetting() -> None:
    network = FakeNetwork()

    def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError("allow_private must not resolve")

    with fetcher(no_dns, network, allow_private=True) as client:
        client.fetch("http://intranet.example/feed.xml")
    assert network.connects == [("intranet.example", 80)]


@pytest.mark.parametrize(
    ("host", "reply", "words"),
    [
        ("localhost", [PUBLIC_IP], "loopback name"),
        ("db.localhost.", [PUBLIC_IP], "loopback name"),
        ("news.example", [PUBLIC_IP, "fd00::1"], "private address (fd00::1)"),
        ("169.254.169.254", [], "link-local"),
    ],
)
def test_vet_host_refusals_say_why(host: str, reply: list[str], words: str) -> None:
    with pytest.raises(AddressRefused, match=re.escape(words)):
        vet_host(host, 443, answers(reply))


def test_vet_host_empty_answer_is_a_dns_error() -> None:
    with pytest.raises(OSError, match="no address"):
        vet_host("news.example", 443, answers([]))


def test_unix_sockets_are_refused() -> None:
    with pytest.raises(AddressRefused):
        GuardedBackend(answers([PUBLIC_IP])).connect_unix_socket("/var/run/docker.sock")


# -- over a real socket ----------------------------------------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the Host header it received; counts requests."""

    hits: typing.ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Handler.hits.append(self.path)
        body = f"host={self.headers['Host']}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: typing.Any) -> None:
        pass


@pytest.fixture(scope="module")
def server_port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


class Nat(httpcore.NetworkBackend):
    """Real sockets, with PUBLIC_IP standing for 127.0.0.1; any other address is a test failure."""

    def __init__(self) -> None:
        self.real = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        assert host == PUBLIC_IP, f"connected to {host}, not the vetted address"
        return self.real.connect_tcp("127.0.0.1", port, timeout, local_address, socket_options)


def test_guarded_transport_over_a_real_socket(server_port: int) -> None:
    url = f"http://news.example:{server_port}/hello"
    with fetcher(answers([PUBLIC_IP]), Nat()) as client:
        result = client.fetch(url)
    assert result.body == f"host=news.example:{server_port}".encode()


def test_gap3_rebinding_to_loopback_never_reaches_the_local_server(server_port: int) -> None:
    Handler.hits.clear()
    url = f"http://news.example:{server_port}/secret"
    with fetcher(answers([PUBLIC_IP], ["127.0.0.1"]), Nat()) as client, pytest.raises(BlockedURL) as caught:
        client.fetch(url)
    assert "loopback address (127.0.0.1)" in str(caught.value)
    assert Handler.hits == []


def test_allow_private_reaches_a_local_server_over_the_same_transport(server_port: int) -> None:
    with fetcher(answers([]), allow_private=True) as client:
        result = client.fetch(f"http://127.0.0.1:{server_port}/x")
    assert result.body == f"host=127.0.0.1:{server_port}".encode()
