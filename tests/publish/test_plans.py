"""Plans: who may change them, status transitions, links to publications, clashes between units."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import Forbidden, NewsdeskError, NotFound
from newsdesk.publish.plans import Plans, clashes
from newsdesk.publish.publications import Publications
from newsdesk.publish.workflow import Actor
from newsdesk.store.repo import Store

HUE_EDITOR = Actor("lan", "hue", "editor")
HANOI_EDITOR = Actor("minh", "ha-noi", "editor")
ADMIN = Actor("admin", "central", "administrator")
DUE = datetime(2026, 7, 1, 3, tzinfo=UTC)


@pytest.fixture
def plans(any_store: Store) -> Plans:
    return Plans(any_store.engine)


def _add(plans: Plans, actor: Actor = HUE_EDITOR, unit: str = "hue", **kw: object) -> int:
    values: dict[str, object] = {"themes": ["van-hoa"], "languages": ["vi", "en"], "due": DUE} | kw
    return plans.add(actor, unit=unit, title=str(values.pop("title", "Festival Huế")), **values)  # type: ignore[arg-type]


def test_create_edit_and_list(plans: Plans) -> None:
    pid = _add(plans, description="  bài giới thiệu  ", themes=["Van-Hoa", "van-hoa", " "])
    plan = plans.get(pid)
    assert plan["status"] == "planned" and plan["created_by"] == "lan" and plan["unit"] == "hue"
    assert plan["themes"] == ["van-hoa"] and plan["description"] == "bài giới thiệu"
    assert datetime.fromisoformat(plan["due"]) == DUE
    edited = plans.edit(HUE_EDITOR, pid, title="Festival Huế 2026", due=None, languages=["vi"])
    assert edited["title"] == "Festival Huế 2026" and edited["due"] is None and edited["languages"] == ["vi"]
    other = _add(plans, ADMIN, unit="ha-noi", title="Chuyển đổi số")
    assert [p["id"] for p in plans.listing(unit="hue")] == [pid]
    assert {p["id"] for p in plans.listing()} == {pid, other}
    assert plans.listing(status="done") == []


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"title": "  "}, "needs a title"),
        ({"themes": ["văn hoá; drop"]}, "invalid theme"),
        ({"unit": "atlantis", "actor": ADMIN}, "unit 'atlantis' not found"),
    ],
)
def test_bad_plans_are_refused(plans: Plans, kw: dict[str, object], message: str) -> None:
    kw = dict(kw)
    actor = kw.pop("actor", HUE_EDITOR)
    with pytest.raises((NewsdeskError, NotFound), match=message):
        _add(plans, actor, **kw)  # type: ignore[arg-type]


def test_editors_change_only_their_own_units_plans(plans: Plans) -> None:
    pid = _add(plans)
    with pytest.raises(Forbidden):
        _add(plans, HANOI_EDITOR)
    with pytest.raises(Forbidden):
        plans.edit(HANOI_EDITOR, pid, title="x")
    with pytest.raises(Forbidden):
        plans.set_status(HANOI_EDITOR, pid, "dropped")
    with pytest.raises(Forbidden, match="editors and administrators only"):
        _add(plans, Actor("an", "hue", "analyst"))
    assert plans.set_status(ADMIN, pid, "in_progress")["status"] == "in_progress"
    with pytest.raises(NewsdeskError, match="cannot edit status"):
        plans.edit(HUE_EDITOR, pid, status="done")


def test_status_transitions(plans: Plans) -> None:
    pid = _add(plans)
    for status in ("in_progress", "done", "in_progress", "dropped", "planned", "done"):
        assert plans.set_status(HUE_EDITOR, pid, status)["status"] == status
    with pytest.raises(NewsdeskError, match="can become in_progress, not dropped"):
        plans.set_status(HUE_EDITOR, pid, "dropped")
    with pytest.raises(NewsdeskError, match="unknown plan status"):
        plans.set_status(HUE_EDITOR, pid, "finished")
    with pytest.raises(NotFound):
        plans.set_status(HUE_EDITOR, 999_999, "done")


def test_a_plan_links_to_its_units_publication(any_store: Store, plans: Plans) -> None:
    pubs = Publications(any_store.engine)
    own = pubs.add(HUE_EDITOR, unit="hue", language="vi", title="Festival", body="Nội dung.")
    theirs = pubs.add(HANOI_EDITOR, unit="ha-noi", language="vi", title="Hà Nội", body="Nội dung.")
    pid = _add(plans)
    assert plans.link(HUE_EDITOR, pid, own)["publication_id"] == own
    with pytest.raises(NewsdeskError, match="belongs to unit ha-noi"):
        plans.link(HUE_EDITOR, pid, theirs)
    with pytest.raises(NotFound):
        plans.link(HUE_EDITOR, pid, 999_999)
    assert plans.link(HUE_EDITOR, pid, None)["publication_id"] is None


def test_units_planning_the_same_theme_and_language_at_the_same_time_clash(plans: Plans) -> None:
    hue = _add(plans)
    hanoi = _add(
        plans, ADMIN, unit="ha-noi", themes=["van-hoa.le-hoi"], languages=["en"], due=DUE + timedelta(days=3)
    )
    _add(plans, ADMIN, unit="da-nang", languages=["fr"])  # another language
    _add(plans, ADMIN, unit="can-tho", themes=["kinh-te"])  # another theme
    _add(plans, ADMIN, unit="lao-cai", due=DUE + timedelta(days=20))  # weeks apart
    _add(plans, HUE_EDITOR, title="Hue again", languages=["vi"])  # same unit as the first
    found = plans.clashes()
    assert [(c["plan"]["id"], c["other"]["id"]) for c in found] == [(hue, hanoi)]
    assert found[0]["themes"] == ["van-hoa"]
    assert found[0]["languages"] == ["en"] and found[0]["days_apart"] == 3.0
    assert plans.clashes(plan_id=hanoi) == found and plans.clashes(days=1) == []
    plans.set_status(ADMIN, hanoi, "dropped")
    assert plans.clashes() == []


def test_plans_without_themes_or_due_dates() -> None:
    base = {"status": "planned", "languages": ["vi"], "due": None, "created_at": "2026-06-01T00:00:00+00:00"}
    first = base | {"id": 1, "unit": "hue", "themes": []}
    second = base | {"id": 2, "unit": "ha-noi", "themes": ["van-hoa"]}
    third = base | {
        "id": 3,
        "unit": "da-nang",
        "themes": ["van-hoa"],
        "created_at": "2026-06-05T00:00:00+00:00",
    }
    assert [(c["plan"]["id"], c["other"]["id"]) for c in clashes([first, second, third])] == [(2, 3)]
