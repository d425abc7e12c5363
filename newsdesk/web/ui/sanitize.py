"""Article HTML from the web, made safe to show inside a workspace page.

An analyst may look at the page an article was extracted from. That HTML is
hostile until proven otherwise, so :func:`sanitize` keeps only structure and text:

* **An allow-list, never a block-list**: headings, paragraphs, lists, tables,
  quotes, inline emphasis, links. Everything else is unwrapped (its text kept) or,
  for ``script``, ``style``, ``template``, ``noscript``, ``iframe``, ``object``,
  ``embed``, ``svg``, ``math``, ``form`` …, removed with its content.
* **Attributes**: links keep ``href`` and ``title``, table cells their spans, any
  element ``lang`` and ``dir``; no ``style``, ``class``, ``id`` or event handler.
* **URLs** only ``http``, ``https`` and ``mailto``; a relative one is resolved
  against the article's URL (or dropped when there is none), so nothing in the
  copy points into the workspace. Every link gets ``rel="noopener noreferrer
  nofollow"`` and ``target="_blank"``.
* **Images** become their alt text in brackets: the Content-Security-Policy blocks
  remote images anyway, and a request to the source would tell it who is reading.

The sanitiser is nh3 (Rust's ammonia, built on the html5ever parser that browsers'
parsing rules are written in), the last step, so what it returns is what the browser
gets. lxml runs before it only to turn images into text; if lxml cannot read the
input, nh3 still cleans it and images are just dropped. The CSP is the second wall.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

import nh3
from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

__all__ = ["ALLOWED_TAGS", "sanitize"]

ALLOWED_TAGS = frozenset(
    {
        *("a", "abbr", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code"),
        *("dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "ins", "kbd", "li", "main", "mark"),
        *("ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong"),
        *("sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u"),
        *("ul", "var", "wbr"),
    }
)
_REMOVED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "template", "noscript", "noembed", "noframes", "iframe", "frame", "frameset"),
        *("object", "embed", "applet", "svg", "math", "form", "textarea", "select", "button", "title"),
        *("xmp", "plaintext", "head"),
    }
)
_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
_SCHEMES = {"http", "https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sanitize(html: str, base_url: str | None = None) -> Markup:
    """``html`` reduced to safe structure and text (see the module docstring)."""
    html = _CONTROL.sub("", html)
    return Markup(
        nh3.clean(
            _images_as_text(html),
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(_REMOVED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
            url_schemes=set(_SCHEMES),
            url_relative=_relative_policy(base_url),
            link_rel="noopener noreferrer nofollow",
            set_tag_attribute_values={"a": {"target": "_blank"}},
            strip_comments=True,
        )
    )


def _relative_policy(base_url: str | None) -> Literal["deny"] | tuple[Literal["rewrite_with_base"], str]:
    if base_url and urlsplit(base_url).scheme in ("http", "https") and urlsplit(base_url).netloc:
        return ("rewrite_with_base", base_url)
    return "deny"


def _images_as_text(html: str) -> str:
    """Each ``<img>`` replaced by ``[its alt text]`` (or nothing); the input as it was on failure."""
    if "<img" not in html.lower():
        return html
    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    for image in list(root.iter("img")):
        alt = " ".join((image.get("alt") or "").split())
        _replace_with_text(image, f"[{alt}]" if alt else "")
    return str(lxml_html.tostring(root, encoding="unicode"))


def _replace_with_text(element: lxml_html.HtmlElement, text: str) -> None:
    parent = element.getparent()
    if parent is None:
        return
    text += element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(element)
