"""The public API of newsdesk.translate is explicit."""

from __future__ import annotations

import importlib

import pytest

import newsdesk.translate

MODULES = [
    "newsdesk.translate",
    "newsdesk.translate.check",
    "newsdesk.translate.engines",
    "newsdesk.translate.engines.base",
    "newsdesk.translate.engines.local",
    "newsdesk.translate.engines.openai_compat",
    "newsdesk.translate.glossary",
    "newsdesk.translate.glossary_io",
    "newsdesk.translate.memory",
    "newsdesk.translate.prepare",
    "newsdesk.translate.segment",
    "newsdesk.translate.tmx",
]


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_what_it_exports(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__ and len(module.__doc__.strip().splitlines()) >= 3, (
        "the docstring explains the design"
    )
    assert sorted(module.__all__) == sorted(set(module.__all__))
    assert all(hasattr(module, member) for member in module.__all__)


def test_the_package_exports_the_public_api() -> None:
    exported = set(newsdesk.translate.__all__)
    for name in MODULES[1:]:
        if ".engines" not in name:
            public = set(importlib.import_module(name).__all__) - {"NUMBER_WORDS", "STREET_WORDS", "TITLES"}
            assert public <= exported, f"{name}: {public - exported} not exported by newsdesk.translate"
