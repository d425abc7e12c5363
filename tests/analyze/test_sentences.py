"""Sentence splitting: Vietnamese and English edge cases, offsets, invariants."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.analyze.sentences import sentence_spans, split_sentences

CASES = [
    # Plain Vietnamese and English.
    ("Trời mưa to. Đường ngập sâu.", ["Trời mưa to.", "Đường ngập sâu."]),
    ("It rained. Roads flooded!", ["It rained.", "Roads flooded!"]),
    ("Có ai ở đó không? Không có ai.", ["Có ai ở đó không?", "Không có ai."]),
    # Dots inside words and numbers never split.
    (
        "Giá xăng ở TP.HCM tăng 1.000 đồng. Người dân lo lắng.",
        ["Giá xăng ở TP.HCM tăng 1.000 đồng.", "Người dân lo lắng."],
    ),
    ("Lạm phát 3.5% năm 2023. Sang năm giảm.", ["Lạm phát 3.5% năm 2023.", "Sang năm giảm."]),
    ("Xem tại vnexpress.net. Tin cập nhật liên tục.", ["Xem tại vnexpress.net.", "Tin cập nhật liên tục."]),
    # Abbreviations followed by a capital letter.
    ("Ông sống ở TP. Hồ Chí Minh. Bà sống ở Huế.", ["Ông sống ở TP. Hồ Chí Minh.", "Bà sống ở Huế."]),
    ("Cửa hàng ở Q. 1 và P. Bến Nghé đóng cửa.", ["Cửa hàng ở Q. 1 và P. Bến Nghé đóng cửa."]),
    ("Nhà ở Q.1. Ông ấy chuyển đi.", ["Nhà ở Q.1.", "Ông ấy chuyển đi."]),
    ("PGS.TS. Nguyễn Văn Bình phát biểu.", ["PGS.TS. Nguyễn Văn Bình phát biểu."]),
    ("GS.TSKH. Lê Hoa và BS.CKII. Trần Nam dự họp.", ["GS.TSKH. Lê Hoa và BS.CKII. Trần Nam dự họp."]),
    ("Trái cây gồm cam, quýt v.v. Sau đó là rau.", ["Trái cây gồm cam, quýt v.v.", "Sau đó là rau."]),
    ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
    ("The U.S. Army left at 5 p.m. Then it rained.", ["The U.S. Army left at 5 p.m.", "Then it rained."]),
    ("Chị C.T.H. Nguyễn khai báo. Công an ghi nhận.", ["Chị C.T.H. Nguyễn khai báo.", "Công an ghi nhận."]),
    ("Sách của J. K. Rowling bán chạy.", ["Sách của J. K. Rowling bán chạy."]),
    # Small letter after the period, ellipsis mid-sentence.
    (
        "Các xã Tân Lập, Phúc Lợi... huyện Lục Yên bị lốc.",
        ["Các xã Tân Lập, Phúc Lợi... huyện Lục Yên bị lốc."],
    ),
    ("Nước lên nhanh… Người dân sơ tán.", ["Nước lên nhanh…", "Người dân sơ tán."]),
    ("Chị H.vào trường học.", ["Chị H.vào trường học."]),
    # Typo: no space after the period.
    ("Hội nghị kết thúc.Đại diện Bộ phát biểu.", ["Hội nghị kết thúc.", "Đại diện Bộ phát biểu."]),
    # A sentence may start with a digit or an opening quote.
    ("Bão đổ bộ năm 2016. 9 người bị thương.", ["Bão đổ bộ năm 2016.", "9 người bị thương."]),
    ('Ông kết luận. "Chúng tôi sẽ làm," ông nói.', ["Ông kết luận.", '"Chúng tôi sẽ làm," ông nói.']),
    # Quotations stay whole with their speaker.
    (
        'Anh nói: "Tôi sẽ đi. Anh ở lại." Sau đó anh đi.',
        ['Anh nói: "Tôi sẽ đi. Anh ở lại."', "Sau đó anh đi."],
    ),
    (
        "Bà cho biết: “Nước lên nhanh. Chúng tôi không kịp chạy.” Đoàn cứu hộ đến sau.",
        ["Bà cho biết: “Nước lên nhanh. Chúng tôi không kịp chạy.”", "Đoàn cứu hộ đến sau."],
    ),
    ('"Tại sao?" anh hỏi.', ['"Tại sao?" anh hỏi.']),
    # An unbalanced quote does not swallow the rest of the paragraph.
    ('Ông nói "không đồng ý. Bà im lặng.', ['Ông nói "không đồng ý.', "Bà im lặng."]),
    # Line breaks always end a sentence; blank lines and spaces vanish.
    (
        "Tiêu đề không dấu chấm\n\n  Đoạn một.  \r\nĐoạn hai",
        ["Tiêu đề không dấu chấm", "Đoạn một.", "Đoạn hai"],
    ),
    ("", []),
    ("   \n \n", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_spans_point_into_the_original_text() -> None:
    text = "  Mưa lớn. \n Gió mạnh!"
    assert sentence_spans(text) == [(2, 10), (13, 22)]
    assert [text[a:b] for a, b in sentence_spans(text)] == ["Mưa lớn.", "Gió mạnh!"]


@given(st.text(alphabet='ab .!?\n"“”ĐÔ1', max_size=80))
def test_spans_are_ordered_trimmed_and_lossless(text: str) -> None:
    spans = sentence_spans(text)
    assert all(a < b for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in pairwise(spans))
    assert all(not text[a].isspace() and not text[b - 1].isspace() for a, b in spans)
    assert "".join("".join(text[a:b].split()) for a, b in spans) == "".join(text.split())
