"""KPIs of a unit, a theme, the whole office: every figure with the ids behind it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsdesk.errors import NewsdeskError
from newsdesk.measure.kpis import Kpis, Scope, compute, has_theme
from newsdesk.measure.refresh import refresh_recent
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from tests.reports.builders import Built, build

JUNE = (date(2026, 6, 1), date(2026, 6, 30))


@pytest.fixture
def built(any_store: Store, settings: Settings, tmp_path: Path) -> Built:
    built = build(any_store, settings, tmp_path)
    refresh_recent(any_store, days=None)
    return built


def _kpis(store: Store, unit: str | None = None, theme: str | None = None, period=JUNE) -> Kpis:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return compute(conn, Scope(unit, theme, *period))


def test_a_units_output_and_reach(any_store: Store, built: Built) -> None:
    k = _kpis(any_store, "hue")
    a = built.articles
    assert k.figure("output", "published").value == 2 and k.figure("output", "draft").value == 0
    assert set(k.figure("output", "total").publications) == {built.hue, built.hue_en}
    assert k.published.value == 1 and k.published.publications == (built.hue,)
    assert {f.key: f.publications for f in k.languages} == {"vi": (built.hue,), "en": (built.hue_en,)}
    assert k.pickup_rate.value == 1.0 and k.picked_up.publications == (built.hue,)
    assert k.pickups.value == 3 and set(k.pickups.articles) == {a["copy"], a["quote"], a["english"]}
    assert k.median_delay.value == pytest.approx(24.0)
    assert k.outlets_reached.value == 3
    assert {f.key: f.articles for f in k.outlets} == {
        "Báo A": (a["copy"],),
        "Báo B": (a["quote"],),
        "Daily C": (a["english"],),
    }
    assert {f.key: f.value for f in k.pickup_languages} == {"vi": 2, "en": 1}
    assert {f.key: f.value for f in k.delays} == {
        "under_1h": 0,
        "1_6h": 0,
        "6_24h": 1,
        "1_3d": 2,
        "over_3d": 0,
    }
    assert (
        k.top[0].key == str(built.hue) and k.top[0].label.startswith("Festival Huế") and k.top[0].value == 3
    )
    assert [f.key for f in k.weeks] == [
        "2026-06-01",
        "2026-06-08",
        "2026-06-15",
        "2026-06-22",
        "2026-06-29",
    ]
    assert k.figure("weeks", "2026-06-08").publications == (built.hue,)
    assert k.units == []  # only for the whole office


def test_the_whole_office_and_a_theme(any_store: Store, built: Built) -> None:
    k = _kpis(any_store)
    assert k.published.value == 2 and k.pickup_rate.value == 0.5
    assert k.figure("output", "draft").publications == (built.draft,)
    assert k.figure("output", "total").value == 4
    assert {f.key: f.value for f in k.units} == {"hue": 1, "ha-noi": 1}
    assert len(k.figure("units", "hue").articles) == 3
    themed = _kpis(any_store, theme="van-hoa")
    assert (
        themed.published.publications == (built.hue,) and len(themed.languages) == 2
    )  # the variant inherits
    assert _kpis(any_store, theme="kinh-te").pickups.value == 0


def test_an_empty_period_has_no_rate_and_no_delay(any_store: Store, built: Built) -> None:
    k = _kpis(any_store, "hue", period=(date(2026, 5, 1), date(2026, 5, 31)))
    assert k.published.value == 0 and k.pickup_rate.value is None and k.median_delay.value is None
    assert k.outlets == [] and all(f.value == 0 for f in k.delays)


def test_the_period_is_in_vietnams_days(any_store: Store, built: Built) -> None:
    # published 12 June 20:00 in Vietnam (13:00 UTC): the 12th, not the 13th
    assert _kpis(any_store, "hue", period=(date(2026, 6, 12), date(2026, 6, 12))).published.value == 1
    assert _kpis(any_store, "hue", period=(date(2026, 6, 13), date(2026, 6, 13))).published.value == 0
    with pytest.raises(NewsdeskError, match="before it starts"):
        Scope(None, None, date(2026, 6, 2), date(2026, 6, 1))


def test_kpis_survive_a_round_trip_through_json(any_store: Store, built: Built) -> None:
    k = _kpis(any_store, "hue")
    assert Kpis.from_dict(k.as_dict()) == k
    with pytest.raises(NewsdeskError, match="unknown figure"):
        k.figure("nope")
    with pytest.raises(NewsdeskError, match="no entry"):
        k.figure("outlets", "Báo Z")


@pytest.mark.parametrize(
    ("themes", "theme", "expected"),
    [
        (["doi-ngoai.nhan-quyen"], "doi-ngoai", True),
        (["doi-ngoai"], "doi-ngoai", True),
        (["doi-ngoai-x"], "doi-ngoai", False),
        ([], None, True),
        (None, "van-hoa", False),
    ],
)
def test_a_theme_matches_its_subthemes(themes: list[str] | None, theme: str | None, expected: bool) -> None:
    assert has_theme(themes, theme) is expected
