"""robots.txt per RFC 9309: longest match, wildcards, groups, sitemaps (ingest gap 1 and 2)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.ingest.robots import RobotsTxt, parse_robots, product_token
from newsdesk.ingest.robots import _normal as normal
from newsdesk.ingest.robots import _wildcard_match as wildcard_match

AGENT = "newsdesk/0.1 (+media monitoring; contact: the operating office)"
SITE = "https://news.example"


def allowed(text: str, path: str, agent: str = AGENT) -> bool:
    return parse_robots(text.encode(), f"{SITE}/robots.txt").allows(f"{SITE}{path}", agent)


# -- gap 1: the longest match wins, Allow wins a tie ----------------------------------------------

LONGEST_MATCH = [
    # (robots.txt, path, allowed) — urllib.robotparser (first match wins) gets six of these wrong
    ("User-agent: *\nDisallow: /\nAllow: /news/\n", "/news/a.html", True),
    ("User-agent: *\nDisallow: /\nAllow: /news/\n", "/sport/a.html", False),
    ("User-agent: *\nDisallow: /page\nAllow: /page\n", "/page", True),
    ("User-agent: *\nDisallow: /\nAllow: /$\n", "/", True),
    ("User-agent: *\nAllow: /$\nDisallow: /\n", "/x", False),
    ("User-agent: *\nAllow: /folder\nDisallow: /folder/private\n", "/folder/private/1", False),
    ("User-agent: *\nAllow: /page\nDisallow: /*.html\n", "/page.html", False),  # 7 octets beat 5
    ("User-agent: *\nAllow: /page.htm\nDisallow: /*.html\n", "/page.html", True),  # tie of 9: Allow
    ("User-agent: *\nDisallow: /tin/\nAllow: /tin/*/anh$\n", "/tin/2025/anh", True),
    ("User-agent: *\nDisallow: /tin/\nAllow: /tin/*/anh$\n", "/tin/2025/anh/1", False),
]


@pytest.mark.parametrize(("text", "path", "expected"), LONGEST_MATCH)
def test_gap1_longest_match_wins_and_allow_wins_a_tie(text: str, path: str, expected: bool) -> None:
    assert allowed(text, path) is expected


WILDCARDS = [
    ("/fish", "/fish", True),
    ("/fish", "/fish.html", True),
    ("/fish", "/Fish.asp", False),  # paths are case-sensitive
    ("/fish", "/catfish", False),
    ("/fish*", "/fish/salmon.html", True),
    ("/fish/", "/fish", False),
    ("/*.php", "/filename.php", True),
    ("/*.php", "/folder/filename.php?parameters", True),
    ("/*.php", "/windows.PHP", False),
    ("/*.php$", "/filename.php", True),
    ("/*.php$", "/filename.php?parameters", False),
    ("/*.php$", "/filename.php5", False),
    ("/fish*.php", "/fishheads/catfish.php?parameters", True),
    ("/fish*.php", "/Fish.PHP", False),
    ("/*?", "/a?b=1", True),
    ("/*?", "/a", False),
    ("*/private", "/x/private", True),
    ("/a$b", "/a$b/c", True),  # a $ that is not last is a plain character
    ("/$", "/", True),
    ("/$", "/index.html", False),
    ("/**/x$", "/a/b/x", True),
]


@pytest.mark.parametrize(("pattern", "path", "expected"), WILDCARDS)
def test_wildcards(pattern: str, path: str, expected: bool) -> None:
    assert allowed(f"User-agent: *\nDisallow: {pattern}\n", path) is not expected


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("/tin-tức/", "/tin-t%E1%BB%A9c/a"),
        ("/tin-t%e1%bb%a9c/", "/tin-tức/a"),
        ("/%7Euser/", "/~user/x"),
        ("/~user/", "/%7euser/x"),
    ],
)
def test_percent_encoding_is_normalised_on_both_sides(pattern: str, path: str) -> None:
    assert not allowed(f"User-agent: *\nDisallow: {pattern}\n", path)


def test_reserved_escapes_stay_escaped() -> None:
    assert normal("/a%2fb") == "/a%2Fb"
    assert allowed("User-agent: *\nDisallow: /a/b\n", "/a%2Fb")


def test_robots_txt_itself_is_always_allowed() -> None:
    assert allowed("User-agent: *\nDisallow: /\n", "/robots.txt")


def test_empty_disallow_allows_everything() -> None:
    assert allowed("User-agent: *\nDisallow:\n", "/anything")


def test_empty_file_and_empty_robots_allow_everything() -> None:
    assert allowed("", "/x") and RobotsTxt().allows(f"{SITE}/x", AGENT)


# -- groups ----------------------------------------------------------------------------------------

GROUPS = [
    # our own group wins over *, whatever the order
    ("User-agent: *\nDisallow: /\n\nUser-agent: newsdesk\nAllow: /\n", "/x", True),
    ("User-agent: newsdesk\nDisallow: /a/\n\nUser-agent: *\nDisallow: /\n", "/b", True),
    ("User-agent: newsdesk\nDisallow: /a/\n\nUser-agent: *\nDisallow: /\n", "/a/1", False),
    # product token match is case-insensitive and ignores a version
    ("User-agent: NewsDesk/2.0\nDisallow: /x\n", "/x", False),
    # not a substring match: newsdeskbot is another crawler
    ("User-agent: newsdeskbot\nDisallow: /\n", "/x", True),
    # several user-agent lines make one group
    ("User-agent: otherbot\nUser-agent: newsdesk\nDisallow: /x\n", "/x", False),
    # two groups for us are merged
    ("User-agent: newsdesk\nDisallow: /a\n\nUser-agent: newsdesk\nDisallow: /b\n", "/b", False),
    # rules before any user-agent line belong to nobody
    ("Disallow: /\nUser-agent: *\nDisallow: /private\n", "/x", True),
    # a Sitemap line does not end the run of user-agent lines
    ("User-agent: a\nSitemap: /s.xml\nUser-agent: newsdesk\nDisallow: /x\n", "/x", False),
    # a group for another crawler only
    ("User-agent: otherbot\nDisallow: /\n", "/x", True),
    # keys are case-insensitive; comments, CRLF and a BOM are fine
    ("\ufeffUSER-AGENT: * # all\r\nDISALLOW: /x # no\r\n", "/x", False),
]


@pytest.mark.parametrize(("text", "path", "expected"), GROUPS)
def test_group_selection(text: str, path: str, expected: bool) -> None:
    assert allowed(text, path) is expected


@pytest.mark.parametrize(
    ("agent", "token"),
    [(AGENT, "newsdesk"), ("Mozilla/5.0 (X11)", "mozilla"), ("*", "*"), ("my_bot-2", "my_bot-"), ("", "")],
)
def test_product_token(agent: str, token: str) -> None:
    assert product_token(agent) == token


def test_crawl_delay_belongs_to_its_group() -> None:
    robots = parse_robots(
        b"User-agent: *\nCrawl-delay: 9\n\nUser-agent: newsdesk\nCrawl-delay: 2.5\nDisallow: /x\n"
    )
    assert robots.crawl_delay(AGENT) == 2.5
    assert robots.crawl_delay("otherbot") == 9.0


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", ""])
def test_unreadable_crawl_delay_is_ignored(value: str) -> None:
    assert parse_robots(f"User-agent: *\nCrawl-delay: {value}\n".encode()).crawl_delay(AGENT) is None


def test_garbage_bytes_do_not_break_parsing() -> None:
    body = b"\xff\xfe\x00garbage\nUser-agent: *\nDisallow: /x\n\x80\x81: ?\nno colon here\n"
    robots = parse_robots(body)
    assert not robots.allows(f"{SITE}/x", AGENT) and robots.allows(f"{SITE}/y", AGENT)


# -- gap 2: Sitemap lines --------------------------------------------------------------------------


def test_gap2_sitemap_lines_are_read_wherever_they_stand() -> None:
    text = (
        "Sitemap: https://news.example/sitemap-news.xml\n"
        "User-agent: *\n"
        "Disallow: /private\n"
        "sitemap: /sitemap-index.xml  # relative, resolved\n"
        "SITEMAP: https://news.example/sitemap-news.xml\n"  # duplicate
        "Sitemap: ftp://news.example/old.xml\n"  # not http(s)
        "Sitemap:\n"
        "Sitemap: https://cdn.example/sitemaps/tin.xml.gz\n"
    )
    robots = parse_robots(text.encode(), "https://news.example/robots.txt")
    assert robots.sitemaps == (
        "https://news.example/sitemap-news.xml",
        "https://news.example/sitemap-index.xml",
        "https://cdn.example/sitemaps/tin.xml.gz",
    )
    assert not robots.allows("https://news.example/private/1", AGENT)


# -- the matcher's invariants ----------------------------------------------------------------------


def reference_match(pattern: str, path: str) -> bool:
    """The same semantics through a regular expression, for comparison on small inputs."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return re.fullmatch(regex + ("" if anchored else ".*"), path, re.S) is not None


@given(st.text(alphabet="/ab*$", max_size=8), st.text(alphabet="/ab$", max_size=10))
def test_matcher_agrees_with_a_regular_expression(pattern: str, path: str) -> None:
    assert wildcard_match(pattern, path) == reference_match(pattern, path)


@given(st.text(max_size=30))
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normal(normal(text)) == normal(text)


def test_hostile_pattern_is_fast() -> None:
    robots = parse_robots(b"User-agent: *\nDisallow: /" + b"*a" * 200 + b"*b$\n")
    started = time.perf_counter()
    assert robots.allows(f"{SITE}/{'a' * 20_000}", AGENT)
    assert time.perf_counter() - started < 1.0
