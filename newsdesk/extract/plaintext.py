"""Plain text → title and body, with the web's noise taken out.

Text copied from news sites carries more than the article: marquee banners of
slogans, a date line, bullet debris (``• :``), view counters, share buttons,
``Tác giả: …`` lines, ``Đọc thêm`` / ``Read more`` followed by a list of other
articles, captions printed twice, the title repeated as an image alt, outlet
signatures (``nhandan.vn``, ``Nguồn: …``) and injected SEO spam (a run of
syllables glued together followed by a betting or football phrase).

:func:`clean_plaintext` takes a whole text whose first meaningful line is the
title; :func:`clean_body` cleans a body whose title is already known (the HTML
extractor uses it on trafilatura's output). Both return
:class:`newsdesk.model.Extracted`, with every removal recorded in
``removed`` as ``(kind, text)`` and the metadata the noise carried (date,
author, outlet) moved into their fields.

The rule that outranks every heuristic here: **no paragraph of the article is
lost**. Each pass removes only whole lines that cannot be article prose
(counters, symbols, list markers …), and a related-article list is removed only
when everything after its marker reads as a list. Inside a line the only
edits are whitespace normalization, spacing of glued sentences, and the removal
of a detected spam insertion.

Each non-empty line of the input is one paragraph; the body joins them with
``"\\n\\n"``. Cleaning is idempotent on a body of ordinary paragraphs.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from newsdesk.model import Extracted

__all__ = [
    "VIETNAM_TZ",
    "clean_body",
    "clean_plaintext",
    "normalize_line",
    "parse_date_line",
    "parse_datetime",
]

_LOG = logging.getLogger(__name__)

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")
"""Zone given to dates that carry none: the monitored press is Vietnamese (UTC+7, no DST)."""

_TITLE_MAX = 200
"""Longest line that can be a title, subheading or list item."""
_NOISE_MAX = 200
"""Longest line any single-line noise rule looks at (counters, bylines, stamps …)."""
_TEASER_MAX = 400
"""Longest teaser under a headline in a related-article list."""
_DERIVED_TITLE_MAX = 150


# ---------------------------------------------------------------------------
# Whitespace and glued sentences
# ---------------------------------------------------------------------------

_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
_GLUED_STOP = re.compile(r"([.!?…]+)([\"“”‘’]?)(?=[^\W\d_])")
_GLUED_COMMA = re.compile(r"[,;](?=[^\W\d_])")
_ABBREVIATIONS = frozenset(
    {"tp", "tt", "q", "p", "ths", "ts", "pgs", "gs", "bs", "ks", "ncs", "th", "tx", "ubnd", "hđnd"}
    | {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "co", "inc", "ltd", "corp", "etc"}
)
_OPENING_QUOTES = "“‘"


def normalize_line(line: str) -> str:
    """One line as the cleaner compares it: NFC, one space between words, glued sentences spaced.

    ``"báo chí.Đại diện"`` → ``"báo chí. Đại diện"``; numbers (``1.000``), URLs
    and abbreviations (``TP.HCM``, ``Tp.HCM``, ``Mr.Smith``) are left alone.
    """
    for invisible in _INVISIBLE:
        line = line.replace(invisible, "")
    line = " ".join(unicodedata.normalize("NFC", line).split())
    line = _GLUED_STOP.sub(_space_after_stop, line)
    return _GLUED_COMMA.sub(_space_after_comma, line)


def _space_after_comma(match: re.Match[str]) -> str:
    start = match.start()
    return f"{match.group(0)} " if start and match.string[start - 1].isalpha() else match.group(0)


def _space_after_stop(match: re.Match[str]) -> str:
    text, start = match.string, match.start()
    stop, quote = match.group(1), match.group(2)
    following = text[match.end()]
    before = text[start - 1] if start else ""
    if not following.isupper() or not ((before.isalpha() and before.islower()) or before in ')”"'):
        return match.group(0)
    token = _word_before(text, start)
    if any(mark in token for mark in "./@:") or token.casefold() in _ABBREVIATIONS:
        return match.group(0)
    if _quote_opens(text, start, quote):
        return f"{stop} {quote}"
    return f"{stop}{quote} "


def _word_before(text: str, end: int) -> str:
    """The token (letters, digits and ``./:@-``) that ends at ``end``."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "./:@-_"):
        start -= 1
    return text[start:end]


def _quote_opens(text: str, start: int, quote: str) -> bool:
    if quote in _OPENING_QUOTES:
        return True
    if quote == '"':
        return text.count('"', 0, start) % 2 == 0
    return False


# ---------------------------------------------------------------------------
# Injected SEO spam
# ---------------------------------------------------------------------------


def _lexicon(text: str) -> tuple[str, ...]:
    """Terms written ``a | b | c`` across lines."""
    return tuple(term.strip() for term in text.split("|") if term.strip())


def _terms_pattern(terms: tuple[str, ...]) -> str:
    """A regex alternation of the terms, longest first."""
    return "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))


_SPAM_TERMS = _lexicon(
    """
    bảng xếp hạng | xếp hạng | bóng đá | kết quả | tỷ số | tỉ số | lịch thi đấu | trực tiếp |
    nhà cái | soi kèo | kèo | cá cược | cá độ | casino | sòng bài | sòng bạc | xổ số | xsmb | xsmn |
    xsmt | soi cầu | lô đề | lô tô | tài xỉu | nổ hũ | game bài | bắn cá | đánh bài | slot | jackpot |
    poker | baccarat | roulette | betting | bet | odds | sportsbook | lottery | lotto | football |
    soccer | premier league | la liga | champions league | world cup | euro | asiad | sea games |
    ngoại hạng anh | standings | fixtures | livescore | live score | tips
    """
)
_GAMBLING_TERMS = _lexicon(
    """
    nhà cái | soi kèo | kèo | cá cược | cá độ | casino | sòng bài | xổ số | soi cầu | lô đề |
    tài xỉu | nổ hũ | game bài | bắn cá | jackpot | poker | baccarat | roulette | betting |
    sportsbook | lottery | lotto
    """
)
_FILLER_TERMS = _lexicon(
    """
    hôm nay | mới nhất | uy tín | link | vào | trực tuyến | miền bắc | miền nam | miền trung |
    online | today | live | top | table | results
    """
)
_SUBSTRING_UNSAFE = frozenset({"euro", "odds", "tips", "slot", "live", "bet"})


def _base_letters(token: str) -> str:
    decomposed = unicodedata.normalize("NFD", token.casefold().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_SPAM_RE = re.compile(rf"(?<!\w)(?:{_terms_pattern(_SPAM_TERMS)})(?!\w)", re.IGNORECASE)
_COVER_RE = re.compile(rf"(?<!\w)(?:{_terms_pattern(_SPAM_TERMS + _FILLER_TERMS)})(?!\w)", re.IGNORECASE)
_GAMBLING_RE = re.compile(rf"(?<!\w)(?:{_terms_pattern(_GAMBLING_TERMS)})(?!\w)", re.IGNORECASE)
_SPAM_BRAND = re.compile(
    r"(?<!\w)(?:[a-z]{1,6}(?:88|888|68|99|789|388)|[a-z0-9]{1,3}bet|\d{2,3}(?:bet|win))(?!\w)", re.IGNORECASE
)
"""Betting brands: ``fb88``, ``jun88``, ``kubet``, ``v9bet``, ``188bet``, ``33win``."""
_GLUED_SPAM = tuple(
    folded
    for folded in {_base_letters(term).replace(" ", "") for term in _SPAM_TERMS}
    if len(folded) >= 4 and folded not in _SUBSTRING_UNSAFE
)
_SPAM_UNTIL_NUMBER = re.compile(r"\s*((?:[^\W\d][^\s\d]*\s+){0,10}?)(\d[\d/.\-]*)(?=[\s,.;:]|$)")
_SPAM_RUN = re.compile(rf"(?:\s*(?:{_COVER_RE.pattern}))+(?:\s+\d[\d/.\-]*)?", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*\S+")
_LONG_RUN_MIN = 12
_LONG_RUN = re.compile(rf"(?<![#@\w])[^\W\d_]{{{_LONG_RUN_MIN},}}\d*")
_VN_SPECIFIC = frozenset("ăâđêôơưĩũ") | frozenset(map(chr, range(0x1EA0, 0x1EFA)))
_VN_BASE = frozenset("abcdeghiklmnopqrstuvxy")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_CONSONANT_GROUPS = re.compile(r"[^aeiouy]+")


def _is_glued_run(token: str) -> bool:
    """A lowercase alphabetic token of glued words: four or more Vietnamese syllables, or spam terms."""
    if len(token) < 12 or any(char.isupper() for char in token[1:]):
        return False
    base = _base_letters(token)
    if len(token) >= 16 and any(term in base for term in _GLUED_SPAM):
        return True
    if not any(char in _VN_SPECIFIC for char in token.casefold()) or not set(base) <= _VN_BASE:
        return False
    longest_consonants = max((len(group) for group in _CONSONANT_GROUPS.findall(base)), default=0)
    return len(_VOWEL_GROUPS.findall(base)) >= 4 and longest_consonants <= 5


def _completed_term_words(glued: str, phrase: str) -> int:
    """Words of ``phrase`` that finish a spam term begun inside ``glued`` (``…xổ`` + ``số …``)."""
    glued, phrase = glued.casefold(), phrase.lstrip().casefold() + " "
    for term in _SPAM_TERMS:
        first, _, rest = term.partition(" ")
        if rest and glued.endswith(first) and phrase.startswith(rest + " "):
            return len(rest.split())
    return 0


def _is_spam_phrase(phrase: str, glued: str) -> bool:
    """Opens with a spam term (or finishes one begun in ``glued``) and is at least half spam words."""
    words = phrase.split()
    completed = _completed_term_words(glued, phrase)
    rest = " ".join(words[completed:])
    if not completed and not _SPAM_RE.match(rest):
        return False
    covered = completed + sum(len(hit.split()) for hit in _COVER_RE.findall(rest))
    return covered * 2 >= len(words)


def _spam_tail_end(line: str, start: int, glued: str) -> int:
    """End of the spam phrase right after a glued run at ``start``, or ``start`` when there is none.

    Either words ending in a number or year (``xếp hạng bóng đá asiad 2023``) or
    a run of lexicon terms (``soi kèo nhà cái uy tín``).
    """
    until_number = _SPAM_UNTIL_NUMBER.match(line, start)
    if until_number and _is_spam_phrase(until_number.group(1), glued):
        return until_number.end()
    completed = _completed_term_words(glued, line[start:])
    position = _skip_words(line, start, completed)
    run = _SPAM_RUN.match(line, position)
    if run and (completed or _is_spam_phrase(run.group(0), glued)):
        return run.end()
    return position


def _skip_words(line: str, position: int, count: int) -> int:
    for _ in range(count):
        word = _NEXT_WORD.match(line, position)
        if word is None:
            break
        position = word.end()
    return position


def _join_around(left: str, right: str) -> str:
    """Close the gap a cut left: ``giờ,`` + ``.`` → ``giờ.``; ``nghị,`` + ``ông`` → ``nghị, ông``."""
    left, right = left.rstrip(), right.lstrip()
    if right[:1] in tuple(",.;:!?)”") and left[-1:] in tuple(",;:"):
        left = left[:-1]
    if not left or not right or right[0] in ",.;:!?)”":
        return left + right
    return f"{left} {right}"


def _remove_spam(line: str, found: _Found) -> str:
    """Cut every glued run (and the spam phrase that follows it) out of a line."""
    if max(map(len, line.split()), default=0) < _LONG_RUN_MIN:
        return line
    match = _LONG_RUN.search(line)
    while match:
        if not _is_glued_run(match.group(0).rstrip("0123456789")):
            match = _LONG_RUN.search(line, match.end())
            continue
        end = _spam_tail_end(line, match.end(), match.group(0))
        found.drop("spam_glued", match.group(0))
        if end > match.end():
            found.drop("spam_phrase", line[match.end() : end].strip())
        line = _join_around(line[: match.start()], line[end:])
        match = _LONG_RUN.search(line, match.start())
    return line


def _is_spam_line(line: str) -> bool:
    """A short line made of gambling terms (two different ones, or a brand like ``fb88``).

    One term alone is news (``Kết quả xổ số Vietlott ngày 27/3``), not spam.
    """
    if len(line) > 150:
        return False
    gambling = {hit.casefold() for hit in _GAMBLING_RE.findall(line)}
    if len(gambling) < 2 and not _SPAM_BRAND.search(line):
        return False
    words = len(line.split())
    covered = sum(len(hit.split()) for hit in _COVER_RE.findall(line) + _SPAM_BRAND.findall(line))
    return covered * 2 >= words


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_DATE_PREFIX = re.compile(
    r"^(?:cập nhật|ngày đăng|đăng ngày|đăng lúc|đăng|ngày|xuất bản|thời gian|published|updated|"
    r"last updated|posted|date)(?:\s+(?:lúc|ngày|on|at))?\s*[:：]?\s*"
)
_WEEKDAY = re.compile(
    r"^(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn|t[2-7]|"
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?)\s*[,\-–|]?\s*"
)
_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*[:h]\s*(\d{2})(?::(\d{2}))?(?:\s*(am|pm|sa|ch)\b)?")
_ZONE = re.compile(r"\(?\s*(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*\)?")
_MONTH_NAMES = _lexicon(
    """
    jan january | feb february | mar march | apr april | may | jun june | jul july | aug august |
    sep sept september | oct october | nov november | dec december
    """
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_FIRST = re.compile(r"(?:ngày\s+)?(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VI_WORDS = re.compile(r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*(?:năm|,)\s*|\s+)(\d{4})")
_EN_MONTH_FIRST = re.compile(rf"({_MONTH_NAME})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})")
_EN_DAY_FIRST = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAME})\.?,?\s+(\d{{4}})")
_DATE_LEFTOVER = re.compile(r"^(?:[\s,\-–|/()]|lúc|at|vào|on)*$")


def parse_datetime(value: str) -> datetime | None:
    """An ISO-8601 date or date-time (as htmldate and JSON-LD give them), zone-aware; naive → UTC+7."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM_TZ)


def parse_date_line(line: str) -> datetime | None:
    """The date when the whole line is a date stamp, e.g. ``"Thứ Ba, 21/05/2024 14:57"``.

    Vietnamese and English forms, an optional weekday, prefix (``Cập nhật:``,
    ``Published:``), time and ``GMT+7``. A line with anything else in it → ``None``.
    """
    if len(line) > 80 or not any(char.isdigit() for char in line):
        return None
    iso = parse_datetime(line) if re.fullmatch(r"\d{4}-\d\d-\d\d[T ][\d:.+\-Z]+", line) else None
    if iso:
        return iso
    text = _WEEKDAY.sub("", _DATE_PREFIX.sub("", line.casefold().strip()), count=1)
    text, zone = _take_zone(text)
    text, clock = _take_time(text)
    day = _take_day(text)
    if day is None:
        return None
    try:
        return datetime(*day, *clock, tzinfo=zone)
    except ValueError:
        return None


def _take_zone(text: str) -> tuple[str, timezone]:
    match = _ZONE.search(text)
    if not match:
        return text, VIETNAM_TZ
    sign = -1 if match.group(1) == "-" else 1
    offset = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
    return text[: match.start()] + text[match.end() :], timezone(sign * offset)


def _take_time(text: str) -> tuple[str, tuple[int, int, int]]:
    match = _TIME.search(text)
    if not match:
        return text, (0, 0, 0)
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if match.group(4) in ("pm", "ch") and hour < 12:
        hour += 12
    elif match.group(4) in ("am", "sa") and hour == 12:
        hour = 0
    return text[: match.start()] + text[match.end() :], (hour, minute, second)


def _take_day(text: str) -> tuple[int, int, int] | None:
    text = text.strip(" ,-–|/")
    for pattern, order in (
        (_DAY_FIRST, "dmy"),
        (_YEAR_FIRST, "ymd"),
        (_VI_WORDS, "dmy"),
        (_EN_MONTH_FIRST, "mdy"),
        (_EN_DAY_FIRST, "dmy"),
    ):
        match = pattern.search(text)
        if match and _DATE_LEFTOVER.match(text[: match.start()] + text[match.end() :]):
            parts = dict(zip(order, match.groups(), strict=True))
            month = _MONTHS.get(parts["m"]) or int(parts["m"])
            return int(parts["y"]), month, int(parts["d"])
    return None


# ---------------------------------------------------------------------------
# Line classifiers
# ---------------------------------------------------------------------------


def _phrases(text: str) -> str:
    return _terms_pattern(_lexicon(text))


_I = re.IGNORECASE
_COUNTER_WORDS = _phrases(
    """
    lượt xem | số lượt xem | lượt đọc | lượt truy cập | lượt thích | lượt chia sẻ | bình luận |
    views | view | reads | comments | comment | likes | shares
    """
)
_COUNT = r"\(?[\d.,]+\s*[km]?\)?"
_COUNTER_PART = rf"(?:(?:{_COUNTER_WORDS})\s*[:：]?\s*{_COUNT}|{_COUNT}\s*(?:{_COUNTER_WORDS}))"
_COUNTER_LINE = re.compile(rf"^{_COUNTER_PART}(?:\s*[|•·,/-]\s*{_COUNTER_PART})*$", _I)
_UI_WORDS = _phrases(
    """
    link bài gốc | copy link | sao chép liên kết | sao chép link | chia sẻ bài viết | chia sẻ |
    in bài viết | in bài | gửi bài viết | gửi email | gửi bài | lưu bài viết | lưu tin |
    theo dõi | quay lại | về đầu trang | lên đầu trang | cỡ chữ | nghe đọc bài | nghe bài viết |
    đăng ký nhận tin | facebook | zalo | twitter | linkedin | telegram | email | tweet |
    share this article | share this | share | print | copy | link | back to top | font size |
    listen to this article | listen | subscribe | google news | follow us | a- | a+ | aa | thích |
    like | trang chủ | liên hệ | đăng nhập | đăng ký | sơ đồ trang | home | contact | contact us |
    sign in | log in | sitemap | rss
    """
)
_UI_LINE = re.compile(rf"^(?:[\s|•·,/:>»+-]*(?:{_UI_WORDS})(?!\w))+[\s|•·,/:]*$", _I)
_PLACEHOLDER = re.compile(
    r"^(?:"
    + _phrases(
        """
        nội dung đang cập nhật | đang cập nhật | dữ liệu đang cập nhật | đang tải | loading |
        content is being updated | no related articles | chưa có bình luận | no comments yet |
        be the first to comment | hãy là người đầu tiên bình luận
        """
    )
    + r")\s*[.…!]*$",
    _I,
)
_RELATED_MARKER = re.compile(
    r"^(?:"
    + _phrases(
        """
        đọc thêm | xem thêm | bài viết liên quan | tin liên quan | bài liên quan |
        tin cùng chuyên mục | tin khác | các tin khác | tin mới nhất | tin mới | tin nổi bật |
        có thể bạn quan tâm | bạn có thể quan tâm | tin đọc nhiều | đọc nhiều | xem nhiều |
        read more | related | related articles | related news | related stories | related posts |
        see also | more stories | more news | you may also like | recommended | most read |
        latest news
        """
    )
    + r")\s*[:.…>»]*$",
    _I,
)
_RELATED_LINK = re.compile(
    r"^(?:(?:đọc thêm|xem thêm|tin liên quan|read more|see also|related)\s*[:>»]+|(?:>\s*){2,}|»)\s*\S", _I
)
_AUTHOR_LINE = re.compile(
    r"^(?:tác giả|bài và ảnh|bài, ảnh|bài|author|written by|phóng viên|pv|nhóm pv)\s*[:：]\s*(.{2,60})$", _I
)
_BYLINE = re.compile(r"^By\s+([A-Z][\w.'-]+(?:\s+(?:and\s+)?[A-Z][\w.'-]+){0,4})$")
_NAME_WORD = re.compile(r"[^\W\d_][\w'.]*")
_NAME = re.compile(r"^[^\W\d_][\w'. ,&/–-]*$")
_SOURCE_LINE = re.compile(r"^\(?(?:nguồn|theo nguồn|nguồn tin|source)\s*[:：]\s*(.{2,100}?)\)?$", _I)
_THEO_LINE = re.compile(r"^\(?theo\s+([^,.;:?!()]{2,60})\)?$", _I)
_DOMAIN_LINE = re.compile(
    r"^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov|edu|info|biz|io|news|tv|asia|int|"
    r"uk|us|fr|de|cn|jp|kr|au|ca))/?$",
    _I,
)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", _I)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|all rights reserved|^bản quyền thuộc|^copyright\b", _I)
_SLOGAN = re.compile(r"\W*(?:chào mừng|kỷ niệm|nhiệt liệt|mừng đảng|mừng xuân|welcome|celebrat)", _I)
_BREADCRUMB_SEPARATOR = re.compile(r"\s+[>»›]\s+")
_BANNER_SEPARATOR = re.compile(r"\s*[-–|•*+]+\s*(?=[^\W\d_])")
_ALLCAPS_NAME = re.compile(r"^[^\W\d_]+(?:[ .\-][^\W\d_]+){0,4}$")
_NOT_NAMES = frozenset({"HẾT", "END", "THE END", "TIN LIÊN QUAN"})
_AGENCY_SIGNATURE = re.compile(r"^([A-ZĐ][^\W\d_]*(?:\s+[A-ZĐ][^\W\d_]*){0,4})\s*\(([A-ZĐ]{2,10})\)$")
_CONNECTIVES = frozenset({"và", "and", "&"})


@dataclass(slots=True)
class _Found:
    """What the passes took out and the metadata it carried."""

    removed: list[tuple[str, str]] = field(default_factory=list)
    published: datetime | None = None
    author: str | None = None
    outlet: str | None = None

    def drop(self, kind: str, text: str) -> None:
        self.removed.append((kind, text))


def _outlet_from(value: str) -> str:
    """``http://www.vietpeace.org.vn/x`` → ``vietpeace.org.vn``; a name stays a name."""
    value = value.strip()
    if _URL_LINE.match(value) or _DOMAIN_LINE.match(value):
        host = urlsplit(value if "://" in value else f"http://{value}").hostname or value
        return host.removeprefix("www.")
    return value


def _is_url(value: str) -> bool:
    return bool(_URL_LINE.match(value.strip()) or _DOMAIN_LINE.match(value.strip()))


def _looks_like_name(value: str) -> bool:
    """``Hạnh Nguyên``, ``Hà Anh - Minh Đức``, ``Hà Anh (TTXVN)``: capitalized words, no sentence."""
    value = re.sub(r"\([^)]*\)", "", value).strip()
    words = [word for word in _NAME_WORD.findall(value) if word not in _CONNECTIVES]
    return bool(_NAME.match(value)) and 0 < len(words) <= 8 and all(word[0].isupper() for word in words)


def _single_noise(line: str, found: _Found) -> str | None:
    """The kind of noise a line is on its own, storing any metadata it carries; ``None`` for text."""
    if len(line) > _NOISE_MAX:  # prose: only a long bare URL is noise
        return "url" if _URL_LINE.match(line) else None
    if not any(char.isalnum() for char in line):
        return "symbols"
    if _COUNTER_LINE.match(line):
        return "view_counter"
    if _UI_LINE.match(line):
        return "share_tools"
    if _PLACEHOLDER.match(line):
        return "placeholder"
    if _RELATED_LINK.match(line) and _headline_like(line):
        return "related_link"
    if _COPYRIGHT.search(line):
        return "copyright"
    if _is_spam_line(line):
        return "spam_line"
    return _metadata_noise(line, found)


def _metadata_noise(line: str, found: _Found) -> str | None:
    if (stamp := parse_date_line(line)) is not None:
        found.published = found.published or stamp
        return "date"
    author = _AUTHOR_LINE.match(line) or _BYLINE.match(line)
    if author and _looks_like_name(author.group(1)):
        found.author = found.author or author.group(1).strip()
        return "author"
    source = _SOURCE_LINE.match(line)
    if source and _is_url(source.group(1)):  # a named source is a signature only at the end
        found.outlet = found.outlet or _outlet_from(source.group(1))
        return "source"
    if _DOMAIN_LINE.match(line):
        found.outlet = found.outlet or _outlet_from(line)
        return "outlet_signature"
    if _URL_LINE.match(line):
        return "url"
    return None


def _is_banner(line: str) -> bool:
    """A marquee of slogans or a shouting header line (only looked for above the title)."""
    letters = [char for char in line if char.isalpha()]
    if len(line) < 80 or not letters:
        return False
    upper = sum(char.isupper() for char in letters) / len(letters)
    slogans = sum(bool(_SLOGAN.match(segment)) for segment in _BANNER_SEPARATOR.split(line))
    return upper >= 0.6 or slogans >= 2


def _is_breadcrumb(line: str) -> bool:
    """``Trang chủ > Thời sự > Trong nước``: short sections between arrows."""
    sections = _BREADCRUMB_SEPARATOR.split(line)
    return len(sections) >= 3 and all(0 < len(section) <= 40 for section in sections)


def _headline_like(line: str) -> bool:
    """Short and not closed like a sentence: a title, subheading or list item."""
    return len(line) <= _TITLE_MAX and not line.endswith((".", ",", ";", ":", "…"))


# ---------------------------------------------------------------------------
# Passes over the lines
# ---------------------------------------------------------------------------


def _prepared_lines(text: str, found: _Found) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = normalize_line(raw)
        repaired = _remove_spam(line, found)
        line = normalize_line(repaired) if repaired != line else line
        if line:
            lines.append(line)
    return lines


def _without_single_noise(lines: list[str], found: _Found) -> list[str]:
    kept = []
    for line in lines:
        kind = _single_noise(line, found)
        if kind is None:
            kept.append(line)
        else:
            found.drop(kind, line)
    return kept


def _without_header(lines: list[str], found: _Found) -> list[str]:
    """Drop banners, breadcrumbs and stray list markers above the first line of text."""
    start = 0
    while start < len(lines) and (kind := _header_noise(lines[start])):
        found.drop(kind, lines[start])
        start += 1
    return lines[start:]


def _header_noise(line: str) -> str | None:
    if _is_banner(line):
        return "banner"
    if _is_breadcrumb(line):
        return "breadcrumb"
    return "related_marker" if _RELATED_MARKER.match(line) else None


def _derived_title(paragraph: str) -> str:
    """The first sentence of an opening paragraph, cut at a word near 150 characters."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[^\W\d_])", paragraph, maxsplit=1)[0]
    if len(sentence) <= _DERIVED_TITLE_MAX:
        return sentence
    return sentence[:_DERIVED_TITLE_MAX].rsplit(" ", 1)[0] + "…"


def _without_title_repeats(lines: list[str], title: str, found: _Found) -> list[str]:
    """Drop lines that repeat the title (an image alt printed before its caption).

    Only headline-shaped lines: a title that equals a paragraph does not take the paragraph.
    """
    key = title.casefold()
    kept = []
    for line in lines:
        if key and line.casefold() == key and _headline_like(line):
            found.drop("title_repeat", line)
        else:
            kept.append(line)
    return kept


def _reads_as_list(lines: list[str]) -> bool:
    """Headlines, each perhaps printed twice and followed by one short teaser, to the end.

    One lone headline followed by a paragraph is too little to tell a list from
    the article going on: it needs two items or a headline printed twice.
    """
    index, items, doubled = 0, 0, False
    while index < len(lines):
        if not _headline_like(lines[index]) or _RELATED_MARKER.match(lines[index]):
            return False  # another marker is judged on its own, never taken as a list item
        headline, index, items = lines[index], index + 1, items + 1
        if index < len(lines) and lines[index] == headline:
            index, doubled = index + 1, True
        if index < len(lines) and not _headline_like(lines[index]):
            if len(lines[index]) > _TEASER_MAX:
                return False
            index += 1
    return items >= 2 or doubled


def _without_related(lines: list[str], found: _Found) -> list[str]:
    """Drop a related-article marker, and what follows it when that is a list to the end."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        if not _RELATED_MARKER.match(line):
            kept.append(line)
            continue
        found.drop("related_marker", line)
        tail = lines[index + 1 :]
        if _reads_as_list(tail):
            found.removed.extend(("related_list", item) for item in tail)
            return kept
    return kept


def _without_duplicates(lines: list[str], found: _Found) -> list[str]:
    """Keep one of two identical consecutive lines (a caption printed twice)."""
    kept: list[str] = []
    for line in lines:
        if kept and kept[-1] == line:
            found.drop("duplicate", line)
        else:
            kept.append(line)
    return kept


def _without_signatures(lines: list[str], found: _Found) -> list[str]:
    """Drop trailing signatures: ``HẠNH NGUYÊN``, ``Hà Anh (TTXVN)``, ``(Theo VOV)``, ``Nguồn: AP``.

    Above the last lines the same ``Nguồn: …`` is a credit under a photo or table and stays.
    """
    while lines:
        last = lines[-1]
        if source := _SOURCE_LINE.match(last):
            found.outlet = found.outlet or _outlet_from(source.group(1))
        elif agency := _AGENCY_SIGNATURE.match(last):
            found.author = found.author or agency.group(1)
            found.outlet = found.outlet or agency.group(2)
        elif theo := _THEO_LINE.match(last):
            found.outlet = found.outlet or theo.group(1).strip()
        elif _is_caps_name(last):
            found.author = found.author or last.title()
        else:
            return lines
        found.drop("signature", last)
        lines = lines[:-1]
    return lines


def _is_caps_name(line: str) -> bool:
    return len(line) <= 40 and line.isupper() and line not in _NOT_NAMES and bool(_ALLCAPS_NAME.match(line))


def _clean_lines(lines: list[str], title: str, found: _Found) -> list[str]:
    lines = _without_title_repeats(lines, title, found)
    lines = _without_related(lines, found)
    lines = _without_duplicates(lines, found)
    return _without_signatures(lines, found)


def _result(title: str, lines: list[str], found: _Found, origin: str | None) -> Extracted:
    if found.removed:
        kinds = sorted({kind for kind, _ in found.removed})
        _LOG.debug("%s: removed %d noise lines (%s)", origin or "text", len(found.removed), ", ".join(kinds))
    return Extracted(
        title=title,
        text="\n\n".join(lines),
        published=found.published,
        author=found.author,
        outlet=found.outlet,
        removed=found.removed,
    )


def clean_plaintext(text: str, origin: str | None = None) -> Extracted:
    """Title and cleaned body of a plain-text article whose first meaningful line is the title.

    ``origin`` names the input in the debug log of removals; nothing here raises
    on odd text — a text with nothing left gives an empty body, which the
    pipeline discards.
    """
    found = _Found()
    lines = _without_header(_without_single_noise(_prepared_lines(text, found), found), found)
    if lines and not _headline_like(lines[0]):  # no title line: the text opens with a paragraph
        return _result(_derived_title(lines[0]), _clean_lines(lines, "", found), found, origin)
    title, body = (lines[0], lines[1:]) if lines else ("", [])
    return _result(title, _clean_lines(body, title, found), found, origin)


def clean_body(text: str, title: str = "", origin: str | None = None) -> Extracted:
    """Clean a body whose title is known (HTML extraction, structured records).

    The title is normalized and stripped of spam too; lines repeating it are
    dropped from the body.
    """
    found = _Found()
    title = normalize_line(_remove_spam(normalize_line(title), found))
    lines = _without_single_noise(_prepared_lines(text, found), found)
    return _result(title, _clean_lines(lines, title, found), found, origin)
