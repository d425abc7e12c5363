"""Settings: TOML file, NEWSDESK_* environment, validation with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.errors import ConfigError
from newsdesk.settings import load_settings


def test_defaults_use_sqlite_under_data() -> None:
    s = load_settings()
    assert s.resolved_database_url == "sqlite:///data/newsdesk.db"
    assert s.analysis_stages == ["normalize", "langid", "entities", "documents", "themes"]


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "nd.toml"
    cfg.write_text('database_url = "sqlite:///from-file.db"\n[fetch]\ntimeout = 7\n', encoding="utf-8")
    assert load_settings(cfg).resolved_database_url == "sqlite:///from-file.db"
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", "postgresql://postgres@127.0.0.1/x")
    monkeypatch.setenv("NEWSDESK_FETCH__RETRIES", "1")
    s = load_settings(cfg)
    assert s.resolved_database_url == "postgresql://postgres@127.0.0.1/x"
    assert s.fetch.timeout == 7
    assert s.fetch.retries == 1


def test_newsdesk_toml_in_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / "newsdesk.toml").write_text("[service]\nport = 8123\n", encoding="utf-8")
    assert load_settings().service.port == 8123


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[fetch]\nbogus = 1\n", "fetch.bogus"),
        ("[fetch]\ntimeout = -1\n", "fetch.timeout"),
        ('database_url = "mysql://x"\n', "database_url"),
        ("log_level = 'LOUD'\n", "log_level"),
        ("this is = not toml [\n", "nd.toml"),
    ],
)
def test_invalid_settings_name_file_and_key(tmp_path: Path, toml: str, message: str) -> None:
    cfg = tmp_path / "nd.toml"
    cfg.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_settings(cfg)


def test_missing_settings_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_invalid_environment_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_SERVICE__PORT", "not-a-port")
    with pytest.raises(ConfigError, match=r"service\.port"):
        load_settings()
