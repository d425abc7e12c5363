"""Language identification: ISO 639-1 code and confidence for a text.

``identify(text)`` answers in three steps:

1. **Too little text.** Fewer than :data:`MIN_LETTERS` letters in the first
   ``max_chars`` characters (empty, numbers, punctuation, one word) →
   ``LangResult("und", 0.0)``.
2. **Vietnamese letters (fast path).** When at least :data:`VI_MIN_WORDS`
   lowercase words carry a letter only Vietnamese writes (``ơ ư`` and the vowels
   with a hook, a dot below or a circumflex/breve plus a tone: ``ả ậ ế ộ ữ …``)
   and they are at least :data:`VI_MIN_SHARE` of all lowercase words, the text
   is Vietnamese without asking the model. Letters shared with other languages
   (``á à ã â ê ô ă đ ẹ ọ ĩ ũ``: Portuguese, Romanian, Croatian, Yoruba, Guarani)
   do not count, and neither do capitalised words, so an English article full
   of names such as ``Phạm Minh Chính`` does not pass. On 20,000 articles of the
   Vietnamese news corpus the share is never below 0.29 (1st percentile 0.38).
3. **The py3langid model** (0.4.0, its own model file, probabilities normalised
   with ``norm_probs=True``), restricted to the languages that have an ISO
   639-1 code; dialect labels are merged into their macrolanguage with their
   probability (``wuu``/``yue`` → ``zh``, ``arz``/``ary`` → ``ar``, ``uzs`` →
   ``uz``, ``sdh`` → ``ku``, ``kik`` → ``ki``, ``fuv`` → ``ff``, ``gug`` → ``gn``).
   Labels with no ISO 639-1 code (Extremaduran, Ligurian, Nigerian Pidgin …)
   are left out: they are never the language of the news monitored here and
   only steal probability from Spanish, Italian or English. When the model says
   Vietnamese but fewer than 5% of the lowercase words have a Vietnamese letter
   while capitalised words do, the names are what looks Vietnamese: the model
   is asked again about the lowercase words alone.

Limits (measured): Vietnamese written without diacritics is recognised by the
model alone — all of 300 corpus articles folded to ASCII at 2,000 characters,
98% at 300 characters, 90% at 100, 71% at 50; a short phrase such as
``"nhan quyen o Viet Nam"`` comes out as Aragonese (``an``). Indonesian and
Malay are close (confidence ~0.7 for ``id``). Mixed-language text gets the
majority language with a lower confidence.

The model loads once, lazily, under a lock; identification itself is
read-only and thread-safe.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from newsdesk.errors import ConfigError
from newsdesk.text.normalize import VIETNAMESE_VOWELS

__all__ = [
    "MIN_LETTERS",
    "UNDETERMINED",
    "VI_FAST_CONFIDENCE",
    "VI_MIN_SHARE",
    "VI_MIN_WORDS",
    "LangResult",
    "identify",
    "supported_languages",
]

UNDETERMINED = "und"
MIN_LETTERS = 10
"""Fewer letters than this in the sample → ``und`` (a CJK character counts as one letter)."""
VI_MIN_WORDS = 12
VI_MIN_SHARE = 0.2
_NAMES_ONLY_SHARE = 0.05
"""Below this share of Vietnamese lowercase words, a "vi" from the model is owed to names."""
VI_FAST_CONFIDENCE = 0.999
"""Confidence of the fast path. The model's own confidence on each of the 20,000
corpus articles that pass the gate was ≥ 0.999."""

_MACROLANGUAGES = {
    "arz": "ar", "ary": "ar", "uzs": "uz", "sdh": "ku", "wuu": "zh", "yue": "zh",
    "kik": "ki", "fuv": "ff", "gug": "gn",
}  # fmt: skip
"""py3langid labels without an ISO 639-1 code that belong to a language with one."""

_SHARED_LETTERS = frozenset("áàãâéèêíìóòõôúùýăđĩũẽỹỳẹọịụ")
_VI_ONLY = "".join(
    sorted(c for c in VIETNAMESE_VOWELS if c.islower() and not c.isascii() and c not in _SHARED_LETTERS)
)
_VI_LOWER = "a-zđ" + "".join(sorted(c for c in VIETNAMESE_VOWELS if c.islower()))
_LOWER_WORD = re.compile(rf"\b[{_VI_LOWER}]")
_VI_WORD = re.compile(rf"\b[{_VI_LOWER}]*[{_VI_ONLY}]")
_VI_LETTER = re.compile(f"[{_VI_ONLY}{_VI_ONLY.upper()}]")
_ENOUGH_LETTERS = re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{MIN_LETTERS}}}")


@dataclass(frozen=True, slots=True)
class LangResult:
    """An ISO 639-1 code (``"und"`` when undetermined) and a confidence in [0, 1]."""

    code: str
    confidence: float


_lock = threading.Lock()
_identifier: LanguageIdentifier | None = None


def _load() -> LanguageIdentifier:
    path = Path(MODEL_DIR) / MODEL_FILE
    try:
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: cannot load the py3langid model: {exc}") from exc
    identifier.set_languages([label for label in identifier.labels if _iso_code(label)])
    return identifier


def _model() -> LanguageIdentifier:
    """The identifier, loaded on first use (double-checked under a lock)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                _identifier = _load()
    return _identifier


def _iso_code(label: str) -> str | None:
    """The ISO 639-1 code a py3langid label reports as, or None."""
    return label if len(label) == 2 else _MACROLANGUAGES.get(label)


def supported_languages() -> list[str]:
    """The ISO 639-1 codes :func:`identify` can answer, sorted."""
    return sorted({code for label in _model().labels if (code := _iso_code(label))})


def _ask_model(text: str) -> LangResult:
    """The model's best language with the probabilities of its dialect labels added."""
    merged: dict[str, float] = {}
    for label, probability in _model().rank(text):
        code = _iso_code(label) or label
        merged[code] = merged.get(code, 0.0) + probability
    code = max(merged, key=merged.__getitem__)
    return LangResult(code, min(1.0, max(0.0, merged[code])))


def _vietnamese_words(sample: str) -> tuple[int, int]:
    """(lowercase words with a Vietnamese-only letter, all lowercase words)."""
    return len(_VI_WORD.findall(sample)), len(_LOWER_WORD.findall(sample))


def _is_clearly_vietnamese(vi_words: int, lower_words: int) -> bool:
    return vi_words >= VI_MIN_WORDS and vi_words >= VI_MIN_SHARE * lower_words


def _without_names(sample: str) -> str:
    return " ".join(word for word in sample.split() if not word[:1].isupper())


def _recheck_names(sample: str, result: LangResult, vi_words: int) -> LangResult:
    """A "vi" owed only to Vietnamese names in another language: ask about the other words."""
    names_only = vi_words < _NAMES_ONLY_SHARE * len(_LOWER_WORD.findall(sample))
    if result.code != "vi" or not names_only or not _VI_LETTER.search(sample):
        return result
    rest = _without_names(sample)
    return _ask_model(rest) if _ENOUGH_LETTERS.match(rest) else result


def identify(text: str, max_chars: int = 2000) -> LangResult:
    """The language of ``text`` judged on its first ``max_chars`` characters (see the module doc)."""
    sample = text[:max_chars]
    if not _ENOUGH_LETTERS.match(sample):
        return LangResult(UNDETERMINED, 0.0)
    vi_words, lower_words = _vietnamese_words(sample) if _VI_LETTER.search(sample) else (0, 0)
    if _is_clearly_vietnamese(vi_words, lower_words):
        return LangResult("vi", VI_FAST_CONFIDENCE)
    return _recheck_names(sample, _ask_model(sample), vi_words)
