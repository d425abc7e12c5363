"""Publications: drafts, versions and diffs, the workflow and who may move it, variants, pickup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.auth import Accounts
from newsdesk.cli import app
from newsdesk.errors import EmptyInput, Forbidden, NewsdeskError, NotFound
from newsdesk.publish.publications import Publications, read_publication_file
from newsdesk.publish.workflow import Actor
from newsdesk.store.repo import Store
from tests.conftest import FIXTURES

HUE = FIXTURES / "publish" / "le-hoi-hue.md"
HUE_EN = FIXTURES / "publish" / "le-hoi-hue-en.md"
HUE_EDITOR = Actor("lan", "hue", "editor")
HANOI_EDITOR = Actor("minh", "ha-noi", "editor")
ADMIN = Actor("admin", "central", "administrator")


@pytest.fixture
def pubs(any_store: Store) -> Publications:
    return Publications(any_store.engine)


def _add(pubs: Publications, actor: Actor = HUE_EDITOR, path: Path = HUE, **kw: object) -> int:
    title, body = read_publication_file(path.read_bytes(), str(path))
    return pubs.add(
        actor, unit=kw.pop("unit", "hue"), language=kw.pop("language", "vi"), title=title, body=body, **kw
    )  # type: ignore[arg-type]


def test_the_first_line_is_the_title_and_markdown_heading_marks_go() -> None:
    title, body = read_publication_file(HUE.read_bytes(), "le-hoi-hue.md")
    assert title.startswith("Festival Huế 2026") and body.startswith("Festival Huế 2026 khai mạc")
    with pytest.raises(EmptyInput, match=r"x\.md"):
        read_publication_file(b"\n\n  \n", "x.md")
    with pytest.raises(EmptyInput, match="title line and a body"):
        read_publication_file("Chỉ có tiêu đề\n".encode(), "y.md")


def test_draft_review_approve_publish_with_history(pubs: Publications) -> None:
    pid = _add(pubs)
    for action, status in (
        ("submit", "review"),
        ("return", "draft"),
        ("submit", "review"),
        ("approve", "approved"),
    ):
        assert pubs.act(HUE_EDITOR, pid, action)["status"] == status
    done = pubs.act(ADMIN, pid, "publish", url="https://hue.gov.vn/festival-2026")
    assert done["status"] == "published" and done["published_at"] and done["url"].endswith("festival-2026")
    assert [(e["actor"], e["action"]) for e in done["events"]] == [
        ("lan", "created"),
        ("lan", "submit"),
        ("lan", "return"),
        ("lan", "submit"),
        ("lan", "approve"),
        ("admin", "publish"),
    ]
    assert done["author"] == "lan" and done["unit"] == "hue"  # the real author unit, never replaced


def test_actions_that_do_not_apply_are_refused(pubs: Publications) -> None:
    pid = _add(pubs)
    with pytest.raises(NewsdeskError, match="cannot publish a publication that is draft"):
        pubs.act(HUE_EDITOR, pid, "publish")
    with pytest.raises(NewsdeskError, match="unknown action"):
        pubs.act(HUE_EDITOR, pid, "delete")
    with pytest.raises(NotFound):
        pubs.act(HUE_EDITOR, 999_999, "submit")


def test_editors_change_only_their_own_units_publications(pubs: Publications) -> None:
    pid = _add(pubs)
    with pytest.raises(Forbidden, match="belongs to unit hue"):
        pubs.edit(HANOI_EDITOR, pid, title="x", body="y")
    with pytest.raises(Forbidden):
        pubs.act(HANOI_EDITOR, pid, "submit")
    with pytest.raises(Forbidden):
        _add(pubs, HANOI_EDITOR)  # writing for Huế
    with pytest.raises(Forbidden, match="editors and administrators only"):
        _add(pubs, Actor("an", "hue", "analyst"))
    assert pubs.edit(ADMIN, pid, title="Tiêu đề mới", body="Nội dung mới")["version"] == 2


def test_versions_and_diffs(pubs: Publications) -> None:
    pid = _add(pubs)
    title, body = pubs.version_text(pid, 1)
    edited = pubs.edit(
        HUE_EDITOR, pid, title=title, body=body.replace("tám ngày", "chín ngày"), note="sửa số ngày"
    )
    assert edited["version"] == 2 and [v["version"] for v in edited["versions"]] == [1, 2]
    diff = pubs.diff(pid, 1, 2)["diff"]
    assert any(line.startswith("-") and "tám ngày" in line for line in diff)
    assert any(line.startswith("+") and "chín ngày" in line for line in diff)
    assert pubs.edit(HUE_EDITOR, pid, title=title, body=body.replace("tám ngày", "chín ngày"))["version"] == 2


def test_editing_an_approved_text_withdraws_the_approval_but_a_published_one_stays(
    pubs: Publications,
) -> None:
    pid = _add(pubs)
    pubs.act(HUE_EDITOR, pid, "submit")
    pubs.act(HUE_EDITOR, pid, "approve")
    assert pubs.edit(HUE_EDITOR, pid, title="Sửa", body="Thân bài sửa")["status"] == "draft"
    pubs.act(HUE_EDITOR, pid, "submit")
    pubs.act(HUE_EDITOR, pid, "approve")
    pubs.act(HUE_EDITOR, pid, "publish")
    corrected = pubs.edit(HUE_EDITOR, pid, title="Sửa lần hai", body="Đính chính")
    assert corrected["status"] == "published" and corrected["events"][-1]["action"] == "corrected"


def test_variants_record_their_source_version_and_go_stale(pubs: Publications) -> None:
    pid = _add(pubs, themes=["culture"])
    en = _add(pubs, path=HUE_EN, language="en", source_id=pid)
    assert pubs.get(en)["source_version"] == 1 and not pubs.get(en)["stale"]
    assert pubs.get(en)["themes"] == ["culture"]  # inherited from the source
    title, body = pubs.version_text(pid, 1)
    pubs.edit(HUE_EDITOR, pid, title=title, body=body + "\nĐoạn bổ sung.")
    assert pubs.get(en)["stale"] and pubs.get(pid)["variants"][0]["stale"]
    with pytest.raises(NewsdeskError, match="already in vi"):
        _add(pubs, language="vi", source_id=pid)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_INGEST__MIN_TEXT_CHARS", "80")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output + str(result.exception or "")
        return result

    return invoke


def _archive(tmp_path: Path) -> Path:
    """Monitored articles: a verbatim copy, three quoted paragraphs, the English variant
    reused, and another outlet's own report of the festival (not a pickup)."""
    _, body = read_publication_file(HUE.read_bytes(), "hue")
    paragraphs = body.split("\n\n")
    _, en_body = read_publication_file(HUE_EN.read_bytes(), "hue-en")
    own = (
        "Tối qua, nhiều du khách đã đến Đại Nội xem lễ khai mạc Festival Huế. "
        "Chị Lan, một du khách đến từ Hà Nội, cho biết chị rất ấn tượng với màn trình diễn ánh sáng. "
        "Theo phóng viên ghi nhận, các tuyến phố quanh kinh thành đông đúc đến khuya, "
        "nhiều quán ăn phục vụ khách tới nửa đêm."
    )
    rows = [
        {
            "id": "copy",
            "url": "https://a.example.vn/1",
            "title": "Festival Huế 2026 khai mạc",
            "text": body,
            "outlet": "Báo A",
            "published": "2026-06-13T08:00:00+07:00",
            "language": "vi",
        },
        {
            "id": "quote",
            "url": "https://b.example.vn/2",
            "title": "Cố đô vào mùa lễ hội",
            "text": own + "\n\n" + "\n\n".join(paragraphs[1:4]) + "\n\n" + own,
            "outlet": "Báo B",
            "published": "2026-06-14T08:00:00+07:00",
            "language": "vi",
        },
        {
            "id": "english",
            "url": "https://c.example.com/3",
            "title": "Hue celebrates its heritage",
            "text": "Visitors crowded the old capital this week.\n\n" + en_body,
            "outlet": "Daily C",
            "published": "2026-06-13T20:00:00+07:00",
            "language": "en",
        },
        {
            "id": "own",
            "url": "https://d.example.vn/4",
            "title": "Du khách đổ về Huế dự Festival",
            "text": own + "\n\n" + own.replace("Tối qua", "Sáng nay"),
            "outlet": "Báo D",
            "published": "2026-06-13T09:00:00+07:00",
            "language": "vi",
        },
    ]
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_cli_add_prints_the_id_and_pickup_finds_the_reuse(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("ingest", str(_archive(tmp_path)))
    created = json.loads(
        run("publications", "add", str(HUE), "--unit", "central", "--lang", "vi", "--json").stdout
    )
    pid = created["id"]
    assert isinstance(pid, int)
    plain = run(
        "publications", "add", str(HUE_EN), "--unit", "central", "--lang", "en", "--variant-of", str(pid)
    )
    assert plain.stdout.strip().isdigit()
    found = json.loads(run("pickup", str(pid), "--json").stdout)
    by_url = {row["url"]: row for row in found}
    assert set(by_url) == {"https://a.example.vn/1", "https://b.example.vn/2", "https://c.example.com/3"}
    assert by_url["https://a.example.vn/1"]["reused_share"] > 0.95
    assert by_url["https://b.example.vn/2"]["kind"] == "partial"
    assert by_url["https://c.example.com/3"]["language"] == "en"
    for row in found:
        assert {"id", "url", "outlet", "published_at", "reused_share"} <= set(row)
    assert json.loads(run("pickup", plain.stdout.strip(), "--json").stdout) == found  # same family


def test_cli_refuses_unknown_units_and_files(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert (
        "unit 'atlantis' not found"
        in run("publications", "add", str(HUE), "--unit", "atlantis", "--lang", "vi", code=1).output
    )
    assert (
        "nope.md"
        in run(
            "publications", "add", str(tmp_path / "nope.md"), "--unit", "central", "--lang", "vi", code=1
        ).output
    )


def test_cli_workflow_and_diff(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pid = run("publications", "add", str(HUE), "--unit", "hue", "--lang", "vi").stdout.strip()
    edited = tmp_path / "v2.md"
    edited.write_text(HUE.read_text(encoding="utf-8").replace("tám ngày", "chín ngày"), encoding="utf-8")
    run("publications", "edit", pid, str(edited), "--note", "sửa số ngày")
    assert "chín ngày" in run("publications", "diff", pid, "1", "2").stdout
    for action in ("submit", "approve", "publish"):
        run("publications", "act", pid, action)
    shown = json.loads(run("publications", "show", pid, "--json").stdout)
    assert shown["status"] == "published" and shown["events"][0]["actor"].startswith("cli:")
    listed = json.loads(run("publications", "list", "--unit", "hue", "--json").stdout)
    assert [p["id"] for p in listed] == [int(pid)]


def test_accounts_and_publications_share_units(any_store: Store) -> None:
    accounts = Accounts(any_store.engine)
    user, _ = accounts.add_user("lan", unit="hue", role="editor", password="long enough pw")
    pid = _add(Publications(any_store.engine), Actor.of(user))
    assert Publications(any_store.engine).get(pid)["author"] == "lan"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # one word replaced: the pair of lines is one changed line, the word marked on both sides
        (["T", "", "a b c"], ["T", "", "a x c"], [("delete", 3, None, ["b"]), ("insert", None, 3, ["x"])]),
        # a line rewritten entirely: no word is marked, the whole row is the change
        (
            ["T", "", "one two"],
            ["T", "", "nothing alike here"],
            [("delete", 3, None, []), ("insert", None, 3, [])],
        ),
        # a line added after the title
        (["T", "", "a"], ["T", "", "a", "b"], [("insert", None, 4, [])]),
    ],
)
def test_diff_rows_number_lines_and_mark_changed_words(
    old: list[str], new: list[str], expected: list[tuple[str, int | None, int | None, list[str]]]
) -> None:
    import difflib

    from newsdesk.publish.publications import diff_rows

    rows = diff_rows(list(difflib.unified_diff(old, new, "v1", "v2", lineterm="")))
    assert rows[0]["kind"] == "hunk" and all(r["kind"] != "hunk" for r in rows[1:])
    changes = [
        (r["kind"], r["old"], r["new"], [p["text"] for p in r["parts"] if p["changed"]])
        for r in rows
        if r["kind"] in ("delete", "insert")
    ]
    assert changes == expected
    context = [r for r in rows if r["kind"] == "context"]
    assert all(r["old"] is not None and r["new"] is not None for r in context)


def test_who_may_change_and_what_applies() -> None:
    from newsdesk.publish.workflow import actions_from

    assert HUE_EDITOR.may_change("hue") and not HUE_EDITOR.may_change("central")
    assert ADMIN.may_change("hue") and not Actor("v", "hue", "viewer").may_change("hue")
    assert actions_from("draft") == ("submit",) and actions_from("review") == ("return", "approve")
    assert actions_from("published") == ()


def test_listing_pages_and_counts_and_published_urls_are_checked(pubs: Publications) -> None:
    ids = [_add(pubs) for _ in range(3)]
    assert pubs.count(unit="hue") == 3 and pubs.count(unit="central") == 0
    first, rest = pubs.listing(unit="hue", limit=1), pubs.listing(unit="hue", limit=5, offset=1)
    assert [p["id"] for p in first + rest] == ids[::-1]
    for action in ("submit", "approve"):
        pubs.act(HUE_EDITOR, ids[0], action)
    with pytest.raises(NewsdeskError, match="not an http"):
        pubs.act(HUE_EDITOR, ids[0], "publish", url="javascript:alert(1)")
    assert (
        pubs.act(HUE_EDITOR, ids[0], "publish", url=" https://hue.gov.vn/a ")["url"] == "https://hue.gov.vn/a"
    )


def test_short_formats_for_each_member_of_the_family(pubs: Publications) -> None:
    pid = _add(pubs, themes=["tourism"])
    en = _add(pubs, path=HUE_EN, language="en", source_id=pid)
    family = pubs.short_formats(en)
    assert [(m["id"], f.language) for m, f in family] == [(pid, "vi"), (en, "en")]
    vi = family[0][1]
    assert vi.hashtags[:3] == ("#DuLich", "#VietNam", "#Hue") and vi.srt.startswith("1\n00:00:00,000 --> ")
    assert [m["id"] for m, _ in pubs.short_formats(pid, "en")] == [en]
    assert pubs.short_formats(pid, "fr") == []
