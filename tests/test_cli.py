"""The command line: every data command takes --json and prints one JSON document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from tests.conftest import FIXTURES

SPINE = FIXTURES / "spine"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_INGEST__MIN_TEXT_CHARS", "80")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output + str(result.exception or "")
        return result

    return invoke


def as_json(result) -> object:  # type: ignore[no-untyped-def]
    return json.loads(result.stdout)


def test_ingest_reports_fates_and_stats_counts(run) -> None:  # type: ignore[no-untyped-def]
    report = as_json(run("ingest", str(SPINE), "--json"))
    assert report["ingested"] == 5
    assert report["duplicate"] == 0
    assert report["rejected"] == 4
    assert {p["reason"] for p in report["problems"]} >= {"binary", "empty"}
    stats = as_json(run("stats", "--json"))
    assert (stats["articles"], stats["sources"], stats["quarantined"]) == (5, 0, 3)
    again = as_json(run("ingest", str(SPINE), "--json"))
    assert (again["ingested"], again["duplicate"]) == (0, 6)


def test_human_ingest_summary(run) -> None:  # type: ignore[no-untyped-def]
    out = run("ingest", str(SPINE)).output
    assert "ingested 5" in out and "rejected 4" in out and "too_short" in out


def test_search_and_show(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest", str(SPINE), "--json")
    found = as_json(run("search", "di san van hoa", "--json"))
    assert found["total"] == 1
    hit = found["results"][0]
    assert hit["title"].startswith("Hội thảo quốc tế về bảo tồn di sản")
    assert "UNESCO" in hit["text"] and hit["language"] == "vi"
    shown = as_json(run("show", str(hit["id"]), "--json"))
    assert shown["id"] == hit["id"] and shown["text"] == hit["text"]
    assert shown["summary"] and shown["summary"].split(". ")[0] in shown["text"]  # extractive
    assert shown["keyphrases"] and all(isinstance(p[0], str) for p in shown["keyphrases"])
    assert {t["id"] for t in shown["sections"]["themes"]} >= {"culture_heritage"}
    raw = run("show", str(hit["id"]), "--raw").stdout_bytes
    assert raw == (SPINE / "vi_hoi_thao.txt").read_bytes()
    en = as_json(run("search", "rice", "--lang", "en", "--json"))
    assert [r["language"] for r in en["results"]] == ["en"]


def test_show_missing_article_is_a_clear_error(run) -> None:  # type: ignore[no-untyped-def]
    result = run("show", "999", code=1)
    assert "article 999 not found" in result.output


def test_extract_json(run) -> None:  # type: ignore[no-untyped-def]
    data = as_json(run("extract", str(SPINE / "en_summit.html"), "--json"))
    assert data["title"] == "Regional leaders meet in Hanoi on climate resilience"
    assert data["language"] == "en"
    assert "mangrove restoration" in data["text"]
    assert data["author"] == "Jane Reporter"
    assert data["id"] is None
    assert as_json(run("stats", "--json"))["articles"] == 0  # extract stores nothing
    stored = as_json(run("ingest", str(SPINE / "en_summit.html"), "--json"))
    again = as_json(run("extract", str(SPINE / "en_summit.html"), "--json"))
    assert again["id"] == stored["article_ids"][0]


def test_extract_bad_input_names_file_and_reason(run) -> None:  # type: ignore[no-untyped-def]
    data = as_json(run("extract", str(SPINE / "image.txt"), "--json"))
    assert data["error"] == "binary" and data["origin"].endswith("image.txt")
    assert "image.txt" in run("extract", str(SPINE / "image.txt"), code=1).output


def test_missing_path(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = as_json(run("ingest", str(tmp_path / "nope"), "--json"))
    assert report["quarantined"] == {"unreadable": 1}
    assert "no such file" in report["problems"][0]["detail"]


def test_sources_add_list_remove(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    added = as_json(
        run(
            "sources",
            "add",
            "vne",
            "https://vnexpress.net/rss/thoi-su.rss",
            "--language",
            "vi",
            "--country",
            "VN",
            "--outlet",
            "VnExpress",
            "--json",
        )
    )
    assert added["kind"] == "feed" and added["outlet"] == "VnExpress"
    folder = tmp_path / "drop"
    folder.mkdir()
    run("sources", "add", "drop", str(folder), "--kind", "folder")
    listed = as_json(run("sources", "list", "--json"))
    assert [s["name"] for s in listed] == ["vne", "drop"]
    assert listed[0]["last_success_at"] is None and listed[0]["articles"] == 0
    assert "already exists" in run("sources", "add", "vne", "https://x.example/rss", code=1).output
    assert "http(s) URL" in run("sources", "add", "bad", "ftp://x", code=1).output
    run("sources", "remove", "vne")
    assert [s["name"] for s in as_json(run("sources", "list", "--json"))] == ["drop"]
    assert as_json(run("stats", "--json"))["sources"] == 1


def test_reprocess_json(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest", str(SPINE), "--json")
    report = as_json(run("reprocess", "--json"))
    assert report["ingested"] == 5 and report["seen"] == 6


def test_bad_config_is_reported(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[fetch]\nnope = 1\n", encoding="utf-8")
    assert "fetch.nope" in run("--config", str(cfg), "stats", code=1).output


def test_documents_and_entities_from_the_seeds(run) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import require_corpus

    run("ingest", str(require_corpus("seeds")), "--json")
    docs = {d["id"]: d for d in as_json(run("documents", "--json"))}
    kl57 = [d for d in docs.values() if d["base_id"] == "KL-57-TW"]
    assert kl57 and sum(d["articles"] for d in kl57) >= 3
    assert any(d["base_id"] == "NQ-47-CP" for d in docs.values())
    one = as_json(run("document", "57-KL/TW", "--json"))
    assert one["base_id"] == "KL-57-TW" and len(one["articles"]) >= 3
    people = {e["name"]: e for e in as_json(run("entities", "--kind", "person", "--json"))}
    assert "Phan Xuân Thủy" in people
    detail = as_json(run("entity", str(people["Phan Xuân Thủy"]["id"]), "--json"))
    assert any("Phó Trưởng" in p["title"] for p in detail["positions"])
    assert detail["co_occurring"]
    assert "not found" in run("document", "KL-999-TW", code=1).output


def test_themes_and_attention(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest", str(FIXTURES / "collect" / "typhoon.jsonl"), "--json")
    themes = {t["id"]: t for t in as_json(run("themes", "--json"))}
    assert themes["disaster_emergency"]["articles"] >= 4
    assert themes["disaster_emergency"]["label_vi"]
    series = as_json(run("themes", "--theme", "disaster_emergency", "--json"))
    assert [p["start"] for p in series["points"]] == ["2026-09-07", "2026-09-08"]
    assert sum(p["articles"] for p in series["points"]) == themes["disaster_emergency"]["articles"]
    assert all(0 < p["share"] <= 1 for p in series["points"])
    assert "not found" in run("themes", "--theme", "nope", code=1).output


def test_eval_summaries_on_vims_dev(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import require_corpus

    articles = require_corpus("vims-dev.articles.jsonl.gz")
    summaries = require_corpus("vims-dev.summaries.jsonl.gz")
    out = tmp_path / "pred.jsonl"
    scores = as_json(run("eval", "summaries", str(articles), str(summaries), "--out", str(out), "--json"))
    assert scores["rouge2"] >= 0.45 and scores["clusters"] == 150
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 150 and set(lines[0]) == {"cluster", "summary"}


def test_eval_reports_a_missing_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("eval", "summaries", str(tmp_path / "a.gz"), str(tmp_path / "b.gz"), code=1)
    assert "a.gz" in result.output


def test_eval_stories_on_vims_dev(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import require_corpus

    articles = require_corpus("vims-dev.articles.jsonl.gz")
    out = tmp_path / "pred.jsonl"
    scores = as_json(run("eval", "stories", str(articles), "--out", str(out), "--json"))
    assert scores["bcubed_f1"] >= 0.98 and scores["articles"] == 997
    assert {"bcubed_f1", "pairwise_f1", "bcubed_precision", "pairwise_recall"} <= set(scores)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 997 and set(lines[0]) == {"id", "story"}
    human = run("eval", "stories", str(articles)).output
    assert "bcubed" in human and "997 articles" in human
