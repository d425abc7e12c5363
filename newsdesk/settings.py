"""One typed settings object, loaded once and validated.

Sources, highest priority first:

1. keyword arguments (tests, CLI flags);
2. environment variables ``NEWSDESK_<NAME>``; nested sections with a double
   underscore: ``NEWSDESK_FETCH__TIMEOUT=5``;
3. a TOML file: ``$NEWSDESK_CONFIG`` or ``./newsdesk.toml`` when present;
4. the defaults below.

Unknown keys are rejected. Each part of newsdesk receives only its own section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from newsdesk.errors import ConfigError

__all__ = [
    "AuthSettings",
    "CollectSettings",
    "FetchSettings",
    "IngestSettings",
    "ReportSettings",
    "ServiceSettings",
    "Settings",
    "TranslateSettings",
    "load_settings",
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FetchSettings(_Section):
    """The polite fetcher."""

    user_agent: str = "newsdesk/0.1 (+media monitoring; contact: the operating office)"
    timeout: float = Field(20.0, gt=0, description="seconds per request")
    max_bytes: int = Field(10_000_000, gt=0, description="size cap of one response body")
    per_host_delay: float = Field(1.0, ge=0, description="minimum seconds between two requests to one host")
    retries: int = Field(3, ge=0, le=10, description="retries of a transient failure")
    backoff: float = Field(0.5, ge=0, description="first retry delay in seconds, doubled each time")
    respect_robots: bool = True
    allow_private: bool = Field(
        False, description="allow private, loopback and link-local addresses (tests, intranets)"
    )


class IngestSettings(_Section):
    """Files, batches and rejection thresholds."""

    batch_size: int = Field(500, gt=0, description="articles per database transaction")
    min_text_chars: int = Field(200, ge=0, description="shorter bodies are discarded as too_short")
    max_file_bytes: int = Field(
        200_000_000, gt=0, description="size cap of one input file (of one record for JSON Lines and WARC)"
    )
    inbox: Path = Field(Path("data/inbox"), description="folder watched by `newsdesk up`")
    langid_chars: int = Field(2000, gt=0, description="characters of body fed to language ID")


class ServiceSettings(_Section):
    """`newsdesk up`: the monitoring service."""

    host: str = "127.0.0.1"
    port: int = Field(8000, gt=0, lt=65536)
    poll_interval: float = Field(900.0, gt=0, description="seconds between two polls of one source")
    inbox_interval: float = Field(5.0, gt=0, description="seconds between two scans of the inbox")


class AuthSettings(_Section):
    """The workspace's logins: sessions, passwords, lockout."""

    session_idle_minutes: float = Field(720.0, gt=0, description="a session unused this long ends")
    session_max_hours: float = Field(
        168.0, gt=0, description="a session ends this long after login, used or not"
    )
    min_password_length: int = Field(10, ge=8, description="shortest password a user may set")
    login_attempts: int = Field(5, gt=0, description="failed logins for one username before it is locked")
    lockout_minutes: float = Field(15.0, gt=0, description="how long a locked username stays locked")
    secure_cookies: bool = Field(
        False, description="mark cookies Secure (set when the workspace is served over HTTPS)"
    )


class TranslateSettings(_Section):
    """Machine translation of publications (optional: without it, memory + glossary + manual work)."""

    engine: Literal["none", "local", "openai"] = Field(
        "none", description="none (memory, glossary and manual translation), local (CTranslate2) or openai"
    )
    models_dir: Path | None = Field(
        None,
        description="local engine: folder with one <src>-<tgt> CTranslate2 model folder per language pair",
    )
    base_url: str = Field("", description="openai engine: endpoint such as http://127.0.0.1:8080/v1")
    model: str = Field("", description="openai engine: model name")
    api_key: SecretStr | None = Field(None, description="openai engine: API key, if the endpoint wants one")
    memory_threshold: int = Field(
        75, ge=50, le=100, description="lowest fuzzy-match score offered from memory"
    )


class ReportSettings(_Section):
    """Reports on the office's output and its pickup."""

    folder: Path = Field(Path("data/reports"), description="where generated reports (HTML and PDF) are kept")
    weekly: bool = Field(True, description="`newsdesk up` makes last week's report every Monday")
    monthly: bool = Field(True, description="`newsdesk up` makes last month's report on the 1st")
    base_url: str = Field(
        "http://127.0.0.1:8000", description="the workspace's address, for the links in reports"
    )


class CollectSettings(_Section):
    """The collection stages: copy groups and stories."""

    story_quiet_hours: float = Field(
        72.0, gt=0, description="a story with no new article for this long goes quiet"
    )
    story_threshold: float = Field(
        0.11, gt=0, le=1, description="average-link similarity that keeps articles in one story"
    )
    dedup_window_days: int = Field(
        30, gt=0, description="copies are looked for among this many days of articles"
    )
    dedup_threshold: float = Field(
        0.5, gt=0, le=1, description="containment of the shorter text in the longer that makes a copy"
    )


class Settings(BaseSettings):
    """All of newsdesk's settings."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSDESK_",
        env_nested_delimiter="__",
        extra="forbid",
        toml_file="newsdesk.toml",
    )

    data_dir: Path = Field(Path("data"), description="where the embedded database and raw files live")
    database_url: str = Field("", description="SQLAlchemy URL; empty means SQLite at <data_dir>/newsdesk.db")
    log_level: str = Field("WARNING", description="structured logs at this level and above, to stderr")
    admin_password: SecretStr | None = Field(
        None, description="password of the administrator `newsdesk up` creates on a database without users"
    )
    fetch: FetchSettings = FetchSettings()
    ingest: IngestSettings = IngestSettings()
    service: ServiceSettings = ServiceSettings()
    collect: CollectSettings = CollectSettings()
    auth: AuthSettings = AuthSettings()
    translate: TranslateSettings = TranslateSettings()
    reports: ReportSettings = ReportSettings()
    analysis_stages: list[str] = Field(
        default_factory=lambda: ["normalize", "langid", "entities", "documents", "themes"],
        description="analysis stages in order, by registered name",
    )
    collection_stages: list[str] = Field(
        default_factory=lambda: ["dedup", "stories"],
        description="stages that run over stored articles in arrival order, with state (copies, stories)",
    )

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite:// and postgresql:// URLs are supported")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("log_level must be DEBUG, INFO, WARNING or ERROR")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'newsdesk.db').as_posix()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Load and validate settings; raise :class:`ConfigError` naming the file and key."""
    import os

    path = config or (Path(os.environ["NEWSDESK_CONFIG"]) if os.environ.get("NEWSDESK_CONFIG") else None)
    origin = str(path) if path else "newsdesk.toml/environment"
    if path is not None and not path.is_file():
        raise ConfigError(f"{path}: settings file not found")
    try:
        if path is not None:
            bound = type(
                "BoundSettings",
                (Settings,),
                {"model_config": {**Settings.model_config, "toml_file": path}},
            )
            return bound(**overrides)
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"{origin}: invalid settings: {problems}") from exc
    except ValueError as exc:  # TOML syntax errors
        raise ConfigError(f"{origin}: {exc}") from exc
