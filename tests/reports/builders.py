"""A small archive with pickups, shared by the KPI, refresh, report and page tests.

Huế (unit ``hue``) publishes the festival article and its English variant on 12 June 2026
at 20:00 in Vietnam; the monitored archive holds a verbatim copy (12 h later), three
quoted paragraphs (36 h), the English variant reused (24 h), another outlet's own report
(not a pickup) and a copy dated a day *before* the publication (not a pickup either: it
came first). Hà Nội publishes an unrelated text the same week that nobody picks up, and
keeps a draft.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from newsdesk.ingest.sources import iter_inputs
from newsdesk.pipeline import Ingestor
from newsdesk.publish.publications import Publications, read_publication_file
from newsdesk.publish.workflow import Actor
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from newsdesk.store.tables import ArticleRow, PublicationRow
from tests.conftest import FIXTURES

__all__ = ["ADMIN", "HUE", "HUE_EN", "PUBLISHED", "Built", "add_published", "archive_rows", "build", "ingest"]

HUE = FIXTURES / "publish" / "le-hoi-hue.md"
HUE_EN = FIXTURES / "publish" / "le-hoi-hue-en.md"
ADMIN = Actor("admin", "central", "administrator")
PUBLISHED = datetime(2026, 6, 12, 13, 0, tzinfo=UTC)  # 20:00 in Vietnam
HANOI_TEXT = "Hà Nội triển khai chương trình chuyển đổi số trong các cơ quan hành chính\n\n" + " ".join(
    f"Trong giai đoạn {i}, thành phố tập trung hoàn thiện hạ tầng dữ liệu, đào tạo cán bộ và "
    f"đưa thêm {i * 10} dịch vụ công trực tuyến toàn trình đến với người dân và doanh nghiệp."
    for i in range(1, 8)
)


@dataclass(frozen=True)
class Built:
    hue: int
    hue_en: int
    hanoi: int
    draft: int
    articles: dict[str, int]


def archive_rows() -> list[dict[str, str]]:
    _, body = read_publication_file(HUE.read_bytes(), "hue")
    paragraphs = body.split("\n\n")
    _, en_body = read_publication_file(HUE_EN.read_bytes(), "hue-en")
    own = (
        "Tối qua, nhiều du khách đã đến Đại Nội xem lễ khai mạc Festival Huế. "
        "Chị Lan, một du khách đến từ Hà Nội, cho biết chị rất ấn tượng với màn trình diễn ánh sáng. "
        "Theo phóng viên ghi nhận, các tuyến phố quanh kinh thành đông đúc đến khuya, "
        "nhiều quán ăn phục vụ khách tới nửa đêm."
    )

    def row(ident: str, outlet: str, when: str, title: str, text: str, lang: str = "vi") -> dict[str, str]:
        return {
            "id": ident,
            "url": f"https://{ident}.example.vn/{ident}",
            "title": title,
            "text": text,
            "outlet": outlet,
            "published": when,
            "language": lang,
        }

    return [
        row("copy", "Báo A", "2026-06-13T08:00:00+07:00", "Festival Huế 2026 khai mạc", body),
        row(
            "quote",
            "Báo B",
            "2026-06-14T08:00:00+07:00",
            "Cố đô vào mùa lễ hội",
            own + "\n\n" + "\n\n".join(paragraphs[1:4]) + "\n\n" + own,
        ),
        row(
            "english",
            "Daily C",
            "2026-06-13T20:00:00+07:00",
            "Hue celebrates its heritage",
            "Visitors crowded the old capital this week.\n\n" + en_body,
            "en",
        ),
        row(
            "own",
            "Báo D",
            "2026-06-13T09:00:00+07:00",
            "Du khách đổ về Huế",
            own + "\n\n" + own.replace("Tối qua", "Sáng nay"),
        ),
        row("early", "Báo E", "2026-06-10T08:00:00+07:00", "Festival Huế 2026 sắp khai mạc", body),
    ]


def ingest(
    store: Store, settings: Settings, tmp_path: Path, rows: list[dict[str, str]], name: str = "archive"
) -> dict[str, int]:
    """Ingest ``rows`` (JSON Lines records); their article ids by record id."""
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    Ingestor(store, settings).run(iter_inputs([str(path)], settings))
    with store.engine.connect() as conn:
        found = {r.url: int(r.id) for r in conn.execute(ArticleRow.__table__.select())}
    return {r["id"]: found[r["url"]] for r in rows if r["url"] in found}


def add_published(
    pubs: Publications,
    *,
    unit: str,
    title: str,
    body: str,
    language: str = "vi",
    themes: list[str] | None = None,
    source_id: int | None = None,
    at: datetime = PUBLISHED,
) -> int:
    pid = pubs.add(
        ADMIN, unit=unit, language=language, title=title, body=body, themes=themes, source_id=source_id
    )
    for action in ("submit", "approve", "publish"):
        pubs.act(ADMIN, pid, action)
    with pubs.engine.begin() as conn:
        conn.execute(update(PublicationRow).where(PublicationRow.id == pid).values(published_at=at))
    return pid


def build(store: Store, settings: Settings, tmp_path: Path) -> Built:
    articles = ingest(store, settings, tmp_path, archive_rows())
    pubs = Publications(store.engine)
    title, body = read_publication_file(HUE.read_bytes(), "hue")
    hue = add_published(pubs, unit="hue", title=title, body=body, themes=["van-hoa"])
    en_title, en_body = read_publication_file(HUE_EN.read_bytes(), "hue-en")
    hue_en = add_published(pubs, unit="hue", title=en_title, body=en_body, language="en", source_id=hue)
    h_title, h_body = HANOI_TEXT.split("\n\n", 1)
    hanoi = add_published(
        pubs,
        unit="ha-noi",
        title=h_title,
        body=h_body,
        themes=["kinh-te"],
        at=datetime(2026, 6, 11, 2, tzinfo=UTC),
    )
    draft = pubs.add(ADMIN, unit="ha-noi", language="vi", title="Bản nháp", body="Nội dung bản nháp.")
    with store.engine.begin() as conn:
        conn.execute(
            update(PublicationRow)
            .where(PublicationRow.id == draft)
            .values(created_at=datetime(2026, 6, 10, 3, tzinfo=UTC))
        )
    return Built(hue, hue_en, hanoi, draft, articles)
