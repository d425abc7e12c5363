"""The search page and API: facets, every filter of the URL contract, highlighting, paging,
saved queries, CSV export, and who may do what."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import html as lxml_html
from sqlalchemy import text

from newsdesk.auth import ROLES, Accounts
from newsdesk.ingest.sources import iter_inputs
from newsdesk.model import Article, FetchSection, LangSection, RawItem, TextSection
from newsdesk.pipeline import Ingestor
from newsdesk.settings import load_settings
from newsdesk.store.repo import BatchEntry, Store
from newsdesk.web.app import create_app
from tests.conftest import FIXTURES
from tests.web.conftest import PASSWORD, csrf_of

T0 = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


def _bulletin(i: int) -> BatchEntry:
    title = f"=Bản tin thời sự số {i}" if i == 0 else f"Bản tin thời sự số {i}"
    body = f"Bản tin tổng hợp số {i} về hoạt động đối ngoại của Hà Nội trong ngày, kèm các sự kiện nổi bật."
    url = f"https://tin.example.vn/ban-tin-{i}"
    raw = RawItem(origin=f"bulletin{i}.txt", kind="text", body=f"{title}\n{body}".encode(), url=url)
    article = Article(
        key=f"url:{url}",
        fetch=FetchSection(origin=raw.origin, kind="text", url=url),
        text=TextSection(title=title, body=body, outlet="Thông tấn", published=T0 + timedelta(hours=6 * i)),
        lang=LangSection("vi", 0.99),
        sections={"themes": [{"id": "diplomacy", "score": 0.7}], "documents": [KL57] if i == 2 else []},
    )
    return BatchEntry(raw, article)


KL57 = {
    "id": "KL-57-TW-XIII", "base_id": "KL-57-TW", "type": "KL", "type_name_vi": "Kết luận",
    "type_name_en": "Conclusion", "number": "57", "issuer": "TW", "code": "57-KL/TW", "year": 2023,
    "date": None, "term": "XIII", "title": None, "surface": "Kết luận 57-KL/TW", "mentions": 2,
    "spans": [[0, 4]],
}  # fmt: skip


BULLETINS = 45


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Accounts, FastAPI]]:
    """One workspace for the module (these tests only read, or undo what they write): the spine
    fixtures plus 45 bulletins, a day for every four of them, so results run to three pages."""
    from argon2 import PasswordHasher

    import newsdesk.auth.accounts as accounts_module

    root = tmp_path_factory.mktemp("search-site")
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("NEWSDESK_") and k != "NEWSDESK_SHARED"]:
            patch.delenv(key)
        patch.chdir(root)
        patch.setattr(
            accounts_module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        settings = load_settings(data_dir=root / "data", ingest={"min_text_chars": 80}, fetch={"retries": 0})
        store = Store.open(settings.resolved_database_url)
        accounts = Accounts(store.engine, settings.auth)
        for role in ROLES:
            accounts.add_user(role, unit="central", role=role, password=PASSWORD)
        Ingestor(store, settings).run(iter_inputs([str(FIXTURES / "spine")], settings))
        written = store.write_batch([_bulletin(i) for i in range(BULLETINS)])
        assert written.ingested == BULLETINS
        first, copy = written.article_ids[:2]  # bulletin 1 is a copy of bulletin 0
        with store.engine.begin() as conn:
            conn.execute(
                text("UPDATE articles SET dup_group = :g WHERE id IN (:g, :c)"), {"g": first, "c": copy}
            )
            conn.execute(
                text("UPDATE articles SET dup_of = :g, dup_kind = 'exact' WHERE id = :c"),
                {"g": first, "c": copy},
            )
        yield store, accounts, create_app(store, settings, accounts)
    store.close()


@pytest.fixture
def store(site: tuple[Store, Accounts, FastAPI]) -> Store:
    return site[0]


@pytest.fixture
def app(site: tuple[Store, Accounts, FastAPI]) -> FastAPI:
    return site[2]


@pytest.fixture
def token_for(site: tuple[Store, Accounts, FastAPI]) -> Callable[[str], dict[str, str]]:
    accounts = site[1]

    def make(username: str) -> dict[str, str]:
        token, _ = accounts.create_token(accounts.user(username), "tests")
        return {"Authorization": f"Bearer {token}"}

    return make


_PART = re.compile(r"([\w-]*)(.*)")
_TESTS = re.compile(r"\.([\w-]+)|#([\w-]+)|\[([\w-]+)=([\w-]+)\]")


def select(tree: lxml_html.HtmlElement, css: str) -> list[lxml_html.HtmlElement]:
    """The few CSS selectors these tests use (``tag.class#id[attr=value]``, descendants) as XPath."""
    steps = []
    for part in css.split():
        tag, rest = _PART.fullmatch(part).groups()  # type: ignore[union-attr]
        tests = []
        for cls, ident, attr, value in _TESTS.findall(rest):
            if cls:
                tests.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')")
            elif ident:
                tests.append(f"@id='{ident}'")
            else:
                tests.append(f"@{attr}='{value}'")
        steps.append((tag or "*") + "".join(f"[{t}]" for t in tests))
    return list(tree.xpath("//" + "//".join(steps)))


def page(client: TestClient, **params: object) -> lxml_html.HtmlElement:
    response = client.get("/search", params=params)
    assert response.status_code == 200, response.text
    return lxml_html.fromstring(response.text)


def total_of(tree: lxml_html.HtmlElement) -> int:
    return int(tree.get_element_by_id("total").text_content().replace(".", "").replace(",", ""))


def titles(tree: lxml_html.HtmlElement) -> list[str]:
    return [a.text_content() for a in select(tree, "article.hit h3 a")]


def facet_links(tree: lxml_html.HtmlElement, name: str) -> dict[str, str]:
    return {a.text_content(): a.get("href") for a in select(tree, f"#facet-{name} a")}


def params_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


# --- the page ----------------------------------------------------------------------------------


def test_accent_insensitive_search_with_highlights(client: TestClient) -> None:
    tree = page(client, q="khanh hoa")
    assert total_of(tree) == 1 and "Khánh Hòa" in titles(tree)[0]
    marks = [m.text_content() for m in select(tree, "article.hit mark")]
    assert "Khánh" in marks and "Hòa" in marks
    assert select(page(client, q="Khánh Hoà"), "article.hit h3 a")[0].get("href") == "/articles/5"


def test_highlight_escapes_first_then_marks() -> None:
    from newsdesk.web.ui.search_pages import highlight

    assert str(highlight("<b>Hà Nội</b> & hà nội", "ha noi")) == (
        "&lt;b&gt;<mark>Hà</mark> <mark>Nội</mark>&lt;/b&gt; &amp; <mark>hà</mark> <mark>nội</mark>"
    )
    assert str(highlight("chuyển đổi số, chuyên gia", "chuyen*")) == (
        "<mark>chuyển</mark> đổi số, <mark>chuyên</mark> gia"
    )
    assert str(highlight("a <script>", "")) == "a &lt;script&gt;"


def test_facets_link_to_the_same_search_with_one_filter_more(client: TestClient) -> None:
    tree = page(client, q="hoi thao")
    assert total_of(tree) == 2
    languages = facet_links(tree, "language")
    assert list(languages) == ["Tiếng Việt"]
    themes = facet_links(tree, "theme")
    assert "Du lịch" in themes
    narrowed = page(client, **{k: v[0] for k, v in params_of(themes["Du lịch"]).items()})
    assert params_of(themes["Du lịch"]) == {"q": ["hoi thao"], "theme": ["tourism"]}
    assert total_of(narrowed) == 1
    active = select(narrowed, "#facet-theme li.active a")
    assert [a.text_content() for a in active] == ["Du lịch"]
    assert params_of(active[0].get("href")) == {"q": ["hoi thao"]}  # clicking it again removes it
    chip = select(narrowed, "ul.chips a.remove")
    assert [params_of(a.get("href")) for a in chip] == [{"q": ["hoi thao"]}]


def test_entity_and_place_facets(client: TestClient) -> None:
    tree = page(client)
    entities = {a.text_content(): a.get("href") for a in select(tree, "#facet-entity a")}
    assert "Khánh Hòa" in entities
    assert select(tree, "#facet-entity mark.ent-place")
    narrowed = page(client, **{k: v[0] for k, v in params_of(entities["Khánh Hòa"]).items()})
    assert titles(narrowed) == ["Hội thảo về phát triển du lịch bền vững ở tỉnh Khánh Hòa"]
    chips = [li.text_content() for li in select(narrowed, "ul.chips li.pill")]
    assert len(chips) == 1 and "Khánh Hòa" in chips[0]
    country = facet_links(tree, "country")
    assert list(country) == ["Việt Nam"] and params_of(country["Việt Nam"]) == {"country": ["VN"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"language": "en"}, 2),
        ({"outlet": "Báo Ví Dụ"}, 1),
        ({"country": "vn"}, 1 + BULLETINS),
        ({"theme": "culture_heritage"}, 2),
        ({"date_from": "2026-10-01", "date_to": "2026-10-01"}, 1),  # a Vietnam day, inclusive
        ({"date_from": "2026-10-02", "date_to": "2026-10-31"}, 2),  # Oct 1 17:00 UTC is the 2nd in Vietnam
        ({"date_to": "2026-10-01T23:59:59+07:00"}, 1),
        ({"q": "hanoi", "language": "en"}, 1),
        ({"order": "date"}, 5 + BULLETINS),
    ],
)
def test_every_filter_on_page_and_api(client: TestClient, params: dict[str, str], expected: int) -> None:
    assert total_of(page(client, **params)) == expected
    assert client.get("/api/search", params=params).json()["total"] == expected


def test_id_filters_from_other_pages(client: TestClient, store: Store) -> None:
    with store.engine.connect() as conn:
        entity = conn.execute(text("SELECT entity_id FROM article_entities WHERE article_id = 5")).scalar()
        story = conn.execute(text("SELECT story_id FROM articles WHERE id = 4")).scalar()
    for params, ids in (({"entity": entity}, {5}), ({"story": story}, {4}), ({"document": "NOPE-1"}, set())):
        tree = page(client, **params)
        assert {int(a.get("href").rsplit("/", 1)[1]) for a in select(tree, "article.hit h3 a")} == ids
        assert {r["id"] for r in client.get("/api/search", params=params).json()["results"]} == ids


def test_date_histogram_bars_narrow_to_their_day(client: TestClient) -> None:
    tree = page(client, language="en")
    bars = select(tree, "svg.chart a")
    hrefs = [params_of(a.get("href")) for a in bars]
    assert hrefs[0] == {"language": ["en"], "date_from": ["2026-10-02"], "date_to": ["2026-10-02"]}
    assert len(bars) == 13  # Oct 2 … Oct 14, empty days included
    day = page(client, **{k: v[0] for k, v in hrefs[0].items()})
    assert titles(day) == ["Vietnam's rice exports reach record high"]


def test_paging_and_order(client: TestClient) -> None:
    first = page(client, q="ban tin", order="date")
    assert total_of(first) == BULLETINS and len(titles(first)) == 20
    assert titles(first)[0] == "Bản tin thời sự số 44"
    following = select(first, "nav.pager a[rel=next]")[0].get("href")
    assert params_of(following) == {"q": ["ban tin"], "order": ["date"], "page": ["2"]}
    second = page(client, q="ban tin", order="date", page=3)
    assert len(titles(second)) == 5 and not select(second, "nav.pager a[rel=next]")
    assert select(second, "nav.pager a[rel=prev]")


def test_bad_parameters(client: TestClient) -> None:
    assert client.get("/search", params={"date_from": "yesterday"}).status_code == 422
    api = client.get("/api/search", params={"date_to": "2026-13-01"})
    assert api.status_code == 422 and "date_to" in api.json()["error"]["message"]
    assert client.get("/search", params={"entity": "x"}).status_code == 422


# --- saved queries -----------------------------------------------------------------------------


def test_save_list_open_and_delete_a_query(client: TestClient, login: Callable[[str], TestClient]) -> None:
    html = client.get("/search", params={"q": "hoi thao", "language": "vi"}).text
    form = select(lxml_html.fromstring(html), "form.save-query")[0]
    fields = {i.get("name"): i.get("value") for i in select(form, "input[type=hidden]")}
    assert fields["q"] == "hoi thao" and fields["language"] == "vi"
    saved = client.post("/search/saved", data=fields | {"name": "Hội thảo"})
    assert saved.status_code == 303 and params_of(saved.headers["location"]) == {
        "q": ["hoi thao"],
        "language": ["vi"],
    }
    tree = page(client)
    link = select(tree, "#saved a")[0]
    assert link.text_content() == "Hội thảo"
    assert total_of(page(client, **{k: v[0] for k, v in params_of(link.get("href")).items()})) == 2
    assert "Hội thảo" in client.get("/account").text  # the account page lists them too
    other = login("viewer")
    other_csrf = csrf_of(other.get("/search").text)
    query_id = re.search(r"/search/saved/(\d+)/delete", client.get("/search").text).group(1)  # type: ignore[union-attr]
    assert other.post(f"/search/saved/{query_id}/delete", data={"csrf": other_csrf}).status_code == 404
    deleted = client.post(
        f"/search/saved/{query_id}/delete", data={"csrf": fields["csrf"], "next": "/search"}
    )
    assert deleted.status_code == 303 and deleted.headers["location"] == "/search"
    assert not select(page(client), "#saved a")


def test_saving_needs_the_csrf_token_and_a_name(client: TestClient) -> None:
    assert client.post("/search/saved", data={"name": "x", "q": "a"}).status_code == 403
    csrf = csrf_of(client.get("/search").text)
    assert client.post("/search/saved", data={"name": " ", "q": "a", "csrf": csrf}).status_code == 400
    assert client.post("/search/saved/1/delete", data={"next": "/"}).status_code == 403


def test_a_viewer_saves_queries_too(login: Callable[[str], TestClient]) -> None:
    viewer = login("viewer")
    csrf = csrf_of(viewer.get("/search").text)
    assert viewer.post("/search/saved", data={"name": "v", "q": "gao", "csrf": csrf}).status_code == 303


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_every_result(client: TestClient) -> None:
    response = client.get("/search.csv", params={"q": "ban tin"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert (
        response.content.split(b"\r\n")[0]
        == b"\xef\xbb\xbfid,published_at,outlet,language,country,title,url,story_id,themes"
    )
    rows = read_csv(response.content)
    assert len(rows) == BULLETINS  # all of them, not a page
    assert rows[0]["title"] == "Bản tin thời sự số 44" and rows[0]["country"] == "VN"
    assert rows[0]["themes"] == "diplomacy" and rows[0]["url"] == "https://tin.example.vn/ban-tin-44"
    assert rows[-1]["title"] == "'=Bản tin thời sự số 0"  # a formula is shown as text
    assert rows[0]["published_at"] == "2026-11-12T01:00:00+00:00"


def test_csv_filters_and_empty_result(client: TestClient) -> None:
    rows = read_csv(client.get("/search.csv", params={"language": "en"}).content)
    assert sorted(r["title"] for r in rows) == [
        "Regional leaders meet in Hanoi on climate resilience",
        "Vietnam's rice exports reach record high",
    ]
    empty = client.get("/search.csv", params={"q": "khong co tu nay"})
    assert (
        empty.content == b"\xef\xbb\xbfid,published_at,outlet,language,country,title,url,story_id,themes\r\n"
    )


def test_csv_is_for_analysts_and_above(
    login: Callable[[str], TestClient], token_for: Callable[[str], dict[str, str]], app
) -> None:  # type: ignore[no-untyped-def]
    viewer = login("viewer")
    assert viewer.get("/search.csv").status_code == 403
    assert viewer.get("/api/search.csv").status_code == 403
    assert 'href="/search.csv' not in viewer.get("/search").text
    script = TestClient(app)
    assert script.get("/api/search.csv", headers=token_for("viewer")).status_code == 403
    rows = read_csv(script.get("/api/search.csv", params={"q": "gao"}, headers=token_for("editor")).content)
    assert [r["title"] for r in rows] == ["Xuất khẩu nông sản tăng trưởng mạnh trong quý III"]
    assert 'href="/search.csv' in login("analyst").get("/search").text


# --- the API -----------------------------------------------------------------------------------


def test_api_search_with_facets(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "hoi thao", "facets": "true"}).json()
    assert body["total"] == body["facets"]["total"] == 2
    assert {c["value"]: c["count"] for c in body["facets"]["language"]} == {"vi": 2}
    assert {"tourism", "culture_heritage"} <= {c["value"] for c in body["facets"]["theme"]}
    assert body["facets"]["entity"] and body["facets"]["entity"][0]["label"]
    assert "facets" not in client.get("/api/search", params={"q": "hoi thao"}).json()
    hit = client.get("/api/search", params={"q": "xuat khau"}).json()["results"][0]
    assert hit["country"] == "VN" and hit["story_id"] and hit["published_at"].endswith("+00:00")


def test_api_articles_take_the_filters(client: TestClient) -> None:
    body = client.get("/api/articles", params={"country": "VN", "outlet": "Báo Ví Dụ"}).json()
    assert [r["title"] for r in body["results"]] == ["Xuất khẩu nông sản tăng trưởng mạnh trong quý III"]
