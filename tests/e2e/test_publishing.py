"""The editor's day in a real browser: write, move through review, translate, short formats."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import FIXTURES
from tests.e2e.conftest import LiveWorkspace, log_in, screenshot

HUE = FIXTURES / "publish" / "le-hoi-hue.md"


def test_editor_writes_publishes_and_translates(page: Any, live: LiveWorkspace) -> None:
    lines = HUE.read_text(encoding="utf-8").splitlines()
    title, body = lines[0].lstrip("# ").strip(), "\n".join(lines[1:]).strip()
    log_in(page, live, "editor")
    page.click("nav.main a[href='/publications']")
    page.goto(live.url + "/publications/new")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=body]", body)
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/publications/\d+$"))
    publication = page.url.rsplit("/", 1)[1]
    assert page.locator("h1").first.inner_text() == title
    for action in ("submit", "approve", "publish"):
        page.click(f"#action-{action} button[type=submit]")
        page.wait_for_url(re.compile(rf".*/publications/{publication}.*"))
    assert page.locator("#action-publish").count() == 0  # published: nothing left to do
    screenshot(page, "publication")

    page.goto(f"{live.url}/publications/{publication}/translate?lang=en")
    assert page.locator("textarea[name=segment]").count() >= 5  # one per sentence of the source
    page.fill("input[name=title]", "Hue Festival 2026 presents royal heritage")
    for index, box in enumerate(page.locator("textarea[name=segment]").all()):
        box.fill(f"English sentence {index + 1} of the festival release.")
    screenshot(page, "translate")
    page.click("#save-translation")
    page.wait_for_load_state()
    assert page.locator("#variant-link").count() == 1  # the saved English variant
    page.goto(f"{live.url}/publications/{publication}")
    assert page.locator("text=Hue Festival 2026 presents royal heritage").count() >= 1  # listed as a variant

    page.goto(f"{live.url}/publications/{publication}/short")
    assert page.locator("textarea").count() >= 3  # posts per network, caption, script
    screenshot(page, "short-formats")
    srt = page.request.get(f"{live.url}/publications/{publication}/short.srt?lang=vi")
    assert srt.status == 200 and "-->" in srt.text()


def test_viewer_reads_publications_but_cannot_write(page: Any, live: LiveWorkspace) -> None:
    log_in(page, live, "viewer")
    response = page.goto(live.url + "/publications/new")
    assert response is not None and response.status == 403
    page.goto(live.url + "/publications")
    assert page.locator("a[href='/publications/new']").count() == 0
