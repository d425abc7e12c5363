"""NewsML-G2: news items, messages, packages, bad XML, safe parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from newsdesk.errors import MalformedInput, UnreadableInput
from newsdesk.ingest.newsml import block_text, is_newsml, parse_newsml, read_newsml
from newsdesk.model import RawItem
from tests.conftest import FIXTURES

FILES = FIXTURES / "ingest" / "files"
ICT = timezone(timedelta(hours=7))
NAR = "http://iptc.org/std/nar/2006-10-01/"


def item_xml(content_set: str, meta: str = "", lang: str = 'xml:lang="vi"') -> bytes:
    return f"""<newsItem xmlns="{NAR}" guid="urn:test:1" standard="NewsML-G2" {lang}>
      <itemMeta><itemClass qcode="ninat:text"/>{meta}</itemMeta>
      <contentMeta><headline>Tiêu đề</headline></contentMeta>
      {content_set}
    </newsItem>""".encode()


def test_vietnamese_news_item() -> None:
    (item,) = list(read_newsml(FILES / "newsml-vi.xml"))
    assert isinstance(item, RawItem)
    assert item.kind == "record"
    assert item.origin == str(FILES / "newsml-vi.xml")
    assert item.body == (FILES / "newsml-vi.xml").read_bytes()
    assert item.url == "https://ttx.example.vn/tin/001"
    assert item.fields == {
        "id": "urn:newsml:vna.example:20250110:001",
        "version": "2",
        "url": "https://ttx.example.vn/tin/001",
        "title": "Quảng Ninh khắc phục hậu quả bão số 3",
        "lead": "Tỉnh huy động lực lượng dọn dẹp cây đổ.",
        "text": (
            "Quảng Ninh khắc phục hậu quả bão số 3\n"
            "Sáng 10/1, lực lượng quân đội và công an đã có mặt tại các tuyến phố.\n"
            "Điện lưới được khôi phục ở 80% số xã."
        ),
        "published": datetime(2025, 1, 10, 8, 0, tzinfo=ICT),
        "updated": datetime(2025, 1, 10, 9, 15, tzinfo=ICT),
        "author": "Lê Hoàng",
        "outlet": "Thông tấn xã Ví Dụ",
        "language": "vi",
    }


def test_english_message_skips_the_package() -> None:
    results = list(read_newsml(FILES / "newsml-message-en.xml"))
    assert [r.origin.rsplit("#", 1)[1] for r in results] == ["item-1", "item-2"]
    first, second = results
    assert isinstance(first, RawItem) and isinstance(second, RawItem)
    assert first.fields["title"] == "Port of Hai Phong handles record cargo 1"  # the main headline, not "Sub"
    assert first.fields["text"] == "Cargo volumes rose 12 percent.\nOfficials expect further growth."
    assert first.fields["author"] == "Jane Roe"
    assert first.fields["outlet"] == "Example Wire"
    assert first.fields["language"] == "en"
    assert first.fields["published"] == datetime(2025, 2, 1, 12, 0, tzinfo=UTC)
    assert b"urn:newsml:wire.example:2" in second.body and b"wire.example:1" not in second.body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (f'<packageItem xmlns="{NAR}" guid="p"><groupSet/></packageItem>'.encode(), "package_only"),
        (f'<newsMessage xmlns="{NAR}"><header/><itemSet/></newsMessage>'.encode(), "no_items"),
        (b"<rss version='2.0'><channel/></rss>", "unknown_xml"),
        (b"<newsItem><unclosed></newsItem>", "malformed_xml"),
    ],
)
def test_nothing_to_ingest_is_an_error(data: bytes, reason: str) -> None:
    (error,) = list(parse_newsml(data, "feed.xml"))
    assert isinstance(error, MalformedInput)
    assert (error.origin, error.reason, error.raw) == ("feed.xml", reason, data)


def test_inline_data_and_language_tag() -> None:
    data = item_xml(
        '<contentSet><inlineData contenttype="text/plain">  Dòng một.\n   Dòng hai.  </inlineData>'
        "</contentSet>",
        meta='<provider qcode="nprov:TTXVN"/>',
        lang="",
    ).replace(b"<headline>", b'<language tag="VI"/><headline>')
    (item,) = list(parse_newsml(data, "x.xml"))
    assert isinstance(item, RawItem)
    assert item.fields["text"] == "Dòng một.\nDòng hai."
    assert item.fields["outlet"] == "TTXVN"
    assert item.fields["language"] == "vi"


def test_item_without_content_has_no_text() -> None:
    (item,) = list(parse_newsml(item_xml(""), "x.xml"))
    assert isinstance(item, RawItem)
    assert "text" not in item.fields and item.fields["title"] == "Tiêu đề"


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT KHẨU", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE newsItem [<!ENTITY leak SYSTEM "file://{secret}">]>'
        f'<newsItem xmlns="{NAR}" guid="g"><contentMeta><headline>&leak;</headline></contentMeta>'
        "<contentSet><inlineData>Nội dung</inlineData></contentSet></newsItem>"
    ).encode()
    results = list(parse_newsml(data, "evil.xml"))
    text = " ".join(str(getattr(r, "fields", "")) for r in results)
    assert "MẬT KHẨU" not in text


def test_entity_bomb_does_not_expand() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8)
    )
    data = (
        f'<?xml version="1.0"?><!DOCTYPE newsItem [{entities}]>'
        f'<newsItem xmlns="{NAR}" guid="g"><contentMeta><headline>&i;</headline></contentMeta></newsItem>'
    ).encode()
    results = list(parse_newsml(data, "bomb.xml"))
    assert all(len(str(getattr(r, "fields", ""))) < 10_000 for r in results)


def test_is_newsml() -> None:
    assert is_newsml((FILES / "newsml-vi.xml").read_bytes())
    assert not is_newsml(b"<rss/>")
    assert not is_newsml(b"not xml at all")


def test_block_text_on_namespaced_xhtml() -> None:
    root = etree.fromstring(
        b'<body xmlns="http://www.w3.org/1999/xhtml"><h2>Tin</h2><p>M\xe1\xbb\x99t <i>hai</i><br/>ba</p>'
        b"<ul><li>a</li><li>b</li></ul><script>x()</script><div>cu\xe1\xbb\x91i</div></body>"
    )
    assert block_text(root) == "Tin\nMột hai ba\na\nb\ncuối"


def test_missing_file(tmp_path: Path) -> None:
    (error,) = list(read_newsml(tmp_path / "none.xml"))
    assert isinstance(error, UnreadableInput)
