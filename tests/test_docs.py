"""Docs are tested: every setting, CLI command and analysis stage is documented."""

from __future__ import annotations

from collections.abc import Iterator

import typer.main
from pydantic import BaseModel

from newsdesk.analyze.registry import registered_stages
from newsdesk.cli import app
from newsdesk.settings import Settings
from tests.conftest import REPO


def _keys(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _keys(annotation, f"{prefix}{name}.")
        else:
            yield prefix + name


def _commands(group: object, prefix: str = "") -> Iterator[str]:
    for name, command in getattr(group, "commands", {}).items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield prefix + name


def test_every_setting_is_documented() -> None:
    text = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [key for key in _keys(Settings) if f"`{key}`" not in text]
    assert not missing, f"undocumented settings: {missing}"


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = list(_commands(typer.main.get_command(app)))
    assert "ingest" in commands and "sources add" in commands
    missing = [c for c in commands if f"newsdesk {c}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_stage_is_in_the_architecture_doc() -> None:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [name for name in registered_stages() if name not in text]
    assert not missing, f"stages missing from docs/architecture.md: {missing}"


def test_registered_stages_match_the_saved_list() -> None:
    """Changing the stage set is a decision: update this list and docs/architecture.md together."""
    assert sorted(registered_stages()) == [
        "documents",
        "entities",
        "keyphrases",
        "langid",
        "normalize",
        "summary",
        "themes",
    ]
