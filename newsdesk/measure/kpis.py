"""Key figures of a unit's (or the whole office's) output and reach over a period.

Every figure is a :class:`Figure`: the number and the ids behind it — publication ids and
monitored-article ids — so a page or a report links each number to what it counts
(``/publications/{id}``, ``/articles/{id}``, or a page listing them all). Breakdowns
(per language, outlet, week, delay bucket, unit) are lists of figures with a ``key``.

**Scope.** A :class:`Scope` is a unit (None: every unit), a theme (None: any; a theme also
matches its subthemes, ``doi-ngoai`` matches ``doi-ngoai.nhan-quyen``, as in search) and a
period of whole days in Vietnam's time (``first`` to ``last`` inclusive). A family (a source
publication and its language variants) carries its source's themes.

**What counts in a period.**

* *Output*: each language version once, by its current status — a published one when it
  was published in the period, any other when it was created in the period.
* *Published*: the families whose source was published in the period; *languages
  covered*: the languages of their members published in the period.
* *Reach*: the stored pickups (:mod:`newsdesk.measure.refresh`) of those families,
  whenever the articles appeared — a report made later counts the late pickups too.
  ``pickup_rate`` is the share of published families with at least one pickup; the
  median delay is over the pickups with a known article time.

Two queries (publications, then pickups joined to articles) and the rest in Python: a
unit publishes hundreds of texts a month, not millions, and the theme test (a JSON list)
reads the same on SQLite and PostgreSQL this way.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, or_, select

from newsdesk.errors import NewsdeskError
from newsdesk.store.tables import ArticleRow, PickupRow, PublicationRow

__all__ = ["DELAY_BUCKETS", "STATUSES", "Figure", "Kpis", "Scope", "compute", "has_theme"]

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
STATUSES = ("draft", "review", "approved", "published")
DELAY_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under_1h", 1.0),
    ("1_6h", 6.0),
    ("6_24h", 24.0),
    ("1_3d", 72.0),
    ("over_3d", float("inf")),
)
"""Delay distribution buckets: name and upper bound in hours (exclusive)."""
_TOP = 10
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose output (``unit``; None = all), about what (``theme``), which local days."""

    unit: str | None
    theme: str | None
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise NewsdeskError(f"period ends ({self.last}) before it starts ({self.first})")

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC."""
        return datetime.combine(self.first, time(), LOCAL).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The instant after the period, in UTC."""
        return datetime.combine(self.last + timedelta(days=1), time(), LOCAL).astimezone(UTC)

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "theme": self.theme,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scope:
        return cls(
            data["unit"], data["theme"], date.fromisoformat(data["from"]), date.fromisoformat(data["to"])
        )


@dataclass(frozen=True, slots=True)
class Figure:
    """A number and the publications and articles it counts."""

    value: float | None
    publications: tuple[int, ...] = ()
    articles: tuple[int, ...] = ()
    key: str = ""
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "publications": list(self.publications),
            "articles": list(self.articles),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        return cls(
            data["value"],
            tuple(data.get("publications", ())),
            tuple(data.get("articles", ())),
            data.get("key", ""),
            data.get("label", ""),
        )


@dataclass(frozen=True, slots=True)
class Kpis:
    """The figures of one scope. Single figures and keyed lists, all serialisable."""

    scope: Scope
    output: list[Figure]
    """Language versions by status (key), and ``total``."""
    published: Figure
    """Families whose source was published in the period (source ids)."""
    languages: list[Figure]
    """Published language versions per language."""
    picked_up: Figure
    pickup_rate: Figure
    pickups: Figure
    median_delay: Figure
    outlets_reached: Figure
    outlets: list[Figure]
    pickup_languages: list[Figure]
    kinds: list[Figure]
    delays: list[Figure]
    weeks: list[Figure]
    """Families published per week (key: the Monday), every week of the period."""
    top: list[Figure]
    """Families with the most pickups (key: source id, label: title)."""
    units: list[Figure] = field(default_factory=list)
    """Families published per unit (only for the whole office)."""

    def figure(self, name: str, key: str | None = None) -> Figure:
        """The figure called ``name`` (with ``key`` for a breakdown); NewsdeskError if unknown."""
        names = {f.name for f in fields(self)} - {"scope"}
        if name not in names:
            raise NewsdeskError(f"unknown figure {name!r}: one of {', '.join(sorted(names))}")
        value = getattr(self, name)
        if isinstance(value, Figure):
            return value
        for item in value:
            if item.key == key:
                return item
        raise NewsdeskError(f"figure {name!r} has no entry {key!r}")

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"scope": self.scope.as_dict()}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Figure):
                data[f.name] = value.as_dict()
            elif isinstance(value, list):
                data[f.name] = [v.as_dict() for v in value]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Kpis:
        values: dict[str, Any] = {"scope": Scope.from_dict(data["scope"])}
        for f in fields(cls):
            if f.name == "scope" or f.name not in data:
                continue
            item = data[f.name]
            values[f.name] = (
                [Figure.from_dict(v) for v in item] if isinstance(item, list) else Figure.from_dict(item)
            )
        return cls(**values)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class _Pub:
    id: int
    family: int
    unit: str
    language: str
    title: str
    status: str
    published_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class _Pickup:
    family: int
    article: int
    language: str
    kind: str
    delay: float | None
    outlet: str | None


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def has_theme(themes: Iterable[str] | None, theme: str | None) -> bool:
    """True when ``theme`` is None or one of ``themes`` is it or one of its subthemes."""
    if theme is None:
        return True
    return any(t == theme or t.startswith(theme + ".") for t in themes or ())


def _publications(conn: Connection, scope: Scope) -> list[_Pub]:
    p = PublicationRow
    start, end = scope.start, scope.end
    stmt = select(
        p.id, p.source_id, p.unit_code, p.language, p.title, p.themes, p.status, p.published_at, p.created_at
    ).where(
        or_(
            and_(p.status == "published", p.published_at >= start, p.published_at < end),
            and_(p.status != "published", p.created_at >= start, p.created_at < end),
        )
    )
    if scope.unit:
        stmt = stmt.where(p.unit_code == scope.unit)
    rows = conn.execute(stmt.order_by(p.id)).all()
    themes = {int(r.id): r.themes for r in rows if r.source_id is None}
    missing = sorted({int(r.source_id) for r in rows if r.source_id and int(r.source_id) not in themes})
    for chunk in _chunks(missing):
        themes |= {int(i): t for i, t in conn.execute(select(p.id, p.themes).where(p.id.in_(chunk)))}
    return [
        _Pub(
            int(r.id),
            int(r.source_id or r.id),
            r.unit_code,
            r.language,
            r.title,
            r.status,
            _aware(r.published_at),
            _aware(r.created_at) or scope.start,
        )
        for r in rows
        if has_theme(themes.get(int(r.source_id or r.id)), scope.theme)
    ]


def _pickups(conn: Connection, families: Sequence[int]) -> list[_Pickup]:
    k, a = PickupRow, ArticleRow
    found: list[_Pickup] = []
    for chunk in _chunks(families):
        rows = conn.execute(
            select(
                k.publication_id,
                k.article_id,
                k.variant_language,
                k.kind,
                k.delay_hours,
                a.outlet,
                a.language,
            )
            .join(a, a.id == k.article_id)
            .where(k.publication_id.in_(chunk))
            .order_by(k.publication_id, k.article_id)
        )
        found.extend(_Pickup(int(r[0]), int(r[1]), r[6] or r[2], r[3], r[4], r[5]) for r in rows)
    return found


def _chunks(items: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])


# ---------------------------------------------------------------- figures


def compute(conn: Connection, scope: Scope) -> Kpis:
    """Every figure of ``scope`` (see the module docstring for what counts)."""
    pubs = _publications(conn, scope)
    published = [p for p in pubs if p.status == "published"]
    sources = {p.id: p for p in published if p.id == p.family}
    families = sorted(sources)
    members = [p for p in published if p.family in sources]
    pickups = _pickups(conn, families)
    by_family: dict[int, list[_Pickup]] = defaultdict(list)
    for pick in pickups:
        by_family[pick.family].append(pick)
    picked = sorted(by_family)
    delays = [p for p in pickups if p.delay is not None]
    return Kpis(
        scope=scope,
        output=_output(pubs),
        published=Figure(len(families), tuple(families)),
        languages=_grouped(((p.language, p.id) for p in members), publications=True),
        picked_up=Figure(len(picked), tuple(picked)),
        pickup_rate=Figure(len(picked) / len(families) if families else None, tuple(picked)),
        pickups=Figure(len(pickups), tuple(picked), _ids(p.article for p in pickups)),
        median_delay=Figure(
            round(statistics.median(p.delay for p in delays if p.delay is not None), 1) if delays else None,
            articles=_ids(p.article for p in delays),
        ),
        outlets_reached=Figure(
            len({p.outlet for p in pickups if p.outlet}),
            articles=_ids(p.article for p in pickups if p.outlet),
        ),
        outlets=_grouped((p.outlet, p.article) for p in pickups if p.outlet),
        pickup_languages=_grouped((p.language, p.article) for p in pickups),
        kinds=_grouped((p.kind, p.article) for p in pickups),
        delays=_delay_buckets(delays),
        weeks=_weeks(scope, list(sources.values())),
        top=_top(sources, by_family),
        units=_units(sources, by_family) if scope.unit is None else [],
    )


def _ids(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(values)))


def _output(pubs: Sequence[_Pub]) -> list[Figure]:
    by_status = {s: [p.id for p in pubs if p.status == s] for s in STATUSES}
    figures = [Figure(len(ids), tuple(ids), key=s) for s, ids in by_status.items()]
    return [*figures, Figure(len(pubs), tuple(p.id for p in pubs), key="total")]


def _grouped(pairs: Iterable[tuple[str, int]], *, publications: bool = False) -> list[Figure]:
    """Figures per key, largest first: the count of distinct ids and the ids."""
    groups: dict[str, set[int]] = defaultdict(set)
    for key, ident in pairs:
        groups[key].add(ident)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    if publications:
        return [Figure(len(ids), tuple(sorted(ids)), key=key) for key, ids in ordered]
    return [Figure(len(ids), articles=tuple(sorted(ids)), key=key) for key, ids in ordered]


def _delay_buckets(pickups: Sequence[_Pickup]) -> list[Figure]:
    buckets: dict[str, list[int]] = {name: [] for name, _ in DELAY_BUCKETS}
    for pick in pickups:
        delay = max(pick.delay or 0.0, 0.0)
        name = next(name for name, bound in DELAY_BUCKETS if delay < bound)
        buckets[name].append(pick.article)
    return [Figure(len(ids), articles=_ids(ids), key=name) for name, ids in buckets.items()]


def _weeks(scope: Scope, sources: Sequence[_Pub]) -> list[Figure]:
    monday = scope.first - timedelta(days=scope.first.weekday())
    weeks: dict[date, list[int]] = {}
    while monday <= scope.last:
        weeks[monday] = []
        monday += timedelta(days=7)
    for pub in sources:
        if pub.published_at is not None:
            day = pub.published_at.astimezone(LOCAL).date()
            weeks[day - timedelta(days=day.weekday())].append(pub.id)
    return [Figure(len(ids), tuple(sorted(ids)), key=start.isoformat()) for start, ids in weeks.items()]


def _top(sources: dict[int, _Pub], by_family: dict[int, list[_Pickup]]) -> list[Figure]:
    ranked = sorted(by_family.items(), key=lambda item: (-len(item[1]), item[0]))[:_TOP]
    return [
        Figure(
            len(picks),
            (family,),
            _ids(p.article for p in picks),
            key=str(family),
            label=sources[family].title,
        )
        for family, picks in ranked
    ]


def _units(sources: dict[int, _Pub], by_family: dict[int, list[_Pickup]]) -> list[Figure]:
    counts = Counter(p.unit for p in sources.values())
    figures = []
    for unit, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        ids = sorted(p.id for p in sources.values() if p.unit == unit)
        articles = _ids(pick.article for family in ids for pick in by_family.get(family, ()))
        figures.append(Figure(len(ids), tuple(ids), articles, key=unit))
    return figures
