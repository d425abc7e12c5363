"""Short formats (newsdesk.publish.formats): network lengths, posts, captions, hashtags, subtitles."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsdesk.publish.formats as formats
from newsdesk.analyze.themes import load_taxonomy
from newsdesk.errors import MalformedInput
from newsdesk.publish.formats import (
    HASHTAG_LABELS,
    NETWORKS,
    Cue,
    Release,
    caption,
    graphemes,
    hashtag,
    hashtags,
    parse_srt,
    parse_vtt,
    post_length,
    short_formats,
    short_formats_by_language,
    social_post,
    subtitle_cues,
    to_srt,
    to_vtt,
    video_script,
    weighted_length,
)

TITLE_VI = "Hội An kỷ niệm 25 năm di sản thế giới với một tháng đêm đèn lồng"
BODY_VI = (
    "Ủy ban nhân dân thành phố Hội An hôm thứ Hai công bố chương trình kéo dài một tháng gồm các đêm "
    "phố đèn lồng, hội chợ làng nghề và các tour tham quan nhà cổ, kỷ niệm 25 năm đô thị cổ được UNESCO "
    "ghi danh vào Danh mục Di sản thế giới.\n"
    "Từ đêm rằm đầu tháng, đèn điện dọc bờ sông Thu Bồn sẽ được tắt trong hai giờ mỗi tối để phố cổ chỉ "
    "được thắp sáng bằng đèn lồng lụa do các gia đình địa phương làm.\n"
    "Mười hai ngôi nhà cổ sẽ mở cửa miễn phí. Các kiến trúc sư bảo tồn sẽ giới thiệu cách sửa chữa "
    "khung gỗ và mái ngói bằng kỹ thuật truyền thống."
)
TITLE_EN = "Hoi An marks twenty-five years as a world heritage site with a month of lantern nights"
BODY_EN = (
    "The People's Committee of Hoi An announced on Monday a month-long programme of lantern nights, "
    "craft fairs and open-house tours. From the first full moon of the month, the lights along the river "
    "will be switched off for two hours every evening.\n"
    "Twelve restored merchant houses will open their courtyards free of charge. Conservation architects "
    "will explain how timber frames and tiled roofs were repaired."
)
URL = "https://thongtindoingoai.vn/bai-viet/hoi-an-25-nam-di-san-the-gioi-den-long"
VI = Release(TITLE_VI, BODY_VI, "vi", ("culture_heritage.heritage", "tourism"), URL)
EN = Release(TITLE_EN, BODY_EN, "en", ("culture_heritage.heritage", "tourism"), URL)


# ---------------------------------------------------------------- counting


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("a" * 280, 280),
        ("ệ", 2),  # U+1EC7, Latin Extended Additional: weight 2 on X
        ("e\u0302\u0323", 2),  # the same letter decomposed: NFC first
        ("à", 1),
        ("đ ư ơ ă", 7),
        ("中", 2),
        ("👍", 2),
        ("👩\u200d👩\u200d👧", 2),  # one emoji sequence
        ("https://example.com/a/very/long/path/that/goes/on/and/on", 23),
        ("see http://x.co", 4 + 23),
        ("TP.HCM", 6),  # not a domain
        ("baochinhphu.vn", 23),  # a bare domain counts at least 23
    ],
)
def test_weighted_length_follows_twitter_text_v3(text: str, length: int) -> None:
    assert weighted_length(text) == length


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Việt Nam", 8),
        ("Vie\u0302\u0323t Nam", 8),
        ("🇻🇳🇫🇷", 2),
        ("👩\u200d👩\u200d👧", 1),
        ("👍🏽", 1),
        ("a\r\nb", 3),
        ("", 0),
    ],
)
def test_graphemes_are_what_users_see(text: str, count: int) -> None:
    assert len(graphemes(text)) == count


def test_mastodon_counts_a_url_as_23() -> None:
    assert post_length(f"xin chào {URL}", "mastodon") == len("xin chào ") + 23
    assert post_length(f"xin chào {URL}", "threads") == len(f"xin chào {URL}")


# ---------------------------------------------------------------- posts


def _lead_words_are_whole(post: formats.SocialPost, release: Release) -> None:
    """Every word of the post's text part is a word of the source; only the last may carry the ellipsis."""
    source = set(f"{release.title} {release.body}".split())
    lead = post.text
    for part in (post.url or "", " ".join(post.hashtags)):
        lead = lead.replace(part, "")
    words = lead.split()
    for word in words[:-1]:
        assert word in source, word
    if words:
        last = words[-1]
        assert last in source or (last.endswith("…") and last[:-1] in {w.rstrip(",;:–—-") for w in source})


@pytest.mark.parametrize("network", sorted(NETWORKS))
@pytest.mark.parametrize("release", [VI, EN], ids=["vi", "en"])
def test_posts_fit_every_network(network: str, release: Release) -> None:
    tags = hashtags(release.themes, release.language, country="Việt Nam")
    post = social_post(release, network, tags)
    net = NETWORKS[network]
    assert post.length == post_length(post.text, net) <= net.target <= net.limit
    assert (URL in post.text) == net.links
    assert len(post.hashtags) <= net.max_hashtags
    assert post.text.startswith(release.title) or post.text.startswith(release.title.split()[0])
    _lead_words_are_whole(post, release)


def test_x_counts_vietnamese_letters_of_latin_extended_additional_twice() -> None:
    doubled = sum(0x1EA0 <= ord(c) <= 0x1EF9 for c in TITLE_VI)
    assert doubled == 9  # Hội, kỷ, niệm, sản, thế, giới, với, một, lồng
    assert weighted_length(TITLE_VI) == len(TITLE_VI) + doubled
    post = social_post(VI, "x", ("#DiSan",))
    assert post.truncated and post.length == weighted_length(post.text) <= 280
    assert len(graphemes(post.text.replace(URL, ""))) + 23 < 280


def test_a_cut_sentence_ends_with_an_ellipsis_never_mid_word() -> None:
    post = social_post(VI, "bluesky", ())
    body = post.text.split("\n\n")[1].split("\n")[0] if post.text.count("\n\n") > 1 else post.text
    assert body.endswith("…") or body.endswith(".")
    assert not body.endswith(",…")


def test_a_vietnamese_cut_does_not_split_a_compound() -> None:
    release = Release("", "Người dân và du khách tham quan hội chợ làng nghề truyền thống của tỉnh.", "vi")
    for target in range(12, 60):
        net = formats.Network("test", target, target, "graphemes", None, 0, links=False)
        text = social_post(release, net).text
        assert not re.search(r"\b(hội|làng|du|truyền|tham)…$", text), text


def test_hashtags_are_dropped_before_the_link() -> None:
    net = formats.Network("tiny", 60, 60, "graphemes", 23, 5)
    post = social_post(VI, net, ("#DiSan", "#DuLich", "#VanHoa", "#VietNam"))
    assert post.length <= 60 and post.url == URL
    assert len(post.hashtags) < 4


def test_a_link_longer_than_the_target_is_an_error() -> None:
    net = formats.Network("tiny", 20, 20, "graphemes", None, 0)
    with pytest.raises(ValueError, match="tiny"):
        social_post(VI, net)


def test_youtube_refuses_angle_brackets() -> None:
    release = Release("A <b>bold</b> title", "Body with <tags> and more.", "en")
    assert "<" not in social_post(release, "youtube_shorts").text


words = st.text(alphabet="abcdeđêôơưáàảãạệộ👍", min_size=1, max_size=12)
sentences = st.lists(words, min_size=1, max_size=20).map(lambda ws: " ".join(ws) + ".")


@given(
    title=st.lists(words, min_size=0, max_size=12).map(" ".join),
    body=st.lists(sentences, min_size=0, max_size=6).map("\n".join),
    target=st.integers(min_value=30, max_value=300),
    counting=st.sampled_from(["weighted", "graphemes", "code_points"]),
)
@settings(max_examples=150, deadline=None)
def test_any_post_fits_its_target(title: str, body: str, target: int, counting: formats.Counting) -> None:
    release = Release(title, body, "en", url="https://t.co/x")
    net = formats.Network("p", target, target, counting, 23 if counting == "weighted" else None, 2)
    post = social_post(release, net, ("#A", "#B"))
    assert post.length <= target
    _lead_words_are_whole(post, release)


# ---------------------------------------------------------------- captions


def test_caption_is_one_or_two_sentences_within_the_limit() -> None:
    text = caption(EN, 150)
    assert len(graphemes(text)) <= 150
    assert text.startswith("The People's Committee") and text.endswith(".")


def test_caption_falls_back_to_the_title_then_a_cut() -> None:
    assert caption(VI, 125) == TITLE_VI  # the first sentence is longer than 125
    cut = caption(VI, 40)
    assert len(graphemes(cut)) <= 40 and cut.endswith("…")
    assert TITLE_VI.startswith(cut[:-1]) or BODY_VI.startswith(cut[:-1])


# ---------------------------------------------------------------- hashtags


@pytest.mark.parametrize(
    ("label", "language", "tag"),
    [
        ("Chuyển đổi số", "vi", "#ChuyenDoiSo"),
        ("Văn hóa", "vi", "#VanHoa"),
        ("Biển Đông", "vi", "#BienDong"),
        ("Đầu tư nước ngoài", "vi", "#DauTuNuocNgoai"),
        ("ASEAN", "en", "#ASEAN"),
        ("Économie numérique", "fr", "#ÉconomieNumérique"),
        ("Anti-torture", "en", "#AntiTorture"),
        ("Women's rights", "en", "#WomenSRights"),
        ("2025", "en", ""),
        ("", "vi", ""),
    ],
)
def test_hashtag(label: str, language: str, tag: str) -> None:
    assert hashtag(label, language) == tag


def test_every_theme_has_hashtags_in_three_languages() -> None:
    theme_ids = set(load_taxonomy().themes)
    assert theme_ids == set(HASHTAG_LABELS)
    for column, language in enumerate(("vi", "en", "fr")):
        tags = [hashtag(labels[column], language) for labels in HASHTAG_LABELS.values()]
        assert all(re.fullmatch(r"#\w+", t) for t in tags), language
        if language == "vi":
            assert all(t.isascii() for t in tags)


def test_hashtags_from_themes_country_and_province() -> None:
    themes = ("science_technology_digital", "culture_heritage", "science_technology_digital")
    assert hashtags(themes, "vi", country="Việt Nam", province="TP. Hồ Chí Minh") == (
        "#ChuyenDoiSo", "#VanHoa", "#VietNam", "#HoChiMinh",
    )  # fmt: skip
    assert hashtags(themes, "en", country="VN", province="Hồ Chí Minh") == (
        "#DigitalTransformation", "#Culture", "#Vietnam", "#HoChiMinhCity",
    )  # fmt: skip
    assert hashtags(themes, "fr", province="Huế") == ("#TransformationNumérique", "#Culture", "#Hue")
    assert hashtags((), "de", country="Laos", province="Atlantis") == ("#Laos", "#Atlantis")


def test_an_unknown_theme_falls_back_to_the_taxonomy_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(HASHTAG_LABELS, "tourism")
    assert hashtags(("tourism", "no_such_theme"), "vi") == ("#DuLich",)


# ---------------------------------------------------------------- subtitles

SCRIPT_VI = video_script(VI)


def test_cues_respect_lines_and_reading_speed() -> None:
    cues = subtitle_cues(SCRIPT_VI, language="vi")
    assert cues[0].start_ms == 0
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2
        assert all(len(graphemes(line)) <= 42 for line in cue.lines)
        length = len(graphemes(cue.text))
        assert cue.end_ms - cue.start_ms == min(max(round(1000 * length / 15), 1000), 7000)
    for before, after in itertools.pairwise(cues):
        assert after.start_ms == before.end_ms + 80


def test_short_and_long_cues_are_clamped() -> None:
    (short,) = subtitle_cues("Vâng.")
    assert short.end_ms - short.start_ms == 1000
    (long,) = subtitle_cues("a" * 40, chars_per_second=5)  # 8 s of reading, one unsplittable line
    assert long.end_ms - long.start_ms == 7000
    assert len(subtitle_cues("a" * 20 + " " + "b" * 20, chars_per_second=5)) == 2  # 41 > 35 chars in 7 s


def test_vietnamese_compounds_stay_on_one_line() -> None:
    script = "Người dân và du khách tham quan hội chợ làng nghề truyền thống của tỉnh Quảng Nam."
    compounds = {("người", "dân"), ("du", "khách"), ("tham", "quan"), ("hội", "chợ"), ("làng", "nghề")}
    for cue in subtitle_cues(script, max_line=30):
        for first, second in zip(cue.lines, cue.lines[1:], strict=False):
            assert (first.split()[-1].lower(), second.split()[0].lower()) not in compounds, cue.lines


def test_a_word_longer_than_a_line_is_the_only_cut_inside_a_word() -> None:
    cues = subtitle_cues(f"Xem thêm tại {URL}.")
    assert all(len(graphemes(line)) <= 42 for cue in cues for line in cue.lines)
    assert "".join("".join(cue.lines) for cue in cues).replace(" ", "") == f"Xemthêmtại{URL}."


def test_srt_and_vtt_formats() -> None:
    cues = [Cue(1000, 3400, ("Xin chào", "Việt Nam")), Cue(3_723_004, 3_725_000, ("A & B <c> --> d",))]
    srt = to_srt(cues)
    assert srt.startswith("1\n00:00:01,000 --> 00:00:03,400\nXin chào\nViệt Nam\n\n2\n01:02:03,004 --> ")
    vtt = to_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:03.400\nXin chào\nViệt Nam\n\n")
    assert "A &amp; B &lt;c&gt; → d" in vtt
    assert parse_srt(srt)[1].lines == ("A & B <c> → d",)
    assert parse_vtt(vtt) == [cues[0], Cue(3_723_004, 3_725_000, ("A & B <c> → d",))]


def test_parsers_read_what_other_tools_write() -> None:
    vtt = (
        "\ufeffWEBVTT - made elsewhere\r\n\r\nNOTE a comment\r\nover two lines\r\n\r\n"
        "STYLE\r\n::cue { color: yellow }\r\n\r\nintro\r\n00:01.500 --> 00:04.000 align:start line:0\r\n"
        "<v Speaker>Chào <i>bạn</i></v>\r\n\r\n01:00:00.000 --> 01:00:01.000\r\nhết"
    )
    assert parse_vtt(vtt) == [Cue(1500, 4000, ("Chào bạn",)), Cue(3_600_000, 3_601_000, ("hết",))]
    srt = (
        "1\r\n00:00:01,5 --> 00:00:02,000\r\nmột\r\n\r\n\r\n"
        "2\r\n00:00:03,000 --> 00:00:04,000\r\nhai\r\nba\r\n"
    )
    assert parse_srt(srt) == [Cue(1500, 2000, ("một",)), Cue(3000, 4000, ("hai", "ba"))]


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        (parse_srt, "1\n00:00:01 --> 00:00:02\nno milliseconds"),
        (parse_srt, "1\nno timing at all"),
        (parse_vtt, "00:00:01.000 --> 00:00:02.000\nno header"),
        (parse_vtt, "WEBVTT\n\n00:01.000 -> 00:02.000\nbad arrow"),
    ],
)
def test_malformed_subtitles_are_input_errors(parser: object, text: str) -> None:
    with pytest.raises(MalformedInput):
        parser(text)  # type: ignore[operator]


syllables = st.sampled_from(
    "người dân du khách tham quan hội chợ làng nghề truyền thống Hội An đèn lồng the and of lantern "
    "festival heritage, site; town: ngày 12/10 1.000 UNESCO 👍 a e".split()
)
script_sentences = st.lists(syllables, min_size=1, max_size=40).map(lambda ws: " ".join(ws) + ".")


@given(
    script=st.lists(script_sentences, min_size=1, max_size=5).map("\n".join),
    max_line=st.integers(min_value=20, max_value=42),
    cps=st.floats(min_value=10, max_value=20),
)
@settings(max_examples=120, deadline=None)
def test_subtitles_keep_every_word_and_round_trip(script: str, max_line: int, cps: float) -> None:
    cues = subtitle_cues(script, max_line=max_line, chars_per_second=cps)
    assert [w for cue in cues for line in cue.lines for w in line.split()] == script.split()
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2
        assert all(len(graphemes(line)) <= max_line for line in cue.lines)
        assert 1000 <= cue.end_ms - cue.start_ms <= 7000
    assert all(a.end_ms < b.start_ms for a, b in itertools.pairwise(cues))
    assert parse_srt(to_srt(cues)) == cues
    assert parse_vtt(to_vtt(cues)) == cues


# ---------------------------------------------------------------- everything


def test_short_formats_per_language() -> None:
    bundles = short_formats_by_language([VI, EN], country="Việt Nam", province="Quảng Nam")
    assert set(bundles) == {"vi", "en"}
    vi, en = bundles["vi"], bundles["en"]
    assert vi.hashtags == ("#DiSan", "#DuLich", "#VietNam", "#QuangNam")
    assert en.hashtags == ("#Heritage", "#Tourism", "#Vietnam", "#QuangNam")
    assert set(vi.posts) == set(NETWORKS)
    assert parse_srt(vi.srt) == list(vi.cues) and parse_vtt(en.vtt) == list(en.cues)
    assert vi.script.startswith(TITLE_VI + "\n")
    assert len(graphemes(vi.script)) <= 60 * 15


def test_short_formats_for_chosen_networks() -> None:
    bundle = short_formats(EN, networks=("x", "threads"), caption_limit=150)
    assert set(bundle.posts) == {"x", "threads"}
    assert bundle.caption == caption(EN, 150)
