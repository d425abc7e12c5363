"""Clustering scores (newsdesk.evaluate.metrics) and the story evaluation (newsdesk.evaluate.stories)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.errors import MalformedInput, UnreadableInput
from newsdesk.evaluate import PRF, bcubed, evaluate_stories, mixed_stream, pairwise, threshold_curve
from newsdesk.evaluate.stories import read_records

GOLD = {"a": "G1", "b": "G1", "c": "G1", "d": "G2", "e": "G2"}
PRED = {"a": "P1", "b": "P1", "c": "P2", "d": "P2", "e": "P2"}


# ---------------------------------------------------------------- hand-computed


def test_bcubed_by_hand() -> None:
    # precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 → 11/3 / 5
    # recall per item:    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 → 11/3 / 5
    score = bcubed(GOLD, PRED)
    assert score.precision == pytest.approx(11 / 15)
    assert score.recall == pytest.approx(11 / 15)
    assert score.f1 == pytest.approx(11 / 15)


def test_pairwise_by_hand() -> None:
    # gold pairs ab ac bc de (4); predicted pairs ab cd ce de (4); both: ab de
    score = pairwise(GOLD, PRED)
    assert (score.precision, score.recall, score.f1) == (0.5, 0.5, 0.5)


def test_uneven_by_hand() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 1}
    pred = {"a": 1, "b": 1, "c": 1, "d": 2}
    # B³ precision 1; recall a,b,c 3/4, d 1/4 → 10/16
    assert bcubed(gold, pred) == PRF(1.0, 10 / 16)
    # pairwise: gold 6 pairs, predicted 3 pairs, all right
    assert pairwise(gold, pred) == PRF(1.0, 0.5)
    assert pairwise(gold, pred).f1 == pytest.approx(2 / 3)


def test_all_singletons_and_all_in_one() -> None:
    singletons = {k: k for k in GOLD}
    one = dict.fromkeys(GOLD, "x")
    assert pairwise(GOLD, singletons) == PRF(1.0, 0.0)  # nothing claimed, pairs missed
    assert bcubed(GOLD, singletons).precision == 1.0
    assert pairwise(GOLD, one).recall == 1.0
    assert bcubed(GOLD, one).precision == pytest.approx(13 / 25)  # (3·3/5 + 2·2/5) / 5
    assert bcubed(GOLD, one).recall == 1.0


def test_empty_and_f1_of_zero() -> None:
    assert bcubed({}, {}) == PRF(1.0, 1.0)
    assert PRF(0.0, 0.0).f1 == 0.0


def test_items_must_match() -> None:
    with pytest.raises(ValueError, match="differ in 1 items"):
        bcubed(GOLD, {**PRED, "f": "P3"})
    with pytest.raises(ValueError, match="'e'"):
        pairwise(GOLD, {k: v for k, v in PRED.items() if k != "e"})


# ---------------------------------------------------------------- invariants

labels = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=2), st.integers(0, 3), max_size=12)


@given(labels, st.data())
def test_scores_are_symmetric_bounded_and_perfect_on_self(gold: dict[str, int], data: st.DataObject) -> None:
    pred = {k: data.draw(st.integers(0, 3)) for k in gold}
    for measure in (bcubed, pairwise):
        score, swapped = measure(gold, pred), measure(pred, gold)
        assert (score.precision, score.recall) == pytest.approx((swapped.recall, swapped.precision))
        assert 0.0 <= score.precision <= 1.0 and 0.0 <= score.recall <= 1.0
        assert measure(gold, gold) == PRF(1.0, 1.0)


@given(labels)
def test_scores_ignore_label_names(gold: dict[str, int]) -> None:
    renamed = {k: f"story-{v * 7}" for k, v in gold.items()}
    assert bcubed(gold, renamed) == PRF(1.0, 1.0)
    assert pairwise(gold, renamed) == PRF(1.0, 1.0)


# ---------------------------------------------------------------- the evaluation on a small gold file

RECORDS = [
    {
        "id": "f1",
        "cluster": "flood",
        "title": "Lũ quét ở Lào Cai làm 5 người mất tích",
        "text": "Đêm 12/8, lũ quét tại xã Bản Xèo, huyện Bát Xát, tỉnh Lào Cai làm 5 người mất tích "
        "và cuốn trôi 12 ngôi nhà. Lực lượng cứu hộ đang tìm kiếm các nạn nhân mất tích.",
    },
    {
        "id": "f2",
        "cluster": "flood",
        "title": "Lào Cai: 5 người mất tích do lũ quét ở Bát Xát",
        "text": "Lũ quét đêm 12/8 ở huyện Bát Xát (Lào Cai) cuốn trôi 12 ngôi nhà, 5 người mất tích. "
        "Lực lượng cứu hộ xã Bản Xèo đang tìm kiếm người mất tích.",
    },
    {
        "id": "p1",
        "cluster": "price",
        "title": "Giá xăng giảm hơn 500 đồng mỗi lít từ chiều nay",
        "text": "Liên Bộ Công Thương - Tài chính quyết định giảm giá xăng RON95 hơn 500 đồng mỗi lít "
        "từ 15h chiều nay. Giá dầu diesel cũng giảm 300 đồng mỗi lít.",
    },
    {
        "id": "p2",
        "cluster": "price",
        "title": "Xăng RON95 giảm giá hơn 500 đồng/lít",
        "text": "Từ 15h chiều nay giá xăng RON95 giảm hơn 500 đồng mỗi lít, dầu diesel giảm 300 đồng, "
        "theo quyết định của liên Bộ Công Thương - Tài chính.",
    },
    {
        "id": "s1",
        "title": "Đội tuyển bóng đá nữ thắng 3-0 trước Myanmar",
        "text": "Tối qua, đội tuyển bóng đá nữ Việt Nam thắng Myanmar 3-0 ở bán kết, giành vé vào chung kết.",
    },
]


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return path


def test_evaluate_stories_on_a_small_file(tmp_path: Path) -> None:
    out = tmp_path / "assigned.jsonl"
    scores = evaluate_stories(_write(tmp_path / "gold.jsonl.gz", RECORDS), out)
    assert set(scores) == {
        "bcubed_precision",
        "bcubed_recall",
        "bcubed_f1",
        "pairwise_precision",
        "pairwise_recall",
        "pairwise_f1",
        "articles",
        "gold_clusters",
        "predicted_stories",
        "seconds",
        "ms_per_article",
    }
    assert (scores["articles"], scores["gold_clusters"]) == (5, 3)
    assert scores["bcubed_f1"] == 1.0 and scores["predicted_stories"] == 3
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["f1", "f2", "p1", "p2", "s1"]
    assert lines[0]["story"] == lines[1]["story"] != lines[2]["story"] == lines[3]["story"]


def test_threshold_curve_rows() -> None:
    curve = threshold_curve(RECORDS, [0.1, 0.9])
    assert [row["threshold"] for row in curve] == [0.1, 0.9]
    assert curve[1]["pairwise_f1"] == 0.0  # nothing joins at 0.9
    assert curve[0]["bcubed_f1"] == 1.0


def test_mixed_stream_is_deterministic_and_drops_distractor_clusters() -> None:
    distractors = [{"id": "x", "cluster": "c", "title": "", "text": ""}]
    stream = mixed_stream(RECORDS, distractors, seed=1)
    assert stream == mixed_stream(RECORDS, distractors, seed=1)
    assert sorted(r["id"] for r in stream) == ["f1", "f2", "p1", "p2", "s1", "x"]
    assert "cluster" not in next(r for r in stream if r["id"] == "x")


def test_read_records_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match=r"missing\.jsonl"):
        read_records(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n{not json\n', encoding="utf-8")
    with pytest.raises(MalformedInput, match=r"bad.jsonl#L2"):
        read_records(bad)
    bad.write_text('{"title": "no id"}\n', encoding="utf-8")
    with pytest.raises(MalformedInput, match="without a string id"):
        read_records(bad)
    assert read_records(_write(tmp_path / "ok.jsonl.gz", RECORDS), limit=2) == RECORDS[:2]
