"""WARC reading: pages become raw items, other records are skipped, damage is reported."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.errors import InputError, MalformedInput, TooLarge, UnreadableInput
from newsdesk.ingest.warc import read_warc
from newsdesk.model import RawItem
from tests.conftest import FIXTURES

FILES = FIXTURES / "ingest" / "files"
PAGE = "<html><head><title>Tin</title></head><body><p>Hà Nội mưa lớn chiều nay.</p></body></html>".encode()
WARC_DATE = "2025-03-04T05:06:07Z"


def _response(writer: WARCWriter, url: str, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": WARC_DATE},
    )
    writer.write_record(record)


def write_warc(path: Path, *, compress: bool) -> Path:
    """A small crawl: warcinfo, request, pages, a redirect, an image, metadata, a resource."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        request = io.BytesIO(b"GET /a HTTP/1.1\r\nHost: tin.example.vn\r\n\r\n")
        writer.write_record(writer.create_warc_record("https://tin.example.vn/a", "request", payload=request))
        _response(
            writer, "https://tin.example.vn/a", "200 OK", [("Content-Type", "text/html; charset=utf-8")], PAGE
        )
        _response(writer, "https://tin.example.vn/old", "301 Moved", [("Location", "/a")], b"")
        _response(
            writer, "https://tin.example.vn/x.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG"
        )
        gzipped = [("Content-Type", "text/plain"), ("Content-Encoding", "gzip")]
        _response(
            writer, "https://tin.example.vn/b.txt", "200 OK", gzipped, gzip.compress("Bản tin".encode())
        )
        _response(writer, "https://tin.example.vn/c", "200 OK", [], PAGE)
        metadata = io.BytesIO(b"outlinks: https://tin.example.vn/b.txt\n")
        writer.write_record(
            writer.create_warc_record("https://tin.example.vn/a", "metadata", payload=metadata)
        )
        resource = writer.create_warc_record(
            "file:///scan/note.txt",
            "resource",
            payload=io.BytesIO("Ghi chú".encode()),
            warc_content_type="text/plain; charset=utf-8",
        )
        writer.write_record(resource)
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_pages_become_raw_items(tmp_path: Path, compress: bool) -> None:
    path = write_warc(tmp_path / ("crawl.warc.gz" if compress else "crawl.warc"), compress=compress)
    results = list(read_warc(path))
    assert all(isinstance(r, RawItem) for r in results)
    html, text, sniffed, resource = results
    assert isinstance(html, RawItem)
    assert (html.kind, html.url, html.body) == ("html", "https://tin.example.vn/a", PAGE)
    assert html.content_type == "text/html; charset=utf-8"
    assert html.fetched_at == datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert html.origin == f"{path}#record-3"
    assert html.meta["warc_type"] == "response"
    assert isinstance(html.meta["warc_offset"], int) and html.meta["warc_offset"] > 0
    assert html.meta["warc_record_id"].startswith("urn:uuid:")
    assert isinstance(text, RawItem) and (text.kind, text.body) == ("text", "Bản tin".encode())
    assert isinstance(sniffed, RawItem) and (sniffed.kind, sniffed.content_type) == ("html", None)
    assert isinstance(resource, RawItem)
    assert (resource.kind, resource.url, resource.body) == (
        "text",
        "file:///scan/note.txt",
        "Ghi chú".encode(),
    )


def test_offsets_point_at_the_records(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc", compress=False)
    data = path.read_bytes()
    for item in read_warc(path):
        assert isinstance(item, RawItem)
        offset = item.meta["warc_offset"]
        assert data[offset : offset + 8] == b"WARC/1.0"


def test_fixture_file() -> None:
    results = list(read_warc(FILES / "sample.warc.gz"))
    assert [(r.kind, r.url) for r in results if isinstance(r, RawItem)] == [
        ("html", "https://tin.example.vn/a.html"),
        ("text", "https://tin.example.vn/b.txt"),
    ]
    assert len(results) == 2


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("fraction", [0.35, 0.6, 0.9, 0.99])
def test_a_cut_file_reports_the_broken_record(tmp_path: Path, compress: bool, fraction: float) -> None:
    whole = write_warc(tmp_path / "whole.warc", compress=compress).read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: int(len(whole) * fraction)])
    results = list(read_warc(cut))
    *items, last = results
    assert all(isinstance(item, RawItem) for item in items)
    assert isinstance(last, MalformedInput)
    assert str(cut) in last.origin and "#record-" in last.origin
    assert "broken WARC record" in last.detail


def test_garbage_in_the_middle(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc", compress=False).read_bytes()
    start = whole.index(b"WARC/1.0", whole.index(b"WARC-Type: response"))
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(whole[:start] + b"NOT A RECORD\r\n\r\n" + whole[start:])
    *items, error = list(read_warc(damaged))
    assert len(items) == 1 and isinstance(items[0], RawItem)
    assert isinstance(error, MalformedInput) and f"offset {start}" in error.detail


def test_payload_over_the_cap(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", compress=True)
    results = list(read_warc(path, max_bytes=20))
    too_large = [r for r in results if isinstance(r, TooLarge)]
    assert len(too_large) == 2  # the two copies of PAGE
    assert all(isinstance(r, RawItem) and len(r.body) <= 20 for r in results if r not in too_large)


@pytest.mark.parametrize("data", [b"", b"hello, this is not a WARC\n" * 10, gzip.compress(b"<html></html>")])
def test_not_a_warc(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.warc"
    path.write_bytes(data)
    (error,) = list(read_warc(path))
    assert isinstance(error, MalformedInput) and "not a WARC file" in error.detail
    assert error.origin == str(path)


def test_missing_file(tmp_path: Path) -> None:
    results: list[RawItem | InputError] = list(read_warc(tmp_path / "gone.warc"))
    assert len(results) == 1 and isinstance(results[0], UnreadableInput)
