"""Exact and near-duplicate detection: syndicated copies and light edits of one text.

A duplicate is *the same text published again*: a copy on another outlet, a re-post
with a new headline, a truncated version, one with other photo captions, a light
edit that changes a few words per sentence. Different outlets' own reports of one
event share only names and phrases (3-word-shingle containment mostly under 0.4) and
are *not* duplicates here; grouping those is story clustering
(:mod:`newsdesk.analyze.stories`).

**Words.** Title and body are folded (:func:`newsdesk.text.fold.fold`: case,
diacritics, ``hoà``/``hòa``, dashes) and cut into words at every character that is
neither a letter, a digit nor a combining mark; each word gets a stable 64-bit hash,
computed with numpy over the whole text at once.

**Exact** copies have the same *exact hash*: a 128-bit BLAKE2b of the title's and the
body's word sequences. Whitespace, line breaks, punctuation, case and accents do not
change it; a new headline does (that copy is found as *near*, similarity 1.0).

**Near** copies are found in the body alone (the title is ignored). The body's word
3-grams (*shingles*) are hashed to 32 bits; the signature keeps

* a one-permutation MinHash (each shingle hashed once into one of ``bins`` bins, the
  least value per bin, empty bins filled by rotation), cut into bands of ``band_rows``
  values for locality-sensitive hashing (LSH): an article sharing a whole band with an
  earlier one becomes a *candidate*. With 64 bands of 2, a pair of Jaccard similarity
  0.3 shares a band with probability 0.997, one of 0.05 with probability 0.15;
* a consistent sample of the shingles (those whose hash is divisible by
  ``sample_mod``; 1 keeps all), on which each candidate is *verified*: the containment
  of the shorter body in the longer, ``|A ∩ B| / min(|A|, |B|)`` over the samples, must
  reach ``threshold``. Containment, not Jaccard, so that a copy truncated to half its
  length still scores 1.0. Pairs whose shingle counts differ by more than a factor of
  ``min_length_ratio`` are quotations or excerpts, not copies, and are never matched.

The default threshold, 0.5, sits between light rewrites (10–20% of the words of every
sentence changed: containment 0.5–0.8) and other outlets' own reports of one event
(under 0.4 for 99% of the vims-dev pairs that share no long passages);
``newsdesk.evaluate.dedup`` measures it. Word 3-grams keep most of a light rewrite;
2-grams let same-event reports score as high as rewrites, 4-grams keep too little of
a rewrite (0.8⁴ ≈ 0.41 of them survive a 20% edit).

**Groups.** Copies are kept, grouped: an article that matches joins the group of the
article it matched best (exact before near, then higher similarity). ``group_id`` is
the id of the group's first article to arrive and never changes; ``canonical_id`` is
its earliest-published member. When a copy carries an earlier publication time than
the group's canonical, it becomes the canonical and the result names the one it
replaces (``previous_canonical_id``) so the caller can re-point the group.

**Time window.** Only articles published within ``window_days`` of the newest
publication time seen are compared; older ones are evicted, so the cost of
:meth:`DuplicateIndex.add` depends on the window, not on the archive. A group keeps its
canonical while any member is in the window.

**Cost.** On 500-word articles a signature takes 0.3–0.4 ms and :meth:`add` 0.6–0.7 ms
of CPU in all, independent of the window's size; the window holds about 1.9 kB
per article (the ~1.4 kB signature, the LSH keys in sorted numpy arrays, the records).
The index is not thread-safe.

**State.** Every result carries the article's ``signature`` (bytes) and
``exact_hash``; a caller stores them and rebuilds the index at start with
:meth:`DuplicateIndex.rebuild`, without re-reading any text. Signatures record the
parameters they were made with; those made with other parameters (or damaged) are
reported as ``stale_ids`` and must be recomputed from text.

:func:`reused_passages` shows what a pair shares: the passages of at least
``min_words`` words found in both texts, as character offsets in each.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import struct
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsdesk.text.fold import fold

__all__ = [
    "SIGNATURE_VERSION",
    "DedupConfig",
    "DedupDoc",
    "DedupResult",
    "DuplicateIndex",
    "DuplicateKind",
    "Passage",
    "Signature",
    "StoredEntry",
    "containment",
    "reused_passages",
    "signature",
    "word_hashes",
]

SIGNATURE_VERSION = 1
"""Bumped whenever the words, hashes or layout of a signature change."""

DuplicateKind = Literal["exact", "near"]


class DedupConfig(BaseModel):
    """Tunable parameters of duplicate detection."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(
        0.5, gt=0, le=1, description="containment of the shorter body's shingles in the longer one's"
    )
    window_days: float = Field(30.0, gt=0, description="articles this much older than the newest are evicted")
    shingle_words: int = Field(3, ge=1, le=8, description="words per shingle")
    bins: int = Field(128, ge=8, le=1024, description="one-permutation MinHash bins per signature")
    band_rows: int = Field(2, ge=1, le=16, description="MinHash values per LSH band")
    sample_mod: int = Field(2, ge=1, le=64, description="keep the shingles whose hash is divisible by this")
    min_words: int = Field(25, ge=1, description="shorter bodies get exact detection only")
    min_length_ratio: float = Field(
        0.25, ge=0, le=1, description="shingle counts of a matching pair differ at most by this factor"
    )
    max_candidates: int = Field(
        40, gt=0, description="candidates verified per article (most shared bands first)"
    )
    max_bucket: int = Field(500, gt=0, description="fuller LSH buckets are not used to find candidates")
    seed: int = Field(1, ge=0, lt=2**32, description="seed of the MinHash functions")

    @model_validator(mode="after")
    def _bands_divide(self) -> DedupConfig:
        if self.bins % self.band_rows:
            raise ValueError(f"bins ({self.bins}) must be a multiple of band_rows")
        return self


@dataclass(frozen=True, slots=True)
class DedupDoc:
    """What duplicate detection needs of one article. ``published`` None means: now."""

    id: str
    title: str
    text: str
    published: datetime | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Signature:
    """What to store per article to rebuild the index without its text."""

    data: bytes
    exact_hash: str
    words: int


@dataclass(frozen=True, slots=True)
class DedupResult:
    """What :meth:`DuplicateIndex.add` decided for one article.

    ``kind`` is None for an original. ``matched_id`` is the member it was found to copy,
    ``similarity`` the containment with it (1.0 for exact; for an original, the best
    score of a candidate that fell short, else 0.0). ``previous_canonical_id`` is set
    when this article is earlier than its group's canonical and replaces it.
    ``cross_outlet`` tells a copy on another outlet (True) from a re-post on the same
    outlet (False); None when either outlet is unknown or there is no match.
    """

    id: str
    group_id: str
    canonical_id: str
    kind: DuplicateKind | None
    similarity: float
    matched_id: str | None
    previous_canonical_id: str | None
    cross_outlet: bool | None
    signature: bytes
    exact_hash: str

    @property
    def duplicate(self) -> bool:
        return self.kind is not None


class StoredEntry(NamedTuple):
    """One stored article for :meth:`DuplicateIndex.rebuild`; a plain 4-tuple works too.

    With ``group_id`` the article rejoins that group as it was; without, it is matched
    again as if it arrived now (pass entries in their arrival order).
    """

    id: str
    published: datetime | None
    signature: bytes
    exact_hash: str
    group_id: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """One passage found in both texts: character offsets ``[start, end)`` in each."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
    text: str


# ---------------------------------------------------------------- words and hashes

_TOKEN = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    r"\u00ad\u200b-\u200d\u2060\ufeff])+"
)
"""A word as written: letters and digits, with combining marks and invisible characters inside."""
_FOLDED: dict[str, str] = {}


def _folded_token(token: str) -> str:
    value = _FOLDED.get(token)
    if value is None:
        if len(_FOLDED) > 200_000:
            _FOLDED.clear()
        value = _FOLDED[token] = token.lower() if token.isascii() else fold(token)
    return value


_U64 = np.uint64
_MUL = (_U64(0x9E3779B97F4A7C15), _U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB))


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64 finalizer over a uint64 array (wraps modulo 2**64)."""
    values = values ^ (values >> _U64(30))
    values = values * _MUL[1]
    values = values ^ (values >> _U64(27))
    values = values * _MUL[2]
    return values ^ (values >> _U64(31))


def _word_char_table() -> np.ndarray:
    """Per BMP code point: a letter, digit or combining mark (part of a word)."""
    chars = (chr(code) for code in range(0x10000))
    return np.fromiter((c.isalnum() or unicodedata.category(c)[0] == "M" for c in chars), bool, 0x10000)


_WORD_CHAR = _word_char_table()


def word_hashes(text: str) -> np.ndarray:
    """Stable 64-bit hashes (uint64) of the folded words of ``text``, in order.

    Characters outside the Basic Multilingual Plane (emoji, rare ideographs) separate
    words.
    """
    units = np.frombuffer(fold(text).encode("utf-32-le"), dtype=np.uint32)
    is_word = _WORD_CHAR[np.minimum(units, 0xFFFF)] & (units < 0x10000)
    if not is_word.any():
        return np.empty(0, dtype=_U64)
    starts_mask = is_word & ~np.concatenate(([False], is_word[:-1]))
    chars = units[is_word].astype(_U64)
    first = starts_mask[is_word]
    starts = np.flatnonzero(first)
    offsets = np.arange(len(chars), dtype=_U64) - starts[np.cumsum(first) - 1].astype(_U64)
    per_char = _mix(chars * _MUL[0] + offsets * _MUL[1] + _U64(1))
    return _mix(np.add.reduceat(per_char, starts))


def _exact_hash(title: str, body: np.ndarray) -> str:
    """BLAKE2b-128 of the title's folded words and the body's word hashes; ``""`` without words."""
    title_words = " ".join(_folded_token(token) for token in _TOKEN.findall(title))
    if not title_words and not len(body):
        return ""
    digest = hashlib.blake2b(digest_size=16, person=b"newsdesk-dedup")
    digest.update(title_words.encode() + b"\0" + body.tobytes())
    return digest.hexdigest()


def _shingles(words: np.ndarray, size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the ``size``-word shingles."""
    count = len(words) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    rolled = words[:count].copy()
    for k in range(1, size):
        rolled = rolled * _MUL[0] + words[k : count + k]
    ordered = np.sort((_mix(rolled) >> _U64(32)).astype(np.uint32))
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


_EMPTY = np.uint32(0xFFFFFFFF)


def _salt(seed: int, purpose: bytes, count: int = 1) -> np.ndarray:
    """``count`` uint64 salts derived from ``seed`` with BLAKE2b: the same on every machine, forever."""
    material = hashlib.blake2b(struct.pack("<I", seed) + purpose, digest_size=64).digest()
    while len(material) < 8 * count:
        material += hashlib.blake2b(material[-64:], digest_size=64).digest()
    return np.frombuffer(material[: 8 * count], dtype="<u8").astype(_U64)


def _minhash(shingles: np.ndarray, bins: int, salt: np.ndarray) -> np.ndarray:
    """One-permutation MinHash: each shingle hashed once into one of ``bins``, the least value per bin.

    Empty bins borrow from the next filled bin to the right, rehashed with the
    distance ("densification by rotation", Shrivastava & Li 2014), so two sketches
    agree in a bin with probability close to the Jaccard similarity of their sets.
    """
    hashed = _mix(shingles.astype(_U64) ^ salt[0])
    slots = (((hashed >> _U64(32)) * _U64(bins)) >> _U64(32)).astype(np.intp)
    sketch = np.full(bins, _EMPTY, dtype=np.uint32)
    np.minimum.at(sketch, slots, (hashed & _U64(0xFFFFFFFF)).astype(np.uint32))
    return _densify(sketch)


def _densify(sketch: np.ndarray) -> np.ndarray:
    empty = sketch == _EMPTY
    if empty.all() or not empty.any():
        return sketch
    filled = np.flatnonzero(~empty)
    circular = np.concatenate((filled, filled + len(sketch)))
    positions = np.arange(len(sketch))
    source = circular[np.searchsorted(circular, positions)]
    distance = (source - positions).astype(_U64)
    borrowed = _mix(sketch[source % len(sketch)].astype(_U64) + distance * _MUL[0]) >> _U64(32)
    return np.where(empty, borrowed.astype(np.uint32), sketch)


# ---------------------------------------------------------------- signatures

_HEADER = struct.Struct("<BBBxHxxII")
"""version, shingle_words, sample_mod, bins, seed, shingle count."""


@dataclass(frozen=True, slots=True)
class _Sketch:
    """A decoded signature: MinHash bins, shingle sample, shingle count."""

    minhash: np.ndarray
    sample: np.ndarray
    shingles: int


class _Hasher:
    """Signatures and LSH band keys for one configuration."""

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self.salt = _salt(config.seed, b"minhash")
        self.band_salts = _salt(config.seed, b"bands", config.bins // config.band_rows)
        self.header = _HEADER.pack(
            SIGNATURE_VERSION, config.shingle_words, config.sample_mod, config.bins, config.seed, 0
        )[:-4]

    def signature(self, title: str, text: str) -> Signature:
        body = word_hashes(text)
        exact = _exact_hash(title, body)
        if len(body) < self.config.min_words:
            return Signature(self.header + struct.pack("<I", 0), exact, len(body))
        shingles = _shingles(body, self.config.shingle_words)
        sample = shingles[shingles % np.uint32(self.config.sample_mod) == 0]
        minhash = _minhash(shingles, self.config.bins, self.salt)
        parts = (self.header, struct.pack("<I", len(shingles)), minhash.astype("<u4").tobytes())
        return Signature(b"".join((*parts, sample.astype("<u4").tobytes())), exact, len(body))

    def decode(self, data: bytes) -> _Sketch | None:
        """The sketch of a current signature (see :meth:`is_current`); None when the body was too short."""
        size = _HEADER.size
        (count,) = struct.unpack_from("<I", data, size - 4)
        if count == 0:
            return None
        end = size + 4 * self.config.bins
        minhash = np.frombuffer(data, dtype="<u4", count=self.config.bins, offset=size)
        return _Sketch(minhash, np.frombuffer(data, dtype="<u4", offset=end), count)

    def is_current(self, data: bytes) -> bool:
        """Made with this configuration, and whole."""
        size = _HEADER.size
        if len(data) < size or data[: size - 4] != self.header:
            return False
        (count,) = struct.unpack_from("<I", data, size - 4)
        body = len(data) - size - 4 * self.config.bins
        return len(data) == size if count == 0 else body >= 0 and body % 4 == 0

    def band_keys(self, sketch: _Sketch) -> np.ndarray:
        """One 64-bit key per LSH band (salted per band, so one table holds all bands)."""
        rows = sketch.minhash.reshape(-1, self.config.band_rows).astype(_U64)
        keys = rows[:, 0]
        for column in range(1, self.config.band_rows):
            keys = _mix(keys) ^ rows[:, column]
        return _mix(keys ^ self.band_salts)


def signature(doc: DedupDoc, config: DedupConfig | None = None) -> Signature:
    """The stored form of ``doc`` under ``config`` (see the module docstring)."""
    return _hasher(config or DedupConfig()).signature(doc.title, doc.text)


_HASHERS: dict[DedupConfig, _Hasher] = {}


def _hasher(config: DedupConfig) -> _Hasher:
    if config not in _HASHERS:
        _HASHERS[config] = _Hasher(config)
    return _HASHERS[config]


def containment(first: bytes, second: bytes, config: DedupConfig | None = None) -> float:
    """Containment of the shorter body in the longer, from two signatures; 0.0 if either has none."""
    hasher = _hasher(config or DedupConfig())
    if not (hasher.is_current(first) and hasher.is_current(second)):
        raise ValueError("signature made with other parameters or damaged; recompute it")
    a, b = hasher.decode(first), hasher.decode(second)
    return _containment(a, b) if a is not None and b is not None else 0.0


def _containment(a: _Sketch, b: _Sketch) -> float:
    smaller = min(len(a.sample), len(b.sample))
    if not smaller:
        return 0.0
    shared = len(np.intersect1d(a.sample, b.sample, assume_unique=True))
    return min(shared / smaller, 1.0)


# ---------------------------------------------------------------- LSH buckets


class _BandTable:
    """LSH buckets: band key → owners (entry serial numbers), for all bands at once.

    Most keys live in one sorted numpy array (with the owners alongside), about 16
    bytes per band and article; recent ones in a dict, merged into the array once they
    reach 1/32 of it, so the amortized cost of an insert does not grow with the
    window. Removal is lazy: an evicted owner is marked dead and dropped at the next
    merge.
    """

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=_U64)
        self._owners = np.empty(0, dtype=np.int64)
        self._recent: dict[int, list[int]] = {}
        self._pending: list[tuple[np.ndarray, int]] = []
        self._alive = np.zeros(1024, dtype=bool)
        self._live = 0

    def add(self, keys: np.ndarray, owner: int) -> None:
        for key in keys.tolist():
            self._recent.setdefault(key, []).append(owner)
        self._pending.append((keys, owner))
        if owner >= len(self._alive):
            self._alive = np.concatenate(
                (self._alive, np.zeros(max(owner + 1, len(self._alive)), dtype=bool))
            )
        self._alive[owner] = True
        self._live += 1
        if len(self._pending) >= max(256, self._live // 32):
            self._merge()

    def discard(self, owner: int) -> None:
        if self._alive[owner]:
            self._alive[owner] = False
            self._live -= 1

    def lookup(self, keys: np.ndarray, max_bucket: int) -> list[int]:
        """Live owners in the buckets of ``keys``, once per shared band; fuller buckets are skipped."""
        found: list[int] = []
        if len(self._keys):
            low = np.searchsorted(self._keys, keys)
            hit = self._keys[np.minimum(low, len(self._keys) - 1)] == keys
            if hit.any():
                high = np.searchsorted(self._keys, keys[hit], side="right")
                for start, end in zip(low[hit].tolist(), high.tolist(), strict=True):
                    if end - start <= max_bucket:
                        found.extend(self._owners[start:end].tolist())
        if self._recent:
            for key in keys.tolist():
                members = self._recent.get(key)
                if members and len(members) <= max_bucket:
                    found.extend(members)
        alive = self._alive
        return [owner for owner in found if alive[owner]]

    def _merge(self) -> None:
        keys = np.concatenate([k for k, _ in self._pending])
        owners = np.repeat(np.array([o for _, o in self._pending], dtype=np.int64), len(self._pending[0][0]))
        order = np.argsort(keys, kind="stable")
        keys, owners = keys[order], owners[order]
        fresh = self._alive[owners]
        kept = self._alive[self._owners]
        base_keys, base_owners = self._keys[kept], self._owners[kept]
        positions = np.searchsorted(base_keys, keys[fresh], side="right")
        self._keys = np.insert(base_keys, positions, keys[fresh])
        self._owners = np.insert(base_owners, positions, owners[fresh])
        self._recent.clear()
        self._pending.clear()


# ---------------------------------------------------------------- the index


@dataclass(slots=True)
class _Entry:
    """One article in the window and what was decided for it."""

    id: str
    serial: int
    published: datetime
    signature: bytes
    sketch: _Sketch | None
    exact_hash: str
    outlet: str | None
    group: str = ""
    kind: DuplicateKind | None = None
    similarity: float = 0.0
    matched_id: str | None = None
    cross_outlet: bool | None = None


@dataclass(slots=True)
class _Group:
    canonical_id: str
    canonical_published: datetime
    members: int = 0


@dataclass(slots=True)
class _Match:
    entry: _Entry
    kind: DuplicateKind
    similarity: float


def _aware(moment: datetime) -> datetime:
    """Naive times are taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _cross_outlet(first: str | None, second: str | None) -> bool | None:
    return None if not first or not second else first.casefold() != second.casefold()


class DuplicateIndex:
    """Online exact and near-duplicate detection over a sliding time window."""

    def __init__(
        self, config: DedupConfig | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.config = config or DedupConfig()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._hasher = _hasher(self.config)
        self._window = timedelta(days=self.config.window_days)
        self._entries: dict[str, _Entry] = {}
        self._serials: dict[int, _Entry] = {}
        self._groups: dict[str, _Group] = {}
        self._exact: dict[str, list[str]] = {}
        self._bands = _BandTable()
        self._expiry: list[tuple[datetime, int]] = []
        self._arrivals = 0
        self._newest: datetime | None = None
        self.stale_ids: list[str] = []
        """Ids given to :meth:`rebuild` whose signature was made with other parameters."""

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._entries

    def signature(self, doc: DedupDoc) -> Signature:
        """The stored form of ``doc`` under this index's configuration."""
        return self._hasher.signature(doc.title, doc.text)

    def add(self, doc: DedupDoc) -> DedupResult:
        """Match ``doc`` against the window, then add it; a repeated id changes nothing."""
        if doc.id in self._entries:
            return self._result(self._entries[doc.id], None)
        sig = self.signature(doc)
        return self.add_signature(doc.id, doc.published, sig.data, sig.exact_hash, doc.outlet)

    def add_signature(
        self,
        doc_id: str,
        published: datetime | None,
        signature: bytes,
        exact_hash: str,
        outlet: str | None = None,
    ) -> DedupResult:
        """:meth:`add` for a stored signature; ValueError if it was made with other parameters."""
        if doc_id in self._entries:
            return self._result(self._entries[doc_id], None)
        if not self._hasher.is_current(signature):
            raise ValueError(f"{doc_id}: signature made with other parameters or damaged; recompute it")
        entry = self._entry(doc_id, published, signature, exact_hash, outlet)
        keys = self._hasher.band_keys(entry.sketch) if entry.sketch is not None else None
        match = self._best_match(entry, keys)
        accepted = match if match and match.similarity >= self._accept(match) else None
        previous = self._join(entry, accepted) if accepted else None
        if accepted is None:
            self._found(entry)
        entry.similarity = match.similarity if match else 0.0
        self._store(entry, keys)
        result = self._result(entry, previous)
        self._evict()  # the article itself, when it is older than the window
        return result

    @classmethod
    def rebuild(
        cls,
        entries: Iterable[StoredEntry | tuple[str, datetime | None, bytes, str]],
        config: DedupConfig | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> DuplicateIndex:
        """An index holding stored articles, given in their arrival order (see :class:`StoredEntry`).

        An article restored with its ``group_id`` keeps its group; its ``kind``,
        ``similarity`` and ``matched_id`` are not part of the signature and read
        None, 0.0 and None if it is added again.
        """
        index = cls(config, clock)
        for raw in entries:
            stored = StoredEntry(*raw)
            if not index._hasher.is_current(stored.signature):
                index.stale_ids.append(stored.id)
            elif stored.group_id is None:
                index.add_signature(*stored[:4], stored.outlet)
            elif stored.id not in index._entries:
                index._restore(stored, stored.group_id)
        return index

    def group_of(self, doc_id: str) -> str | None:
        """The group id of an article in the window, else None."""
        entry = self._entries.get(doc_id)
        return entry.group if entry else None

    def canonical_of(self, group_id: str) -> str | None:
        """The canonical article of a group with members in the window, else None."""
        group = self._groups.get(group_id)
        return group.canonical_id if group else None

    # ------------------------------------------------------------ matching

    def _best_match(self, entry: _Entry, keys: np.ndarray | None) -> _Match | None:
        holders = self._exact.get(entry.exact_hash) if entry.exact_hash else None
        if holders:
            return _Match(self._entries[holders[0]], "exact", 1.0)
        return self._near_match(entry, keys) if keys is not None else None

    def _near_match(self, entry: _Entry, keys: np.ndarray) -> _Match | None:
        assert entry.sketch is not None
        best: _Match | None = None
        for serial in self._candidates(keys):
            other = self._serials[serial]
            if other.sketch is None or not self._comparable(entry.sketch, other.sketch):
                continue
            score = _containment(entry.sketch, other.sketch)
            if best is None or score > best.similarity:
                best = _Match(other, "near", score)
        return best

    def _comparable(self, a: _Sketch, b: _Sketch) -> bool:
        return min(a.shingles, b.shingles) >= self.config.min_length_ratio * max(a.shingles, b.shingles)

    def _candidates(self, keys: np.ndarray) -> list[int]:
        """Serials of the articles sharing an LSH band, the most shared bands first."""
        hits = Counter(self._bands.lookup(keys, self.config.max_bucket))
        return [serial for serial, _ in hits.most_common(self.config.max_candidates)]

    # ------------------------------------------------------------ bookkeeping

    def _entry(
        self, doc_id: str, published: datetime | None, signature: bytes, exact_hash: str, outlet: str | None
    ) -> _Entry:
        """A new entry; moves the window forward to its publication time."""
        moment = _aware(published) if published is not None else self._clock()
        if self._newest is None or moment > self._newest:
            self._newest = moment
            self._evict()
        self._arrivals += 1
        sketch = self._hasher.decode(signature)
        return _Entry(doc_id, self._arrivals, moment, signature, sketch, exact_hash, outlet)

    def _accept(self, match: _Match) -> float:
        return 1.0 if match.kind == "exact" else self.config.threshold

    def _found(self, entry: _Entry) -> None:
        """Make ``entry`` the first member and canonical of a new group."""
        entry.group = entry.id
        self._groups[entry.id] = _Group(entry.id, entry.published)

    def _join(self, entry: _Entry, match: _Match) -> str | None:
        """Put ``entry`` in the group of its match; the canonical it replaces, if it is earlier."""
        entry.group = match.entry.group
        entry.kind, entry.matched_id = match.kind, match.entry.id
        entry.cross_outlet = _cross_outlet(entry.outlet, match.entry.outlet)
        group = self._groups[entry.group]
        if entry.published >= group.canonical_published:
            return None
        previous = group.canonical_id
        group.canonical_id, group.canonical_published = entry.id, entry.published
        return previous

    def _store(self, entry: _Entry, keys: np.ndarray | None) -> None:
        self._entries[entry.id] = entry
        self._serials[entry.serial] = entry
        self._groups[entry.group].members += 1
        if entry.exact_hash:
            self._exact.setdefault(entry.exact_hash, []).append(entry.id)
        if keys is not None:
            self._bands.add(keys, entry.serial)
        heapq.heappush(self._expiry, (entry.published, entry.serial))

    def _restore(self, stored: StoredEntry, group_id: str) -> None:
        """Put a stored article back into its stored group, without matching."""
        entry = self._entry(stored.id, stored.published, stored.signature, stored.exact_hash, stored.outlet)
        entry.group = group_id
        group = self._groups.setdefault(group_id, _Group(entry.id, entry.published))
        if entry.published < group.canonical_published:
            group.canonical_id, group.canonical_published = entry.id, entry.published
        self._store(entry, self._hasher.band_keys(entry.sketch) if entry.sketch is not None else None)
        self._evict()

    def _evict(self) -> None:
        if self._newest is None:
            return
        cutoff = self._newest - self._window
        while self._expiry and self._expiry[0][0] < cutoff:
            _, serial = heapq.heappop(self._expiry)
            self._remove(self._serials.pop(serial))

    def _remove(self, entry: _Entry) -> None:
        del self._entries[entry.id]
        self._bands.discard(entry.serial)
        holders = self._exact.get(entry.exact_hash)
        if holders is not None:
            holders.remove(entry.id)
            if not holders:
                del self._exact[entry.exact_hash]
        group = self._groups[entry.group]
        group.members -= 1
        if group.members == 0:
            del self._groups[entry.group]

    def _result(self, entry: _Entry, previous: str | None) -> DedupResult:
        return DedupResult(
            id=entry.id,
            group_id=entry.group,
            canonical_id=self._groups[entry.group].canonical_id,
            kind=entry.kind,
            similarity=entry.similarity,
            matched_id=entry.matched_id,
            previous_canonical_id=previous,
            cross_outlet=entry.cross_outlet,
            signature=entry.signature,
            exact_hash=entry.exact_hash,
        )


# ---------------------------------------------------------------- reused passages


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Folded words of ``text`` and their character spans (cached: a text is often shown in several pairs)."""
    matches = list(_TOKEN.finditer(text))
    return [_folded_token(m[0]) for m in matches], [m.span() for m in matches]


def reused_passages(a: str, b: str, min_words: int = 8) -> list[Passage]:
    """Passages of at least ``min_words`` words that occur in both texts, in the order of ``a``.

    Words are compared folded (case and accents ignored). Scanning ``a`` from the start,
    each passage is the longest run of words from the current one that also occurs in
    ``b`` (from the first place in ``b`` where its first ``min_words`` words occur); order
    in ``b`` does not matter, so moved paragraphs are found too.
    """
    words_a, spans_a = _tokens(a)
    words_b, spans_b = _tokens(b)
    keys_a, keys_b = _gram_keys(words_a, min_words), _gram_keys(words_b, min_words)
    shared = np.isin(keys_b, keys_a)
    first: dict[int, int] = {}
    for position, key in zip(np.flatnonzero(shared).tolist(), keys_b[shared].tolist(), strict=True):
        first.setdefault(key, position)
    passages: list[Passage] = []
    done = 0
    for i in np.flatnonzero(np.isin(keys_a, keys_b)).tolist():
        j = first[int(keys_a[i])]
        length = _common_run(words_a, words_b, i, j) if i >= done else 0
        if length >= min_words:  # shorter: inside the last passage, or a hash collision
            a_start, a_end = spans_a[i][0], spans_a[i + length - 1][1]
            b_start, b_end = spans_b[j][0], spans_b[j + length - 1][1]
            passages.append(Passage(a_start, a_end, b_start, b_end, length, a[a_start:a_end]))
            done = i + length
    return passages


def _gram_keys(words: Sequence[str], size: int) -> np.ndarray:
    """A 64-bit key of every ``size``-word window (Python's string hash: valid within one process)."""
    ids = np.array([hash(w) for w in words], dtype=np.int64).view(_U64)
    count = max(len(ids) - size + 1, 0)
    keys = np.zeros(count, dtype=_U64)
    for k in range(size):
        keys = keys * _MUL[0] + ids[k : count + k]
    return keys


def _common_run(a: Sequence[str], b: Sequence[str], i: int, j: int) -> int:
    """Length of the common run of words at ``a[i:]`` and ``b[j:]``."""
    length, limit = 0, min(len(a) - i, len(b) - j)
    while length < limit and a[i + length] == b[j + length]:
        length += 1
    return length
