"""The engine interface and the registry of engines by name.

An engine is anything with a ``name``, the language pairs it serves and a batch
``translate``::

    class Engine(Protocol):
        name: str
        languages: frozenset[tuple[str, str]]        # (src, tgt) pairs; may be open-ended
        def supports(self, src: str, tgt: str) -> bool: ...
        def translate(self, segments: list[str], src: str, tgt: str, *,
                      terms: Sequence[Sequence[RequiredTerm]] | None = None) -> list[str]: ...

``translate`` returns one output per input segment, in order (``""`` for a
blank one). ``terms`` are the glossary constraints of each segment
(:func:`newsdesk.translate.check.required_terms`); an engine that can pass them
to its model does (the ``openai`` engine puts them in the prompt), one that
cannot ignores them — :func:`newsdesk.translate.check.check_glossary` flags the
result either way. Failures are :mod:`newsdesk.errors` types: ``ConfigError``
(model files missing), ``NotFound`` (no model for the pair), ``FetchError`` and
its subclasses (HTTP).

Engines are registered like a hook, with the pydantic model of their
configuration section; the built-ins use the same decorator::

    @register_engine("local", config=LocalEngineConfig)
    def local_engine(config: LocalEngineConfig) -> Engine: ...

:func:`create_engine` validates a configuration mapping (unknown keys rejected)
and builds the engine; the name ``"none"`` means *no engine*: it returns
``None`` and :func:`newsdesk.translate.prepare.prepare_translation` works from
memory and glossary alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from newsdesk.errors import ConfigError
from newsdesk.translate.check import RequiredTerm

__all__ = [
    "NO_ENGINE",
    "Engine",
    "EngineFactory",
    "EngineSpec",
    "create_engine",
    "register_engine",
    "registered_engines",
]

NO_ENGINE = "none"
"""The engine name that means: translate from memory and glossary, by hand."""


@runtime_checkable
class Engine(Protocol):
    """A machine-translation engine (see the module docstring)."""

    name: str

    @property
    def languages(self) -> frozenset[tuple[str, str]]: ...

    def supports(self, src: str, tgt: str) -> bool: ...

    def translate(
        self,
        segments: list[str],
        src: str,
        tgt: str,
        *,
        terms: Sequence[Sequence[RequiredTerm]] | None = None,
    ) -> list[str]: ...


C = TypeVar("C", bound=BaseModel)
EngineFactory = Callable[[Any], Engine]


@dataclass(frozen=True, slots=True)
class EngineSpec:
    """A registered engine: its name, configuration model and factory."""

    name: str
    config: type[BaseModel]
    factory: EngineFactory
    doc: str


_REGISTRY: dict[str, EngineSpec] = {}


def register_engine(
    name: str, *, config: type[C]
) -> Callable[[Callable[[C], Engine]], Callable[[C], Engine]]:
    """Register ``factory(config) -> Engine`` under ``name``."""

    def register(factory: Callable[[C], Engine]) -> Callable[[C], Engine]:
        if name in _REGISTRY or name == NO_ENGINE:
            raise ValueError(f"engine {name!r} registered twice")
        doc = (factory.__doc__ or "").strip().split("\n", 1)[0]
        _REGISTRY[name] = EngineSpec(name, config, factory, doc)
        return factory

    return register


def registered_engines() -> dict[str, EngineSpec]:
    """Every registered engine by name (the built-ins included)."""
    _load_builtins()
    return dict(_REGISTRY)


def create_engine(name: str, config: Mapping[str, Any] | BaseModel | None = None) -> Engine | None:
    """The engine ``name`` built from ``config``; ``None`` for :data:`NO_ENGINE`."""
    if name == NO_ENGINE:
        return None
    engines = registered_engines()
    if name not in engines:
        raise ConfigError(f"translation engine {name!r} is unknown; known: {[NO_ENGINE, *sorted(engines)]}")
    spec = engines[name]
    if isinstance(config, spec.config):
        return spec.factory(config)
    try:
        settings = spec.config.model_validate(dict(config or {}))
    except ValidationError as exc:
        raise ConfigError(f"translation engine {name!r}: {exc}") from exc
    return spec.factory(settings)


def _load_builtins() -> None:
    from newsdesk.translate.engines import local, openai_compat  # noqa: F401  (they register themselves)
