"""Report pages and API: who generates, who reads, CSRF, the files and the pages behind figures."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.measure.refresh import refresh_recent
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from tests.reports.builders import Built, build
from tests.web.conftest import csrf_of

FORM = {
    "unit": "hue",
    "theme": "",
    "date_from": "2026-06-01",
    "date_to": "2026-06-30",
    "lang": "vi",
    "pdf": "1",
}


@pytest.fixture
def built(app, store: Store, settings: Settings, tmp_path: Path) -> Built:  # type: ignore[no-untyped-def]
    built = build(store, settings, tmp_path)
    refresh_recent(store, days=None)
    return built


def _generate(client: TestClient, **changes: str) -> int:
    page = client.get("/reports")
    response = client.post("/reports", data=FORM | {"csrf": csrf_of(page.text)} | changes)
    assert response.status_code == 303, response.text
    made = re.search(r"made=(\d+)", response.headers["location"])
    assert made
    return int(made.group(1))


def test_an_analyst_generates_a_report_and_everyone_reads_it(
    login: Callable[[str], TestClient], built: Built
) -> None:
    analyst = login("analyst")
    rid = _generate(analyst)
    listed = analyst.get(f"/reports?made={rid}")
    assert f'id="report-{rid}"' in listed.text and 'id="report-made"' in listed.text
    viewer = login("viewer")
    page = viewer.get("/reports")
    assert (
        f"/reports/{rid}.pdf" in page.text
        and 'id="readers-only"' in page.text
        and 'action="/reports"' not in page.text
    )
    html = viewer.get(f"/reports/{rid}.html")
    assert html.status_code == 200 and "Thành phố Huế" in html.text
    policy = html.headers["content-security-policy"]
    assert "style-src 'sha256-" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    pdf = viewer.get(f"/reports/{rid}.pdf")
    assert (
        pdf.status_code == 200
        and pdf.headers["content-type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )


def test_viewers_cannot_generate_and_writes_need_the_csrf_token(
    login: Callable[[str], TestClient], built: Built
) -> None:
    viewer = login("viewer")
    token = csrf_of(viewer.get("/reports").text)
    assert viewer.post("/reports", data=FORM | {"csrf": token}).status_code == 403
    analyst = login("analyst")
    assert analyst.post("/reports", data=FORM).status_code == 403  # no token
    assert analyst.post("/reports", data=FORM | {"csrf": "wrong"}).status_code == 403


def test_bad_periods_and_units_are_explained(login: Callable[[str], TestClient], built: Built) -> None:
    analyst = login("analyst")
    token = csrf_of(analyst.get("/reports").text)
    backwards = analyst.post("/reports", data=FORM | {"csrf": token, "date_from": "2026-07-01"})
    assert backwards.status_code == 400 and "before it starts" in backwards.text
    garbled = analyst.post("/reports", data=FORM | {"csrf": token, "date_to": "June"})
    assert garbled.status_code == 400 and "Khoảng thời gian không hợp lệ" in garbled.text
    unknown = analyst.post("/reports", data=FORM | {"csrf": token, "unit": "atlantis"})
    assert unknown.status_code == 400 and "atlantis" in unknown.text


def test_every_figure_links_to_a_page_listing_what_it_counts(
    login: Callable[[str], TestClient], built: Built, settings: Settings
) -> None:
    analyst = login("analyst")
    rid = _generate(analyst, pdf="")
    html = analyst.get(f"/reports/{rid}.html").text
    base = settings.reports.base_url.rstrip("/")
    links = set(re.findall(r'href="([^"]+)"', html))
    figure_links = sorted(h[len(base) :] for h in links if "/figure/" in h)
    assert figure_links and f"/reports/{rid}/figure/outlets?key=B%C3%A1o%20A" in figure_links
    for path in figure_links:
        assert analyst.get(path.replace("&amp;", "&")).status_code == 200, path
    outlets = analyst.get(f"/reports/{rid}/figure/outlets?key=Báo A")
    assert f'href="/articles/{built.articles["copy"]}"' in outlets.text
    published = analyst.get(f"/reports/{rid}/figure/published")
    assert f'href="/publications/{built.hue}"' in published.text
    rate = analyst.get(f"/reports/{rid}/figure/pickup_rate")
    assert "100" in rate.text
    assert analyst.get(f"/reports/{rid}/figure/nope").status_code == 400
    assert analyst.get("/reports/999/figure/pickups").status_code == 404
    assert analyst.get(f"/reports/{rid}.pdf").status_code == 404  # made without a PDF


def test_the_documents_need_a_login(
    anonymous: TestClient, login: Callable[[str], TestClient], built: Built
) -> None:
    rid = _generate(login("analyst"), pdf="")
    for path in (f"/reports/{rid}.html", f"/reports/{rid}.pdf", "/reports", f"/reports/{rid}/figure/pickups"):
        response = anonymous.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), path


def test_the_reports_api(app, token_for: Callable[[str], dict[str, str]], built: Built) -> None:  # type: ignore[no-untyped-def]
    api = TestClient(app)
    body = {"unit": "hue", "from": "2026-06-01", "to": "2026-06-30", "pdf": False}
    assert api.post("/api/reports", json=body, headers=token_for("viewer")).status_code == 403
    made = api.post("/api/reports", json=body, headers=token_for("analyst"))
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    listed = api.get("/api/reports", headers=token_for("viewer")).json()
    assert listed["total"] == 1 and listed["results"][0]["html"] == f"/reports/{rid}.html"
    one = api.get(f"/api/reports/{rid}", headers=token_for("viewer")).json()
    assert one["figures"]["pickups"]["value"] == 3 and len(one["figures"]["pickups"]["articles"]) == 3
    kpis = api.get(
        "/api/kpis", params={"from": "2026-06-01", "to": "2026-06-30"}, headers=token_for("viewer")
    )
    assert kpis.status_code == 200 and kpis.json()["published"]["value"] == 2
    bad = api.get("/api/kpis", params={"from": "2026-06-30", "to": "2026-06-01"}, headers=token_for("viewer"))
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"
    unknown = api.post("/api/reports", json=body | {"unit": "atlantis"}, headers=token_for("analyst"))
    assert unknown.status_code == 404
    assert api.get("/api/reports", params={"kind": "daily"}, headers=token_for("viewer")).status_code == 422
    assert api.get(f"/reports/{rid}.html", headers=token_for("viewer")).status_code == 200  # scripts download


def test_the_messages_exist_in_both_languages() -> None:
    from newsdesk.reports.render import _TEMPLATES as REPORT_TEMPLATES
    from newsdesk.web.ui.i18n import messages
    from newsdesk.web.ui.render import TEMPLATES

    table = messages()
    sources = [
        TEMPLATES / n for n in ("reports.html", "reports_figure.html", "plans.html", "plans_plan.html")
    ]
    sources += [REPORT_TEMPLATES / "report.html"]
    used = {
        k for path in sources for k in re.findall(r"\bt\('([a-z_.0-9]+)'", path.read_text(encoding="utf-8"))
    }
    families = {
        "reports.kind.": ("weekly", "monthly", "on_demand"),
        "report.title.": ("weekly", "monthly", "on_demand"),
        "report.status.": ("draft", "review", "approved", "published", "total"),
        "report.delay.": ("under_1h", "1_6h", "6_24h", "1_3d", "over_3d"),
        "report.kind.": ("verbatim", "reheadlined", "trimmed", "partial"),
        "plans.status.": ("planned", "in_progress", "done", "dropped"),
        "plans.": ("created", "updated", "clash", "overlap"),
    }
    used |= {prefix + member for prefix, members in families.items() for member in members}
    used = {k for k in used if not k.endswith(".")} | {"nav.reports", "nav.plans"}  # prefixes: families
    assert {k for k in used if set(table.get(k, {})) != {"vi", "en"}} == set()
