"""HTML extraction: main text without page furniture, metadata from markup, errors named."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsdesk.errors import EmptyInput, MalformedInput
from newsdesk.extract import extract_html
from newsdesk.model import Extracted

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
ICT = timezone(timedelta(hours=7))
PAGE_URL = "https://songlam.example.vn/thoi-su/tap-huan-thong-tin-co-so-123.html"

PARAGRAPHS = (
    "<p>Ngày 14/6, UBND huyện khởi công xây dựng cầu dân sinh bắc qua sông, nối trung tâm xã với ba thôn "
    "thường bị chia cắt mỗi mùa mưa lũ. Cây cầu dài 120 mét, tổng kinh phí khoảng 9 tỷ đồng.</p>"
    "<p>Khi cầu hoàn thành vào cuối năm nay, người dân sẽ đi lại an toàn quanh năm và thuận lợi hơn trong "
    "việc vận chuyển nông sản, học sinh không còn phải nghỉ học vì lũ.</p>"
)


@pytest.fixture(autouse=True)
def _quiet_trafilatura() -> Iterator[None]:
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    yield


def _page(name: str, url: str | None = PAGE_URL) -> Extracted:
    return extract_html((FIXTURES / name).read_text(encoding="utf-8"), url=url, origin=name)


def _page_of(head: str = "", body: str = "", attrs: str = "") -> str:
    return f"<html{attrs}><head>{head}</head><body>{body}</body></html>"


# ---------------------------------------------------------------------------
# Realistic pages
# ---------------------------------------------------------------------------


def test_vietnamese_article_metadata() -> None:
    result = _page("vi_article.html")
    assert result.title == "Quảng Trị tập huấn kỹ năng thông tin cơ sở cho 300 cán bộ"
    assert result.published == datetime(2024, 8, 9, 8, 15, tzinfo=ICT)
    assert result.author == "Minh Châu"
    assert result.outlet == "Báo Sông Lam"
    assert result.canonical_url == "https://songlam.example.vn/thoi-su/tap-huan-thong-tin-co-so-123.html"
    assert result.language_hint == "vi"


def test_vietnamese_article_text_is_the_article_only() -> None:
    result = _page("vi_article.html")
    paragraphs = result.text.split("\n\n")
    assert result.lead is not None and result.lead.startswith("Hơn 300 cán bộ làm công tác thông tin cơ sở")
    assert paragraphs[0] == result.lead  # the bold sapo is kept, first
    assert paragraphs[1].startswith("Sáng 8/8, Sở Thông tin và Truyền thông")
    assert paragraphs[-1].startswith("Kết thúc lớp tập huấn")
    assert len(paragraphs) == 6
    for furniture in (
        "Trang chủ", "CHÀO MỪNG", "Lượt xem", "Tin liên quan", "Ra mắt cổng thông tin", "Bình luận",
        "Lớp học rất bổ ích", "Giấy phép", "©", "Chia sẻ", "Đọc thêm", "Tác giả",
    ):  # fmt: skip
        assert furniture not in result.text, furniture


def test_english_article() -> None:
    result = _page("en_article.html", url="https://www.valleycourier.example.com/news/2024/03/x")
    assert result.title == "Riverside council approves flood-defence budget"
    assert result.published == datetime(2024, 3, 14, 9, 30, tzinfo=UTC)
    assert result.author == "Alice Barnes"
    assert result.outlet == "The Valley Courier"
    assert result.canonical_url == "https://www.valleycourier.example.com/news/2024/03/flood-defence-budget"
    assert result.language_hint == "en"
    assert result.lead is not None and result.lead.startswith("Councillors voted 31 to 4")
    paragraphs = result.text.split("\n\n")
    assert paragraphs[0] == result.lead
    assert (
        paragraphs[-1]
        == "A public exhibition of the detailed designs will be held at the town library from 2 April."
    )
    for furniture in ("Subscribe", "Related articles", "Insurance premiums", "About time", "Read more", "©"):
        assert furniture not in result.text, furniture


def test_noise_inside_the_main_block_goes_through_the_cleaner() -> None:
    result = _page("vi_noisy.html")
    paragraphs = result.text.split("\n\n")
    assert result.title == "Nghệ An ra mắt tổ công nghệ số cộng đồng ở 411 xã"
    assert result.published == datetime(2024, 8, 12, 9, 5, tzinfo=ICT)  # from the printed stamp
    assert result.author == "Thu Hằng"
    spaced = "411 xã, phường, thị trấn. Mỗi tổ có từ 5 đến 7 thành viên"  # was "thị trấn.Mỗi tổ"
    assert spaced in paragraphs[0]
    assert "sử dụng dịch vụ công trực tuyến, đặc biệt là người cao tuổi" in result.text
    assert (
        paragraphs.count("Thành viên tổ công nghệ số hướng dẫn người dân cài ứng dụng trên điện thoại.") == 1
    )
    assert result.title not in paragraphs
    for noise in (
        "xổ số",
        "ậptrung",
        "Link bài gốc",
        "Lượt xem",
        "Tác giả",
        "Bài viết liên quan",
        "đang cập nhật",
    ):
        assert noise not in result.text, noise
    kinds = {kind for kind, _ in result.removed}
    assert {"spam_glued", "spam_phrase", "title_repeat", "view_counter", "related_marker"} <= kinds
    assert len(paragraphs) == 5


def test_page_without_metadata_falls_back_to_text_and_url() -> None:
    result = _page("vi_minimal.html", url="https://www.huongkhe.example.vn/tin-tuc/cau-dan-sinh.html")
    assert result.title == "Hà Tĩnh khởi công cầu dân sinh ở xã vùng lũ"
    assert result.published == datetime(2024, 6, 15, 10, 20, tzinfo=ICT)  # "Cập nhật: 15/06/2024 10:20"
    assert result.author == "Hoàng Anh"  # the capitalized signature
    assert result.outlet == "huongkhe.example.vn"
    assert (result.canonical_url, result.language_hint, result.lead) == (None, None, None)
    assert result.text.split("\n\n")[0].startswith("Ngày 14/6, UBND huyện Hương Khê")
    assert "Lượt xem" not in result.text and "HOÀNG ANH" not in result.text


def test_a_page_of_navigation_has_no_article_text() -> None:
    result = _page("shell.html")
    assert len(result.text) < 40
    assert "Trang chủ" not in result.text
    assert result.published is None  # no "2024-01-01" guessed from the copyright year


# ---------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------


def test_empty_body_gives_empty_text() -> None:
    result = extract_html(_page_of(body=""), url=PAGE_URL)
    assert result.text == ""
    assert result.outlet == "songlam.example.vn"


def test_fragment_and_xml_declaration_still_parse() -> None:
    assert extract_html(PARAGRAPHS).text.startswith("Ngày 14/6")
    declared = '<?xml version="1.0" encoding="utf-8"?>' + _page_of(body=PARAGRAPHS)
    assert extract_html(declared).text.startswith("Ngày 14/6")


@pytest.mark.parametrize("html", ["", "   \n\t"])
def test_empty_document_raises_empty_input(html: str) -> None:
    with pytest.raises(EmptyInput, match="feed-item-7"):
        extract_html(html, origin="feed-item-7")


@pytest.mark.parametrize("html", ["<!-- only a comment -->", "\x00\x01\x02"])
def test_unparseable_document_raises_malformed_input(html: str) -> None:
    with pytest.raises(MalformedInput) as caught:
        extract_html(html, url=PAGE_URL)
    assert caught.value.origin == PAGE_URL
    assert caught.value.reason == "malformed"


@pytest.mark.parametrize(
    ("head", "stamp", "expected"),
    [
        (  # date-only markup, a printed stamp on the same day adds the time
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-02"}'
            "</script>",
            '<span class="time">02/05/2024 16:20</span>',
            datetime(2024, 5, 2, 16, 20, tzinfo=ICT),
        ),
        (  # a stamp of another day (a "most read" box) does not override the markup
            '<meta property="article:published_time" content="2024-05-02">',
            '<span class="date">03/05/2024 16:20</span>',
            datetime(2024, 5, 2, tzinfo=ICT),
        ),
        (  # markup with a time and zone wins
            '<meta property="article:published_time" content="2024-05-02T06:00:00+00:00">',
            '<span class="date">02/05/2024 16:20</span>',
            datetime(2024, 5, 2, 6, 0, tzinfo=UTC),
        ),
        ("", "<footer>© 2023 Báo Sông Lam</footer>", None),
    ],
)
def test_publication_date(head: str, stamp: str, expected: datetime | None) -> None:
    result = extract_html(_page_of(head, f"{stamp}<article>{PARAGRAPHS}</article>"))
    assert result.published == expected


def test_lead_from_the_description_when_no_element_is_classed_as_one() -> None:
    description = "Ngày 14/6, UBND huyện khởi công xây dựng cầu dân sinh bắc qua sông"
    head = f'<meta name="description" content="{description}">'
    result = extract_html(_page_of(head, f"<article>{PARAGRAPHS}</article>"))
    assert result.lead == result.text.split("\n\n")[0]


def test_a_sapo_trafilatura_left_out_is_put_back_first() -> None:
    sapo = "Người dân ba thôn vùng lũ sắp có cây cầu mới nối với trung tâm xã."
    article = f'<div class="main"><article>{PARAGRAPHS}</article></div>'
    body = f'<div class="top"><div class="sapo">{sapo}</div></div>{article}'
    result = extract_html(_page_of(body=body))
    assert result.lead == sapo
    assert result.text.split("\n\n")[0] == sapo
    assert "Ngày 14/6" in result.text


def test_teasers_in_a_related_box_are_not_the_lead() -> None:
    teaser = "Một bài khác về giao thông nông thôn ở miền núi phía Bắc."
    box = f'<ul class="related"><li><p class="sapo">{teaser}</p></li></ul>'
    result = extract_html(_page_of(body=f"<article>{PARAGRAPHS}</article>{box}"))
    assert result.lead is None


@pytest.mark.parametrize(
    ("attrs", "head", "expected"),
    [
        (' lang="vi-VN"', "", "vi"),
        (' xml:lang="en-US"', "", "en"),
        ("", '<meta http-equiv="content-language" content="fr">', "fr"),
        ("", '<meta property="og:locale" content="vi_VN">', "vi"),
        ("", "", None),
    ],
)
def test_language_hint(attrs: str, head: str, expected: str | None) -> None:
    assert extract_html(_page_of(head, PARAGRAPHS, attrs)).language_hint == expected


@pytest.mark.parametrize(
    ("head", "url", "expected"),
    [
        (
            '<link rel="canonical" href="/a/b.html">',
            "https://x.example.vn/a/b.html?utm=1",
            "https://x.example.vn/a/b.html",
        ),
        ('<link rel="Canonical" href="https://y.example.vn/c">', None, "https://y.example.vn/c"),
        ('<meta property="og:url" content="https://z.example.vn/d">', None, "https://z.example.vn/d"),
        ('<link rel="canonical" href="/relative-only">', None, None),
        ('<link rel="canonical" href="javascript:void(0)">', "https://x.example.vn/", None),
    ],
)
def test_canonical_url(head: str, url: str | None, expected: str | None) -> None:
    assert extract_html(_page_of(head, PARAGRAPHS), url=url).canonical_url == expected


def test_title_loses_the_outlet_suffix() -> None:
    site = '<meta property="og:site_name" content="Báo Sông Lam">'
    head = f"<title>Khởi công cầu dân sinh - Báo Sông Lam</title>{site}"
    result = extract_html(_page_of(head, PARAGRAPHS))
    assert result.title == "Khởi công cầu dân sinh"
    assert result.outlet == "Báo Sông Lam"
