"""Extraction: raw HTML or plain text → :class:`newsdesk.model.Extracted`.

``extract_html``     main text and metadata of a web page (trafilatura + htmldate),
                     then the plain-text noise cleaner on the result.
``clean_plaintext``  title and body of a plain-text article, web noise removed.
``clean_body``       the same cleaner for a body whose title is already known.
``normalize_line``   the whitespace and glued-sentence repair every line gets.
``parse_date_line``  a date stamp line (``Thứ Ba, 21/05/2024 14:57``) as an aware datetime.
"""

from __future__ import annotations

from newsdesk.extract.html import extract_html
from newsdesk.extract.plaintext import clean_body, clean_plaintext, normalize_line, parse_date_line

__all__ = ["clean_body", "clean_plaintext", "extract_html", "normalize_line", "parse_date_line"]
