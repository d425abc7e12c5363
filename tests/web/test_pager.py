"""The one pager macro, and the lists that use it."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from newsdesk.publish.publications import Publications
from newsdesk.publish.workflow import Actor
from newsdesk.store.repo import Store
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import environment


def _pager(page: int, pages: int, previous: str | None, next_: str | None, lang: str = "vi") -> str:
    template = environment().from_string(
        '{% import "pager.html" as pg with context %}{{ pg.links(page, pages, previous, next) }}'
    )
    return template.render(t=Translator(lang), page=page, pages=pages, previous=previous, next=next_)


def test_pager_links_and_labels() -> None:
    middle = _pager(2, 3, "/x?page=1", "/x?page=3")
    assert 'rel="prev" href="/x?page=1"' in middle and 'rel="next" href="/x?page=3"' in middle
    assert "Trang 2/3" in middle
    assert "Page 1 of 3" in _pager(1, 3, None, "/x?page=2", "en") and 'rel="prev"' not in _pager(
        1, 3, None, "/x"
    )
    assert _pager(1, 1, None, None).strip() == ""  # one page: no pager at all


def test_publication_list_pages(login: Callable[[str], TestClient], store: Store) -> None:
    publications = Publications(store.engine)
    actor = Actor("admin", "central", "administrator")
    for n in range(51):
        publications.add(actor, unit="central", language="vi", title=f"Bài số {n}", body="Nội dung bài viết.")
    client = login("viewer")
    first = client.get("/publications").text
    assert 'rel="next"' in first and "page=2" in first and 'rel="prev"' not in first
    second = client.get("/publications?page=2").text
    assert 'rel="prev"' in second and 'rel="next"' not in second
