"""Sitemap parsing: index, URL set, Google News, gzip, malformed and hostile XML."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import EmptyInput, MalformedInput, TooLarge
from newsdesk.ingest import sitemaps
from newsdesk.ingest.sitemaps import Sitemap, SitemapEntry, SitemapRef, parse_sitemap

NET = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "net"
ICT = timezone(timedelta(hours=7))


def read(name: str) -> bytes:
    return (NET / name).read_bytes()


def test_sitemap_index() -> None:
    parsed = parse_sitemap(read("sitemap_index.xml"), "https://baotinh.example.vn/sitemap.xml")
    assert parsed.kind == "index" and parsed.entries == []
    assert parsed.sitemaps == [
        SitemapRef("https://baotinh.example.vn/sitemaps/news.xml", datetime(2025, 11, 24, 8, 35, tzinfo=ICT)),
        SitemapRef("https://baotinh.example.vn/sitemaps/2025-11.xml.gz", None),  # relative loc resolved
    ]


def test_urlset() -> None:
    parsed = parse_sitemap(read("urlset.xml"), "https://gazette.example/sitemap.xml")
    assert parsed.kind == "urlset" and parsed.sitemaps == []
    assert [entry.loc for entry in parsed.entries] == [
        "https://gazette.example/news/ferry-timetable.html",
        "https://gazette.example/news/cycle-lanes.html?ref=a&lang=en",  # trimmed, &amp; decoded
        "https://gazette.example/news/old-pier.html",  # the entry without <loc> is skipped
    ]
    assert [entry.lastmod for entry in parsed.entries] == [
        datetime(2025, 11, 24, tzinfo=UTC),
        datetime(2025, 11, 23, 17, 5, tzinfo=UTC),
        None,  # "not a date"
    ]
    assert all(entry.title is None and entry.outlet is None for entry in parsed.entries)


def test_google_news_sitemap() -> None:
    bridge, english = parse_sitemap(read("news_sitemap.xml"), "https://baotinh.example.vn/news.xml").entries
    assert bridge == SitemapEntry(
        loc="https://baotinh.example.vn/kinh-te/khoi-cong-cau-tra-khuc-12345.html",
        title="Tỉnh khởi công cầu vượt sông Trà Khúc mới",  # not the image:title
        published=datetime(2025, 11, 24, 8, 30, tzinfo=ICT),
        language="vi",
        outlet="Báo Tỉnh Ven Biển",
    )
    assert (english.language, english.outlet) == ("en", "Coastal Province News")
    assert english.published == datetime(2025, 11, 24, tzinfo=UTC)


def test_gzip_body_is_detected_by_magic_bytes() -> None:
    plain = parse_sitemap(read("urlset.xml"), "https://gazette.example/sitemap.xml")
    zipped = parse_sitemap(gzip.compress(read("urlset.xml")), "https://gazette.example/sitemap.xml")
    assert zipped == plain


def test_corrupt_gzip_is_malformed() -> None:
    body = gzip.compress(read("urlset.xml"))[:40] + b"\x00garbage"
    with pytest.raises(MalformedInput) as caught:
        parse_sitemap(body, "https://gazette.example/sitemap.xml.gz")
    assert "sitemap.xml.gz" in str(caught.value)


def test_gzip_bomb_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemaps, "MAX_SITEMAP_BYTES", 10_000)
    body = gzip.compress(b"<urlset>" + b" " * 1_000_000 + b"</urlset>")
    with pytest.raises(TooLarge) as caught:
        parse_sitemap(body, "https://gazette.example/bomb.xml.gz")
    assert caught.value.origin == "https://gazette.example/bomb.xml.gz"


@pytest.mark.parametrize(
    "body",
    [read("malformed_sitemap.xml"), b"<urlset><url><loc>a</loc></url>", b"<<<>>>"],
)
def test_malformed_xml_names_the_url(body: bytes) -> None:
    with pytest.raises(MalformedInput) as caught:
        parse_sitemap(body, "https://gazette.example/broken.xml")
    assert caught.value.origin == "https://gazette.example/broken.xml"
    assert str(caught.value).startswith("https://gazette.example/broken.xml: ")


def test_other_root_element_is_not_a_sitemap() -> None:
    with pytest.raises(MalformedInput, match="<rss> is not a sitemap"):
        parse_sitemap(b'<rss version="2.0"><channel/></rss>', "https://gazette.example/rss")


def test_empty_body() -> None:
    with pytest.raises(EmptyInput):
        parse_sitemap(b"\n", "https://gazette.example/empty.xml")


def test_xxe_external_file_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://gazette.example/&xxe;</loc></url>"
        "<url><loc>https://gazette.example/ok.html</loc><lastmod>&xxe;</lastmod></url>"
        "</urlset>"
    ).encode()
    parsed = parse_sitemap(body, "https://gazette.example/sitemap.xml")
    assert "TOP-SECRET-TOKEN" not in repr(parsed)
    assert parsed.entries == [SitemapEntry("https://gazette.example/ok.html")]


def test_entity_expansion_and_remote_entities_are_not_resolved() -> None:
    parsed = parse_sitemap(read("entity_bomb_sitemap.xml"), "https://gazette.example/sitemap.xml")
    assert [entry.loc for entry in parsed.entries] == ["https://gazette.example/news/safe.html"]


def test_plain_text_sitemap() -> None:
    body = "https://baotinh.example.vn/a.html\n\nhttps://baotinh.example.vn/tin-tức/b.html\n".encode()
    parsed = parse_sitemap(body, "https://baotinh.example.vn/sitemap.txt")
    assert parsed == Sitemap(
        "https://baotinh.example.vn/sitemap.txt",
        "urlset",
        entries=[
            SitemapEntry("https://baotinh.example.vn/a.html"),
            SitemapEntry("https://baotinh.example.vn/tin-tức/b.html"),
        ],
    )


def test_sitemap_without_namespace_still_reads() -> None:
    body = b"<urlset><url><loc>https://a.example/1</loc><lastmod>2025-11-24T08:00:00+07:00</lastmod></url></urlset>"
    (entry,) = parse_sitemap(body, "https://a.example/sitemap.xml").entries
    assert entry.lastmod == datetime(2025, 11, 24, 1, 0, tzinfo=UTC)


PATH = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/.&=?ăâđêôơưàáạảãếệ", min_size=1, max_size=40)


@settings(max_examples=50, deadline=None)
@given(st.lists(PATH, min_size=1, max_size=20))
def test_urlset_round_trip(paths: list[str]) -> None:
    locs = [f"https://baotinh.example.vn/{path}" for path in paths]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{escape(loc)}</loc></url>" for loc in locs)
        + "</urlset>"
    ).encode()
    parsed = parse_sitemap(body, "https://baotinh.example.vn/sitemap.xml")
    assert [entry.loc for entry in parsed.entries] == locs
