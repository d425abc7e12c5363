"""NINJS 1.x and 2.x: field mapping, lists, bodies, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import MalformedInput, UnreadableInput
from newsdesk.ingest.ninjs import html_text, is_ninjs, ninjs_fields, parse_ninjs, read_ninjs
from newsdesk.model import RawItem
from tests.conftest import FIXTURES

FILES = FIXTURES / "ingest" / "files"
ICT = timezone(timedelta(hours=7))


def test_ninjs1_english() -> None:
    (item,) = list(read_ninjs(FILES / "ninjs1-en.json"))
    assert isinstance(item, RawItem)
    assert item.body == (FILES / "ninjs1-en.json").read_bytes()
    assert item.url == "https://wire.example.com/2025/03/flood"
    assert item.content_type == "application/ninjs+json"
    assert item.fields == {
        "id": "https://wire.example.com/2025/03/flood",
        "version": "3",
        "url": "https://wire.example.com/2025/03/flood",
        "title": "Floods cut roads in central Vietnam",
        "lead": "Heavy rain isolated several villages.",
        "text": "Heavy rain isolated several villages.\nRescue teams were sent.",
        "published": datetime(2025, 3, 2, 8, 0, tzinfo=UTC),
        "updated": datetime(2025, 3, 2, 10, 0, tzinfo=UTC),
        "author": "Sam Lee",
        "outlet": "Example Wire",
        "located": "Hue",
        "language": "en",
    }


def test_ninjs2_vietnamese() -> None:
    (item,) = list(read_ninjs(FILES / "ninjs2-vi.json"))
    assert isinstance(item, RawItem)
    assert item.url is None  # a urn is an id, not a link
    assert item.fields == {
        "id": "urn:ninjs:ttx.example.vn:2025:0042",
        "title": "Cần Thơ khánh thành cầu mới",
        "lead": "Cây cầu nối hai quận trung tâm.",
        "text": "Cây cầu dài 500 m.\nVốn đầu tư 300 tỷ đồng.",  # plain text preferred over the HTML body
        "published": datetime(2025, 4, 1, 9, 0, tzinfo=ICT),
        "updated": datetime(2025, 4, 1, 9, 0, tzinfo=ICT),
        "author": "Phạm Thu",
        "outlet": "Thông tấn xã Ví Dụ",
        "language": "vi",
    }


def test_a_list_of_items() -> None:
    results = list(read_ninjs(FILES / "ninjs-list.json"))
    assert [r.origin.rsplit("#", 1)[1] for r in results] == ["item-1", "item-2"]
    assert all(isinstance(r, RawItem) for r in results)
    first = results[0]
    assert (
        isinstance(first, RawItem)
        and json.loads(first.body)["headline"] == "Floods cut roads in central Vietnam"
    )


def test_html_only_bodies() -> None:
    fields = ninjs_fields(
        {"uri": "u", "bodies": [{"contenttype": "text/html", "value": "<p>Một</p><p>Hai &amp; ba</p>"}]}
    )
    assert fields["text"] == "Một\nHai & ba"


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({"uri": "u", "headline": "H"}, True),
        ({"uri": "u", "bodies": []}, True),
        ([{"uri": "u", "headline": "H"}, {"uri": "v", "versioncreated": "2025-01-01"}], True),
        ({"title": "H", "text": "T"}, False),
        ({"uri": "u"}, False),
        ([], False),
        ("text", False),
    ],
)
def test_is_ninjs(obj: Any, expected: bool) -> None:
    assert is_ninjs(obj) is expected


def test_bad_entries_do_not_stop_the_list() -> None:
    data = json.dumps([{"uri": "u", "headline": "Một"}, 42, {"uri": "v", "headline": "Hai"}]).encode()
    results = list(parse_ninjs(data, "list.json"))
    assert [type(r) for r in results] == [RawItem, MalformedInput, RawItem]
    assert results[1].origin == "list.json#item-2"
    assert isinstance(results[1], MalformedInput) and results[1].raw == b"42"


@pytest.mark.parametrize("data", [b"{not json", b'"just a string"'])
def test_not_ninjs(data: bytes) -> None:
    (error,) = list(parse_ninjs(data, "x.json"))
    assert isinstance(error, MalformedInput) and error.reason == "malformed_json"


def test_html_text_of_fragments() -> None:
    assert html_text("Dòng <b>đậm</b> và <a href='#'>liên kết</a>") == "Dòng đậm và liên kết"
    assert html_text("<div><p>A</p><!-- x --><p>B</p></div>") == "A\nB"
    assert html_text("") is None


def test_missing_file(tmp_path: Path) -> None:
    (error,) = list(read_ninjs(tmp_path / "none.json"))
    assert isinstance(error, UnreadableInput)
