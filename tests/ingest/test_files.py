"""Local files and folders: format detection, walking, and every refusal naming its path."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import BinaryInput, EmptyInput, InputError, MalformedInput, TooLarge, UnreadableInput
from newsdesk.ingest.files import detect_format, iter_path
from newsdesk.model import RawItem
from tests.conftest import FIXTURES

FILES = FIXTURES / "ingest" / "files"
NET = FIXTURES / "ingest" / "net"
CAP = 1_000_000


def one(path: Path, max_bytes: int = CAP) -> RawItem | InputError:
    (result,) = list(iter_path(path, max_bytes=max_bytes))
    return result


@pytest.mark.parametrize(
    ("name", "kind", "content_type"),
    [
        ("vi-page.html", "html", "text/html"),
        ("vi-utf8.txt", "text", "text/plain"),
        ("vi-tcvn3.txt", "text", "text/plain"),
        ("vi-utf16.txt", "text", "text/plain"),
        ("notes", "text", "text/plain"),
        ("story.dat", "html", "text/html"),
    ],
)
def test_pages_keep_their_raw_bytes(name: str, kind: str, content_type: str) -> None:
    item = one(FILES / name)
    assert isinstance(item, RawItem)
    assert (item.kind, item.content_type, item.url) == (kind, content_type, None)
    assert item.origin == str(FILES / name)
    assert item.body == (FILES / name).read_bytes()
    assert item.sha256 == hashlib.sha256(item.body).hexdigest()
    assert item.fields == {}
    assert item.meta["mtime"].endswith("+00:00")


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("empty.txt", EmptyInput, "empty"),
        ("blank.txt", EmptyInput, "whitespace"),
        ("photo.png", BinaryInput, "png"),
        ("disguised.html", BinaryInput, "png"),
        ("report.pdf.txt", BinaryInput, "pdf"),
    ],
)
def test_refusals_name_the_file(name: str, error: type[InputError], words: str) -> None:
    result = one(FILES / name)
    assert type(result) is error
    assert result.origin == str(FILES / name)
    assert words in result.detail


def test_refused_files_keep_their_bytes_for_quarantine() -> None:
    binary, capped, blank = one(FILES / "photo.png"), one(FILES / "photo.png", 10), one(FILES / "blank.txt")
    assert isinstance(binary, BinaryInput) and binary.raw == (FILES / "photo.png").read_bytes()
    assert isinstance(capped, BinaryInput) and capped.raw is None  # over the cap: not read
    assert isinstance(blank, EmptyInput) and blank.raw == (FILES / "blank.txt").read_bytes()


def test_structured_files_go_to_their_readers() -> None:
    counts = {
        name: [type(r).__name__ for r in iter_path(FILES / name, max_bytes=CAP)]
        for name in (
            "articles.jsonl",
            "articles.jsonl.gz",
            "sample.warc.gz",
            "newsml-message-en.xml",
            "ninjs-list.json",
        )
    }
    assert counts["articles.jsonl"] == ["RawItem", "MalformedInput", "RawItem", "MalformedInput", "RawItem"]
    assert counts["articles.jsonl.gz"] == counts["articles.jsonl"]
    assert counts["sample.warc.gz"] == ["RawItem", "RawItem"]
    assert counts["newsml-message-en.xml"] == ["RawItem", "RawItem"]
    assert counts["ninjs-list.json"] == ["RawItem", "RawItem"]


def test_over_the_cap(tmp_path: Path) -> None:
    result = one(FILES / "vi-utf8.txt", max_bytes=100)
    assert isinstance(result, TooLarge) and "over the cap of 100" in result.detail
    # containers are capped per record, not per file
    results = list(iter_path(FILES / "articles.jsonl", max_bytes=300))
    assert [type(r) for r in results].count(TooLarge) == 1
    assert [type(r) for r in results].count(RawItem) == 2


def test_folder_is_walked_in_order_without_hidden_files(tmp_path: Path) -> None:
    for name in ("vi-utf8.txt", "photo.png", "ninjs1-en.json"):
        shutil.copy(FILES / name, tmp_path / name)
    (tmp_path / "b-sub" / "deeper").mkdir(parents=True)
    shutil.copy(FILES / "vi-page.html", tmp_path / "b-sub" / "deeper" / "page.html")
    shutil.copy(FILES / "notes", tmp_path / "b-sub" / "z-notes")
    (tmp_path / ".hidden.txt").write_text("bí mật", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("[core]", encoding="utf-8")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    origins = [Path(r.origin).relative_to(tmp_path).as_posix() for r in iter_path(tmp_path, max_bytes=CAP)]
    assert origins == [
        "b-sub/deeper/page.html",
        "b-sub/z-notes",
        "ninjs1-en.json",
        "photo.png",
        "vi-utf8.txt",
    ]


def test_reingesting_gives_the_same_items(tmp_path: Path) -> None:
    def snapshot() -> list[tuple[str, str]]:
        results = iter_path(FILES, max_bytes=CAP)
        return [(r.origin, r.sha256) for r in results if isinstance(r, RawItem)]

    assert snapshot() == snapshot()


def test_missing_path(tmp_path: Path) -> None:
    result = one(tmp_path / "gone")
    assert isinstance(result, UnreadableInput) and result.origin == str(tmp_path / "gone")


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Tin nội bộ", encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = one(path)
    assert isinstance(result, UnreadableInput)
    assert result.origin == str(path) and "Permission denied" in result.detail


def test_file_vanishes_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "brief.html"
    path.write_text("<p>Tin</p>", encoding="utf-8")

    def vanish(self: Path) -> bytes:
        raise FileNotFoundError(2, "No such file or directory", str(self))

    monkeypatch.setattr(Path, "read_bytes", vanish)
    result = one(path)
    assert isinstance(result, UnreadableInput) and result.origin == str(path)


def test_xml_files(tmp_path: Path) -> None:
    xhtml = tmp_path / "page.xml"
    xhtml.write_text(
        '<?xml version="1.0"?>\n<!-- x -->\n<html><body><p>Tin</p></body></html>', encoding="utf-8"
    )
    item = one(xhtml)
    assert isinstance(item, RawItem) and item.kind == "html"
    feed = tmp_path / "feed.xml"
    feed.write_text("<?xml version='1.0'?><rss version='2.0'><channel/></rss>", encoding="utf-8")
    empty = one(feed)
    assert isinstance(empty, EmptyInput) and empty.origin == str(feed) and "no entries" in empty.detail
    other = tmp_path / "config.xml"
    other.write_text("<?xml version='1.0'?><config><a/></config>", encoding="utf-8")
    error = one(other)
    assert isinstance(error, MalformedInput) and "unknown XML format: root element <config>" in error.detail


def test_json_article_objects(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(
        json.dumps([{"title": "Tin một", "text": "Nội dung"}, {"foo": 1}, "x"], ensure_ascii=False),
        encoding="utf-8",
    )
    results = list(iter_path(path, max_bytes=CAP))
    assert [type(r) for r in results] == [RawItem, MalformedInput, MalformedInput]
    first = results[0]
    assert isinstance(first, RawItem) and first.fields == {"title": "Tin một", "text": "Nội dung"}
    assert first.origin == f"{path}#item-1"


def test_json_lines_named_json(tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    shutil.copy(FILES / "articles.jsonl", path)
    assert [type(r) for r in iter_path(path, max_bytes=CAP)].count(RawItem) == 3


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("a.md", b"# Ti\xc3\xaau \xc4\x91\xe1\xbb\x81\n\nN\xe1\xbb\x99i dung", "text"),
        ("a.bin", b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        ("a", b'{"title": "a"}\n{"title": "b"}\n', "jsonl"),
        ("a", b'{\n  "uri": "u"\n}', "json"),
        ("a", b'[{"title": "a"}]', "json"),
        ("a.json", b'{"title": "a"}\n{"title": "b"}\n', "jsonl"),
        ("a", b'<?xml version="1.0"?><newsItem xmlns="x">', "xml"),
        ("a", b"<p>Tin <b>nhanh</b></p>", "html"),
        ("a", b"Just some plain text.\n", "text"),
        ("a.html", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("a.gz", gzip.compress(b"WARC/1.0\r\n"), "warc"),
        ("a.gz", gzip.compress(b'{"id": 1}\n'), "jsonl"),
        ("a.gz", gzip.compress(b"\x00\x01\x02"), "binary"),
        ("a.txt", "Văn bản UTF-16".encode("utf-16"), "text"),
        ("a.rss", b"<rss version='2.0'>", "xml"),
        ("feed", b"<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>", "xml"),
        ("feed", b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>", "xml"),
        ("page.html.gz", gzip.compress(b"<p>Tin</p>"), "html"),
        ("bai.txt.gz", gzip.compress(b"Tin nhanh"), "text"),
        ("bai.txt.gz", gzip.compress(b'{"looks": "like json"}'), "text"),  # the inner suffix decides
        ("feed.xml.gz", gzip.compress(b"<rss version='2.0'>"), "xml"),
        ("a.gz", gzip.compress(b"<?xml version='1.0'?><rss>"), "xml"),
        ("list.json.gz", gzip.compress(b'[{"title": "a"}]'), "json"),
        ("nested.gz", gzip.compress(gzip.compress(b"x")), "binary"),
        ("a.tar.gz", gzip.compress(b"page.html" + b"\x00" * 100), "binary"),
        ("corrupt.html.gz", b"\x1f\x8b\x08\x00garbage", "binary"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: str) -> None:
    assert detect_format(Path(name), head) == expected


# -- gap 4: saved RSS/Atom files are feeds -----------------------------------------------------------


def test_gap4_local_rss_file_becomes_one_record_per_entry(tmp_path: Path) -> None:
    path = tmp_path / "gazette.xml"
    shutil.copy(NET / "rss20.xml", path)
    ferry, lanes = iter_path(path, max_bytes=CAP)
    assert isinstance(ferry, RawItem) and isinstance(lanes, RawItem)
    assert (ferry.kind, ferry.content_type) == ("record", "application/json")
    # a relative link resolves against the feed's own <link>, as no feed URL exists
    assert ferry.url == ferry.origin == "https://gazette.example/news/ferry-timetable.html"
    assert ferry.fields["title"] == "Ferry timetable changes from Monday"
    assert ferry.fields["text"].startswith("The harbour authority announced new times.")
    assert ferry.fields["language"] == "en-GB" and ferry.fields["id"] == "gazette-1001"
    assert ferry.meta["feed"] == str(path) and ferry.meta["mtime"].endswith("+00:00")
    assert lanes.fields["text"] == "Four kilometres of lanes were approved."


@pytest.mark.parametrize(("fixture", "name"), [("atom.xml", "notes.atom"), ("vi_feed.xml", "tin-moi")])
def test_gap4_atom_and_unnamed_feeds_are_sniffed(tmp_path: Path, fixture: str, name: str) -> None:
    path = tmp_path / name
    shutil.copy(NET / fixture, path)
    items = list(iter_path(path, max_bytes=CAP))
    assert len(items) == 2 and all(isinstance(i, RawItem) and i.kind == "record" for i in items)
    assert all(isinstance(i, RawItem) and i.url and i.url.startswith("https://") for i in items)


def test_gap4_local_feed_entries_match_the_fetched_feeds_fallback(tmp_path: Path) -> None:
    from newsdesk.ingest.feeds import entry_to_raw, parse_feed

    path = tmp_path / "tin.xml"
    shutil.copy(NET / "vi_feed.xml", path)
    fetched = [entry_to_raw(e) for e in parse_feed(path.read_bytes(), "https://baotinh.example.vn/rss")]
    local = list(iter_path(path, max_bytes=CAP))
    assert [(r.origin, r.fields) for r in fetched] == [
        (r.origin, r.fields) for r in local if isinstance(r, RawItem)
    ]


def test_gap4_entries_without_link_or_id_are_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.rss"
    path.write_text(
        "<rss version='2.0'><channel><title>Ghi chú</title>"
        "<item><title>Tin một</title><description>Nội dung một</description></item>"
        "<item><title>Tin hai</title><link>tin-hai.html</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    first, second = iter_path(path, max_bytes=CAP)
    assert isinstance(first, RawItem) and first.origin == f"{path}#item-1" and first.url is None
    # no feed URL and no channel link: a relative link cannot become a URL, so it is dropped
    assert isinstance(second, RawItem) and second.origin == f"{path}#item-2" and second.url is None


def test_gap4_broken_local_feed_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    shutil.copy(NET / "malformed_feed.xml", path)
    error = one(path)
    assert isinstance(error, MalformedInput) and error.origin == str(path)
    assert error.reason == "malformed_feed" and error.raw == path.read_bytes()


# -- gap 5: gzipped pages and texts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "plain", "kind"),
    [("page.html.gz", "vi-page.html", "html"), ("bai.txt.gz", "vi-utf8.txt", "text")],
)
def test_gap5_gzipped_pages_are_read_by_their_inner_suffix(name: str, plain: str, kind: str) -> None:
    item = one(FILES / name)
    assert isinstance(item, RawItem) and item.origin == str(FILES / name)
    assert item.kind == kind and item.body == (FILES / plain).read_bytes()


def test_gap5_gzipped_feed_and_json(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml.gz"
    feed.write_bytes(gzip.compress((NET / "rss20.xml").read_bytes()))
    listing = tmp_path / "export.json.gz"
    listing.write_bytes(gzip.compress(json.dumps([{"title": "Tin", "text": "Nội dung"}]).encode()))
    assert [type(r) for r in iter_path(feed, max_bytes=CAP)] == [RawItem, RawItem]
    assert [type(r) for r in iter_path(listing, max_bytes=CAP)] == [RawItem]


def test_gap5_every_gzip_member_is_read(tmp_path: Path) -> None:
    path = tmp_path / "joined.txt.gz"
    path.write_bytes(gzip.compress("Phần một. ".encode()) + gzip.compress("Phần hai.".encode()))
    item = one(path)
    assert isinstance(item, RawItem) and item.body.decode() == "Phần một. Phần hai."


def test_gap5_decompressed_size_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<p>" + b"a" * 100_000 + b"</p>"))
    assert path.stat().st_size < 1000
    error = one(path, max_bytes=10_000)
    assert isinstance(error, TooLarge) and error.origin == str(path)
    assert "over the cap of 10000 bytes once decompressed" in error.detail


def test_gap5_at_the_cap_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "exact.txt.gz"
    path.write_bytes(gzip.compress(b"x" * 1000) + gzip.compress(b"y" * 1000))
    item = one(path, max_bytes=2000)
    assert isinstance(item, RawItem) and len(item.body) == 2000


@pytest.mark.parametrize(
    ("name", "data", "error", "words"),
    [
        (
            "cut.html.gz",
            gzip.compress(b"<p>Tin</p>" * 100)[:-8],  # the trailer is cut off
            MalformedInput,
            "truncated",
        ),
        ("corrupt.html.gz", b"\x1f\x8b\x08\x00garbage", BinaryInput, "corrupt gzip data"),
        ("archive.tar.gz", gzip.compress(b"page.html" + b"\x00" * 600), BinaryInput, "gzip of binary data"),
        ("empty.txt.gz", gzip.compress(b"   \n"), EmptyInput, "only whitespace"),
    ],
)
def test_gap5_bad_gzip_files_say_why(
    tmp_path: Path, name: str, data: bytes, error: type[InputError], words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = one(path)
    assert type(result) is error and result.origin == str(path) and words in result.detail
