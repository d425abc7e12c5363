"""RSS/Atom parsing on small fixtures (English and Vietnamese)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import EmptyInput, MalformedInput
from newsdesk.ingest.feeds import FeedEntry, entry_to_raw, parse_feed
from newsdesk.ingest.feeds import _day_first_date as day_first_date
from newsdesk.ingest.feeds import _html_text as html_text

NET = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "net"


def read(name: str) -> bytes:
    return (NET / name).read_bytes()


def test_rss20() -> None:
    first, second = parse_feed(read("rss20.xml"), "https://gazette.example/rss/latest.xml")
    assert first.url == "https://gazette.example/news/ferry-timetable.html"  # relative link resolved
    assert first.title == "Ferry timetable changes from Monday"
    assert first.published == datetime(2025, 11, 24, 8, 30, tzinfo=UTC)
    assert (first.author, first.language, first.guid) == ("Jane Roe", "en-GB", "gazette-1001")
    assert "<b>announced</b>" in first.summary
    assert second.summary == "<p>Four kilometres of lanes were approved.</p>"  # content:encoded
    assert second.published == datetime(2025, 11, 23, 17, 5, tzinfo=UTC)


def test_atom() -> None:
    rice, mangroves = parse_feed(read("atom.xml"), "https://science.example/atom.xml")
    assert rice.title == "Rice trial doubles yield"  # type="html" title is made plain text
    assert rice.published == datetime(2025, 11, 24, 2, 0, tzinfo=UTC)  # only <updated>, +07:00
    assert (rice.author, rice.language) == ("Minh Tran", "en")
    assert rice.guid == "tag:science.example,2025:rice-trial"
    assert mangroves.published == datetime(2025, 11, 20, 6, 15, tzinfo=UTC)  # <published> wins
    assert "<strong>4%</strong>" in mangroves.summary  # xhtml <content> when there is no summary


def test_vietnamese_feed() -> None:
    bridge, coats = parse_feed(read("vi_feed.xml"), "https://baotinh.example.vn/rss/tin-moi.rss")
    assert bridge.title == "Tỉnh khởi công cầu vượt sông Trà Khúc mới"
    assert bridge.language == "vi"
    assert bridge.published == datetime(2025, 11, 24, 1, 30, tzinfo=UTC)  # "24/11/2025 08:30" at UTC+7
    assert coats.published == datetime(2025, 11, 23, 12, 45, tzinfo=UTC)
    assert coats.author == "Lê Thị Hoa"  # from "email (Name)"
    assert coats.guid is None and coats.url is not None


def test_broken_feed_with_entries_keeps_them() -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tin & bài</title>'
        "<item><title>Giá xăng giảm</title><link>https://a.example.vn/1</link></item>"
        "</channel></rss>"
    ).encode()
    (entry,) = parse_feed(body, "https://a.example.vn/rss")
    assert (entry.title, entry.url) == ("Giá xăng giảm", "https://a.example.vn/1")


@pytest.mark.parametrize(
    "body",
    [
        read("malformed_feed.xml"),
        "<!doctype html><html><body><p>Trang chủ</p></body></html>".encode(),
        b"/etc/passwd",  # must not be opened as a file
        b'{"items": []}',
    ],
)
def test_not_a_feed_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedInput) as caught:
        parse_feed(body, "https://bad.example/feed")
    assert caught.value.origin == "https://bad.example/feed"
    assert str(caught.value).startswith("https://bad.example/feed: ")
    assert caught.value.reason == "malformed_feed"


def test_empty_feed_body() -> None:
    with pytest.raises(EmptyInput):
        parse_feed(b"  \n", "https://bad.example/feed")


def test_valid_feed_without_items_is_empty_not_malformed() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    assert parse_feed(body, "https://a.example/rss") == []


def test_entry_to_raw_makes_a_record() -> None:
    bridge = parse_feed(read("vi_feed.xml"), "https://baotinh.example.vn/rss")[0]
    raw = entry_to_raw(bridge, source_id=7)
    assert (raw.kind, raw.source_id, raw.url, raw.origin) == ("record", 7, bridge.url, bridge.url)
    assert raw.fields["text"] == "Sáng nay, UBND tỉnh tổ chức lễ khởi công.\nTổng vốn đầu tư hơn 500 tỷ đồng."
    assert raw.fields["title"] == bridge.title and raw.fields["language"] == "vi"
    assert raw.fields["published"] == bridge.published and raw.fields["id"] == bridge.guid
    stored = json.loads(raw.body)
    assert stored["published"] == "2025-11-24T01:30:00+00:00"
    assert stored["text"] == raw.fields["text"]


def test_entry_to_raw_without_url_uses_guid() -> None:
    entry = FeedEntry(None, "Thông báo", "<p>a &amp; b</p>", None, None, "vi", "urn:x:1")
    raw = entry_to_raw(entry)
    assert (raw.origin, raw.url, raw.fields["text"]) == ("urn:x:1", None, "a & b")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/11/2025 08:30", datetime(2025, 11, 24, 1, 30, tzinfo=UTC)),
        ("Thứ Hai, 24/11/2025 - 8h30", datetime(2025, 11, 24, 1, 30, tzinfo=UTC)),
        ("01/01/2026 05:00:15 GMT+7", datetime(2025, 12, 31, 22, 0, 15, tzinfo=UTC)),
        ("24/11/2025", datetime(2025, 11, 23, 17, 0, tzinfo=UTC)),
        ("31/02/2025 10:00", None),
        ("hôm qua", None),
    ],
)
def test_day_first_dates(text: str, expected: datetime | None) -> None:
    assert day_first_date(text) == expected


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
TITLE_TEXT = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789 ,.:;!?-–\"'()&", min_size=1)


@settings(max_examples=60, deadline=None)
@given(TITLE_TEXT)
def test_any_plain_title_survives(title: str) -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>{escape(title)}</title><link>https://a.example.vn/1</link></item></channel></rss>"
    ).encode()
    (entry,) = parse_feed(body, "https://a.example.vn/rss")
    assert entry.title == " ".join(title.split())


def test_entry_without_url_or_guid_gets_a_stable_content_origin() -> None:
    entry = FeedEntry(None, "Lịch cắt điện", "Khu vực phường 1", None, None, "vi", None)
    first, again = entry_to_raw(entry), entry_to_raw(entry)
    assert first.origin.startswith("feed-entry:") and first.origin == again.origin
    other = entry_to_raw(FeedEntry(None, "Lịch cắt nước", "Khu vực phường 1", None, None, "vi", None))
    assert other.origin != first.origin


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("", ""),
        ("Giá xăng   giảm", "Giá xăng giảm"),
        ("a &lt; b &amp; c", "a < b & c"),
        ("<p>Đoạn một</p><p>Đoạn <b>hai</b></p>", "Đoạn một\nĐoạn hai"),
        ("dòng 1<br/>dòng 2<ul><li>ý a</li><li>ý b</li></ul>", "dòng 1\ndòng 2\ný a\ný b"),
        ("<p>x</p><script>alert(1)</script><style>p{}</style>", "x"),
        ("<!-- quảng cáo -->", ""),
    ],
)
def test_html_text(markup: str, text: str) -> None:
    assert html_text(markup) == text
