"""Short excerpts of an article around the words a search matched."""

from __future__ import annotations

import re

from newsdesk.text.fold import fold

__all__ = ["snippet"]

_WORD = re.compile(r"\w+")


def snippet(body: str, tokens: list[str], width: int = 240) -> str:
    """The passage of ``body`` around the first matched token (accent-insensitive)."""
    if not body:
        return ""
    wanted = set(tokens)
    start = 0
    if wanted:
        for match in _WORD.finditer(body):
            if fold(match.group()) in wanted:
                start = match.start()
                break
    begin = max(0, start - width // 3)
    if begin:
        space = body.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    excerpt = body[begin : begin + width].replace("\n", " ").strip()
    prefix = "…" if begin else ""
    suffix = "…" if begin + width < len(body) else ""
    return f"{prefix}{excerpt}{suffix}"
