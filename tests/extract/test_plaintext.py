"""The plain-text cleaner: noise out, every paragraph of the article kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.extract import clean_body, clean_plaintext, normalize_line, parse_date_line
from newsdesk.model import Extracted

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
ICT = timezone(timedelta(hours=7))


def _lines(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


def _kinds(result: Extracted) -> set[str]:
    return {kind for kind, _ in result.removed}


# ---------------------------------------------------------------------------
# Whole fixtures
# ---------------------------------------------------------------------------


def test_vietnamese_fixture_keeps_every_paragraph_and_drops_the_noise() -> None:
    lines = _lines("vi_noisy.txt")
    result = clean_plaintext("\n".join(lines), origin="vi_noisy.txt")
    body = result.text.split("\n\n")

    assert result.title == lines[6]
    assert result.published == datetime(2025, 3, 16, 7, 30, tzinfo=ICT)
    assert result.author == "Ngọc Lan"
    assert result.outlet == "binhdinh.example.vn"
    for paragraph in [lines[8], lines[10], lines[13], lines[17], lines[20], lines[22]]:
        assert normalize_line(paragraph) in body
    assert body.count(lines[17]) == 1  # caption printed twice, kept once
    assert lines[12] not in body  # the title repeated as an image alt
    for noise in [*lines[0:5], *lines[24:29], *lines[30:]]:
        if noise.strip():
            assert normalize_line(noise) not in body, noise
    assert "soi kèo" not in result.text and "ậpthể" not in result.text
    assert "Theo ban tổ chức, các học viên được thực hành" in result.text


def test_vietnamese_fixture_records_each_removal_by_kind() -> None:
    result = clean_plaintext((FIXTURES / "vi_noisy.txt").read_text(encoding="utf-8"))
    assert _kinds(result) == {
        "symbols", "breadcrumb", "banner", "date", "title_repeat", "spam_glued", "spam_phrase",
        "duplicate", "share_tools", "view_counter", "author", "outlet_signature", "related_marker",
        "related_list",
    }  # fmt: skip
    assert ("view_counter", "Lượt xem: 1.024") in result.removed


def test_english_fixture() -> None:
    lines = _lines("en_noisy.txt")
    result = clean_plaintext("\n".join(lines))

    assert result.title == lines[3]
    assert result.published == datetime(2025, 3, 17, 9, 45, tzinfo=ICT)
    assert result.author == "Daniel Hughes"
    assert result.outlet == "harbourgazette.example.com"
    for index in (7, 9, 12, 14, 16):
        assert normalize_line(lines[index]) in result.text
    assert "first time. The mayor, Mr.Jones, thanked" in result.text
    for noise in ("Views", "Share this", "Facebook", "Source:", "Related articles", "fishermen", "Home >"):
        assert noise not in result.text
    assert result.text.split("\n\n")[0] == lines[7]


# ---------------------------------------------------------------------------
# Line repair
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("báo chí.Đại diện Bộ", "báo chí. Đại diện Bộ"),
        ('dư luận."Cần nâng cao", ông nói.', 'dư luận. "Cần nâng cao", ông nói.'),
        ("ông nói.“Cần làm ngay”", "ông nói. “Cần làm ngay”"),
        ("“Phải làm ngay.”Ông nói", "“Phải làm ngay.” Ông nói"),
        ("Bắc Trung Bộ,duyên hải", "Bắc Trung Bộ, duyên hải"),
        ("phát hành 1.000 cuốn, 3,5 mét", "phát hành 1.000 cuốn, 3,5 mét"),
        ("tại TP.HCM và Tp.HCM", "tại TP.HCM và Tp.HCM"),
        ("xem tại nhandan.vn/Thoi-su.Html", "xem tại nhandan.vn/Thoi-su.Html"),
        ("gửi về ban.bientap@baoso.vn", "gửi về ban.bientap@baoso.vn"),
        ("Mr.Smith and Dr.Who", "Mr.Smith and Dr.Who"),
        ("the U.S.Army base", "the U.S.Army base"),
        ("  many \u00a0 spaces\tand\u200b tabs  ", "many spaces and tabs"),
        ("Hoa\u0300 Bi\u0300nh", "Hoà Bình"),
        ("first time.The mayor", "first time. The mayor"),
    ],
)
def test_normalize_line(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected
    assert normalize_line(expected) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Thứ Ba, 21/05/2024 14:57", datetime(2024, 5, 21, 14, 57, tzinfo=ICT)),
        ("Chủ nhật, 02/06/2024 - 08:05 (GMT+7)", datetime(2024, 6, 2, 8, 5, tzinfo=ICT)),
        ("Cập nhật: 15/06/2024 10h20", datetime(2024, 6, 15, 10, 20, tzinfo=ICT)),
        ("14:57 21-05-2024", datetime(2024, 5, 21, 14, 57, tzinfo=ICT)),
        ("Ngày 21 tháng 5 năm 2024", datetime(2024, 5, 21, tzinfo=ICT)),
        ("2024-05-21T14:57:00+00:00", datetime(2024, 5, 21, 14, 57, tzinfo=UTC)),
        ("Monday, March 17, 2025 9:45 AM", datetime(2025, 3, 17, 9, 45, tzinfo=ICT)),
        ("Published: 17 March 2025 21:05 GMT+0", datetime(2025, 3, 17, 21, 5, tzinfo=UTC)),
        ("Updated 3 Mar 2025, 12:30 PM", datetime(2025, 3, 3, 12, 30, tzinfo=ICT)),
        ("Ngày 21/05/2024, hội nghị khai mạc", None),
        ("Năm 2024", None),
        ("31/02/2024", None),
        ("Lượt xem: 3", None),
    ],
)
def test_parse_date_line(line: str, expected: datetime | None) -> None:
    assert parse_date_line(line) == expected


# ---------------------------------------------------------------------------
# Injected spam
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (  # glued run, then a football phrase ending in a year
            "Phát biểu tại lễ khai mạc,ậpthểcánbộchiếnsĩthiđuayêunướcbảng xếp hạng ngoại hạng anh 2024 "
            "ông Nguyễn Văn A cho biết tỉnh đã hoàn thành kế hoạch.",
            "Phát biểu tại lễ khai mạc, ông Nguyễn Văn A cho biết tỉnh đã hoàn thành kế hoạch.",
        ),
        (  # the glued run ends inside a lottery term; the phrase has no year
            "Theo kế hoạch,ậptrungđàotạokỹnăngsốchongườidânxổ số miền bắc hôm nay "
            "người cao tuổi được ưu tiên.",
            "Theo kế hoạch, người cao tuổi được ưu tiên.",
        ),
        (  # English spam after the run
            "Đoàn công tác,ãkiểmtrathựctếtạicơsởsảnxuất premier league standings 2025 đã làm việc với xã.",
            "Đoàn công tác, đã làm việc với xã.",
        ),
        (  # glued run with no spam phrase: only the run goes
            "Hội nghị đã thống nhất ậpthểcánbộchiếnsĩthiđua các nội dung chính.",
            "Hội nghị đã thống nhất các nội dung chính.",
        ),
        (  # a number right after the run is article text, not a spam phrase
            "Buổi lễ có ậpthểcánbộchiếnsĩthiđua 500 đại biểu tham dự.",
            "Buổi lễ có 500 đại biểu tham dự.",
        ),
        (  # glued run at the end of the sentence
            "Chương trình kết thúc lúc 11 giờ,ậpthểcánbộchiếnsĩthiđua.",
            "Chương trình kết thúc lúc 11 giờ.",
        ),
        (  # glued spam terms without Vietnamese syllables, digits glued on
            "The council met on Monday, onlinecasinobettingtips2025 and approved the plan.",
            "The council met on Monday, and approved the plan.",
        ),
        (
            "The council met on Monday, onlinecasinobettingtips and approved the plan.",
            "The council met on Monday, and approved the plan.",
        ),
    ],
)
def test_glued_spam_is_cut_and_the_sentence_repaired(line: str, expected: str) -> None:
    result = clean_body(line)
    assert result.text == expected


@pytest.mark.parametrize(
    "line",
    [
        "Đội tuyển đứng đầu bảng xếp hạng bóng đá ASIAD 2023 sau trận thắng đậm.",
        "Kết quả xổ số Vietlott ngày 27/3/2018 có hai vé trúng giải.",
        "Công an triệt phá đường dây cá cược bóng đá qua mạng với số tiền 2.000 tỷ đồng.",
        "Chiến dịch #ViệtNamTươiĐẹp thu hút 2 triệu lượt chia sẻ trên mạng xã hội.",
        "The word internationalization has twenty letters, and so does counterrevolutionary.",
        "Nghệ sĩ Hồ Chí Minh City Orchestra biểu diễn tại Nhà hát Lớn.",
        "Vụ MH370",
        "Tin Covid19",
    ],
)
def test_ordinary_text_about_football_or_lotteries_is_kept(line: str) -> None:
    result = clean_body(line)
    assert result.text == line
    assert result.removed == []


@pytest.mark.parametrize(
    "line",
    ["Soi kèo nhà cái hôm nay", "Link vào fb88 mới nhất 2024", "casino online - betting tips 2025"],
)
def test_a_line_of_gambling_spam_is_removed(line: str) -> None:
    result = clean_body(f"Tỉnh đã hoàn thành kế hoạch năm 2024.\n{line}\nHội nghị kết thúc lúc 11 giờ.")
    assert result.text == "Tỉnh đã hoàn thành kế hoạch năm 2024.\n\nHội nghị kết thúc lúc 11 giờ."
    assert ("spam_line", line) in result.removed


# ---------------------------------------------------------------------------
# Lists, repeats, signatures
# ---------------------------------------------------------------------------

ARTICLE = [
    "Sáng 3/4, tỉnh tổ chức hội nghị tổng kết công tác thông tin đối ngoại năm 2024.",
    "Các đại biểu thảo luận về cách đưa thông tin đến người dân nhanh và chính xác hơn.",
    "Hội nghị thống nhất năm nhiệm vụ trọng tâm cho năm 2025.",
]


def test_related_list_at_the_end_is_removed() -> None:
    tail = [
        "Xem thêm:",
        "Tỉnh ra mắt cổng thông tin mới",
        "Hội nghị báo chí đầu xuân",
        "Trao giải báo chí tỉnh",
    ]
    result = clean_body("\n".join(ARTICLE + tail))
    assert result.text == "\n\n".join(ARTICLE)
    assert [kind for kind, _ in result.removed] == ["related_marker"] + ["related_list"] * 3


def test_marker_followed_by_the_article_only_loses_the_marker() -> None:
    result = clean_body("\n".join([ARTICLE[0], "Đọc thêm", *ARTICLE[1:]]))
    assert result.text == "\n\n".join(ARTICLE)
    assert result.removed == [("related_marker", "Đọc thêm")]


def test_a_lone_headline_after_the_marker_does_not_take_the_last_paragraph() -> None:
    result = clean_body("\n".join([*ARTICLE[:2], "Đọc thêm", "Một tiêu đề khác", ARTICLE[2]]))
    assert ARTICLE[2] in result.text
    assert "Một tiêu đề khác" in result.text


def test_inline_related_links_go_but_their_neighbours_stay() -> None:
    text = "\n".join(
        [ARTICLE[0], "Xem thêm: Tỉnh ra mắt cổng thông tin mới", ">> Hội nghị báo chí", *ARTICLE[1:]]
    )
    result = clean_body(text)
    assert result.text == "\n\n".join(ARTICLE)
    assert _kinds(result) == {"related_link"}


@pytest.mark.parametrize(
    ("signature", "author", "outlet"),
    [
        ("HẠNH NGUYÊN", "Hạnh Nguyên", None),
        ("Hà Anh (TTXVN)", "Hà Anh", "TTXVN"),
        ("(Theo VOV)", None, "VOV"),
        ("Nguồn: Báo Nhân Dân", None, "Báo Nhân Dân"),
        ("Source: https://www.example.org/news/1", None, "example.org"),
    ],
)
def test_trailing_signatures(signature: str, author: str | None, outlet: str | None) -> None:
    result = clean_body("\n".join([*ARTICLE, signature]))
    assert result.text == "\n\n".join(ARTICLE)
    assert (result.author, result.outlet) == (author, outlet)


def test_a_credit_inside_the_article_stays() -> None:
    lines = [ARTICLE[0], "Nguồn: Tổng cục Thống kê", *ARTICLE[1:]]
    assert clean_body("\n".join(lines)).text == "\n\n".join(lines)


def test_an_interview_question_is_not_a_byline() -> None:
    lines = [ARTICLE[0], "PV: Ông có kỳ vọng gì?", "Tôi mong mọi việc thuận lợi.", ARTICLE[1]]
    result = clean_body("\n".join(lines))
    assert result.text == "\n\n".join(lines)
    assert result.author is None


def test_duplicates_only_when_consecutive() -> None:
    caption = "Quang cảnh hội nghị. (Ảnh: BTC)"
    lines = [ARTICLE[0], caption, caption, ARTICLE[1], caption, ARTICLE[2]]
    result = clean_body("\n".join(lines))
    assert result.text.split("\n\n") == [ARTICLE[0], caption, ARTICLE[1], caption, ARTICLE[2]]


def test_title_repeated_before_a_caption() -> None:
    title = "Tỉnh tổng kết công tác thông tin đối ngoại"
    result = clean_plaintext("\n".join([title, ARTICLE[0], title, "Quang cảnh hội nghị", *ARTICLE[1:]]))
    assert result.title == title
    assert result.text.split("\n\n") == [ARTICLE[0], "Quang cảnh hội nghị", *ARTICLE[1:]]


def test_text_opening_with_a_paragraph_keeps_it_and_derives_a_title() -> None:
    result = clean_plaintext("\n".join(ARTICLE))
    assert result.title == ARTICLE[0]
    assert result.text == "\n\n".join(ARTICLE)


def test_a_marquee_in_sentence_case_is_a_banner_but_a_paragraph_about_anniversaries_is_not() -> None:
    marquee = (
        "Chào mừng kỷ niệm 95 năm Ngày thành lập Đảng (03/02/1930 - 03/02/2025) - Kỷ niệm 50 năm "
        "Ngày giải phóng hoàn toàn miền Nam (30/4/1975 - 30/4/2025) - Chào mừng Đại hội Đảng bộ tỉnh"
    )
    paragraph = (
        "Giải chạy được tổ chức nhằm chào mừng kỷ niệm 50 năm Ngày giải phóng miền Nam (30/4/1975 - "
        "30/4/2025); kỷ niệm 139 năm Ngày Quốc tế Lao động (1/5/1886 - 1/5/2025)."
    )
    assert clean_plaintext("\n".join([marquee, "Tiêu đề bài viết", *ARTICLE])).removed[0][0] == "banner"
    result = clean_plaintext("\n".join([paragraph, *ARTICLE]))
    assert result.text.split("\n\n")[0] == paragraph


@pytest.mark.parametrize("text", ["", "   \n\n  ", "• :\n  • :\nLượt xem: 3"])
def test_nothing_left_gives_an_empty_result(text: str) -> None:
    result = clean_plaintext(text)
    assert (result.title, result.text) == ("", "")


def test_clean_body_strips_spam_from_the_title_too() -> None:
    result = clean_body(ARTICLE[0], title="Hội nghị tổng kết,ậpthểcánbộchiếnsĩthiđua năm 2024")
    assert result.title == "Hội nghị tổng kết, năm 2024"


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_WORDS = (
    "tỉnh",
    "hội",
    "nghị",
    "cán",
    "bộ",
    "người",
    "dân",
    "thông",
    "tin",
    "đối",
    "ngoại",
    "phát",
    "triển",
    "kinh",
    "tế",
    "văn",
    "hóa",
    "giáo",
    "dục",
    "công",
    "tác",
    "năm",
    "mới",
    "council",
    "river",
    "budget",
    "school",
    "station",
    "report",
    "the",
    "and",
    "of",
    "1.000",
    "2024",
    "15/6",
    "TP.HCM",
    "Hà",
    "Nội",
)
_sentence = st.lists(st.sampled_from(_WORDS), min_size=4, max_size=18).map(
    lambda words: " ".join(words).capitalize() + "."
)
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)
_title = st.lists(st.sampled_from(_WORDS), min_size=3, max_size=12).map(lambda w: " ".join(w).capitalize())
_texts = st.tuples(
    st.one_of(st.none(), _title),
    st.lists(_paragraph, min_size=3, max_size=8),
    st.sampled_from(["\n", "\n\n"]),
)


@settings(max_examples=100, deadline=None)
@given(_texts)
def test_cleaning_is_idempotent_and_keeps_ordinary_paragraphs(
    case: tuple[str | None, list[str], str],
) -> None:
    title, paragraphs, separator = case
    text = separator.join(([title] if title else []) + paragraphs)
    once = clean_plaintext(text)
    assert once.text
    for paragraph in paragraphs:
        assert paragraph in once.text
    assert clean_plaintext(once.text).text == once.text
    assert clean_body(once.text, once.title).text == once.text


_NOISE = (
    "• :", "Lượt xem: 12", "Link bài gốc Copy link", "Thứ Hai, 12/08/2024 09:05", "Đọc thêm",
    "Xem thêm: Một bài viết khác", "Views: 1,204", "Share this article", "Facebook | Twitter | Email",
    "https://example.vn/bai-viet-1.html", "Nội dung đang cập nhật...", "Bình luận (0)",
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_paragraph, min_size=3, max_size=6),
    st.lists(st.sampled_from(_NOISE), min_size=1, max_size=6),
    st.data(),
)
def test_noise_lines_anywhere_leave_the_body_as_it_was(
    paragraphs: list[str], noise: list[str], data: st.DataObject
) -> None:
    lines = list(paragraphs)
    for line in noise:
        lines.insert(data.draw(st.integers(0, len(lines))), line)
    title = "Tỉnh tổng kết công tác năm"
    assert clean_body("\n".join(lines), title).text == clean_body("\n".join(paragraphs), title).text


def test_repeated_read_more_markers_never_take_paragraphs() -> None:
    """Regression: a later "Đọc thêm" counted as a list headline, so the paragraphs after it were lost."""
    paragraphs = ["Tỉnh tỉnh tỉnh tỉnh.", "Tỉnh tỉnh tỉnh tỉnh tỉnh."]
    noisy = [paragraphs[0], "Đọc thêm", "Đọc thêm", paragraphs[1], "Đọc thêm", paragraphs[1]]
    cleaned = clean_body("\n".join(noisy), "Tỉnh tổng kết công tác năm")
    assert cleaned.text == "\n\n".join(paragraphs)
    assert [kind for kind, _ in cleaned.removed].count("related_marker") == 3
