"""robots.txt read the way RFC 9309 says, not the way ``urllib.robotparser`` does.

:func:`parse_robots` turns a robots.txt body into a :class:`RobotsTxt`; :meth:`RobotsTxt.allows`
answers for one URL and one user agent. What differs from the standard library, and why:

* **The longest match wins** (RFC 9309 §2.2.2): of all ``Allow``/``Disallow`` rules whose pattern
  matches the path, the one with the most octets decides; an ``Allow`` wins a tie. ``robotparser``
  takes the first matching line, so ``Disallow: /`` before ``Allow: /news/`` blocks a whole site the
  owner meant to open.
* **Wildcards**: ``*`` matches any run of characters, a final ``$`` anchors the end of the path.
  Matching splits a pattern at its stars and finds each piece leftmost, so it is linear in the
  path length per piece: a hostile pattern such as ``/*a*a*a*a*b`` cannot backtrack exponentially,
  as a translated regular expression could.
* **Groups**: the group whose ``User-agent`` equals our product token (``newsdesk`` of
  ``newsdesk/0.1 (…)``, case-insensitive) applies; several such groups merge. Only when none names
  us do the ``*`` groups apply (also merged). Rules before any ``User-agent`` line are ignored.
* **Percent-encoding**: path and patterns are compared in one normal form (non-ASCII as UTF-8
  escapes, unreserved characters unescaped, hex in upper case), so ``/tin-tức`` and
  ``/tin-t%E1%BB%A9c`` are the same path.
* ``/robots.txt`` itself is always allowed; an empty ``Disallow:`` disallows nothing.

Two non-rule records are kept: ``Crawl-delay`` (per group, the fetcher caps it) and ``Sitemap``
(global, wherever it stands; relative URLs resolve against the robots.txt URL), which is how a site
root leads to its sitemaps.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["RobotsRule", "RobotsTxt", "parse_robots", "product_token"]

_TOKEN = re.compile(r"[A-Za-z_-]+")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ASCII_PRINTABLE = "".join(chr(code) for code in range(0x21, 0x7F))
_RULE_KEYS = frozenset({"allow", "disallow", "crawl-delay"})


@dataclass(frozen=True, slots=True)
class RobotsRule:
    """One ``Allow``/``Disallow`` line; ``pattern`` is in normal form (see :func:`_normal`)."""

    allow: bool
    pattern: str

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` (already in normal form) from its start."""
        return _wildcard_match(self.pattern, path)


@dataclass(frozen=True, slots=True)
class _Group:
    agents: frozenset[str]
    rules: tuple[RobotsRule, ...]
    crawl_delay: float | None


@dataclass(frozen=True, slots=True)
class RobotsTxt:
    """A parsed robots.txt. The empty one (``RobotsTxt()``) allows everything and names no sitemap."""

    groups: tuple[_Group, ...] = ()
    sitemaps: tuple[str, ...] = ()

    def allows(self, url: str, agent: str) -> bool:
        """Whether ``agent`` (a full User-Agent string or a bare token) may fetch ``url``."""
        path = _target(url)
        if path == "/robots.txt":
            return True
        verdict, best = True, -1
        for rule in self.rules_for(agent):
            size = len(rule.pattern)
            if (size > best or (size == best and rule.allow)) and rule.matches(path):
                verdict, best = rule.allow, size
        return verdict

    def crawl_delay(self, agent: str) -> float | None:
        """The ``Crawl-delay`` of the groups that apply to ``agent``, the first one given."""
        return next((g.crawl_delay for g in self._groups_for(agent) if g.crawl_delay is not None), None)

    def rules_for(self, agent: str) -> list[RobotsRule]:
        """The merged rules of the groups that apply to ``agent``."""
        return [rule for group in self._groups_for(agent) for rule in group.rules]

    def _groups_for(self, agent: str) -> list[_Group]:
        token = product_token(agent)
        named = [group for group in self.groups if token in group.agents]
        return named or [group for group in self.groups if "*" in group.agents]


def product_token(agent: str) -> str:
    """The lower-cased product token of a User-Agent (``newsdesk`` of ``newsdesk/0.1 (…)``), or ``*``."""
    stripped = agent.strip()
    if stripped.startswith("*"):
        return "*"
    match = _TOKEN.match(stripped)
    return match.group(0).lower() if match else ""


def parse_robots(body: bytes, url: str = "") -> RobotsTxt:
    """Parse a robots.txt body (any bytes: invalid UTF-8 is replaced, unknown lines are skipped).

    ``url`` is where the file came from; relative ``Sitemap`` values resolve against it.
    """
    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    builder = _GroupBuilder()
    sitemaps: list[str] = []
    for key, value in _records(text.splitlines()):
        if key == "sitemap":
            _add_sitemap(sitemaps, url, value)
        else:
            builder.feed(key, value)
    return RobotsTxt(tuple(builder.finish()), tuple(sitemaps))


# -- parsing --------------------------------------------------------------------------------------


def _records(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """``(lower-case key, value)`` of each ``key: value`` line, comments removed."""
    for line in lines:
        content = line.split("#", 1)[0]
        key, colon, value = content.partition(":")
        if colon:
            yield key.strip().lower(), value.strip()


class _GroupBuilder:
    """Collects groups: a run of ``User-agent`` lines, then the rule lines up to the next run."""

    def __init__(self) -> None:
        self._groups: list[_Group] = []
        self._agents: set[str] = set()
        self._rules: list[RobotsRule] = []
        self._delay: float | None = None
        self._in_rules = False

    def feed(self, key: str, value: str) -> None:
        if key == "user-agent":
            if self._in_rules:
                self._flush()
            self._agents.add(product_token(value))
        elif key in _RULE_KEYS and self._agents:
            self._in_rules = True
            self._rule(key, value)

    def _rule(self, key: str, value: str) -> None:
        if key == "crawl-delay":
            self._delay = self._delay if self._delay is not None else _seconds(value)
        elif value:  # an empty Disallow (or Allow) is no rule at all
            self._rules.append(RobotsRule(key == "allow", _normal(value)))

    def _flush(self) -> None:
        if self._agents:
            self._groups.append(_Group(frozenset(self._agents), tuple(self._rules), self._delay))
        self._agents, self._rules, self._delay, self._in_rules = set(), [], None, False

    def finish(self) -> list[_Group]:
        self._flush()
        return self._groups


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _add_sitemap(sitemaps: list[str], base: str, value: str) -> None:
    if not value:
        return
    absolute = urllib.parse.urljoin(base, value) if base else value
    if urllib.parse.urlsplit(absolute).scheme in ("http", "https") and absolute not in sitemaps:
        sitemaps.append(absolute)


# -- matching -------------------------------------------------------------------------------------


def _target(url: str) -> str:
    """The part of ``url`` that rules match: path and query, in normal form."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    return _normal(f"{path}?{parts.query}" if parts.query else path)


def _normal(text: str) -> str:
    """One spelling per path: non-ASCII percent-encoded as UTF-8, unreserved escapes decoded."""
    quoted = urllib.parse.quote(text, safe=_ASCII_PRINTABLE)
    return _ESCAPE.sub(_unescape_unreserved, quoted)


def _unescape_unreserved(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code in _UNRESERVED else f"%{code:02X}"


def _wildcard_match(pattern: str, path: str) -> bool:
    """``*`` is any run of characters, a final ``$`` anchors the end; otherwise a prefix match."""
    anchored = pattern.endswith("$")
    pieces = (pattern[:-1] if anchored else pattern).split("*")
    if not path.startswith(pieces[0]):
        return False
    position = len(pieces[0])
    if len(pieces) == 1:
        return not anchored or position == len(path)
    for piece in pieces[1:-1]:
        found = path.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    last = pieces[-1]
    if anchored:
        return path.endswith(last) and len(path) - len(last) >= position
    return path.find(last, position) >= 0
