"""Regression: two refreshers writing the same pickup (the service and a backfill) must not fail."""

from __future__ import annotations

from sqlalchemy import func, select

from newsdesk.measure.refresh import _insert_or_replace
from newsdesk.publish.publications import Publications
from newsdesk.publish.workflow import Actor
from newsdesk.store.repo import Store
from newsdesk.store.tables import ArticleRow, PickupRow
from tests.publish.test_publications import HUE, _archive


def test_the_same_pickup_written_twice_is_replaced_not_refused(any_store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newsdesk.ingest.sources import iter_inputs
    from newsdesk.pipeline import Ingestor
    from newsdesk.settings import load_settings

    settings = load_settings(data_dir=tmp_path / "d", ingest={"min_text_chars": 80})
    Ingestor(any_store, settings).run(iter_inputs([str(_archive(tmp_path))], settings))
    title, body = HUE.read_text(encoding="utf-8").split("\n", 1)
    pid = Publications(any_store.engine).add(
        Actor("a", "central", "administrator"), unit="central", language="vi", title=title, body=body
    )
    with any_store.engine.connect() as conn:
        article = conn.execute(select(func.min(ArticleRow.id))).scalar_one()
    row = {
        "publication_id": pid,
        "article_id": article,
        "variant_language": "vi",
        "kind": "verbatim",
        "reused_share": 0.5,
        "article_share": 0.5,
        "delay_hours": None,
        "passages": [],
    }
    for share in (0.5, 0.9):  # a second writer of the same pair
        with any_store.engine.begin() as conn:
            conn.execute(_insert_or_replace(conn), [row | {"reused_share": share}])
    with any_store.engine.connect() as conn:
        stored = (
            conn.execute(select(PickupRow.reused_share).where(PickupRow.publication_id == pid))
            .scalars()
            .all()
        )
    assert stored == [0.9]
