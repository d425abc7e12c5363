"""The private-address guard, and the connection layer that makes it hold.

:func:`vet_host` resolves a host and refuses it when *any* of its addresses is private, loopback,
link-local, multicast, reserved, unspecified or otherwise not global (IPv4 inside IPv6 is unwrapped
first); ``localhost`` and ``*.localhost`` are refused by name.

Checking a name and then letting the HTTP client resolve it again leaves a gap: a DNS server that
answers with a public address to the check and a private one to the connect (*DNS rebinding*)
gets through. :class:`GuardedBackend` closes it. It is an httpcore network backend, the layer that
opens sockets: for every new connection it vets the host itself and connects to the very
addresses it vetted, by number, so the socket layer never resolves the name again. Everything
above the socket is unchanged: the request keeps its URL and ``Host`` header, and TLS still sends
the host name as SNI and verifies the certificate against it (httpcore passes the origin's name to
``start_tls``, not the address the socket went to). A refusal raises :class:`AddressRefused`,
which the fetcher turns into ``BlockedURL(reason="private_address")`` for the URL at hand.

:func:`guarded_transport` is the httpx transport built on that backend. httpx 0.28 has no public
way to hand ``HTTPTransport`` a network backend, so the connection pool it builds is replaced by one
on ``GuardedBackend`` (``_pool`` is all the state that transport keeps); the fetcher's tests
through a real local socket catch an httpx change that breaks this.

Environment proxies (``HTTPS_PROXY`` …) are not used: a proxy resolves names itself, beyond
the guard's reach.
"""

from __future__ import annotations

import ipaddress
import socket
import typing
from collections.abc import Callable

import httpcore
import httpx

__all__ = [
    "AddressRefused",
    "GuardedBackend",
    "Resolver",
    "forbidden_reason",
    "guarded_transport",
    "system_resolver",
    "vet_host",
]

Resolver = Callable[[str, int], list[str]]
"""``(ascii host, port) -> addresses``; the default calls ``socket.getaddrinfo``."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)


class AddressRefused(Exception):
    """A host that may not be connected to; ``detail`` says which address and why."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to, as the socket layer would connect to them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def vet_host(host: str, port: int, resolver: Resolver) -> list[str]:
    """The addresses of ``host`` when every one of them is global; else raise :class:`AddressRefused`.

    An IP literal is its own (only) address. ``OSError`` from the resolver passes through, and an
    empty answer is one (``socket.gaierror``), so callers treat both as a DNS failure.
    """
    name = host.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        raise AddressRefused(f"{name} is a loopback name")
    addresses = [name] if literal_ip(name) is not None else resolver(name, port)
    if not addresses:
        raise socket.gaierror(f"{name} has no address")
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        why = forbidden_reason(ip)
        if why is not None:
            raise AddressRefused(f"{name} resolves to a {why} address ({ip})")
    return addresses


def literal_ip(host: str) -> IPAddress | None:
    """``host`` as an IP address when it is written as one (a zone index is ignored)."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be fetched from, or None for a global unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return forbidden_reason(inner)
    for kind in ("loopback", "unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-global"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


class GuardedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to vetted addresses, by number; see the module docstring.

    ``inner`` is the socket layer underneath (httpcore's ``SyncBackend`` unless a test passes a
    fake). With ``guard=False`` (``allow_private``) the host is handed to ``inner`` unvetted.
    """

    def __init__(
        self, resolver: Resolver, inner: httpcore.NetworkBackend | None = None, *, guard: bool = True
    ) -> None:
        self._resolver = resolver
        self._inner = inner if inner is not None else httpcore.SyncBackend()
        self._guard = guard

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Vet ``host``, then connect to its vetted addresses in turn; the first that answers wins."""
        addresses = self._vetted(host, port) if self._guard else [host]
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # _vetted never returns an empty list
        raise failure

    def _vetted(self, host: str, port: int) -> list[str]:
        try:
            return vet_host(host, port, self._resolver)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressRefused(f"Unix socket {path} is not a network address")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, its connection pool rebuilt on a :class:`GuardedBackend`."""

    def __init__(self, backend: GuardedBackend) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context, limits=_LIMITS)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=_LIMITS.max_connections,
            max_keepalive_connections=_LIMITS.max_keepalive_connections,
            keepalive_expiry=_LIMITS.keepalive_expiry,
            network_backend=backend,
        )


def guarded_transport(
    resolver: Resolver, *, inner: httpcore.NetworkBackend | None = None, guard: bool = True
) -> httpx.BaseTransport:
    """An httpx transport whose every new connection goes through a :class:`GuardedBackend`."""
    return _GuardedTransport(GuardedBackend(resolver, inner, guard=guard))
