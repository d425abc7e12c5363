"""The workspace in a real browser: the analyst's day, English, roles, and hostile pages."""

from __future__ import annotations

import re
from typing import Any

from newsdesk.text.fold import fold
from tests.e2e.conftest import LiveWorkspace, log_in, screenshot


def _words_without_accents(title: str, count: int = 4) -> str:
    words = [w for w in re.findall(r"\w+", title) if len(w) > 2 and not w.isdigit()]
    return " ".join(fold(w) for w in words[:count])


def test_analyst_logs_in_searches_opens_a_story_and_follows_a_chart(page: Any, live: LiveWorkspace) -> None:
    log_in(page, live)
    assert page.locator("h1").first.inner_text() == "Hôm nay"
    assert page.locator("table.stories tbody tr").count() >= 5
    screenshot(page, "today")

    cluster = sorted(live.clusters)[0]
    title = live.clusters[cluster][0]["title"]
    query = _words_without_accents(title)
    assert query != title.lower()  # typed without accents
    page.click("nav.main a[href='/search']")
    page.fill("input[name=q]", query)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search\?.*q=.*"))
    first = page.locator(".hit").first
    assert first.is_visible()
    titles = page.locator(".hit h3").all_inner_texts()
    assert title in titles  # the accented title is found by the unaccented query
    assert page.locator(".hit mark").count() > 0
    screenshot(page, "search")

    page.goto(live.url + "/")
    page.locator("table.stories tbody tr td a").first.click()
    page.wait_for_url(re.compile(r".*/stories/\d+$"))
    story_id = page.url.rsplit("/", 1)[1]
    assert page.locator("svg.chart").count() >= 1
    screenshot(page, "story")

    point = page.locator("svg.chart a").first
    point.click()
    page.wait_for_url(re.compile(r".*/search\?.*"))
    assert f"story={story_id}" in page.url
    assert page.locator(".hit").count() >= 1  # the articles behind the point
    screenshot(page, "chart-point")

    page.click("#switch-language")
    page.wait_for_load_state()
    assert page.locator("nav.main a[href='/search']").inner_text() == "Search"
    page.goto(live.url + "/")
    assert page.locator("h1").first.inner_text() == "Today"
    screenshot(page, "today-en")
    page.click("#switch-language")  # back to Vietnamese for the other tests' sessions
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == "Hôm nay"


def test_hostile_article_runs_no_script(page: Any, live: LiveWorkspace) -> None:
    dialogs: list[str] = []
    blocked: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    log_in(page, live)
    for path in (f"/articles/{live.xss_article_id}", "/search?q=kiem+thu+xss", "/search?q=alert"):
        page.goto(live.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => typeof window.__xss") == "undefined"
        scripts = page.eval_on_selector_all("script", "nodes => nodes.map(n => n.getAttribute('src'))")
        assert all(src and src.startswith("/static/") for src in scripts), scripts
    assert dialogs == []
    assert blocked == []  # nothing even tried: the sanitiser removed it before the CSP had to


def test_viewer_sees_neither_raw_input_nor_sources(page: Any, live: LiveWorkspace) -> None:
    log_in(page, live, "viewer")
    assert page.locator("nav.main a[href='/sources']").count() == 0
    response = page.goto(live.url + "/sources")
    assert response is not None and response.status == 403
    response = page.goto(f"{live.url}/api/articles/{live.xss_article_id}/raw")
    assert response is not None and response.status == 403
