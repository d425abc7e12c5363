"""/glossary, /memory, the translate screen, and their API: roles, CSRF, imports, saving a translation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from newsdesk.publish.library import GlossaryStore, MemoryStore
from newsdesk.publish.publications import Publications
from newsdesk.publish.workflow import Actor
from newsdesk.store.repo import Store
from newsdesk.translate import TranslationUnit, export_tmx
from tests.translate.conftest import STEERING_EN, STEERING_VI, STEERING_WRONG, sample_entries
from tests.web.conftest import csrf_of

ADMIN = Actor("administrator", "central", "administrator")
TITLE = "Bộ Ngoại giao ủng hộ hòa bình"
BODY = f"{STEERING_VI} họp tại Hà Nội. Bộ Ngoại giao ủng hộ hòa bình.\n\nXin chào."
GOOD = [f"The {STEERING_EN} met in Hanoi.", "The Ministry of Foreign Affairs supports peace.", "Hello."]
GOOD_TITLE = "Ministry of Foreign Affairs supports peace"
CSV = "vi,en,status\nBộ Y tế,Ministry of Health,\n,,\nBộ Công an,Ministry of Public Security,maybe\n"


@pytest.fixture
def glossary(store: Store) -> GlossaryStore:
    library = GlossaryStore(store.engine)
    for entry in sample_entries():
        library.add(ADMIN, entry)
    return library


@pytest.fixture
def pid(store: Store, glossary: GlossaryStore) -> int:
    editor = Actor("editor", "central", "editor")
    return Publications(store.engine).add(editor, unit="central", language="vi", title=TITLE, body=BODY)


def _csrf(client: TestClient, path: str = "/glossary") -> str:
    return csrf_of(client.get(path).text)


def _entry_id(html: str, text: str) -> int:
    row = next(r for r in html.split('<tr id="entry-')[1:] if text in r)
    return int(row.split('"', 1)[0])


# --- glossary pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_viewers_and_analysts_read_only(
    login: Callable[[str], TestClient], glossary: GlossaryStore, role: str
) -> None:
    client = login(role)
    html = client.get("/glossary").text
    assert STEERING_VI in html and 'method="post" action="/glossary"' not in html and "/edit" not in html
    assert 'href="/glossary"' in client.get("/").text, "the navigation links the glossary"
    csrf = _csrf(client)
    entry_id = glossary.entries()[0].id
    for path in ("/glossary", f"/glossary/{entry_id}", f"/glossary/{entry_id}/delete"):
        assert client.post(path, data={"csrf": csrf, "term_vi": "x", "term_en": "y"}).status_code == 403
    assert client.get(f"/glossary/{entry_id}/edit").status_code == 403
    upload = {"file": ("terms.csv", CSV.encode(), "text/csv")}
    assert client.post("/glossary/import", data={"csrf": csrf}, files=upload).status_code == 403
    assert len(glossary.entries()) == 6


def test_search_filters_and_downloads(client: TestClient, glossary: GlossaryStore) -> None:
    html = client.get("/glossary", params={"q": "bo ngoai giao"}).text
    assert "Bộ Ngoại giao" in html and STEERING_VI not in html and "1 mục" in html
    proposed = client.get("/glossary", params={"status": "proposed"}).text
    assert "Thông tấn xã Việt Nam" in proposed and "Bộ Ngoại giao" not in proposed
    assert "Đối ngoại" in client.get("/glossary", params={"domain": "Đối ngoại"}).text
    csv = client.get("/glossary.csv")
    assert csv.headers["content-type"].startswith("text/csv") and csv.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv.headers["content-disposition"]
    assert STEERING_WRONG.encode() in client.get("/glossary.tbx").content


def test_editors_propose_and_administrators_approve(
    login: Callable[[str], TestClient], glossary: GlossaryStore
) -> None:
    editor = login("editor")
    form = {
        "csrf": _csrf(editor),
        "term_vi": "Cổng thông tin",
        "term_en": "portal",
        "forbidden_en": "gate | door",
    }
    added = editor.post("/glossary", data=form | {"status": "approved"})
    assert added.status_code == 303 and added.headers["location"].startswith("/glossary?done=added#entry-")
    html = editor.get(added.headers["location"]).text
    assert "Đã thêm thuật ngữ." in html
    entry_id = _entry_id(html, "Cổng thông tin")
    assert glossary.get(entry_id).entry.status.value == "proposed", "editors only propose"
    assert "<del" in html.split(f'id="entry-{entry_id}"')[1].split("</tr>")[0]
    assert editor.get(f"/glossary/{entry_id}/edit").status_code == 200
    edited = editor.post(f"/glossary/{entry_id}", data=form | {"term_en": "web portal"})
    assert edited.status_code == 303 and glossary.get(entry_id).entry.preferred("en").text == "web portal"  # type: ignore[union-attr]
    assert editor.post(f"/glossary/{entry_id}/approve", data={"csrf": form["csrf"]}).status_code == 403
    admin = login("administrator")
    assert admin.post(f"/glossary/{entry_id}/approve", data={"csrf": _csrf(admin)}).status_code == 303
    assert glossary.get(entry_id).entry.status.value == "approved"
    assert editor.get(f"/glossary/{entry_id}/edit").status_code == 403
    assert editor.post(f"/glossary/{entry_id}/delete", data={"csrf": form["csrf"]}).status_code == 403
    assert admin.post(f"/glossary/{entry_id}/delete", data={"csrf": _csrf(admin)}).status_code == 303


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"term_vi": "bộ ngoại giao", "term_en": "Foreign Ministry"}, 409, "already the concept of entry"),
        ({"admitted_en": "orphan"}, 400, "preferred term"),
        ({"term_vi": "x", "extra_lang": "eng", "extra_term": "y"}, 400, "ISO 639-1"),
    ],
)
def test_refused_entries_say_why_and_keep_the_form(
    login: Callable[[str], TestClient],
    glossary: GlossaryStore,
    fields: dict[str, str],
    status: int,
    message: str,
) -> None:
    admin = login("administrator")
    answer = admin.post("/glossary", data={"csrf": _csrf(admin)} | fields)
    assert answer.status_code == status and message in answer.text
    assert all(f'value="{value}"' in answer.text for value in fields.values())


def test_forms_need_the_csrf_token(
    login: Callable[[str], TestClient], glossary: GlossaryStore, pid: int
) -> None:
    admin = login("administrator")
    entry_id = glossary.entries()[0].id
    assert admin.post("/glossary", data={"term_vi": "x", "term_en": "y"}).status_code == 403
    assert admin.post(f"/glossary/{entry_id}/delete").status_code == 403
    upload = {"file": ("terms.csv", CSV.encode(), "text/csv")}
    assert admin.post("/glossary/import", files=upload).status_code == 403
    assert admin.post("/memory/import", files={"file": ("m.tmx", b"<tmx/>", "text/xml")}).status_code == 403
    saved = admin.post(f"/publications/{pid}/translate?lang=en", data={"title": "T", "segment": GOOD})
    assert saved.status_code == 403
    assert len(glossary.entries()) == 6 and not Publications(glossary.engine).get(pid)["variants"]


def test_import_reports_counts_and_bad_rows(
    login: Callable[[str], TestClient], glossary: GlossaryStore
) -> None:
    admin = login("administrator")
    upload = {"file": ("terms.csv", CSV.encode(), "text/csv")}
    html = admin.post("/glossary/import", data={"csrf": _csrf(admin)}, files=upload).text
    assert "terms.csv: thêm 1, cập nhật 0, không đổi 0, bị từ chối 1." in html
    assert "<code>terms.csv:4</code>" in html and "unknown status" in html
    broken = {"file": ("terms.csv", b"vi,colour\nx,y\n", "text/csv")}
    refused = admin.post("/glossary/import", data={"csrf": _csrf(admin)}, files=broken)
    assert refused.status_code == 400 and "unknown column" in refused.text


# --- memory page ----------------------------------------------------------------------------------


def test_memory_lookup_import_and_export(login: Callable[[str], TestClient], store: Store) -> None:
    MemoryStore(store.engine).add([TranslationUnit("vi", "en", "Xin chào các bạn.", "Hello, friends.")])
    viewer = login("viewer")
    html = viewer.get("/memory", params={"q": "Xin chào các bạn!"}).text
    assert 'id="pair-vi-en"' in html and "Hello, friends." in html and 'action="/memory/import"' not in html
    assert re.search(r'<td class="num score">(9\d|8\d|7\d),\d%</td>', html), "a fuzzy score with its decimal"
    assert "100%" in viewer.get("/memory", params={"q": "Xin chào các bạn."}).text
    assert 'id="no-matches"' in viewer.get("/memory", params={"q": "Hoàn toàn khác"}).text
    assert viewer.post("/memory/import", data={"csrf": _csrf(viewer, "/memory")}).status_code == 403
    editor = login("editor")
    tmx = export_tmx([TranslationUnit("vi", "fr", "Xin chào.", "Bonjour.")])
    upload = {"file": ("old.tmx", tmx, "application/xml")}
    imported = editor.post("/memory/import", data={"csrf": _csrf(editor, "/memory")}, files=upload).text
    assert "old.tmx: thêm 1" in imported and 'id="pair-vi-fr"' in imported
    assert b"Bonjour." in viewer.get("/memory.tmx").content


# --- translate screen -----------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "status"), [("viewer", 403), ("analyst", 403), ("hue-editor", 403)])
def test_only_the_units_editors_translate(
    login: Callable[[str], TestClient], pid: int, user: str, status: int
) -> None:
    assert login(user).get(f"/publications/{pid}/translate?lang=en").status_code == status


def test_the_translate_screen_without_an_engine(login: Callable[[str], TestClient], pid: int) -> None:
    html = login("editor").get(f"/publications/{pid}/translate?lang=en").text
    assert 'id="engine-banner"' in html and "Chưa cấu hình công cụ dịch máy" in html
    assert html.count('<textarea name="segment"') == 3 and f'<b lang="en">{STEERING_EN}</b>' in html
    assert STEERING_WRONG in html, "the forbidden variant is shown as such"
    assert login("administrator").get(f"/publications/{pid}/translate?lang=xx1").status_code == 422


def test_saving_shows_violations_links_the_variant_and_teaches_the_memory(
    login: Callable[[str], TestClient], pid: int, store: Store
) -> None:
    editor = login("editor")
    path = f"/publications/{pid}/translate?lang=en"
    wrong = [GOOD[0].replace(STEERING_EN, STEERING_WRONG), *GOOD[1:]]
    saved = editor.post(path, data={"csrf": _csrf(editor, path), "title": GOOD_TITLE, "segment": wrong})
    assert saved.status_code == 201
    variant_id = Publications(store.engine).get(pid)["variants"][0]["id"]
    assert f'href="/publications/{variant_id}" id="variant-link"' in saved.text
    assert f"Dùng biến thể không được phép «{STEERING_WRONG}»" in saved.text
    assert "Bộ nhớ dịch đã học thêm 4 cặp câu." in saved.text
    again = editor.get(path).text
    rows = again.split('<tr id="segment-')[1:]
    assert [re.findall(r'<span class="score">([^<]+)</span>', row)[0] for row in rows] == ["100%"] * 3
    assert f">{wrong[0]}</textarea>" in again and 'id="existing-variant"' in again
    fixed = editor.post(path, data={"csrf": _csrf(editor, path), "title": GOOD_TITLE, "segment": GOOD})
    assert fixed.status_code == 200 and 'id="no-violations"' in fixed.text
    assert Publications(store.engine).get(variant_id)["version"] == 2


# --- API ------------------------------------------------------------------------------------------


def test_api_glossary_crud_import_export(
    anonymous: TestClient, glossary: GlossaryStore, token_for: Callable[[str], dict[str, str]]
) -> None:
    viewer, editor, admin = (token_for(u) for u in ("viewer", "editor", "administrator"))
    first = anonymous.get("/api/glossary", params={"page_size": 2, "q": "ban chi dao"}, headers=viewer).json()
    assert set(first) == {"total", "page", "page_size", "results"} and first["total"] == 2
    body = {"terms": [{"lang": "vi", "text": "Bộ Y tế"}, {"lang": "en", "text": "Ministry of Health"}]}
    refused = anonymous.post("/api/glossary", json=body, headers=viewer)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    made = anonymous.post("/api/glossary", json=body, headers=editor)
    assert made.status_code == 201 and made.json()["status"] == "proposed"
    entry_id = made.json()["id"]
    assert anonymous.post("/api/glossary", json=body, headers=admin).json()["error"]["code"] == "conflict"
    changed = body | {"domain": "Y tế"}
    assert anonymous.put(f"/api/glossary/{entry_id}", json=changed, headers=editor).json()["domain"] == "Y tế"
    approved = anonymous.post(f"/api/glossary/{entry_id}/approve", headers=admin).json()
    assert approved["status"] == "approved"
    assert anonymous.delete(f"/api/glossary/{entry_id}", headers=editor).status_code == 403
    assert anonymous.delete(f"/api/glossary/{entry_id}", headers=admin).json()["id"] == entry_id
    assert anonymous.get(f"/api/glossary/{entry_id}", headers=viewer).json()["error"]["status"] == 404
    tbx = anonymous.get("/api/glossary/export", params={"format": "tbx"}, headers=viewer)
    assert tbx.headers["content-type"] == "application/x-tbx+xml" and STEERING_VI.encode() in tbx.content
    upload = {"file": ("terms.csv", CSV.encode(), "text/csv")}
    report = anonymous.post("/api/glossary/import", files=upload, headers=admin).json()
    assert (report["added"], [r["where"] for r in report["rejected"]]) == (1, ["terms.csv:4"])
    invalid = anonymous.post("/api/glossary", json={"terms": []}, headers=admin)
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid_request"


def test_api_memory_and_translation(
    anonymous: TestClient, pid: int, token_for: Callable[[str], dict[str, str]]
) -> None:
    editor, viewer = token_for("editor"), token_for("viewer")
    path = f"/api/publications/{pid}/translation"
    job = anonymous.get(path, params={"lang": "en"}, headers=editor).json()
    assert (
        job["manual"]
        and len(job["segments"]) == 3
        and job["segments"][0]["terms"][0]["target"] == STEERING_EN
    )
    assert anonymous.get(path, params={"lang": "en"}, headers=viewer).status_code == 403
    saved = anonymous.post(
        path, params={"lang": "en"}, json={"title": GOOD_TITLE, "segments": GOOD}, headers=editor
    )
    assert saved.status_code == 200 and saved.json()["violations"] == [] and saved.json()["memory_added"] == 4
    variant = saved.json()["variant_id"]
    assert (
        anonymous.get(
            f"/api/publications/{variant}/translation", params={"lang": "fr"}, headers=editor
        ).json()["error"]["code"]
        == "bad_request"
    )
    memory = anonymous.get(
        "/api/memory", params={"q": GOOD[2], "src": "en", "tgt": "vi"}, headers=viewer
    ).json()
    assert memory["size"] == 4 and memory["matches"][0] == {
        "score": 100.0,
        "source": "Hello.",
        "target": "Xin chào.",
        "origin": f"publication:{pid}",
    }
    tmx = anonymous.get("/api/memory/export", headers=viewer)
    assert tmx.headers["content-type"] == "application/x-tmx+xml"
    again = anonymous.post(
        "/api/memory/import", files={"file": ("m.tmx", tmx.content)}, headers=editor
    ).json()
    assert (again["added"], again["unchanged"]) == (0, 4)
    bad = anonymous.post("/api/memory/import", files={"file": ("m.tmx", b"<tmx")}, headers=editor)
    assert bad.status_code == 400 and "m.tmx" in bad.json()["error"]["message"]


def test_the_pages_messages_exist_in_both_languages() -> None:
    from newsdesk.web.ui.i18n import messages
    from newsdesk.web.ui.render import TEMPLATES

    names = ("glossary", "glossary_entry", "glossary_macros", "memory", "translate", "translate_saved")
    used = {
        k
        for n in names
        for k in re.findall(r"\bt\('([a-z_.0-9]+)'[,)]", (TEMPLATES / f"{n}.html").read_text())
    }
    used |= {f"glossary.done.{d}" for d in ("added", "updated", "deleted", "approved")}
    used |= {"nav.glossary", "translate.saved_new", "translate.saved_version", "translate.no_engine"}
    used |= {
        "translate.engine_failed",
        "translate.machine",
        "translate.forbidden_term",
        "translate.missing_term",
    }
    assert {k for k in used if set(messages().get(k, {})) != {"vi", "en"}} == set()


def test_pages_in_english(login: Callable[[str], TestClient], glossary: GlossaryStore, pid: int) -> None:
    admin = login("administrator")
    admin.post("/lang", data={"csrf": _csrf(admin), "to": "en", "next": "/glossary"})
    assert "Add a term" in admin.get("/glossary").text
    assert "Translation memory" in admin.get("/memory").text
    assert "No translation engine is configured" in admin.get(f"/publications/{pid}/translate?lang=fr").text
