"""Translation engines behind one interface, registered by name.

``base`` defines the :class:`Engine` protocol and the registry; the built-in
engines register themselves with the same hook any plug-in uses:

``local``   CTranslate2 + SentencePiece models installed under a folder (OPUS-MT, Argos)
``openai``  any OpenAI-compatible ``/chat/completions`` endpoint, glossary terms in the prompt

``none`` is not an engine: :func:`create_engine` returns ``None`` for it and
translation falls back to memory, glossary and the translator.
"""

from __future__ import annotations

from newsdesk.translate.engines.base import (
    NO_ENGINE,
    Engine,
    EngineFactory,
    EngineSpec,
    create_engine,
    register_engine,
    registered_engines,
)

__all__ = [
    "NO_ENGINE",
    "Engine",
    "EngineFactory",
    "EngineSpec",
    "create_engine",
    "register_engine",
    "registered_engines",
]
