"""One hardened XML parser for every XML format newsdesk reads (sitemaps, NewsML-G2).

No entity expansion, no DTD loading, no network, no huge trees: an XXE or
billion-laughs document parses without resolving anything.
"""

from __future__ import annotations

from lxml import etree

__all__ = ["safe_parser"]


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
