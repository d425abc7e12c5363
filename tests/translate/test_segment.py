"""Sentence segmentation of source texts for the translation memory."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.translate import segment, segment_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ông Nguyễn Văn A, TS. Lê Văn B phát biểu. Sau đó, TP. Hồ Chí Minh báo cáo.",
            ["Ông Nguyễn Văn A, TS. Lê Văn B phát biểu.", "Sau đó, TP. Hồ Chí Minh báo cáo."],
        ),
        (
            "Doanh thu đạt 1.000,5 tỷ đồng. Tăng 3.5% so với năm trước.",
            ["Doanh thu đạt 1.000,5 tỷ đồng.", "Tăng 3.5% so với năm trước."],
        ),
        ("PGS.TS. Trần C nói: “Tốt. Rất tốt.” Xong.", ["PGS.TS. Trần C nói: “Tốt. Rất tốt.”", "Xong."]),
        (
            "Mr. Smith met Dr. Jones in the U.S. Capitol. They agreed!",
            ["Mr. Smith met Dr. Jones in the U.S. Capitol.", "They agreed!"],
        ),
        (
            "Mme. Dupont a vu M. Martin. Voir art. 5 du décret. Fin.",
            ["Mme. Dupont a vu M. Martin.", "Voir art. 5 du décret.", "Fin."],
        ),
        ("See No. 5 Street. It was no. Then we left.", ["See No. 5 Street.", "It was no.", "Then we left."]),
        ("He told me. Then he left.", ["He told me.", "Then he left."]),
        ("Xem Tr. 12 và KTS. Nguyễn An. Hết.", ["Xem Tr. 12 và KTS. Nguyễn An.", "Hết."]),
        ("Cty ở 12 av. Foch. Xong.", ["Cty ở 12 av. Foch.", "Xong."]),
        ("Tiêu đề\nĐoạn một. Đoạn hai?\n\n  Đoạn ba…", ["Tiêu đề", "Đoạn một.", "Đoạn hai?", "Đoạn ba…"]),
        ("", []),
    ],
)
def test_segments(text: str, expected: list[str]) -> None:
    assert segment(text) == expected


@given(st.text(alphabet=st.sampled_from(list("aB .!?\n1,TPtsMr“”")), max_size=80))
def test_spans_are_ordered_trimmed_slices(text: str) -> None:
    spans = segment_spans(text)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    for start, end in spans:
        piece = text[start:end]
        assert piece and piece == piece.strip()
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == "".join(text.split())
