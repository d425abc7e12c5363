"""Tests of newsdesk.analyze.langid: language identification."""

from __future__ import annotations

import gzip
import json
import threading
import time
from pathlib import Path

import pytest

from newsdesk.analyze.langid import (
    MIN_LETTERS,
    UNDETERMINED,
    LangResult,
    identify,
    supported_languages,
)
from newsdesk.text.fold import fold

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "vietnews-20k.jsonl.gz"

SAMPLES = [
    (
        "vi",
        "Thủ tướng Chính phủ chủ trì hội nghị trực tuyến với các địa phương về tình hình phát triển "
        "kinh tế - xã hội trong những tháng đầu năm và giao nhiệm vụ cho các bộ, ngành.",
    ),
    (
        "vi",
        "Thu tuong Chinh phu chu tri hoi nghi truc tuyen voi cac dia phuong ve tinh hinh phat trien "
        "kinh te xa hoi trong nhung thang dau nam va giao nhiem vu cho cac bo nganh.",
    ),
    (
        "en",
        "The Prime Minister chaired an online conference with the provinces on the economic situation "
        "and asked ministries to speed up the disbursement of public investment.",
    ),
    (
        "fr",
        "Le Premier ministre a présidé une conférence en ligne avec les provinces sur la situation "
        "économique et a demandé aux ministères d'accélérer les investissements publics.",
    ),
    (
        "de",
        "Der Premierminister leitete eine Online-Konferenz mit den Provinzen zur wirtschaftlichen Lage "
        "und forderte die Ministerien auf, die öffentlichen Investitionen zu beschleunigen.",
    ),
    ("zh", "总理主持召开与各地方的视频会议，讨论经济社会发展形势，要求各部门加快公共投资进度。"),
    (
        "ja",
        "首相は地方自治体とのオンライン会議を主宰し、社会経済情勢について話し合い、公共投資の加速を求めた。",
    ),
    (
        "ko",
        "총리는 지방 정부와 온라인 회의를 주재하고 사회 경제 상황을 논의했으며 "
        "공공 투자 속도를 높이라고 지시했다.",
    ),
    (
        "ru",
        "Премьер-министр провёл онлайн-конференцию с регионами о социально-экономической ситуации "
        "и поручил министерствам ускорить государственные инвестиции.",
    ),
    ("th", "นายกรัฐมนตรีเป็นประธานการประชุมออนไลน์กับท้องถิ่นเกี่ยวกับสถานการณ์เศรษฐกิจและสังคม"),
    ("km", "នាយករដ្ឋមន្ត្រីបានដឹកនាំកិច្ចប្រជុំតាមប្រព័ន្ធអនឡាញជាមួយខេត្តនានាអំពីស្ថានភាពសេដ្ឋកិច្ច"),
    ("lo", "ນາຍົກລັດຖະມົນຕີໄດ້ເປັນປະທານກອງປະຊຸມອອນລາຍກັບບັນດາແຂວງກ່ຽວກັບສະພາບເສດຖະກິດ"),
    (
        "id",
        "Perdana Menteri memimpin konferensi daring dengan pemerintah daerah tentang situasi sosial "
        "ekonomi dan meminta kementerian untuk mempercepat belanja modal.",
    ),
    (
        "es",
        "El primer ministro presidió una conferencia en línea con las provincias sobre la situación "
        "económica y pidió a los ministerios que aceleren la inversión pública.",
    ),
    (
        "pt",
        "O primeiro-ministro presidiu uma conferência com as províncias sobre a situação económica e "
        "pediu aos ministérios que acelerem o investimento público, não só nas regiões.",
    ),
]


@pytest.mark.parametrize(("code", "text"), SAMPLES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(SAMPLES)])
def test_identifies_language(code: str, text: str) -> None:
    result = identify(text)
    assert result.code == code
    assert 0.5 < result.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "12345 678 2024-05-01", "hello", "!!! ??? ...", "0912 345 678", "https://x.vn/1"],
)
def test_too_little_text_is_undetermined(text: str) -> None:
    assert identify(text) == LangResult(UNDETERMINED, 0.0)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # English about Vietnam, dense with Vietnamese names: the model alone says "vi"
        (
            "Deputy Prime Minister Trần Hồng Hà met Nguyễn Văn Thắng and Lê Minh Hưng in Đà Nẵng on "
            "Friday to review the new airport terminal.",
            "en",
        ),
        ("The conference in Quảng Ninh was attended by Võ Văn Thưởng, Vương Đình Huệ and others.", "en"),
        # mixed: the majority language wins, with less confidence
        (
            "Thủ tướng Phạm Minh Chính đã tiếp đoàn đại biểu và nhấn mạnh quan hệ đối tác. "
            "The Prime Minister said Việt Nam values the partnership.",
            "vi",
        ),
        (
            "The delegation visited the Temple of Literature, known in Vietnamese as Văn Miếu, "
            "and later met students of the national university to discuss exchange programmes.",
            "en",
        ),
    ],
)
def test_names_and_mixed_text(text: str, code: str) -> None:
    assert identify(text).code == code


def test_short_phrase_without_diacritics_is_a_known_limit() -> None:
    # documented: py3langid alone calls this Aragonese; with diacritics it is Vietnamese
    assert identify("nhan quyen o Viet Nam").code != "vi"
    assert identify("nhân quyền ở Việt Nam").code == "vi"


def test_fast_path_and_model_agree_on_vietnamese() -> None:
    text = SAMPLES[0][1]
    fast = identify(text)
    slow = identify(fold(text) + " " + fold(text))
    assert fast.code == slow.code == "vi"
    assert fast.confidence >= 0.99


def test_max_chars_limits_the_sample() -> None:
    vietnamese, english = SAMPLES[0][1], SAMPLES[2][1]
    text = vietnamese + " " + english * 10
    assert identify(text, max_chars=len(vietnamese)).code == "vi"
    assert identify(text, max_chars=len(text)).code == "en"
    assert identify(text, max_chars=5).code == UNDETERMINED


def test_minimum_letters_counts_letters_not_characters() -> None:
    assert identify("a1 " * (MIN_LETTERS - 1)).code == UNDETERMINED
    assert identify("中" * MIN_LETTERS).code != UNDETERMINED


def test_supported_languages_are_iso_639_1() -> None:
    codes = supported_languages()
    assert len(codes) >= 50
    assert all(len(code) == 2 and code.isalpha() and code.islower() for code in codes)
    assert {"vi", "en", "fr", "zh", "km", "lo", "th", "ru", "ja", "ko"} <= set(codes)
    assert codes == sorted(set(codes))


def test_answers_only_supported_codes() -> None:
    supported = set(supported_languages()) | {UNDETERMINED}
    assert {identify(text).code for _, text in SAMPLES} <= supported
    assert identify("粵語係一種漢語，喺廣東同香港好多人講，佢哋講嘅嘢同普通話好唔同").code == "zh"


def test_thread_safe_first_load() -> None:
    results: list[LangResult] = []

    def work() -> None:
        results.append(identify(SAMPLES[2][1]))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.code for r in results} == {"en"}


def _corpus_sample(limit: int) -> list[str]:
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS.parent} absent (../shared/corpus)")
    texts = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts.append("\n".join([record["title"], record.get("sapo", ""), record["text"]]))
            if len(texts) >= limit:
                break
    return texts


@pytest.mark.corpus
def test_corpus_is_vietnamese_and_fast() -> None:
    texts = _corpus_sample(300)
    identify(texts[0])
    started = time.process_time()
    results = [identify(text) for text in texts]
    per_second = len(texts) / max(time.process_time() - started, 1e-9)
    assert {r.code for r in results} == {"vi"}
    assert per_second > 1000


@pytest.mark.corpus
def test_corpus_without_diacritics_is_still_vietnamese() -> None:
    texts = _corpus_sample(40)
    assert sum(identify(fold(text)).code == "vi" for text in texts) == len(texts)
