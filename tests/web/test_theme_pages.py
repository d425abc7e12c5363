"""Theme pages (/themes, /themes/{id}) and the all-themes attention query behind them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from newsdesk.analyze.themes import load_taxonomy
from newsdesk.auth import Accounts
from newsdesk.store import views
from newsdesk.store.repo import Store
from newsdesk.store.tables import ArticleRow, ArticleThemeRow
from tests.web.test_story_pages import archive_app, archive_file, archive_store, both_backends  # noqa: F401


def _hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def test_attention_of_all_themes(client: TestClient) -> None:
    page = client.get("/themes")
    assert page.status_code == 200
    html = page.text
    assert 'class="chart"' in html and "<polyline" in html
    hrefs = _hrefs(html)
    # 90 days up to the newest article, by week; the week of 16 November holds five of its articles
    assert "/search?theme=media_information&date_from=2026-11-16&date_to=2026-11-21&order=date" in hrefs
    assert "/themes/media_information?period=90" in hrefs  # the legend
    assert "Báo chí, thông tin, truyền thông · 16/11/2026 – 22/11/2026: 5 bài (62%)" in html
    table = html.split('class="themes"')[1]
    assert table.count("<tr") == 1 + len(load_taxonomy())  # every theme, with or without articles
    assert "/search?theme=diplomacy&date_from=2026-08-24&date_to=2026-11-21&order=date" in hrefs


def test_buckets_and_periods_switch(client: TestClient) -> None:
    days = _hrefs(client.get("/themes", params={"period": 30, "bucket": "day"}).text)
    assert "/search?theme=diplomacy&date_from=2026-11-20&date_to=2026-11-20&order=date" in days
    weeks = _hrefs(client.get("/themes", params={"period": 30, "bucket": "week"}).text)
    # the first week starts before the 30 days: its link keeps to the period
    assert "/search?theme=media_information&date_from=2026-10-23&date_to=2026-10-25&order=date" in weeks
    everything = client.get("/themes", params={"period": 0}).text
    assert "Theo tháng" in everything and 'aria-current="page">Toàn bộ' in everything
    assert client.get("/themes", params={"bucket": "year"}).status_code == 422
    coarsened = client.get("/themes", params={"period": 365, "bucket": "day"}).text  # 365 points: too many
    assert 'aria-current="page">Theo tuần' in coarsened


def test_a_theme_page(client: TestClient) -> None:
    html = client.get("/themes/media_information", params={"period": 30}).text
    assert "Báo chí, thông tin, truyền thông" in html and "6 bài trong giai đoạn" in html
    subthemes = html.split('id="subthemes"')[1].split("</section>")[0]
    assert (
        "Thông tin đối ngoại" in subthemes and "/themes/media_information.external_information" in subthemes
    )
    assert re.search(r'href="/stories/\d+">Hội nghị triển khai', html)
    assert len(re.findall(r'href="/articles/\d+"', html.split('id="recent"')[1])) == 6
    child = client.get("/themes/media_information.external_information").text
    assert 'href="/themes/media_information?period=90">' in child  # its parent


def test_theme_pages_in_english_and_unknown_theme(client: TestClient, accounts: Accounts) -> None:
    accounts.set_language("analyst", "en")
    assert "Attention over time" in client.get("/themes").text
    assert "By week" in client.get("/themes/diplomacy").text
    assert client.get("/themes/no_such_theme").status_code == 404


def test_themes_attention_on_both_backends(archive: Store) -> None:
    with archive.engine.connect() as conn:
        weekly = views.themes_attention(conn, "week")
        single = views.theme_attention(conn, "media_information", "week")
        window = views.themes_attention(
            conn, "day", datetime(2026, 11, 19, 17, tzinfo=UTC), datetime(2026, 11, 21, 9, tzinfo=UTC)
        )
    assert [(p.start, p.articles) for p in weekly.periods] == [
        (date(2026, 11, 9), 2),
        (date(2026, 11, 16), 8),
    ]
    assert weekly.series["media_information"] == [1, 5] and weekly.series["diplomacy"] == [0, 5]
    assert weekly.total("media_information") == 6
    assert single["points"] == [
        {"start": "2026-11-09", "articles": 1, "share": 0.5},
        {"start": "2026-11-16", "articles": 5, "share": 0.625},
    ]
    assert [p.start for p in window.periods] == [date(2026, 11, 20), date(2026, 11, 21)]
    assert window.series["media_information"] == [4, 1]


def test_a_parent_counts_articles_carrying_only_a_subtheme(archive: Store) -> None:
    """The themes stage always gives the parent too; data written otherwise still counts once."""
    with archive.engine.connect() as conn, conn.begin() as transaction:
        rice = conn.execute(select(ArticleRow.id).where(ArticleRow.url.like("%/gao.html"))).scalar_one()
        conn.execute(
            insert(ArticleThemeRow).values(article_id=rice, theme_id="diplomacy.bilateral", score=0.9)
        )
        weekly = views.themes_attention(conn, "week")
        transaction.rollback()
    assert weekly.series["diplomacy.bilateral"] == [1, 0]
    assert weekly.series["diplomacy"] == [1, 5]
