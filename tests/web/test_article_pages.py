"""The article page: metadata, marked text, links, and the raw input by role."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from lxml import html as lxml_html
from sqlalchemy import text

from newsdesk.store.repo import Store
from newsdesk.web.ui.article_pages import Mark, marked_text, safe_link
from tests.web import test_search_pages as shared
from tests.web.test_search_pages import select

# The search tests' workspace (spine fixtures, bulletins, a copy, a cited document), built once here too.
site, app, store, token_for = shared.site, shared.app, shared.store, shared.token_for

RICE_EXPORTS = "Xuất khẩu nông sản tăng trưởng mạnh trong quý III"


def article_id(store: Store, title_like: str) -> int:
    with store.engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM articles WHERE title LIKE :t"), {"t": title_like}).scalar()
    assert found is not None
    return int(found)


def get(client: TestClient, path: str) -> lxml_html.HtmlElement:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return lxml_html.fromstring(response.text)


def test_metadata_text_and_links(client: TestClient, store: Store) -> None:
    tree = get(client, f"/articles/{article_id(store, RICE_EXPORTS)}")
    assert tree.xpath("//h1")[0].text_content() == RICE_EXPORTS
    meta = {
        dt.text_content(): dd for dt, dd in zip(tree.xpath("//dl/dt"), tree.xpath("//dl/dd"), strict=True)
    }
    assert meta["Cơ quan báo chí"].xpath(".//a/@href") == ["/search?outlet=B%C3%A1o+V%C3%AD+D%E1%BB%A5"]
    assert meta["Ngôn ngữ"].text_content().startswith("Tiếng Việt (độ tin cậy")
    assert meta["Quốc gia"].text_content() == "Việt Nam"
    assert meta["Ngày đăng"].text_content() == "01/10/2026 07:00"  # Vietnam time
    original = tree.get_element_by_id("original-link")
    assert original.get("href") == "https://bao.example.vn/kinh-te/xuat-khau-nong-san-tang-truong.html"
    assert (original.get("rel"), original.get("target")) == ("noopener noreferrer nofollow", "_blank")
    assert tree.get_element_by_id("story-link").get("href").startswith("/stories/")
    entity = select(tree, "section.body a.entity")[0]
    assert entity.get("href").startswith("/entities/") and entity.xpath("mark/@class") == ["ent-organisation"]
    assert entity.text_content() == "Bộ Nông nghiệp và Môi trường"
    themes = select(tree, "#themes a")
    assert "/search?theme=economy_investment" in [a.get("href") for a in themes]
    assert select(tree, "section.summary p")[0].text_content()
    assert select(tree, "p.keyphrases a")[0].get("href").startswith("/search?q=%22")
    assert len(select(tree, "section.body p")) == 2  # the body's paragraphs


def test_documents_and_copies(client: TestClient, store: Store) -> None:
    with store.engine.connect() as conn:
        copy, first = conn.execute(text("SELECT id, dup_of FROM articles WHERE dup_of IS NOT NULL")).one()
    tree = get(client, f"/articles/{copy}")
    assert tree.get_element_by_id("copy-of").get("href") == f"/articles/{first}"
    assert [a.get("href") for a in select(tree, "#copies a")] == [f"/articles/{first}"]
    cited = get(client, f"/articles/{article_id(store, 'Bản tin thời sự số 2')}")
    assert [a.get("href") for a in select(cited, "#documents a")] == ["/documents/KL-57-TW-XIII"]
    assert "Kết luận 57-KL/TW" in select(cited, "#documents li")[0].text_content()


def test_analysts_see_the_raw_input_sanitised(client: TestClient, store: Store) -> None:
    page = client.get(f"/articles/{article_id(store, 'Regional leaders%')}").text
    tree = lxml_html.fromstring(page)
    assert tree.get_element_by_id("raw-download").get("href").endswith("/raw")
    original = select(tree, "#raw div.original")[0]
    assert "Hanoi" in original.text_content() and not original.xpath(".//script|.//style|.//img|.//iframe")
    assert all(a.get("rel") == "noopener noreferrer nofollow" for a in original.xpath(".//a"))
    text_raw = get(client, f"/articles/{article_id(store, 'Hội thảo về phát triển%')}")
    assert "Khánh Hoà" in select(text_raw, "#raw pre.raw")[0].text_content()  # the input as it came


def test_viewers_see_no_raw_input(login: Callable[[str], TestClient], store: Store) -> None:
    viewer = login("viewer")
    ident = article_id(store, "Regional leaders%")
    page = viewer.get(f"/articles/{ident}").text
    assert 'id="raw"' not in page and "/raw" not in page and 'class="original"' not in page
    assert viewer.get(f"/api/articles/{ident}/raw").status_code == 403


def test_unknown_article(client: TestClient) -> None:
    response = client.get("/articles/999999")
    assert response.status_code == 404 and "Không tìm thấy" in response.text


def test_marked_text_escapes_and_skips_bad_spans() -> None:
    text_ = "Ông <b>A</b> gặp Bộ Y tế."
    marks = [
        Mark(4, 12, "person", 1),
        Mark(6, 9, "place", 2),
        Mark(17, 24, "organisation", 3),
        Mark(20, 99, "x", 4),
    ]
    assert str(marked_text(text_, 0, marks)) == (
        'Ông <a href="/entities/1" class="entity"><mark class="ent-person">&lt;b&gt;A&lt;/b&gt;</mark></a>'
        " gặp "
        '<a href="/entities/3" class="entity"><mark class="ent-organisation">Bộ Y tế</mark></a>.'
    )


def test_only_web_links_are_links() -> None:
    assert safe_link("https://a.example/x") == "https://a.example/x"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.example/",
        "/local",
        None,
    ):
        assert safe_link(bad) is None
