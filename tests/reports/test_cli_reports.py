"""``newsdesk report``, ``newsdesk plans …``, ``newsdesk pickup-refresh``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.settings import load_settings
from newsdesk.store.repo import Store
from tests.reports.builders import Built, build
from tests.reports.pdftext import pdf_text


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_INGEST__MIN_TEXT_CHARS", "80")
    monkeypatch.setenv("NEWSDESK_REPORTS__FOLDER", str(tmp_path / "reports"))
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output + str(result.exception or "")
        return result

    return invoke


@pytest.fixture
def built(tmp_path: Path) -> Built:
    settings = load_settings(data_dir=tmp_path / "data", ingest={"min_text_chars": 80})
    store = Store.open(settings.resolved_database_url)
    try:
        return build(store, settings, tmp_path)
    finally:
        store.close()


def test_pickup_refresh_then_a_pdf_report(run, built: Built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(run("pickup-refresh", "--all", "--json").stdout) == {
        "families": 2,
        "pickups": 3,
        "articles": 0,
        "watermark": None,
    }
    assert "0 publications" in run("pickup-refresh", "--days", "1").stdout
    assert json.loads(run("pickup-refresh", "--publication", str(built.hue), "--json").stdout)["pickups"] == 3
    printed = run("report", "--unit", "hue", "--from", "2026-06-01", "--to", "2026-06-30", "--format", "pdf")
    path = Path(printed.stdout.strip())
    assert path.suffix == ".pdf" and path.is_relative_to(tmp_path / "reports")
    assert "Thành phố Huế" in pdf_text(path.read_bytes())
    out = tmp_path / "out" / "hue.html"
    made = json.loads(
        run(
            "report", "--from", "2026-06-01", "--to", "2026-06-30", "--format", "html",
            "--theme", "van-hoa", "--out", str(out), "--lang", "en", "--json",
        ).stdout
    )  # fmt: skip
    assert made["path"] == str(out.resolve()) and made["unit"] is None and made["pdf"] is None
    assert "The whole office" in out.read_text(encoding="utf-8") and made["created_by"].startswith("cli:")


def test_report_refuses_bad_input(run, built: Built) -> None:  # type: ignore[no-untyped-def]
    assert "not a date" in run("report", "--from", "June", "--to", "2026-06-30", code=2).output
    assert (
        "unit 'atlantis' not found"
        in run("report", "--unit", "atlantis", "--from", "2026-06-01", "--to", "2026-06-30", code=1).output
    )
    assert "before it starts" in run("report", "--from", "2026-06-30", "--to", "2026-06-01", code=1).output


def test_plans_add_list_set(run) -> None:  # type: ignore[no-untyped-def]
    first = run(
        "plans",
        "add",
        "Festival Huế",
        "--unit",
        "hue",
        "--theme",
        "culture_heritage",
        "--lang",
        "vi",
        "--due",
        "2026-07-01",
    )
    pid = int(first.stdout.strip())
    second = run(
        "plans", "add", "Lễ hội", "--unit", "ha-noi", "--theme", "culture_heritage", "--lang", "vi",
        "--due", "2026-07-03", "--json",
    )  # fmt: skip
    data = json.loads(second.stdout)
    assert data["warnings"][0]["plan"]["id"] == pid and data["unit"] == "ha-noi"
    listed = json.loads(run("plans", "list", "--unit", "hue", "--json").stdout)
    assert [p["id"] for p in listed["plans"]] == [pid] and len(listed["warnings"]) == 1
    assert "clash:" in run("plans", "list").stdout
    changed = json.loads(
        run("plans", "set", str(pid), "--status", "in_progress", "--due", "none", "--json").stdout
    )
    assert changed["status"] == "in_progress" and changed["due"] is None
    run("plans", "set", str(pid), "--status", "dropped")
    assert "can become planned, not done" in run("plans", "set", str(pid), "--status", "done", code=1).output
    assert "unknown plan status" in run("plans", "set", str(pid), "--status", "finished", code=1).output
    assert "publication 999 not found" in run("plans", "set", str(pid), "--publication", "999", code=1).output
    assert "plan " in run("plans", "set", str(pid), "--publication", "0").stdout


def test_a_report_counts_pickups_without_a_refresh_first(run, built: Built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Regression (review, sitting 2): reports read only stored pickups, which only the service's
    hourly pass filled; a report made right after publishing showed no pickup at all."""
    made = json.loads(
        run(
            "report",
            "--unit",
            "hue",
            "--from",
            "2026-06-01",
            "--to",
            "2026-06-30",
            "--format",
            "html",
            "--json",
        ).stdout
    )
    settings = load_settings(data_dir=tmp_path / "data")
    store = Store.open(settings.resolved_database_url)
    try:
        from sqlalchemy import func, select

        from newsdesk.store.tables import PickupRow

        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(PickupRow)).scalar_one() == 3
    finally:
        store.close()
    html = Path(made["path"]).read_text(encoding="utf-8")
    assert "Báo" in html  # the outlets that picked it up are listed
