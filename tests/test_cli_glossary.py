"""`newsdesk glossary …`, `newsdesk memory …` and `newsdesk translate`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsdesk.cli import app
from newsdesk.translate import TranslationUnit, export_tmx

CSV = (
    "vi,en,en_forbidden,domain\nBộ Ngoại giao,Ministry of Foreign Affairs,Foreign Office,Đối ngoại\n,,only,\n"
)


Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> Result:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output + str(result.exception or "")
        return result

    return invoke


def test_glossary_add_list_import_export(run: Run, tmp_path: Path) -> None:
    added = json.loads(
        run("glossary", "add", "vi=Bộ Y tế", "en=Ministry of Health", "--forbidden", "en=Health Ministry",
            "--domain", "Y tế", "--json").stdout
    )  # fmt: skip
    assert added["status"] == "approved" and added["updated_by"].startswith("cli:")
    assert (
        "admitted terms without a preferred"
        in run("glossary", "add", "vi=x", "--admitted", "en=y", code=1).output
    )
    assert "LANG=TEXT" in run("glossary", "add", "Bộ Y tế", code=2).output
    source = tmp_path / "terms.csv"
    source.write_text(CSV, encoding="utf-8")
    report = json.loads(run("glossary", "import", str(source), "--json", code=1).stdout)
    assert (report["added"], report["updated"]) == (1, 0)
    assert [r["where"] for r in report["rejected"]] == [f"{source}:3"]
    listed = json.loads(run("glossary", "list", "bo ngoai", "--json").stdout)
    assert listed["total"] == 1 and listed["results"][0]["domain"] == "Đối ngoại"
    assert json.loads(run("glossary", "list", "--lang", "en", "--json").stdout)["total"] == 2
    assert "Bộ Y tế" in run("glossary", "list").stdout
    out = tmp_path / "out.tbx"
    assert json.loads(run("glossary", "export", str(out), "--json").stdout)["format"] == "tbx"
    assert b"Foreign Office" in out.read_bytes()
    again = json.loads(run("glossary", "import", str(out), "--json").stdout)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert "unknown glossary format" in run("glossary", "export", str(tmp_path / "x.pdf"), code=1).output


def test_memory_import_lookup_export(run: Run, tmp_path: Path) -> None:
    tmx = tmp_path / "old.tmx"
    tmx.write_bytes(export_tmx([TranslationUnit("vi", "en", "Xin chào các bạn.", "Hello, friends.")]))
    report = json.loads(run("memory", "import", str(tmx), "--json").stdout)
    assert (report["added"], report["rejected"]) == (1, [])
    assert "unchanged 1" in run("memory", "import", str(tmx)).stdout
    matches = json.loads(run("memory", "lookup", "Xin chào các bạn!", "--json").stdout)
    assert matches[0]["target"] == "Hello, friends." and 75 <= matches[0]["score"] < 100
    assert json.loads(
        run("memory", "lookup", "Hello, friends.", "--src", "en", "--tgt", "vi", "--json").stdout
    )
    out = tmp_path / "out.tmx"
    assert json.loads(run("memory", "export", str(out), "--json").stdout)["units"] == 1
    assert "Hello, friends." in out.read_text(encoding="utf-8")
    assert "Hello, friends." in run("memory", "lookup", "Xin chào các bạn.").stdout


def test_translate_prints_the_suggestions(run: Run, tmp_path: Path) -> None:
    text = tmp_path / "bai.md"
    text.write_text("# Bộ Y tế họp\n\nBộ Y tế họp tại Hà Nội. [Ảnh] Xin chào.\n", encoding="utf-8")
    run("glossary", "add", "vi=Bộ Y tế", "en=Ministry of Health")
    pid = json.loads(run("publications", "add", str(text), "--unit", "hue", "--lang", "vi", "--json").stdout)[
        "id"
    ]
    job = json.loads(run("translate", str(pid), "--lang", "en", "--json").stdout)
    assert job["manual"] and "No translation engine" in job["message"]
    assert job["segments"][0]["terms"] == [
        {"source": "Bộ Y tế", "target": "Ministry of Health", "forbidden": []}
    ]
    human = run("translate", str(pid), "--lang", "en").stdout
    assert "No translation engine" in human and "[Ảnh]" in human
    assert "already in vi" in run("translate", str(pid), "--lang", "vi", code=1).output
    assert "not found" in run("translate", "999", "--lang", "en", code=1).output
