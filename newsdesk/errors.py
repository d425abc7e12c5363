"""The exception tree of newsdesk.

Every error newsdesk raises on purpose derives from :class:`NewsdeskError`.
Messages name the file, URL or id they concern and the reason; they never dump
a page body.

    NewsdeskError
    ├── ConfigError            settings file or environment invalid
    ├── InputError             one input cannot be turned into an article
    │   ├── UnreadableInput    cannot be read at all (I/O error, permission, missing)
    │   ├── EmptyInput         zero bytes or only whitespace
    │   ├── BinaryInput        not text (NUL bytes, image, archive …)
    │   ├── TooLarge           over the configured size cap
    │   ├── EncodingError      bytes are not in a supported/recognisable encoding
    │   └── MalformedInput     HTML/XML/feed/JSON cannot be parsed
    ├── FetchError             a network fetch failed
    │   ├── BlockedURL         refused by policy (private address, scheme, robots.txt)
    │   ├── HTTPStatusError    the server answered with an error status
    │   └── TransientFetchError  timeout / connection reset / 5xx: may be retried
    ├── StoreError             the database refused an operation
    ├── NotFound               an id or name that does not exist
    ├── Conflict               a name or value that is already taken (a username …)
    └── AuthError              a request is refused by authentication or authorisation
        ├── NotAuthenticated   no valid login, session or API token (HTTP 401)
        └── Forbidden          the user's role or unit does not allow it (HTTP 403)

``InputError`` and ``BlockedURL`` are *quarantine* fates: the raw input is kept
with the reason and never retried automatically. ``TransientFetchError`` is a
*retry* fate: the fetcher retries it a bounded number of times, then it becomes
a quarantine. Expected rejections (too short, duplicate) are not exceptions at
all but :class:`newsdesk.model.Discard` results.
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "BinaryInput",
    "BlockedURL",
    "ConfigError",
    "Conflict",
    "EmptyInput",
    "EncodingError",
    "FetchError",
    "Forbidden",
    "HTTPStatusError",
    "InputError",
    "MalformedInput",
    "NewsdeskError",
    "NotAuthenticated",
    "NotFound",
    "StoreError",
    "TooLarge",
    "TransientFetchError",
    "UnreadableInput",
]


class NewsdeskError(Exception):
    """Root of every error newsdesk raises on purpose."""


class ConfigError(NewsdeskError):
    """The settings file or environment is invalid."""


class InputError(NewsdeskError):
    """One input (file, URL, record) cannot become an article.

    ``origin`` names the file, URL or record; ``reason`` is a short machine
    token (``"empty"``, ``"binary"``, ``"malformed_json"`` …) used for counting
    and for the quarantine table.
    """

    reason = "bad_input"

    def __init__(
        self, origin: str, detail: str, *, reason: str | None = None, raw: bytes | None = None
    ) -> None:
        self.origin = origin
        self.detail = detail
        self.raw = raw
        """The offending bytes when they could be read, so quarantine keeps them."""
        if reason is not None:
            self.reason = reason
        super().__init__(f"{origin}: {detail}")


class UnreadableInput(InputError):
    reason = "unreadable"


class EmptyInput(InputError):
    reason = "empty"


class BinaryInput(InputError):
    reason = "binary"


class TooLarge(InputError):
    reason = "too_large"


class EncodingError(InputError):
    reason = "encoding"


class MalformedInput(InputError):
    reason = "malformed"


class FetchError(NewsdeskError):
    """A network fetch failed. ``url`` names it."""

    reason = "fetch_failed"

    def __init__(self, url: str, detail: str, *, reason: str | None = None) -> None:
        self.url = url
        self.origin = url
        self.detail = detail
        if reason is not None:
            self.reason = reason
        super().__init__(f"{url}: {detail}")


class BlockedURL(FetchError):
    """Refused by policy: private address, unsupported scheme, robots.txt."""

    reason = "blocked"


class HTTPStatusError(FetchError):
    reason = "http_status"

    def __init__(self, url: str, status: int) -> None:
        self.status = status
        super().__init__(url, f"HTTP {status}", reason=f"http_{status}")


class TransientFetchError(FetchError):
    """Timeout, connection error or a retryable status: may be retried."""

    reason = "transient"


class StoreError(NewsdeskError):
    """The database refused an operation."""


class NotFound(NewsdeskError):
    """An id or name that does not exist."""


class Conflict(NewsdeskError):
    """A name or value that is already taken."""


class AuthError(NewsdeskError):
    """Authentication or authorisation refused a request."""


class NotAuthenticated(AuthError):
    """No valid login, session or API token."""


class Forbidden(AuthError):
    """The user's role or unit does not allow the action."""
