"""The stage registry: name → stage, with what each reads and sets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsdesk.errors import ConfigError
from newsdesk.model import Article
from newsdesk.settings import Settings

__all__ = ["Stage", "StageFn", "registered_stages", "run_stages", "stage"]

StageFn = Callable[[list[Article], Settings], list[Article]]


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    fn: StageFn
    reads: tuple[str, ...]
    sets: tuple[str, ...]
    doc: str


_REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, reads: Sequence[str], sets: Sequence[str]) -> Callable[[StageFn], StageFn]:
    """Register a batch stage under ``name``."""

    def register(fn: StageFn) -> StageFn:
        if name in _REGISTRY:
            raise ValueError(f"stage {name!r} registered twice")
        doc = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        _REGISTRY[name] = Stage(name, fn, tuple(reads), tuple(sets), doc)
        return fn

    return register


def registered_stages() -> dict[str, Stage]:
    _load_builtins()
    return dict(_REGISTRY)


def resolve(names: Sequence[str]) -> list[Stage]:
    stages = registered_stages()
    unknown = [n for n in names if n not in stages]
    if unknown:
        raise ConfigError(f"analysis_stages: unknown stage(s) {unknown}; known: {sorted(stages)}")
    return [stages[n] for n in names]


def run_stages(names: Sequence[str], articles: list[Article], settings: Settings) -> list[Article]:
    for st in resolve(names):
        articles = st.fn(articles, settings)
    return articles


def _load_builtins() -> None:
    import newsdesk.analyze.builtin  # noqa: F401  (registers on import)
