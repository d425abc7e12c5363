"""The ``local`` engine against a tiny real CTranslate2 model built in conftest (no download)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from newsdesk.errors import ConfigError, NotFound
from newsdesk.translate import Glossary, TranslationMemory, create_engine, prepare_translation
from newsdesk.translate.engines import Engine, registered_engines
from newsdesk.translate.engines.local import LocalEngine, LocalEngineConfig, find_model_files
from tests.translate.conftest import STEERING_EN, STEERING_VI, TinyModels


def engine(models_dir: Path, **options: object) -> LocalEngine:
    """A local engine; random weights never stop on their own, so outputs are capped short."""
    built = create_engine("local", {"models_dir": models_dir, "max_decoding_length": 16, **options})
    assert isinstance(built, LocalEngine)
    return built


def test_local_is_registered_and_is_an_engine(tiny_models: TinyModels) -> None:
    assert {"local", "openai"} <= set(registered_engines())
    assert registered_engines()["local"].config is LocalEngineConfig
    assert isinstance(engine(tiny_models.root), Engine)


def test_pairs_are_discovered_from_folder_names(tiny_models: TinyModels, tmp_path: Path) -> None:
    for name in ("fr-en", "notapair", "vi-vi"):
        (tmp_path / name).mkdir()
    (tmp_path / "de-en").write_text("a file, not a folder", encoding="utf-8")
    assert engine(tmp_path).languages == {("fr", "en")}
    local = engine(tiny_models.root)
    assert local.languages == {("vi", "en"), ("en", "vi")}
    assert local.supports("vi", "en") and not local.supports("vi", "fr")


def test_models_load_lazily_once(tiny_models: TinyModels) -> None:
    local = engine(tiny_models.root)
    assert local.loaded() == frozenset()
    local.translate(["Ban Chỉ đạo họp tại Hà Nội."], "vi", "en")
    assert local.loaded() == {("vi", "en")}
    first = local._pair("vi", "en")
    local.translate(["Huế."], "vi", "en")
    assert local._pair("vi", "en") is first


@pytest.mark.parametrize("pair", [("vi", "en"), ("en", "vi")], ids=["opus-mt-layout", "argos-layout"])
def test_translate_runs_the_real_model(tiny_models: TinyModels, pair: tuple[str, str]) -> None:
    segments = ["Ban Chỉ đạo họp tại Hà Nội ngày 5.", "", "   ", "The committee met in Hanoi."]
    out = engine(tiny_models.root, beam_size=2).translate(segments, *pair)
    assert len(out) == len(segments)
    assert out[1] == "" and out[2] == ""
    assert all(isinstance(text, str) for text in out)
    again = engine(tiny_models.root, beam_size=2).translate(segments, *pair)
    assert again == out, "beam search on CPU is deterministic"


def test_decoding_options_reach_ctranslate2(tiny_models: TinyModels) -> None:
    """Greedy outputs under a growing length cap extend each other; the source changes the output."""
    texts = ["Thủ tướng làm việc với Bộ Ngoại giao tại Đà Nẵng ngày 12.", "Xin chào"]
    outputs = [
        engine(tiny_models.root, beam_size=1, max_decoding_length=cap).translate(texts, "vi", "en")
        for cap in (3, 5, 40)
    ]
    for shorter, longer in itertools.pairwise(outputs):
        for a, b in zip(shorter, longer, strict=True):
            assert b.startswith(a) and len(b) > len(a)
    assert outputs[-1][0] != outputs[-1][1]


def test_an_empty_batch_loads_nothing(tiny_models: TinyModels) -> None:
    local = engine(tiny_models.root)
    assert local.translate([], "vi", "en") == []
    assert local.translate([" "], "vi", "en") == [""]
    assert local.loaded() == frozenset()


def test_unknown_pair_is_not_found(tiny_models: TinyModels) -> None:
    with pytest.raises(NotFound, match=r"no vi-fr model folder \(available: en-vi, vi-en\)"):
        engine(tiny_models.root).translate(["Xin chào."], "vi", "fr")


def test_missing_models_dir_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="models_dir does not exist") as caught:
        engine(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(caught.value)


def test_bad_configuration_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="beam"):
        create_engine("local", {"models_dir": tmp_path, "beam": 3})
    with pytest.raises(ConfigError, match="unknown"):
        create_engine("deepl", {})
    assert create_engine("none") is None


@pytest.mark.parametrize(
    ("remove", "message"),
    [
        (["source.spm"], "missing SentencePiece model source.spm"),
        (["source.spm", "target.spm"], "source.spm and target.spm"),
        (["model.bin"], "no CTranslate2 model.bin"),
    ],
)
def test_missing_files_name_the_folder_at_first_use(
    tiny_models: TinyModels, tmp_path: Path, remove: list[str], message: str
) -> None:
    pair = tiny_models.copy_pair("vi-en", tmp_path)
    for name in remove:
        (pair / name).unlink()
    local = engine(tmp_path)
    assert local.supports("vi", "en"), "files are checked when the pair is loaded, not at start"
    with pytest.raises(ConfigError, match=message) as caught:
        local.translate(["Xin chào."], "vi", "en")
    assert str(pair) in str(caught.value)


def test_argos_layout_is_found(tiny_models: TinyModels) -> None:
    files = find_model_files(tiny_models.root / "en-vi")
    assert files.model_dir == tiny_models.root / "en-vi" / "model"
    assert files.source_spm == files.target_spm == tiny_models.root / "en-vi" / "sentencepiece.model"


def test_corrupt_model_is_a_config_error(tiny_models: TinyModels, tmp_path: Path) -> None:
    pair = tiny_models.copy_pair("vi-en", tmp_path)
    (pair / "model.bin").write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="cannot load the CTranslate2 model") as caught:
        engine(tmp_path).translate(["Xin chào."], "vi", "en")
    assert str(pair) in str(caught.value)


def test_corrupt_sentencepiece_is_a_config_error(tiny_models: TinyModels, tmp_path: Path) -> None:
    pair = tiny_models.copy_pair("vi-en", tmp_path)
    (pair / "target.spm").write_bytes(b"garbage")
    with pytest.raises(ConfigError, match="cannot load the SentencePiece model") as caught:
        engine(tmp_path).translate(["Xin chào."], "vi", "en")
    assert "target.spm" in str(caught.value)


def test_prepare_with_the_local_engine_flags_the_missing_terms(
    tiny_models: TinyModels, glossary: Glossary
) -> None:
    text = f"{STEERING_VI} họp tại Hà Nội. Xin chào."
    prepared = prepare_translation(text, "vi", "en", glossary, TranslationMemory(), engine(tiny_models.root))
    assert not prepared.manual and prepared.engine == "local"
    first, second = prepared.segments
    assert first.machine is not None and second.machine is not None
    assert [v.expected for v in first.violations] == [STEERING_EN], "gibberish cannot hold the approved term"
    assert second.violations == ()


def test_prepare_reports_a_broken_model_and_falls_back(
    tiny_models: TinyModels, tmp_path: Path, glossary: Glossary
) -> None:
    pair = tiny_models.copy_pair("vi-en", tmp_path)
    (pair / "source.spm").unlink()
    prepared = prepare_translation("Xin chào.", "vi", "en", glossary, TranslationMemory(), engine(tmp_path))
    assert prepared.manual and prepared.engine is None
    assert "local engine failed" in prepared.message and str(pair) in prepared.message
    assert prepared.segments[0].machine is None
