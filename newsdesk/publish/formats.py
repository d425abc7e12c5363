"""Short formats of a publication: social posts, a caption, hashtags and video subtitles.

From one language variant of a publication (:class:`Release`: title, body, language, theme
ids, optional URL), :func:`short_formats` makes everything a social-media editor needs for
that language; :func:`short_formats_by_language` does it for every variant.

**Counting as the networks count.** Text is NFC-normalised first, so a decomposed
``ệ`` (``e`` + two combining marks) is one character, as users see it. Networks count in
one of three ways (:data:`Counting`):

* ``graphemes``: user-perceived characters (Unicode extended grapheme clusters,
  approximated here without a dependency: a base character with its combining marks,
  variation selectors, emoji modifiers and tags, emoji joined by ZWJ, flag pairs, CR LF);
* ``code_points``: Unicode code points;
* ``weighted``: X's rule, from twitter-text's configuration v3 (github.com/twitter/
  twitter-text, ``config/v3.json``): after NFC, code points in U+0000–U+10FF,
  U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, every other code point 2, an
  emoji (with its modifiers and joiners) 2, and every URL 23 whatever its length.
  **Vietnamese letters with a tone mark on a vowel that already carries another mark, or
  a dot below/hook above (``ạ ả ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ẹ ẻ ẽ ế ề ể ễ ệ ỉ ị ọ ỏ ố ồ ổ ỗ ộ ớ ờ
  ở ỡ ợ ụ ủ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ``, U+1EA0–U+1EF9) weigh 2 on X**, so a Vietnamese post holds
  noticeably fewer than 280 letters; ``à á â ã è é ê ì í ò ó ô õ ù ú ý ă đ ĩ ũ ơ ư`` weigh 1.
  Bare domain names with a common top-level domain (``baochinhphu.vn``) are counted as at
  least 23, to be safe; ``TP.HCM`` is not a domain.

**Networks** (:data:`NETWORKS`; limits as documented by each network or its API, checked
in 2025; ``target`` is what we aim for, ≤ the limit):

=============== ======== ======== ============= ====== ====================================
network         limit    target   counting      URL    notes
=============== ======== ======== ============= ====== ====================================
x               280      280      weighted      23     twitter-text v3; 2 hashtags
facebook        63,206   250      graphemes     as is  text after ~250 chars hides behind
                                                       "See more" on phones (assumption)
threads         500      500      graphemes     as is  URL counts in full; one topic tag
linkedin        3,000    700      graphemes     as is  "see more" after ~210 chars
mastodon        500      500      graphemes     23     server default; URLs count 23
bluesky         300      300      graphemes     as is  300 graphemes; link written out
instagram       2,200    125      graphemes     none   captions cut at 125; links dead
tiktok          4,000    150      graphemes     none   caption; links not clickable
youtube_shorts  5,000    150      graphemes     as is  description; ``<`` ``>`` refused;
                                                       ~first line shown; 3 tags shown
zalo_oa         2,000    500      graphemes     as is  Zalo OA text message limit (API
                                                       docs, "tối đa 2.000 ký tự")
telegram        4,096    1,000    code_points   as is  Bot API sendMessage limit
=============== ======== ======== ============= ====== ====================================

**A post** (:func:`social_post`) is the title, a blank line and the body's first sentences,
then a blank line with the hashtags and the link, all within ``target``. Whole sentences
are added while they fit; the next one is cut at a word boundary with ``…`` when at least
40% of it fits (or nothing else did), never inside a word; trailing ``, ; :`` go before
the ellipsis. Hashtags are dropped from the end while the link and tags take more than half
the target, so that the text keeps room.
Sentences come from :func:`newsdesk.analyze.sentences.split_sentences`.

**Captions** (:func:`caption`) are the body's first one or two sentences within ``limit``
graphemes (125 by default, Instagram's visible length), else the title, else the first
sentence cut at a word with ``…``.

**Hashtags** (:func:`hashtags`) come from the themes: :data:`HASHTAG_LABELS` gives every
theme id of ``analyze/data/themes.toml`` a short label in Vietnamese, English and French
(a test keeps it complete; an unknown id falls back to the taxonomy's own label). A label
becomes a tag in PascalCase without spaces or punctuation (:func:`hashtag`): Vietnamese
tags lose their diacritics (``Chuyển đổi số`` → ``#ChuyenDoiSo``, ``Biển Đông`` →
``#BienDong``) because users type them without; French tags keep accents (``#Économie``),
which every network accepts. Then the country (``#VietNam`` in Vietnamese, ``#Vietnam``
otherwise) and the province (its Vietnamese name, or English name from
:mod:`newsdesk.reference` in other languages: ``#HoChiMinh`` / ``#HoChiMinhCity``).
Languages other than vi/en/fr use the English labels.

**Subtitles** (:func:`subtitle_cues`, :func:`to_srt`, :func:`to_vtt`) for a short-video
script (by default :func:`video_script`: the title and lead sentences for about 60 s).
Each sentence becomes one or more cues of at most ``max_lines`` (2) lines of at most
``max_line`` (42) graphemes — the common broadcast/streaming guideline (Netflix, BBC use
37–42). A sentence too long for one cue is split into about equal parts, preferring
breaks after ``, ; : –`` and before conjunctions (``và``, ``nhưng``, ``and``, ``but``,
``et``, ``mais`` …); lines are balanced the same way and avoid ending on an article or
preposition. Only a single word longer than a line (a URL) is cut inside. A cue lasts
its length ÷ ``chars_per_second`` (15; adult guidelines use 15–17), at least 1 s and at
most 7 s — so a cue holds at most 7 s of reading (105 graphemes at 15/s; a single longer
word gets a cue of its own) — and starts ``gap_ms`` (80 ms, two frames at 25 fps) after the
previous one ends. Sentences are cut into cues by dynamic programming: fewest cues first,
then balanced lengths and good breaks, so no orphan of two words is left behind.
SRT times are ``00:00:01,000``; WebVTT starts with ``WEBVTT`` and writes ``00:00:01.000``,
escaping ``& < >``. :func:`parse_srt` and :func:`parse_vtt` read both back (BOM, CRLF,
cue ids and settings, ``NOTE``/``STYLE``/``REGION`` blocks, ``mm:ss.ttt``) and raise
:class:`~newsdesk.errors.MalformedInput` on a bad timing line.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

from newsdesk.analyze.sentences import split_sentences
from newsdesk.errors import MalformedInput

__all__ = [
    "COUNTRY_TAGS",
    "DEFAULT_NETWORKS",
    "ELLIPSIS",
    "HASHTAG_LABELS",
    "NETWORKS",
    "Counting",
    "Cue",
    "Network",
    "Release",
    "ShortFormats",
    "SocialPost",
    "caption",
    "graphemes",
    "hashtag",
    "hashtags",
    "parse_srt",
    "parse_vtt",
    "post_length",
    "short_formats",
    "short_formats_by_language",
    "social_post",
    "subtitle_cues",
    "to_srt",
    "to_vtt",
    "video_script",
    "weighted_length",
]

Counting = Literal["weighted", "graphemes", "code_points"]
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Release:
    """One language variant of a publication, as the short formats need it."""

    title: str
    body: str
    language: str
    themes: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Network:
    """A social network's length rules (see the table in the module docstring)."""

    id: str
    limit: int
    target: int
    counting: Counting
    url_length: int | None
    max_hashtags: int
    links: bool = True
    """False where links in the text are not clickable: the URL is left out."""
    forbidden: str = ""
    """Characters the network refuses; removed from the text."""


NETWORKS: dict[str, Network] = {
    n.id: n
    for n in (
        Network("x", 280, 280, "weighted", 23, 2),
        Network("facebook", 63_206, 250, "graphemes", None, 3),
        Network("threads", 500, 500, "graphemes", None, 1),
        Network("linkedin", 3_000, 700, "graphemes", None, 3),
        Network("mastodon", 500, 500, "graphemes", 23, 3),
        Network("bluesky", 300, 300, "graphemes", None, 2),
        Network("instagram", 2_200, 125, "graphemes", None, 5, links=False),
        Network("tiktok", 4_000, 150, "graphemes", None, 5, links=False),
        Network("youtube_shorts", 5_000, 150, "graphemes", None, 3, forbidden="<>"),
        Network("zalo_oa", 2_000, 500, "graphemes", None, 3),
        Network("telegram", 4_096, 1_000, "code_points", None, 3),
    )
}
"""The networks, by id."""


# ---------------------------------------------------------------- counting

_RANGES_WEIGHT_1 = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_PICTOGRAPHIC = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2300, 0x23FF), (0x2B00, 0x2BFF), (0x1F900, 0x1F9FF))
_EXTEND = ((0xFE00, 0xFE0F), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F), (0xE0100, 0xE01EF), (0x200C, 0x200C))
_REGIONAL = (0x1F1E6, 0x1F1FF)
_ZWJ = 0x200D
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_TLDS = (
    "com|net|org|edu|gov|int|info|biz|io|co|app|dev|news|online|site|asia|tv|me|"
    "vn|fr|uk|de|jp|cn|kr|us|eu|au|ca|sg|th|la|kh|ru|in|it|es|ch|be|nl"
)
_DOMAIN = re.compile(rf"(?<![@\w.])(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?:/\S*)?", re.IGNORECASE)


def _within(code: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _joins(cluster: str, char: str) -> bool:
    """Whether ``char`` continues the grapheme cluster ``cluster``."""
    code, last = ord(char), ord(cluster[-1])
    if unicodedata.category(char) in ("Mn", "Me", "Mc") or code == _ZWJ or _within(code, _EXTEND):
        return True
    if last == _ZWJ and _within(code, _PICTOGRAPHIC):
        return True
    if cluster == "\r" and char == "\n":
        return True
    regional = _within(code, (_REGIONAL,))
    return regional and len(cluster) == 1 and _within(last, (_REGIONAL,))


def graphemes(text: str) -> list[str]:
    """The user-perceived characters of ``text`` (NFC), approximating Unicode extended grapheme clusters."""
    clusters: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if clusters and _joins(clusters[-1], char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


@lru_cache(maxsize=65536)
def _glen(text: str) -> int:
    """Grapheme count, cached: line breaking asks for the same pieces again and again."""
    if text.isascii():
        return len(text)
    return len(graphemes(text))


def _is_emoji(cluster: str) -> bool:
    return any(_within(ord(c), _PICTOGRAPHIC) or _within(ord(c), (_REGIONAL,)) for c in cluster)


def _cluster_weight(cluster: str) -> int:
    if _is_emoji(cluster):
        return 2
    return sum(1 if _within(ord(c), _RANGES_WEIGHT_1) else 2 for c in cluster)


def weighted_length(text: str, url_length: int = 23) -> int:
    """X's weighted length of ``text`` (twitter-text v3; see the module docstring)."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for url in _urls(text):
        total += sum(_cluster_weight(c) for c in graphemes(text[position : url.start()]))
        plain = sum(_cluster_weight(c) for c in graphemes(url.group()))
        total += url_length if url.re is _URL else max(url_length, plain)
        position = url.end()
    return total + sum(_cluster_weight(c) for c in graphemes(text[position:]))


def _urls(text: str) -> list[re.Match[str]]:
    """URLs with a scheme or ``www.``, then bare domain names outside them, in order."""
    found = list(_URL.finditer(text))
    taken = [(m.start(), m.end()) for m in found]
    for domain in _DOMAIN.finditer(text):
        if not any(start <= domain.start() < end for start, end in taken):
            found.append(domain)
    return sorted(found, key=lambda m: m.start())


def post_length(text: str, network: Network | str) -> int:
    """The length of ``text`` as ``network`` counts it."""
    net = NETWORKS[network] if isinstance(network, str) else network
    text = unicodedata.normalize("NFC", text)
    if net.counting == "weighted":
        return weighted_length(text, net.url_length or 23)
    measure = _glen if net.counting == "graphemes" else len
    if net.url_length is None:
        return measure(text)
    urls = list(_URL.finditer(text))
    plain = _URL.sub("", text)
    return measure(plain) + net.url_length * len(urls)


# ---------------------------------------------------------------- hashtags

HASHTAG_LABELS: dict[str, tuple[str, str, str]] = {
    "culture_heritage": ("Văn hóa", "Culture", "Culture"),
    "culture_heritage.heritage": ("Di sản", "Heritage", "Patrimoine"),
    "culture_heritage.arts": ("Nghệ thuật", "Arts", "Arts"),
    "culture_heritage.festivals_crafts": ("Lễ hội", "Festivals", "Traditions"),
    "history": ("Lịch sử", "History", "Histoire"),
    "ethnic_groups": ("Dân tộc thiểu số", "Ethnic minorities", "Minorités ethniques"),
    "economy_investment": ("Kinh tế", "Economy", "Économie"),
    "economy_investment.fdi": ("Đầu tư nước ngoài", "FDI", "IDE"),
    "economy_investment.trade": ("Xuất khẩu", "Trade", "Commerce"),
    "economy_investment.finance_banking": ("Tài chính", "Finance", "Finance"),
    "economy_investment.business": ("Doanh nghiệp", "Business", "Entreprises"),
    "tourism": ("Du lịch", "Tourism", "Tourisme"),
    "social_welfare": ("An sinh xã hội", "Social welfare", "Protection sociale"),
    "sovereignty_seas_islands": ("Biển đảo", "Sovereignty", "Souveraineté"),
    "sovereignty_seas_islands.east_sea": ("Biển Đông", "East Sea", "Mer Orientale"),
    "sovereignty_seas_islands.fisheries_maritime": ("Kinh tế biển", "Fisheries", "Pêche"),
    "sovereignty_seas_islands.land_border": ("Biên giới", "Borders", "Frontières"),
    "diplomacy": ("Ngoại giao", "Diplomacy", "Diplomatie"),
    "diplomacy.bilateral": ("Quan hệ song phương", "Bilateral relations", "Relations bilatérales"),
    "diplomacy.asean_regional": ("ASEAN", "ASEAN", "ASEAN"),
    "diplomacy.multilateral_un": ("Liên hợp quốc", "United Nations", "Nations unies"),
    "religion": ("Tôn giáo", "Religion", "Religion"),
    "religion.buddhism": ("Phật giáo", "Buddhism", "Bouddhisme"),
    "religion.christianity": ("Công giáo", "Christianity", "Christianisme"),
    "religion.other_religions": ("Tôn giáo", "Faith", "Religions"),
    "religion.folk_beliefs": ("Tín ngưỡng dân gian", "Folk beliefs", "Croyances populaires"),
    "religion.policy_management": ("Chính sách tôn giáo", "Religious policy", "Politique religieuse"),
    "human_rights": ("Quyền con người", "Human rights", "Droits humains"),
    "human_rights.civil_political": ("Quyền dân sự", "Civil rights", "Droits civils"),
    "human_rights.expression_press": ("Tự do báo chí", "Press freedom", "Liberté de la presse"),
    "human_rights.religion_belief": ("Tự do tín ngưỡng", "Freedom of religion", "Liberté religieuse"),
    "human_rights.women_gender": ("Bình đẳng giới", "Gender equality", "Égalité femmes-hommes"),
    "human_rights.children": ("Quyền trẻ em", "Child rights", "Droits des enfants"),
    "human_rights.disability": ("Người khuyết tật", "Disability rights", "Handicap"),
    "human_rights.older_persons": ("Người cao tuổi", "Older persons", "Personnes âgées"),
    "human_rights.minorities_indigenous": (
        "Quyền dân tộc thiểu số", "Minority rights", "Droits des minorités"
    ),
    "human_rights.economic_social_cultural": ("Quyền kinh tế xã hội", "Social rights", "Droits sociaux"),
    "human_rights.development": ("Quyền phát triển", "Right to development", "Droit au développement"),
    "human_rights.migrants_refugees": ("Người di cư", "Migrants", "Migrants"),
    "human_rights.trafficking": ("Chống mua bán người", "Human trafficking", "Traite des êtres humains"),
    "human_rights.torture_death_penalty": ("Chống tra tấn", "Anti-torture", "Contre la torture"),
    "human_rights.justice_detention": ("Tư pháp", "Fair trial", "Procès équitable"),
    "human_rights.lgbti": ("LGBTI", "LGBTI", "LGBTI"),
    "human_rights.upr_treaty_reporting": ("UPR", "UPR", "EPU"),
    "human_rights.business": (
        "Doanh nghiệp và nhân quyền", "Business and human rights", "Entreprises et droits humains"
    ),
    "human_rights.education_awareness": (
        "Giáo dục nhân quyền", "Human rights education", "Éducation aux droits humains"
    ),
    "education": ("Giáo dục", "Education", "Éducation"),
    "health": ("Y tế", "Health", "Santé"),
    "science_technology_digital": ("Chuyển đổi số", "Digital transformation", "Transformation numérique"),
    "environment_climate": ("Môi trường", "Environment", "Environnement"),
    "defence_security": ("Quốc phòng", "Defence", "Défense"),
    "party_state_building": ("Xây dựng Đảng", "Governance", "Gouvernance"),
    "law_justice": ("Pháp luật", "Law", "Droit"),
    "media_information": ("Truyền thông", "Media", "Médias"),
    "media_information.external_information": (
        "Thông tin đối ngoại", "Public diplomacy", "Diplomatie publique"
    ),
    "media_information.press_publishing": ("Báo chí", "Journalism", "Journalisme"),
    "media_information.online_disinformation": ("Tin giả", "Disinformation", "Désinformation"),
    "disaster_emergency": ("Phòng chống thiên tai", "Disaster relief", "Catastrophes naturelles"),
    "sport": ("Thể thao", "Sport", "Sport"),
    "labour_migration": ("Lao động", "Labour", "Travail"),
    "overseas_vietnamese": ("Kiều bào", "Overseas Vietnamese", "Diaspora vietnamienne"),
    "agriculture_rural": ("Nông nghiệp", "Agriculture", "Agriculture"),
    "infrastructure_transport": ("Giao thông", "Infrastructure", "Infrastructures"),
}  # fmt: skip
"""Theme id → hashtag label in Vietnamese, English, French (written as words; see :func:`hashtag`)."""

COUNTRY_TAGS = {"vi": "#VietNam", "en": "#Vietnam", "fr": "#Vietnam"}
"""The country tag per language; other languages use the English one."""
_LANGUAGE_COLUMN = {"vi": 0, "en": 1, "fr": 2}
_VIETNAM = frozenset({"vn", "vietnam", "viet nam", "việt nam"})
_HASHTAG_WORD = re.compile(r"[^\W_]+")


def _ascii_word(word: str) -> str:
    """``"Đổi"`` → ``"Doi"``: diacritics off, case kept."""
    spelled = word.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", spelled)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def hashtag(label: str, language: str = "en") -> str:
    """``"Chuyển đổi số"`` (vi) → ``"#ChuyenDoiSo"``, ``"Économie numérique"`` → ``"#ÉconomieNumérique"``.

    Words are joined in PascalCase; an all-capital word (``ASEAN``) stays so; Vietnamese
    loses its diacritics. Empty string when the label has no letter.
    """
    words = _HASHTAG_WORD.findall(unicodedata.normalize("NFC", label))
    if language == "vi":
        words = [_ascii_word(w) for w in words]
    joined = "".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)
    return f"#{joined}" if any(c.isalpha() for c in joined) else ""


def _theme_label(theme_id: str, language: str) -> str:
    labels = HASHTAG_LABELS.get(theme_id)
    if labels is not None:
        return labels[_LANGUAGE_COLUMN.get(language, 1)]
    from newsdesk.analyze.themes import load_taxonomy

    theme = load_taxonomy().themes.get(theme_id)
    if theme is None:
        return ""
    return theme.label_vi if language == "vi" else theme.label_en


def _place_tags(language: str, country: str | None, province: str | None) -> list[str]:
    tags: list[str] = []
    if country:
        known = country.strip().lower() in _VIETNAM
        tags.append(COUNTRY_TAGS.get(language, COUNTRY_TAGS["en"]) if known else hashtag(country, language))
    if province:
        from newsdesk.reference import find_province

        found = find_province(province)
        name = province if found is None else found.name if language == "vi" else found.name_en
        tags.append(hashtag(name, language if found is None else "vi" if language == "vi" else "en"))
    return tags


def hashtags(
    themes: Iterable[str], language: str, *, country: str | None = None, province: str | None = None
) -> tuple[str, ...]:
    """The tags of ``themes`` in ``language``, then the country and province tags; no repeats."""
    tags = [hashtag(_theme_label(t, language), language) for t in themes]
    tags += _place_tags(language, country, province)
    seen: dict[str, str] = {}
    for tag in tags:
        if tag:
            seen.setdefault(tag.lower(), tag)
    return tuple(seen.values())


# ---------------------------------------------------------------- words and where to break


class _Word(NamedTuple):
    """A written word (white-space separated) and whether the break after it splits a compound."""

    text: str
    glued: bool = False


_VIETNAMESE_LETTERS = re.compile(r"[ăâêôơưđĂÂÊÔƠƯĐ\u1ea0-\u1ef9]")


def _language_of(text: str, language: str | None) -> str:
    if language:
        return language
    return "vi" if _VIETNAMESE_LETTERS.search(unicodedata.normalize("NFC", text)) else ""


def _compound_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the multi-syllable Vietnamese words of ``text`` (pyvi's segmentation)."""
    from pyvi import ViTokenizer  # ≈ 1 s to import; only Vietnamese text needs it

    spans: list[tuple[int, int]] = []
    position = 0
    for token in ViTokenizer.tokenize(text).split():
        syllables, start = token.split("_"), -1
        for syllable in syllables:
            found = text.find(syllable, position)
            if found < 0:
                break
            start = found if start < 0 else start
            position = found + len(syllable)
        else:
            if len(syllables) > 1:
                spans.append((start, position))
    return spans


def _words(text: str, language: str | None = None) -> list[_Word]:
    """The words of ``text``; in Vietnamese, breaks inside a compound (``hội chợ``) are marked glued."""
    written = text.split()
    if _language_of(text, language) != "vi" or len(written) < 2:
        return [_Word(w) for w in written]
    joined = " ".join(written)
    inside = {b for start, end in _compound_spans(joined) for b in range(start + 1, end)}
    boundaries = list(itertools.accumulate(len(w) + 1 for w in written))
    return [_Word(w, boundaries[i] - 1 in inside) for i, w in enumerate(written)]


def _joined(words: Sequence[_Word]) -> str:
    return " ".join(w.text for w in words)


# ---------------------------------------------------------------- posts and captions


@dataclass(frozen=True, slots=True)
class SocialPost:
    """A post for one network: its text, its length as the network counts it, and what went in."""

    network: str
    text: str
    length: int
    target: int
    limit: int
    truncated: bool
    hashtags: tuple[str, ...]
    url: str | None


_TRAILING = ",;:–—-"
_SPACES = re.compile(r"\s+")


def _cut(words: Sequence[_Word], count: int) -> str:
    """The first ``count`` words with an ellipsis, trailing separators dropped."""
    kept = _joined(words[:count]).rstrip(_TRAILING + " ")
    return kept + ELLIPSIS if kept else ""


def _longest_cut(sentence: str, fits: Callable[[str], bool], language: str | None) -> tuple[str, int]:
    """The longest cut of ``sentence`` between words that ``fits``, and its word count (0: none).

    A cut inside a Vietnamese compound moves back to the compound's start when it can.
    """
    words = _words(sentence, language)
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(_cut(words, middle)):
            low = middle
        else:
            high = middle - 1
    count = low
    while count > 1 and words[count - 1].glued:
        count -= 1
    if count and words[count - 1].glued:
        count = low
    return (_cut(words, count), count) if count else ("", 0)


def _fill(
    pieces: Sequence[str], joiners: Sequence[str], fits: Callable[[str], bool], language: str | None = None
) -> tuple[str, bool]:
    """Whole pieces while ``text`` fits, then a cut one (see the module docstring); (text, truncated)."""
    text = ""
    for piece, joiner in zip(pieces, joiners, strict=True):
        prefix = text + joiner if text else ""
        if fits(prefix + piece):
            text = prefix + piece
            continue
        cut, words = _longest_cut(piece, _after(prefix, fits), language)
        if words and (not text or words >= 0.4 * len(piece.split())):
            text = prefix + cut
        return text, True
    return text, False


def _after(prefix: str, fits: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda text: fits(prefix + text)


def _lead(title: str, body: str) -> tuple[list[str], list[str]]:
    """The title and the body's sentences, with what joins each to the text before it."""
    title = _SPACES.sub(" ", title).strip()
    sentences = [_SPACES.sub(" ", s) for s in split_sentences(body)]
    pieces = ([title] if title else []) + sentences
    joiners = ["\n\n" if i == 1 and title else " " for i in range(len(pieces))]
    return pieces, joiners


def _tail(tags: Sequence[str], url: str | None) -> str:
    return "\n".join(part for part in (" ".join(tags), url or "") if part)


def _compose(text: str, tail: str) -> str:
    return f"{text}\n\n{tail}" if text and tail else text or tail


def social_post(release: Release, network: Network | str, tags: Sequence[str] = ()) -> SocialPost:
    """A post for ``network`` within its target length (see the module docstring).

    Raises ValueError when the link alone is longer than the target.
    """
    net = NETWORKS[network] if isinstance(network, str) else network
    url = release.url if net.links and release.url else None
    title, body = (_strip(release.title, net.forbidden), _strip(release.body, net.forbidden))

    def fits(text: str) -> bool:
        return post_length(text, net) <= net.target

    kept = list(tags[: net.max_hashtags])
    while kept and post_length(_tail(kept, url), net) > net.target // 2:
        kept.pop()
    tail = _tail(kept, url)
    if tail and not fits(tail):
        raise ValueError(f"{net.id}: the link {url!r} alone is longer than the target ({net.target})")
    pieces, joiners = _lead(title, body)
    text, truncated = _fill(pieces, joiners, lambda t: fits(_compose(t, tail)), release.language)
    full = _compose(text, tail)
    return SocialPost(
        net.id, full, post_length(full, net), net.target, net.limit, truncated, tuple(kept), url
    )


def _strip(text: str, forbidden: str) -> str:
    return text.translate({ord(c): None for c in forbidden}) if forbidden else text


def caption(release: Release, limit: int = 125) -> str:
    """One or two of the body's first sentences within ``limit`` graphemes, else the title, else a cut."""
    sentences = [_SPACES.sub(" ", s) for s in split_sentences(release.body)]

    def fits(text: str) -> bool:
        return _glen(text) <= limit

    if sentences and fits(sentences[0]):
        two = " ".join(sentences[:2])
        return two if fits(two) else sentences[0]
    title = _SPACES.sub(" ", release.title).strip()
    if title and fits(title):
        return title
    first = sentences[0] if sentences else title
    return _longest_cut(first, fits, release.language)[0]


# ---------------------------------------------------------------- subtitles


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle: times in milliseconds and its lines."""

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


_CONJUNCTIONS = frozenset(
    "và nhưng hoặc hay để khi vì nên mà thì nếu song "
    "and but or so because which that when while although if "
    "et mais ou donc car qui que quand lorsque si".split()
)
_WEAK_ENDS = frozenset(
    "các những của cho với một là tại ở trong từ về "
    "the a an of to in on at for with by from "
    "le la les un une des de du au aux à en par pour".split()
)
_BREAK_AFTER = ",;:–—"


def _break_cost(before: _Word, after: _Word) -> float:
    """Cost of a break between two words: low after punctuation or before a conjunction, high in a word."""
    if before.glued:
        return 1.0
    if before.text[-1:] in _BREAK_AFTER or before.text[-1:] in ".!?…":
        return -0.3
    if after.text.lower() in _CONJUNCTIONS:
        return -0.15
    return 0.3 if before.text.lower() in _WEAK_ENDS else 0.0


def _lines(words: Sequence[_Word], max_line: int, max_lines: int) -> tuple[float, tuple[str, ...]] | None:
    """``words`` in at most ``max_lines`` lines of ``max_line`` graphemes, balanced: (cost, lines) or None."""
    text = _joined(words)
    if _glen(text) <= max_line:
        return 0.0, (text,)
    if max_lines <= 1:
        return None
    best: tuple[float, tuple[str, ...]] | None = None
    for split in range(1, len(words)):
        first = _joined(words[:split])
        if _glen(first) > max_line:
            break
        rest = _lines(words[split:], max_line, max_lines - 1)
        if rest is None:
            continue
        lengths = [_glen(line) for line in (first, *rest[1])]
        cost = (
            (max(lengths) - min(lengths)) / max_line + _break_cost(words[split - 1], words[split]) + rest[0]
        )
        if best is None or cost < best[0]:
            best = (cost, (first, *rest[1]))
    return best


def _split_long_words(words: Iterable[_Word], max_line: int) -> list[_Word]:
    """Words longer than a line (URLs) cut into line-sized pieces: the only cut inside a word."""
    out: list[_Word] = []
    for word in words:
        clusters = graphemes(word.text)
        pieces = ["".join(clusters[i : i + max_line]) for i in range(0, len(clusters), max_line)]
        out.extend(_Word(piece, True) for piece in pieces[:-1])
        out.append(_Word(pieces[-1], word.glued))
    return out


@dataclass(frozen=True, slots=True)
class _Layout:
    max_line: int
    max_lines: int
    max_chars: int
    """Most graphemes a cue of several words may hold: its longest duration at the reading speed."""

    def set(self, words: Sequence[_Word]) -> tuple[float, tuple[str, ...]] | None:
        """The lines of a cue holding ``words`` and their cost; None when they do not fit in one cue."""
        if len(words) > 1 and _glen(_joined(words)) > self.max_chars:
            return None
        return _lines(words, self.max_line, self.max_lines)


def _chunks(words: list[_Word], layout: _Layout) -> list[list[_Word]]:
    """A sentence's words cut into cues: fewest cues, then balanced, well-broken ones (dynamic programming).

    A cue costs 1, plus the cost of its line break and of the break after it, plus
    ``0.5 × (1 − length / max_chars)²``, which favours cues of equal length over an orphan.
    """
    count = len(words)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * count
    for start in range(count):
        if best[start][0] == math.inf:
            continue
        for end in range(start + 1, count + 1):
            lines = layout.set(words[start:end])
            if lines is None:
                break
            fill = _glen(_joined(words[start:end])) / layout.max_chars
            cost = best[start][0] + 1.0 + lines[0] + 0.5 * (1 - fill) ** 2
            if end < count:
                cost += _break_cost(words[end - 1], words[end])
            if cost < best[end][0]:
                best[end] = (cost, start)
    cuts = [count]
    while cuts[-1]:
        cuts.append(best[cuts[-1]][1])
    cuts.reverse()
    return [words[a:b] for a, b in itertools.pairwise(cuts)]


def subtitle_cues(
    script: str,
    *,
    language: str | None = None,
    max_line: int = 42,
    max_lines: int = 2,
    chars_per_second: float = 15.0,
    min_ms: int = 1000,
    max_ms: int = 7000,
    gap_ms: int = 80,
    start_ms: int = 0,
) -> list[Cue]:
    """The cues of ``script`` (see the module docstring): sentence by sentence, timed by reading speed.

    ``language`` None guesses Vietnamese from its letters (``ă â ê ô ơ ư đ``, ``ạ``–``ỹ``).
    """
    if max_line < 1 or max_lines < 1 or chars_per_second <= 0 or not 0 < min_ms <= max_ms:
        raise ValueError("subtitle_cues: line sizes, reading speed and durations must be positive")
    layout = _Layout(max_line, max_lines, int(chars_per_second * max_ms / 1000))
    cues: list[Cue] = []
    clock = start_ms
    for sentence in split_sentences(unicodedata.normalize("NFC", script)):
        for chunk in _chunks(_split_long_words(_words(sentence, language), max_line), layout):
            lines = _lines(chunk, max_line, max_lines)
            assert lines is not None  # _chunks only returns chunks that fit
            reading = round(1000 * _glen(_joined(chunk)) / chars_per_second)
            duration = min(max(reading, min_ms), max_ms)
            cues.append(Cue(clock, clock + duration, lines[1]))
            clock += duration + gap_ms
    return cues


def _timestamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _safe(line: str) -> str:
    return line.replace("-->", "→")


def to_srt(cues: Iterable[Cue]) -> str:
    """SubRip text: numbered cues, ``00:00:01,000 --> 00:00:03,400``, a blank line after each."""
    blocks = [
        f"{n}\n{_timestamp(c.start_ms, ',')} --> {_timestamp(c.end_ms, ',')}\n"
        + "\n".join(_safe(line) for line in c.lines)
        for n, c in enumerate(cues, 1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def to_vtt(cues: Iterable[Cue]) -> str:
    """WebVTT text: the ``WEBVTT`` header, then ``00:00:01.000 --> 00:00:03.400`` cues, ``& < >`` escaped."""
    blocks = ["WEBVTT"] + [
        f"{_timestamp(c.start_ms, '.')} --> {_timestamp(c.end_ms, '.')}\n"
        + "\n".join(html.escape(_safe(line), quote=False) for line in c.lines)
        for c in cues
    ]
    return "\n\n".join(blocks) + "\n"


_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s.*)?$")
_TAG = re.compile(r"<[^>]*>")


def _ms(hours: str | None, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis.ljust(3, "0"))


def _blocks(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n(?:[ \t]*\n)+", text.strip())
    return [block.strip("\n").split("\n") for block in blocks if block.strip()]


def _cue(lines: list[str], number: int, origin: str, vtt: bool) -> Cue:
    at = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
    timing = _TIMING.match(lines[at]) if at is not None else None
    if at is None or timing is None:
        raise MalformedInput(origin, f"cue {number}: no valid timing line", reason="malformed_subtitles")
    start, end = _ms(*timing.groups()[:4]), _ms(*timing.groups()[4:])
    text = [line for line in lines[at + 1 :] if line.strip()]
    if vtt:
        text = [html.unescape(_TAG.sub("", line)) for line in text]
    return Cue(start, end, tuple(text))


def parse_srt(text: str, origin: str = "subtitles.srt") -> list[Cue]:
    """The cues of a SubRip file."""
    return [_cue(block, n, origin, vtt=False) for n, block in enumerate(_blocks(text), 1)]


def parse_vtt(text: str, origin: str = "subtitles.vtt") -> list[Cue]:
    """The cues of a WebVTT file (header, ``NOTE``, ``STYLE`` and ``REGION`` blocks skipped)."""
    blocks = _blocks(text)
    if not blocks or not blocks[0][0].startswith("WEBVTT"):
        raise MalformedInput(origin, "no WEBVTT header", reason="malformed_subtitles")
    cues = [b for b in blocks[1:] if b[0].split(" ", 1)[0] not in ("NOTE", "STYLE", "REGION")]
    return [_cue(block, n, origin, vtt=True) for n, block in enumerate(cues, 1)]


# ---------------------------------------------------------------- everything for one release


def video_script(release: Release, seconds: float = 60.0, chars_per_second: float = 15.0) -> str:
    """The title and the body's first sentences, about ``seconds`` of reading at ``chars_per_second``."""
    budget = seconds * chars_per_second
    pieces, joiners = _lead(release.title, release.body)
    joiners = ["\n" if joiner == "\n\n" else joiner for joiner in joiners]
    return _fill(pieces, joiners, lambda text: _glen(text) <= budget, release.language)[0]


@dataclass(frozen=True, slots=True)
class ShortFormats:
    """Every short format of one language variant."""

    language: str
    posts: dict[str, SocialPost]
    caption: str
    hashtags: tuple[str, ...]
    script: str
    cues: tuple[Cue, ...]
    srt: str
    vtt: str


DEFAULT_NETWORKS = tuple(NETWORKS)
"""Every network of :data:`NETWORKS`."""


def short_formats(
    release: Release,
    *,
    networks: Sequence[str] = DEFAULT_NETWORKS,
    country: str | None = None,
    province: str | None = None,
    caption_limit: int = 125,
    video_seconds: float = 60.0,
) -> ShortFormats:
    """Posts for ``networks``, a caption, hashtags, a video script and its subtitles for one variant."""
    tags = hashtags(release.themes, release.language, country=country, province=province)
    posts = {name: social_post(release, name, tags) for name in networks}
    script = video_script(release, video_seconds)
    cues = tuple(subtitle_cues(script, language=release.language))
    return ShortFormats(
        release.language,
        posts,
        caption(release, caption_limit),
        tags,
        script,
        cues,
        to_srt(cues),
        to_vtt(cues),
    )


def short_formats_by_language(
    releases: Iterable[Release],
    *,
    networks: Sequence[str] = DEFAULT_NETWORKS,
    country: str | None = None,
    province: str | None = None,
) -> dict[str, ShortFormats]:
    """:func:`short_formats` of every variant, by language."""
    return {
        r.language: short_formats(r, networks=networks, country=country, province=province) for r in releases
    }
