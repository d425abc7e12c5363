"""The sanitiser against the XSS filter-evasion vectors (tests/fixtures/web/xss_vectors.txt).

:func:`assert_inert` is the check shared with the page tests: parse what the browser
would get and look for anything that runs, loads or navigates by itself.
"""

from __future__ import annotations

import codecs
import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from newsdesk.model import Article, FetchSection, LangSection, RawItem, TextSection
from newsdesk.store.repo import BatchEntry, Store
from newsdesk.web.ui.sanitize import sanitize
from tests.conftest import FIXTURES

VECTORS_FILE = FIXTURES / "web" / "xss_vectors.txt"
FORBIDDEN = {
    *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math"),
    *("base", "meta", "link", "form", "input", "button", "textarea", "select", "img", "video", "audio"),
    *("source", "template", "noscript", "isindex", "keygen", "bgsound", "xml", "marquee"),
}
URL_ATTRIBUTES = {
    *("href", "src", "action", "formaction", "background", "dynsrc", "lowsrc", "data", "poster"),
    *("xlink:href", "{http://www.w3.org/1999/xlink}href", "srcdoc", "codebase", "cite", "longdesc"),
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
# Textual checks of a sanitised fragment, where "<" only ever starts a real tag: they also see
# what lxml's parser would move or drop (attributes of a stray <body>, say).
_BAD_TAG = re.compile(
    r"<\s*/?\s*(?:script|style|iframe|object|embed|svg|math|base|meta|link|form|body|html)\b", re.I
)
_HANDLER = re.compile(r"<[^>]*[\s/\"']on[a-z]+\s*=", re.I)


def load_vectors(path: Path = VECTORS_FILE) -> list[str]:
    vectors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("ESC "):
            line = codecs.decode(line[4:], "unicode_escape")
        vectors.append(line)
    return vectors


VECTORS = load_vectors()


def url_is_dangerous(value: str) -> bool:
    """After entity decoding and with whitespace and control characters removed."""
    plain = _INVISIBLE.sub("", html.unescape(html.unescape(value))).lower()
    return plain.startswith(BAD_SCHEMES)


def assert_inert(markup: str, *, allowed: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """No element that runs or loads anything (beyond ``allowed``), no handler, no script URL."""
    root = lxml_html.fromstring(f"<div>{markup}</div>") if markup.strip() else None
    if root is None:
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = element.tag.lower().split("}")[-1]
        assert tag not in FORBIDDEN - allowed, f"<{tag}> survived in {markup[:300]!r}"
        for name, value in element.attrib.items():
            low = name.lower()
            assert not low.startswith("on"), f"{name}= survived on <{tag}>"
            assert low not in ("style", "srcdoc"), f"{name}= survived on <{tag}>"
            if low in URL_ATTRIBUTES:
                assert not url_is_dangerous(value), f"{name}={value!r} on <{tag}>"


def test_the_fixture_covers_the_cheat_sheet() -> None:
    assert len(VECTORS) >= 60
    text = "\n".join(VECTORS).lower()
    needles = ("<script", "onerror", "javascript:", "vbscript:", "data:", "<svg", "<math", "expression(")
    needles += ('http-equiv="refresh"', "srcdoc", "<object", "<embed", "<base", "&#x", "\x00", "<!--")
    for needle in needles:
        assert needle in text, needle


def assert_clean_fragment(cleaned: str) -> None:
    assert_inert(cleaned)
    tags_only = re.sub(r'"[^"]*"', '""', cleaned)  # attribute values are text, even "onerror="
    assert not _BAD_TAG.search(tags_only), cleaned
    assert not _HANDLER.search(tags_only), cleaned


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_vector_is_inert_after_sanitize(vector: str) -> None:
    assert_clean_fragment(str(sanitize(vector, base_url="https://bao.example.vn/tin/1.html")))
    assert_clean_fragment(str(sanitize(f"<p>before</p>{vector}<p>after</p>")))


def test_all_vectors_in_one_document() -> None:
    page = "<!doctype html><html><head><title>t</title></head><body>" + "\n".join(VECTORS) + "</body></html>"
    assert_clean_fragment(str(sanitize(page)))


def test_structure_and_safe_links_survive() -> None:
    cleaned = str(
        sanitize(
            '<h2>Tiêu đề</h2><p>Đoạn <b>một</b> <a href="/tin/2.html" onclick="x()">tiếp</a>'
            '<a href="mailto:toa-soan@example.vn">thư</a></p><ul><li>a</li></ul>'
            '<table><tr><td colspan="2" style="color:red">ô</td></tr></table>',
            base_url="https://bao.example.vn/tin/1.html",
        )
    )
    assert "<h2>Tiêu đề</h2>" in cleaned and "<b>một</b>" in cleaned and "<li>a</li>" in cleaned
    assert 'href="https://bao.example.vn/tin/2.html"' in cleaned  # resolved against the article
    assert 'href="mailto:toa-soan@example.vn"' in cleaned
    assert cleaned.count('rel="noopener noreferrer nofollow"') == 2 and cleaned.count('target="_blank"') == 2
    assert 'colspan="2"' in cleaned and "style" not in cleaned and "onclick" not in cleaned


def test_relative_links_are_dropped_without_a_base() -> None:
    cleaned = str(sanitize('<a href="/api/articles/1/raw">x</a>'))
    assert "href" not in cleaned


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ('<p>A <img src="https://t.example/p.gif" alt="Ảnh: lễ khai mạc"> B</p>', "[Ảnh: lễ khai mạc]"),
        ('<p>A <img src="x.gif"> B</p>', "A  B"),
        (
            '<p><img alt="&lt;script&gt;alert(1)&lt;/script&gt;" src=x></p>',
            "[&lt;script&gt;alert(1)&lt;/script&gt;]",
        ),
    ],
)
def test_images_become_their_alt_text(given: str, shown: str) -> None:
    cleaned = str(sanitize(given))
    assert "<img" not in cleaned and shown in cleaned


def test_the_check_has_teeth() -> None:
    """Unsanitised, nearly every vector trips :func:`assert_inert` (the rest are text-only)."""
    caught = 0
    for vector in VECTORS:
        try:
            assert_inert(vector)
        except AssertionError:
            caught += 1
    assert caught >= 0.85 * len(VECTORS)


# --- whole pages carrying the vectors ----------------------------------------------------------------

OWN_FORMS = ("/search", "/search/saved", "/lang", "/logout")


def assert_page_inert(page: str) -> None:
    """A whole workspace page: nothing runs but the page's own script, no handler, no script URL.

    Our own script, stylesheet, meta tags, forms and chart SVGs are recognised by what they
    are (``/static/…``, a form posting to a workspace path, ``svg.chart``) and allowed.
    """
    root = lxml_html.document_fromstring(page)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{name}= on <{tag}>"
            assert name.lower() not in ("style", "srcdoc", "formaction"), f"{name}= on <{tag}>"
            if name.lower() in URL_ATTRIBUTES:
                assert not url_is_dangerous(value), f"{name}={value!r} on <{tag}>"
        if tag == "script":
            assert (element.get("src") or "").startswith("/static/") and not (element.text or "").strip()
        elif tag == "link":
            assert element.get("rel") == "stylesheet" and element.get("href", "").startswith("/static/")
        elif tag == "meta":
            assert (
                set(element.attrib) <= {"charset", "name", "content"} and "http-equiv" not in element.attrib
            )
        elif tag == "form":
            action = element.get("action", "")
            assert action.startswith(OWN_FORMS) and not action.startswith("//"), action
        elif tag == "svg":
            assert element.get("class") in ("chart", "spark"), "an <svg> that is not a chart"
            assert not element.xpath(".//script|.//foreignObject")
        elif tag in ("input", "button", "select", "option", "label"):
            assert element.xpath("ancestor::form"), f"<{tag}> outside the page's own forms"
        else:
            assert tag not in FORBIDDEN, f"<{tag}> on the page"


def _hostile(i: int, vector: str) -> BatchEntry:
    title = f"xssprobe {i} {vector}"
    body = f"Đoạn mở đầu xssprobe số {i}.\n{vector}\nĐoạn cuối {vector} xssprobe."
    page = f"<html><head><title>{vector}</title></head><body><h1>{vector}</h1><p>{vector}</p></body></html>"
    url = "javascript:alert(1)" if i % 3 == 0 else f"https://evil.example/{i}?q={vector[:40]}"
    raw = RawItem(origin=f"xss{i}.html", kind="html", body=page.encode(), url=url, content_type="text/html")
    sections = {
        "entities": [_entity_section(vector, i)],
        "themes": [{"id": f"x{i}{vector}"[:100], "score": 0.5}],
        "documents": [_document_section(vector, i)],
    }
    article = Article(
        key=f"sha256:{raw.sha256}",
        fetch=FetchSection(origin=raw.origin, kind="html", url=url, canonical_url=url),
        text=TextSection(title=title, body=body, outlet=vector[:200], author=vector, published=None),
        lang=LangSection("vi", 0.9),
        sections=sections,
    )
    return BatchEntry(raw, article)


def _entity_section(vector: str, i: int) -> dict[str, object]:
    start = len(f"xssprobe {i} ")  # the vector in the title
    return {
        "kind": ("person", "organisation", "place", "<script>")[i % 4],
        "canonical": f"xss-{i}",
        "name": vector[:200],
        "mentions": 2,
        "spans": [[start, start + len(vector)], [-5, 3], [10, 10_000]],
        "positions": [],
    }


def _document_section(vector: str, i: int) -> dict[str, object]:
    return {
        "id": f"D{i}-{vector}"[:120], "base_id": f"D{i}", "type": "KL", "type_name_vi": vector[:50],
        "type_name_en": vector[:50], "number": None, "issuer": None, "code": vector[:80], "year": None,
        "date": None, "term": None, "title": vector, "surface": vector, "mentions": 1, "spans": [[0, 1]],
    }  # fmt: skip


def test_pages_with_hostile_articles_are_inert(client: TestClient, store: Store) -> None:
    written = store.write_batch([_hostile(i, v) for i, v in enumerate(VECTORS)])
    assert written.ingested == len(VECTORS)
    pages = -(-len(VECTORS) // 20)
    for number in range(1, pages + 1):
        response = client.get("/search", params={"q": "xssprobe", "page": number})
        assert response.status_code == 200
        assert_page_inert(response.text)
    assert "xssprobe" in client.get("/search", params={"q": "xssprobe"}).text
    for index, (article_id, vector) in enumerate(zip(written.article_ids, VECTORS, strict=True)):
        response = client.get(f"/articles/{article_id}")
        assert response.status_code == 200
        assert_page_inert(response.text)
        tree = lxml_html.document_fromstring(response.text)
        shown = f"xssprobe {index} {vector}".replace("\x00", "\ufffd")  # as a browser shows a NUL
        assert tree.xpath("//h1")[0].text_content() == shown  # the vector as text
    facets = client.get("/api/search", params={"q": "xssprobe", "facets": "true"}).json()["facets"]
    for name in ("entity", "document", "theme", "outlet"):  # hostile names and ids in facet links too
        response = client.get("/search", params={"q": "xssprobe", name: facets[name][0]["value"]})
        assert response.status_code == 200
        assert_page_inert(response.text)
