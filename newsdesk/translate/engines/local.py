"""The ``local`` engine: CTranslate2 models the office installs itself (OPUS-MT, Argos Translate).

Nothing is downloaded. ``models_dir`` holds one sub-folder per language pair,
named ``<src>-<tgt>`` with ISO 639-1 codes::

    models/
      vi-en/                    OPUS-MT converted with ct2-opus-mt-converter
        model.bin               the CTranslate2 model
        config.json
        shared_vocabulary.json  (or source_vocabulary.* and target_vocabulary.*)
        source.spm              SentencePiece model of the source side
        target.spm              SentencePiece model of the target side
      en-vi/                    an Argos Translate package, unzipped
        model/                  the CTranslate2 model (model.bin, config.json, vocabularies)
        sentencepiece.model     one SentencePiece model for both sides
        metadata.json …         (ignored)

The CTranslate2 model is ``<pair>/model/`` when that folder holds a
``model.bin``, else ``<pair>/`` itself; the SentencePiece models are
``source.spm`` + ``target.spm``, else ``sentencepiece.model`` for both sides.
Pairs are discovered from the folder names when the engine is created; a pair's
files are checked and loaded on its first ``translate`` (once, under a lock) and
a missing file is a :class:`newsdesk.errors.ConfigError` naming the folder and
the file. Multi-target OPUS-MT models that need a ``>>fra<<`` token are not
supported.

Each segment is normalized (:func:`newsdesk.text.normalize.normalize_text`),
split into pieces with the source model, translated in batches with beam
search, and the best hypothesis decoded with the target model. Glossary
``terms`` cannot be imposed on a CTranslate2 model; they are ignored here and
checked afterwards by :func:`newsdesk.translate.check.check_glossary`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsdesk.errors import ConfigError, NotFound
from newsdesk.text.normalize import normalize_text
from newsdesk.translate.check import RequiredTerm
from newsdesk.translate.engines.base import register_engine

__all__ = ["LocalEngine", "LocalEngineConfig", "ModelFiles", "find_model_files"]

_PAIR_DIR = re.compile(r"([a-z]{2})-([a-z]{2})")


class LocalEngineConfig(BaseModel):
    """Configuration of the ``local`` engine."""

    model_config = ConfigDict(extra="forbid")

    models_dir: Path = Field(description="folder with one <src>-<tgt> sub-folder per language pair")
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    compute_type: str = Field("default", description="CTranslate2 compute type: default, int8, float16 …")
    beam_size: int = Field(4, ge=1, le=16)
    max_decoding_length: int = Field(256, gt=0, description="maximum pieces per output segment")
    max_batch_size: int = Field(32, gt=0, description="segments per CTranslate2 batch")
    inter_threads: int = Field(1, gt=0)
    intra_threads: int = Field(0, ge=0, description="0: CTranslate2's default")


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """Where the files of one language pair are."""

    model_dir: Path
    source_spm: Path
    target_spm: Path


def find_model_files(pair_dir: Path) -> ModelFiles:
    """The model files of ``pair_dir`` (layout in the module docstring), or :class:`ConfigError`."""
    if not pair_dir.is_dir():
        raise ConfigError(f"{pair_dir}: the model folder does not exist")
    nested = pair_dir / "model"
    model_dir = nested if (nested / "model.bin").is_file() else pair_dir
    if not (model_dir / "model.bin").is_file():
        raise ConfigError(f"{pair_dir}: no CTranslate2 model.bin in it or in its model/ folder")
    source, target = pair_dir / "source.spm", pair_dir / "target.spm"
    if source.is_file() and target.is_file():
        return ModelFiles(model_dir, source, target)
    shared = pair_dir / "sentencepiece.model"
    if shared.is_file():
        return ModelFiles(model_dir, shared, shared)
    missing = [p.name for p in (source, target) if not p.is_file()]
    raise ConfigError(
        f"{pair_dir}: missing SentencePiece model {' and '.join(missing)} "
        "(OPUS-MT layout) or sentencepiece.model (Argos layout)"
    )


@dataclass(slots=True)
class _LoadedPair:
    translator: Any
    source: Any
    target: Any


class LocalEngine:
    """CTranslate2 + SentencePiece models from ``config.models_dir``, loaded on first use."""

    name = "local"

    def __init__(self, config: LocalEngineConfig) -> None:
        self.config = config
        if not config.models_dir.is_dir():
            raise ConfigError(f"{config.models_dir}: the local engine's models_dir does not exist")
        self._pairs = _discover(config.models_dir)
        self._loaded: dict[tuple[str, str], _LoadedPair] = {}
        self._lock = threading.Lock()

    @property
    def languages(self) -> frozenset[tuple[str, str]]:
        return self._pairs

    def supports(self, src: str, tgt: str) -> bool:
        return (src, tgt) in self._pairs

    def loaded(self) -> frozenset[tuple[str, str]]:
        """The pairs whose models are in memory."""
        return frozenset(self._loaded)

    def translate(
        self,
        segments: list[str],
        src: str,
        tgt: str,
        *,
        terms: Sequence[Sequence[RequiredTerm]] | None = None,
    ) -> list[str]:
        """One translation per segment; blank segments stay ``""``."""
        todo = [(i, normalize_text(s)) for i, s in enumerate(segments) if s.strip()]
        outputs = [""] * len(segments)
        if not todo:
            return outputs
        pair = self._pair(src, tgt)
        pieces = [pair.source.encode(text, out_type=str) for _, text in todo]
        results = pair.translator.translate_batch(
            pieces,
            beam_size=self.config.beam_size,
            max_decoding_length=self.config.max_decoding_length,
            max_batch_size=self.config.max_batch_size,
        )
        for (i, _), result in zip(todo, results, strict=True):
            outputs[i] = pair.target.decode(result.hypotheses[0])
        return outputs

    def _pair(self, src: str, tgt: str) -> _LoadedPair:
        if not self.supports(src, tgt):
            known = ", ".join(f"{s}-{t}" for s, t in sorted(self._pairs)) or "none"
            raise NotFound(f"{self.config.models_dir}: no {src}-{tgt} model folder (available: {known})")
        with self._lock:
            if (src, tgt) not in self._loaded:
                self._loaded[(src, tgt)] = self._load(self.config.models_dir / f"{src}-{tgt}")
            return self._loaded[(src, tgt)]

    def _load(self, pair_dir: Path) -> _LoadedPair:
        files = find_model_files(pair_dir)
        import ctranslate2
        import sentencepiece

        try:
            translator = ctranslate2.Translator(
                str(files.model_dir),
                device=self.config.device,
                compute_type=self.config.compute_type,
                inter_threads=self.config.inter_threads,
                intra_threads=self.config.intra_threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise ConfigError(f"{files.model_dir}: cannot load the CTranslate2 model: {exc}") from exc
        return _LoadedPair(
            translator, _spm(sentencepiece, files.source_spm), _spm(sentencepiece, files.target_spm)
        )


def _spm(module: Any, path: Path) -> Any:
    try:
        return module.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise ConfigError(f"{path}: cannot load the SentencePiece model: {exc}") from exc


def _discover(models_dir: Path) -> frozenset[tuple[str, str]]:
    pairs = set()
    for child in models_dir.iterdir():
        match = _PAIR_DIR.fullmatch(child.name)
        if child.is_dir() and match and match[1] != match[2]:
            pairs.add((match[1], match[2]))
    return frozenset(pairs)


@register_engine("local", config=LocalEngineConfig)
def local_engine(config: LocalEngineConfig) -> LocalEngine:
    """CTranslate2 models installed under a folder, one sub-folder per language pair."""
    return LocalEngine(config)
