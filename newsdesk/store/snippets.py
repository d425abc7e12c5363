"""Short excerpts of an article around the words a search matched."""

from __future__ import annotations

import re

from newsdesk.text.fold import fold

__all__ = ["snippet"]


def _first_hit(body: str, tokens: list[str]) -> int:
    """Character offset of the first matched token, found paragraph by paragraph (0 if none)."""
    if not tokens:
        return 0
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in tokens) + r")\b")
    offset = 0
    for paragraph in body.split("\n"):
        folded = fold(paragraph)
        match = pattern.search(folded)
        if match:
            # fold keeps lengths for Vietnamese; when it does not (ß → ss), start at the paragraph
            return offset + (match.start() if len(folded) == len(paragraph) else 0)
        offset += len(paragraph) + 1
    return 0


def snippet(body: str, tokens: list[str], width: int = 240) -> str:
    """The passage of ``body`` around the first matched token (accent-insensitive)."""
    if not body:
        return ""
    start = _first_hit(body, tokens)
    begin = max(0, start - width // 3)
    if begin:
        space = body.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    excerpt = body[begin : begin + width].replace("\n", " ").strip()
    prefix = "…" if begin else ""
    suffix = "…" if begin + width < len(body) else ""
    return f"{prefix}{excerpt}{suffix}"
