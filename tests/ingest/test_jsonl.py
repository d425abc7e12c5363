"""JSON Lines reading: field normalization, bad lines, gzip, dates."""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import InputError, MalformedInput, TooLarge, UnreadableInput
from newsdesk.ingest.jsonl import ICT, normalize_fields, parse_published, read_jsonl
from newsdesk.model import RawItem
from tests.conftest import FIXTURES, require_corpus

FILES = FIXTURES / "ingest" / "files"


def split(results: list[RawItem | InputError]) -> tuple[list[RawItem], list[InputError]]:
    items = [r for r in results if isinstance(r, RawItem)]
    errors = [r for r in results if isinstance(r, InputError)]
    return items, errors


@pytest.mark.parametrize("name", ["articles.jsonl", "articles.jsonl.gz"])
def test_bad_lines_do_not_stop_the_batch(name: str) -> None:
    results = list(read_jsonl(FILES / name))
    items, errors = split(results)
    assert [item.origin.rsplit("#", 1)[1] for item in items] == ["L1", "L4", "L6"]
    assert [(type(e), e.origin.rsplit("#", 1)[1], e.reason) for e in errors] == [
        (MalformedInput, "L3", "malformed_json"),
        (MalformedInput, "L5", "malformed_json"),
    ]
    assert "invalid JSON" in errors[0].detail
    assert errors[0].raw == '{"id": "broken", "title": "thiếu ngoặc'.encode()
    assert errors[1].raw == b"[1, 2]"
    assert "expected a JSON object" in errors[1].detail
    assert str(FILES / name) in errors[0].origin


def test_fields_are_normalized() -> None:
    first, corpus_style, english = split(list(read_jsonl(FILES / "articles.jsonl")))[0]
    assert first.kind == "record"
    assert first.url == "https://baomoi.example.vn/ha-noi-ret-dam.html"
    assert first.fields == {
        "id": "vn-001",
        "url": "https://baomoi.example.vn/ha-noi-ret-dam.html",
        "title": "Hà Nội rét đậm",
        "lead": "Nhiệt độ xuống dưới 12 độ C.",
        "text": "Sáng nay, trời rét đậm.\nHọc sinh mầm non được nghỉ học.",
        "published": datetime(2025, 1, 10, 7, 30, tzinfo=ICT),
        "outlet": "Báo Ví Dụ",
        "language": "vi",
        "author": "Minh Anh, Thu Trang",
    }
    assert corpus_style.fields == {
        "id": "corpus-002",
        "title": "Đà Nẵng mở rộng cầu",
        "lead": "Dự án khởi công.",
        "text": "Nội dung.",
    }
    assert english.fields["id"] == "3"
    assert english.fields["title"] == "Flood warning for the Mekong Delta"
    assert english.fields["text"] == "Authorities issued a warning on Tuesday."
    assert english.fields["published"] == datetime(2016, 5, 20, 10, 30, tzinfo=ICT)
    assert english.fields["language"] == "en"


def test_body_is_the_raw_line() -> None:
    lines = (FILES / "articles.jsonl").read_bytes().split(b"\n")
    first = next(iter(read_jsonl(FILES / "articles.jsonl")))
    assert isinstance(first, RawItem)
    assert first.body == lines[0]
    assert first.content_type == "application/json"
    assert first.meta == {"line": 1}


def test_gzip_is_found_by_magic_bytes(tmp_path: Path) -> None:
    disguised = tmp_path / "export.jsonl"
    shutil.copy(FILES / "articles.jsonl.gz", disguised)
    plain = [r.fields for r in read_jsonl(FILES / "articles.jsonl") if isinstance(r, RawItem)]
    assert [r.fields for r in read_jsonl(disguised) if isinstance(r, RawItem)] == plain


def test_truncated_gzip_keeps_earlier_records() -> None:
    results = list(read_jsonl(FILES / "truncated.jsonl.gz"))
    items, errors = split(results)
    assert len(items) > 10
    assert results[-1] is errors[-1] and len(errors) == 1
    assert errors[0].reason == "truncated"
    assert errors[0].origin.endswith(f"#L{len(items) + 1}")
    assert [item.fields["id"] for item in items] == [str(n) for n in range(len(items))]


def test_line_over_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    long_line = json.dumps({"title": "Dài", "text": "chữ " * 500}, ensure_ascii=False)
    path.write_text('{"title": "Ngắn"}\n' + long_line + '\n{"title": "Sau"}\n', encoding="utf-8")
    results = list(read_jsonl(path, max_bytes=200))
    assert [type(r) for r in results] == [RawItem, TooLarge, RawItem]
    assert results[1].origin.endswith("#L2")
    assert isinstance(results[2], RawItem) and results[2].fields["title"] == "Sau"


def test_not_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes('{"title": "Café"}\n'.encode("latin-1") + b'{"title": "ok"}\n')
    bad, good = list(read_jsonl(path))
    assert isinstance(bad, MalformedInput) and "not UTF-8" in bad.detail
    assert isinstance(good, RawItem)


def test_missing_file(tmp_path: Path) -> None:
    (error,) = list(read_jsonl(tmp_path / "nope.jsonl"))
    assert isinstance(error, UnreadableInput)
    assert error.origin == str(tmp_path / "nope.jsonl")


@pytest.mark.parametrize(
    ("obj", "fields"),
    [
        (
            {"id": 7, "title": "  Tin  ", "content": "Nội dung"},
            {"id": "7", "title": "Tin", "text": "Nội dung"},
        ),
        ({"title": "", "headline": "Tiêu đề", "body": None}, {"title": "Tiêu đề"}),
        (
            {"headlines": [{"role": "sub", "value": "Phụ"}, {"role": "main", "value": "Chính"}]},
            {"title": "Chính"},
        ),
        ({"text": ["Đoạn 1", "Đoạn 2"], "description": "Sapo"}, {"text": "Đoạn 1\nĐoạn 2", "lead": "Sapo"}),
        (
            {"site_name": "VnExample", "lang": "VI-vn", "by": "Lan"},
            {"outlet": "VnExample", "language": "vi-vn", "author": "Lan"},
        ),
        ({"published": "hôm qua", "cluster": "x"}, {"published": "hôm qua"}),
        ({"unknown": "x", "flag": True}, {}),
    ],
)
def test_normalize_fields(obj: dict[str, Any], fields: dict[str, Any]) -> None:
    assert normalize_fields(obj) == fields


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-10T07:30:00Z", datetime(2025, 1, 10, 7, 30, tzinfo=UTC)),
        ("2025-01-10T07:30:00+07:00", datetime(2025, 1, 10, 7, 30, tzinfo=ICT)),
        ("2025-01-10 07:30", datetime(2025, 1, 10, 7, 30, tzinfo=ICT)),
        ("2025-01-10", datetime(2025, 1, 10, tzinfo=ICT)),
        ("20/5/2016", datetime(2016, 5, 20, tzinfo=ICT)),
        ("Thứ sáu, 20/5/2016, 10:30 (GMT+7)", datetime(2016, 5, 20, 10, 30, tzinfo=ICT)),
        ("20-05-2016 08h15", datetime(2016, 5, 20, 8, 15, tzinfo=ICT)),
        ("Tue, 03 Jun 2025 10:00:00 +0000", datetime(2025, 6, 3, 10, tzinfo=UTC)),
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1_700_000_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("hôm qua", None),
        ("5", None),
        ("32/13/2016", None),
        (True, None),
        (None, None),
    ],
)
def test_parse_published(value: Any, expected: datetime | None) -> None:
    assert parse_published(value) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1).filter(lambda s: s.strip()), st.text())
def test_title_and_text_survive_a_round_trip(title: str, text: str) -> None:
    line = json.dumps({"title": title, "text": text}, ensure_ascii=False).encode("utf-8")
    (item,) = _read_bytes(line)
    assert isinstance(item, RawItem)
    assert item.fields["title"] == title.strip()
    assert item.fields.get("text", "") == text.strip()


def _read_bytes(data: bytes) -> list[RawItem | InputError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.jsonl"
        path.write_bytes(data + b"\n")
        return list(read_jsonl(path))


@pytest.mark.slow
@pytest.mark.corpus
def test_reads_the_whole_corpus() -> None:
    path = require_corpus("vietnews-20k.jsonl.gz")
    items, errors = split(list(read_jsonl(path)))
    assert not errors
    assert len(items) == 20_000
    assert all({"id", "title", "text", "lead"} <= item.fields.keys() for item in items[:100])


def test_plain_file_and_gzip_file_give_the_same_hashes(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress((FILES / "articles.jsonl").read_bytes()))
    plain = [r.sha256 for r in read_jsonl(FILES / "articles.jsonl") if isinstance(r, RawItem)]
    assert [r.sha256 for r in read_jsonl(path) if isinstance(r, RawItem)] == plain
