"""Publication pages: the list, the form, one publication with its workflow, diff, variants, pickups and
short formats, for each role."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsdesk.auth import Accounts
from newsdesk.ingest.sources import iter_inputs
from newsdesk.pipeline import Ingestor
from newsdesk.publish.formats import parse_srt, parse_vtt
from newsdesk.publish.publications import Publications, read_publication_file
from newsdesk.publish.workflow import Actor
from newsdesk.settings import Settings, load_settings
from newsdesk.store.repo import Store
from newsdesk.web.app import create_app
from tests.publish.test_publications import HUE, HUE_EN, _archive
from tests.web.conftest import csrf_of

EDITOR = Actor("editor", "central", "editor")
HUE_EDITOR = Actor("hue-editor", "hue", "editor")
Login = Callable[[str], TestClient]


@pytest.fixture(scope="session", name="pickup_db")
def pickup_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four monitored articles (a copy, three quoted paragraphs, the English variant reused, another
    outlet's own report) ingested once into a SQLite file; every test works on its own copy."""
    folder = tmp_path_factory.mktemp("pickup-archive")
    url = f"sqlite:///{folder / 'archive.db'}"
    settings = load_settings(data_dir=folder / "data", database_url=url, ingest={"min_text_chars": 80})
    store = Store.open(url)
    Ingestor(store, settings).run(iter_inputs([str(_archive(folder))], settings))
    store.close()
    return folder / "archive.db"


@pytest.fixture(name="store")
def pickup_store(pickup_db: Path, tmp_path: Path) -> Iterator[Store]:
    copy = tmp_path / "archive.db"
    shutil.copyfile(pickup_db, copy)
    st = Store.open(f"sqlite:///{copy}")
    yield st
    st.close()


@pytest.fixture(name="app")
def pickup_app(store: Store, settings: Settings, accounts: Accounts) -> FastAPI:
    return create_app(store, settings, accounts)


@pytest.fixture(name="pubs")
def publications_service(store: Store) -> Publications:
    return Publications(store.engine)


def add_hue(pubs: Publications, actor: Actor = EDITOR, unit: str = "central", **kw: object) -> int:
    title, body = read_publication_file(HUE.read_bytes(), "hue")
    return pubs.add(actor, unit=unit, language="vi", title=title, body=body, **kw)  # type: ignore[arg-type]


def add_variant(pubs: Publications, source: int, actor: Actor = EDITOR, unit: str = "central") -> int:
    title, body = read_publication_file(HUE_EN.read_bytes(), "hue-en")
    return pubs.add(actor, unit=unit, language="en", title=title, body=body, source_id=source)


def section(html: str, name: str) -> str:
    return html.split(f'id="{name}"')[1].split("</section>")[0]


# ---------------------------------------------------------------- roles


def test_a_viewer_reads_everything_and_sees_no_button(login: Login, pubs: Publications) -> None:
    pid = add_hue(pubs)
    viewer = login("viewer")
    listing = viewer.get("/publications")
    assert listing.status_code == 200
    assert 'href="/publications"' in listing.text  # the nav link
    assert f'href="/publications/{pid}"' in listing.text and 'id="new-publication"' not in listing.text
    page = viewer.get(f"/publications/{pid}")
    assert page.status_code == 200 and "Festival Huế 2026" in page.text
    assert 'id="workflow"' not in page.text and 'id="edit-link"' not in page.text
    assert "/translate?lang=" not in page.text
    assert viewer.get("/publications/new").status_code == 403
    assert viewer.get(f"/publications/{pid}/edit").status_code == 403
    csrf = csrf_of(page.text)
    refused = viewer.post(f"/publications/{pid}/actions/submit", data={"csrf": csrf})
    assert refused.status_code == 403 and "Lỗi 403" in refused.text
    assert pubs.get(pid)["status"] == "draft"


def test_an_editor_writes_and_moves_their_units_text_through_the_workflow(login: Login) -> None:
    editor = login("editor")
    form = editor.get("/publications/new")
    assert form.status_code == 200 and 'name="unit"' not in form.text  # an editor writes for their unit
    assert 'value="culture_heritage"' in form.text  # the themes of the taxonomy
    csrf = csrf_of(form.text)
    data = {"csrf": csrf, "title": "Thông cáo báo chí", "body": "Đoạn một.\nĐoạn hai.", "language": "vi"}
    created = editor.post("/publications/new", data=data | {"themes": ["culture_heritage", "tourism"]})
    assert created.status_code == 303
    url = created.headers["location"]
    pid = int(url.rsplit("/", 1)[1])
    page = editor.get(url).text
    meta = section(page, "metadata")
    assert "Văn phòng trung ương" in meta and ">editor<" in meta and "Bản nháp" in meta
    assert "Di sản, văn hóa" in meta or "Văn hóa" in meta
    assert 'id="action-submit"' in page and 'id="action-approve"' not in page
    assert "/translate?lang=en" in page  # the translation pages make variants
    assert editor.post(f"/publications/{pid}/actions/submit").status_code == 403  # no CSRF token
    for action, fields in (
        ("submit", {}),
        ("approve", {"note": "Đồng ý"}),
        ("publish", {"url": "https://x.vn/a"}),
    ):
        moved = editor.post(f"/publications/{pid}/actions/{action}", data={"csrf": csrf} | fields)
        assert moved.status_code == 303, moved.text
    page = editor.get(url).text
    assert "Đã đăng" in section(page, "metadata") and 'href="https://x.vn/a"' in page
    assert 'id="workflow"' not in page  # nothing left to do
    history = section(page, "history")
    assert [unescape(a) for a in re.findall(r"<td>(Tạo bài|Gửi duyệt|Duyệt|Đăng)", history)] == [
        "Đăng",
        "Duyệt",
        "Gửi duyệt",
        "Tạo bài",
    ]
    assert "Đồng ý" in history


def test_a_refused_action_or_input_is_explained_on_the_page(login: Login, pubs: Publications) -> None:
    pid = add_hue(pubs)
    editor = login("editor")
    csrf = csrf_of(editor.get(f"/publications/{pid}").text)
    refused = editor.post(f"/publications/{pid}/actions/publish", data={"csrf": csrf})
    assert refused.status_code == 400 and "cannot publish a publication that is draft" in refused.text
    empty = editor.post("/publications/new", data={"csrf": csrf, "title": "Tiêu đề", "body": "  "})
    assert empty.status_code == 400 and "needs a title and a body" in empty.text
    assert 'value="Tiêu đề"' in empty.text  # what was typed stays


def test_a_provincial_editor_cannot_change_the_central_offices_texts(
    login: Login, pubs: Publications
) -> None:
    pid = add_hue(pubs)
    hue = login("hue-editor")
    page = hue.get(f"/publications/{pid}")
    assert page.status_code == 200 and 'id="workflow"' not in page.text and 'id="edit-link"' not in page.text
    assert hue.get(f"/publications/{pid}/edit").status_code == 403
    csrf = csrf_of(page.text)
    assert hue.post(f"/publications/{pid}/actions/submit", data={"csrf": csrf}).status_code == 403
    edit = hue.post(f"/publications/{pid}/edit", data={"csrf": csrf, "title": "x", "body": "y"})
    assert edit.status_code == 403 and pubs.get(pid)["version"] == 1
    # a unit field slipped into the form does not make the text central's
    data = {"csrf": csrf, "title": "Tin Huế", "body": "Nội dung.", "language": "vi", "unit": "central"}
    created = hue.post("/publications/new", data=data)
    own = pubs.get(int(created.headers["location"].rsplit("/", 1)[1]))
    assert (own["unit"], own["author"]) == ("hue", "hue-editor")


def test_an_administrator_writes_for_any_unit_under_their_own_name(login: Login, pubs: Publications) -> None:
    hue_text = add_hue(pubs, HUE_EDITOR, unit="hue")
    admin = login("administrator")
    form = admin.get("/publications/new").text
    assert 'name="unit"' in form and '<option value="hue"' in form
    data = {
        "csrf": csrf_of(form),
        "title": "Tin cho Huế",
        "body": "Nội dung.",
        "language": "vi",
        "unit": "hue",
    }
    created = pubs.get(int(admin.post("/publications/new", data=data).headers["location"].rsplit("/", 1)[1]))
    assert (created["unit"], created["author"]) == ("hue", "administrator")
    page = admin.get(f"/publications/{hue_text}").text
    assert 'id="action-submit"' in page and 'id="edit-link"' in page
    listed = admin.get("/publications", params={"unit": "hue"}).text
    assert listed.count('id="publication-') == 2
    assert admin.get("/publications", params={"unit": "central"}).text.count('id="publication-') == 0
    everything = admin.get(
        "/publications", params={"unit": "", "status": "", "language": ""}
    )  # the form's "all"
    assert everything.status_code == 200 and everything.text.count('id="publication-') == 2
    assert admin.get("/publications", params={"status": "draft", "language": "en"}).text.count("<tr id=") == 0
    admin.post("/lang", data={"csrf": csrf_of(form), "to": "en", "next": "/"})
    english = admin.get(f"/publications/{hue_text}").text
    assert "Publications" in english and "Submit for review" in english and "Pickup" in english


# ---------------------------------------------------------------- versions, variants


def test_an_edit_makes_a_version_the_diff_shows_it_and_the_variant_goes_stale(
    login: Login, pubs: Publications
) -> None:
    pid = add_hue(pubs)
    en = add_variant(pubs, pid)
    editor = login("editor")
    assert "Cần cập nhật" not in editor.get(f"/publications/{en}").text
    form = editor.get(f"/publications/{pid}/edit").text
    title, body = pubs.version_text(pid, 1)
    data = {
        "csrf": csrf_of(form),
        "title": title,
        "body": body.replace("tám ngày", "chín ngày"),
        "note": "số ngày",
    }
    assert editor.post(f"/publications/{pid}/edit", data=data).status_code == 303
    source = editor.get(f"/publications/{pid}").text
    assert (
        "số ngày" in section(source, "versions")
        and f'href="/publications/{pid}/diff?from=1&amp;to=2"' in source
    )
    variants = section(source, "variants")
    assert (
        f'id="variant-{en}" class="stale"' in variants
        and "phiên bản 1 (bài gốc hiện ở phiên bản 2)" in variants
    )
    assert f'href="/publications/{pid}/translate?lang=en"' in variants  # re-translate the stale variant
    assert 'class="pill stale"' in editor.get(f"/publications/{en}").text
    assert f'id="publication-{en}" class="stale"' in editor.get("/publications").text
    diff = editor.get(f"/publications/{pid}/diff", params={"from": 1, "to": 2})
    assert diff.status_code == 200
    table = diff.text.split('id="diff"')[1]
    assert "<del>tám</del>" in table and "<ins>chín</ins>" in table
    assert '<tr class="delete">' in table and '<tr class="insert">' in table
    assert "Hai phiên bản giống nhau" in editor.get(f"/publications/{pid}/diff?from=2&to=2").text
    assert editor.get(f"/publications/{pid}/diff?from=1&to=9").status_code == 404


# ---------------------------------------------------------------- short formats


def test_short_formats_per_network_and_subtitle_downloads(login: Login, pubs: Publications) -> None:
    pid = add_hue(pubs, themes=["culture_heritage.festivals_crafts"])
    add_variant(pubs, pid)
    viewer = login("viewer")
    page = viewer.get(f"/publications/{pid}/short")
    assert page.status_code == 200
    html = page.text
    assert 'id="lang-vi"' in html and 'id="lang-en"' in html
    assert 'id="post-vi-x"' in html and 'id="post-en-zalo_oa"' in html
    assert html.count("<textarea readonly") >= 2 * (11 + 5)
    assert "#LeHoi" in html and "#Festivals" in html and "#VietNam" in html
    assert re.search(r"\d+ / giới hạn 280", html)
    srt = viewer.get(f"/publications/{pid}/short.srt")
    assert srt.status_code == 200 and srt.headers["content-type"].startswith("application/x-subrip")
    assert "attachment" in srt.headers["content-disposition"]
    cues = parse_srt(srt.text)
    assert cues and cues[0].start_ms == 0 and "Festival Huế" in cues[0].text
    vtt = viewer.get(f"/publications/{pid}/short.vtt", params={"lang": "en"})
    assert vtt.text.startswith("WEBVTT") and vtt.headers["content-type"].startswith("text/vtt")
    assert parse_vtt(vtt.text)
    assert viewer.get(f"/publications/{pid}/short.vtt", params={"lang": "fr"}).status_code == 404
    assert viewer.get(f"/publications/{pid}/short.pdf").status_code == 422


# ---------------------------------------------------------------- pickup


def test_the_pickup_panel_lists_the_articles_that_reuse_the_text(login: Login, pubs: Publications) -> None:
    pid = add_hue(pubs)
    add_variant(pubs, pid)
    page = login("viewer").get(f"/publications/{pid}").text
    panel = section(page, "pickups")
    outlets = re.findall(r'<a href="/articles/(\d+)">([^<]+)</a>', panel)
    assert {name for _, name in outlets} == {"Báo A", "Báo B", "Daily C"}  # not Báo D's own report
    row_b = panel.split(">Báo B<")[1].split("</tr>")[0]
    assert "Trích một phần" in row_b
    assert re.search(r"<td class=\"num\">\d+\s?%</td>", panel)
    assert panel.count("<mark>") >= 3  # the reused passages
    assert 'href="https://b.example.vn/2"' in panel and 'rel="noopener noreferrer nofollow"' in panel


# ---------------------------------------------------------------- escaping


def test_markup_in_a_publication_is_shown_as_text(login: Login, pubs: Publications) -> None:
    title = "<script>alert('t')</script> Tiêu đề"
    body = "Đoạn <img src=x onerror=alert(1)> một.\n<script>alert('b')</script>"
    pid = pubs.add(EDITOR, unit="central", language="vi", title=title, body=body)
    pubs.edit(EDITOR, pid, title=title, body=body + "\n<b>thêm</b>", note="<i>ghi chú</i>")
    editor = login("editor")
    for path in ("", "/short", "/diff?from=1&to=2", "/edit"):
        html = editor.get(f"/publications/{pid}{path}").text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>thêm" not in html, path
        assert "&lt;script&gt;" in html, path
    assert "<script>alert" not in editor.get("/publications").text
    assert "<script>" not in editor.get(f"/publications/{pid}/short.vtt").text  # WebVTT escapes < >


# ---------------------------------------------------------------- overlap with other units


def test_other_units_publications_of_the_same_text_are_flagged(login: Login, pubs: Publications) -> None:
    hue_text = add_hue(pubs, HUE_EDITOR, unit="hue")
    for action in ("submit", "approve", "publish"):
        pubs.act(HUE_EDITOR, hue_text, action)
    central = add_hue(pubs)
    page = login("viewer").get(f"/publications/{central}").text
    warning = section(page, "overlaps")
    assert f'href="/publications/{hue_text}"' in warning and "Huế" in warning and "Đã đăng" in warning
    assert re.search(r'class="pill"[^>]*>100\s?%', warning)
    assert (
        'id="overlaps"' not in login("viewer").get(f"/publications/{hue_text}").text
    )  # central's is a draft
