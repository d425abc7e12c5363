"""Live pickups (newsdesk.measure.archive) follow the same rules as the stored ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.ingest.sources import iter_inputs
from newsdesk.measure.archive import EARLY_HOURS, pickups
from newsdesk.pipeline import Ingestor
from newsdesk.publish.publications import Publications, read_publication_file
from newsdesk.publish.workflow import Actor
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from tests.conftest import FIXTURES

HUE = FIXTURES / "publish" / "le-hoi-hue.md"


def test_an_article_dated_before_the_publication_is_not_its_pickup(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    """Regression (review, sitting 2): the live path listed earlier articles with negative delays."""
    title, body = read_publication_file(HUE.read_bytes(), "hue")
    publications = Publications(store.engine)
    actor = Actor("admin", "central", "administrator")
    pid = publications.add(actor, unit="central", language="vi", title=title, body=body)
    for action in ("submit", "approve", "publish"):
        publications.act(actor, pid, action)
    published = datetime.fromisoformat(publications.get(pid)["published_at"])
    rows = [
        ("before", published - timedelta(days=4)),
        ("just-before", published - timedelta(hours=EARLY_HOURS / 2)),  # clocks and feeds drift
        ("after", published + timedelta(hours=3)),
    ]
    archive = tmp_path / "a.jsonl"
    archive.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": name,
                    "url": f"https://x.example.vn/{name}",
                    "title": title,
                    "text": body,
                    "outlet": f"Báo {name}",
                    "published": when.astimezone(UTC).isoformat(),
                    "language": "vi",
                },
                ensure_ascii=False,
            )
            for name, when in rows
        ),
        encoding="utf-8",
    )
    Ingestor(store, settings).run(iter_inputs([str(archive)], settings))
    found = {r["url"].rsplit("/", 1)[1]: r for r in pickups(store, publications, pid)}
    assert set(found) == {"just-before", "after"}
    assert found["after"]["delay_hours"] == 3.0 and found["just-before"]["delay_hours"] < 0
