"""Reports: HTML and PDF files with a row, every figure linked, Vietnamese text in the PDF."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from newsdesk.errors import NotFound
from newsdesk.measure.kpis import Scope
from newsdesk.reports import Reports
from newsdesk.reports import archive as archive_module
from newsdesk.reports.render import style_hash
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from tests.reports.builders import Built
from tests.reports.pdftext import pdf_links, pdf_text

JUNE = Scope("hue", None, date(2026, 6, 1), date(2026, 6, 30))
BASE = "https://newsdesk.example.vn"


@pytest.fixture
def reports(store: Store, settings: Settings) -> Reports:
    return Reports(store, settings.reports)


def test_a_pdf_report_in_vietnamese_with_its_links(reports: Reports, built: Built) -> None:
    made = reports.generate(JUNE, created_by="analyst")
    assert made["unit"] == "hue" and (made["from"], made["to"]) == ("2026-06-01", "2026-06-30")
    assert made["html"] == f"/reports/{made['id']}.html" and made["pdf"] == f"/reports/{made['id']}.pdf"
    pdf = reports.path(made["id"], "pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Thành phố Huế" in text and "Lượt được đăng lại" in text and "Báo A" in text
    links = pdf_links(pdf)
    rid = made["id"]
    assert f"{BASE}/reports/{rid}/figure/pickups" in links
    assert f"{BASE}/reports/{rid}/figure/outlets?key=B%C3%A1o%20A" in links
    assert f"{BASE}/publications/{built.hue}" in links
    assert {f"{BASE}/articles/{built.articles[k]}" for k in ("copy", "quote", "english")} <= set(links)


def test_the_html_is_self_contained_and_every_chart_bar_is_a_link(reports: Reports, built: Built) -> None:
    made = reports.generate(JUNE, created_by="analyst", pdf=False)
    assert made["pdf"] is None
    html = reports.path(made["id"], "html").read_text(encoding="utf-8")
    assert "<script" not in html and 'rel="stylesheet"' not in html and "<style>" in html
    assert '"Noto Sans", "DejaVu Sans"' in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert all(h.startswith(BASE + "/") for h in hrefs), [h for h in hrefs if not h.startswith(BASE)]
    assert html.count("<svg") == 4  # weeks, languages, delays, outlets
    assert re.search(r'<a href="[^"]+/figure/weeks\?key=2026-06-08" class="chart-link">', html)
    assert style_hash(html).startswith("'sha256-")
    with pytest.raises(NotFound, match="no PDF"):
        reports.path(made["id"], "pdf")


def test_the_figures_are_kept_with_the_ids_behind_them(reports: Reports, built: Built) -> None:
    made = reports.generate(JUNE, created_by="analyst", pdf=False)
    kpis = reports.kpis(made["id"])
    assert kpis.scope == JUNE and kpis.pickups.value == 3
    assert set(kpis.figure("outlets", "Daily C").articles) == {built.articles["english"]}
    assert reports.path(made["id"], "json").name.endswith(f"-{made['id']}.json")


def test_an_english_report_of_the_whole_office_by_theme(reports: Reports, built: Built) -> None:
    made = reports.generate(
        Scope(None, "van-hoa", date(2026, 6, 1), date(2026, 6, 30)), created_by="x", pdf=False, lang="en"
    )
    html = reports.path(made["id"], "html").read_text(encoding="utf-8")
    assert (
        "The whole office (all units)" in html and "van-hoa" in html and "Most picked-up publications" in html
    )
    assert "-all-van-hoa-2026-06-01-2026-06-30-" in made["html_path"]
    assert 'id="units"' in html and html.count("<svg") == 5


def test_listing_and_missing_reports(reports: Reports, built: Built) -> None:
    first = reports.generate(JUNE, created_by="a", pdf=False)
    second = reports.generate(
        Scope("ha-noi", None, date(2026, 6, 1), date(2026, 6, 30)), created_by="b", pdf=False
    )
    rows, total = reports.listing()
    assert total == 2 and [r["id"] for r in rows] == [second["id"], first["id"]]
    assert [r["id"] for r in reports.listing(unit="hue")[0]] == [first["id"]]
    assert reports.listing(kind="weekly") == ([], 0)
    with pytest.raises(NotFound):
        reports.get(999)
    reports.path(first["id"], "html").unlink()
    with pytest.raises(NotFound, match="missing"):
        reports.path(first["id"], "html")


def test_a_failed_rendering_leaves_no_row_and_no_file(
    reports: Reports, built: Built, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(html: str) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(archive_module, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        reports.generate(JUNE, created_by="a")
    assert reports.listing() == ([], 0)
    assert not [p for p in Path(settings.reports.folder).rglob("*") if p.is_file()]
    assert not reports.exists("on_demand", JUNE)
