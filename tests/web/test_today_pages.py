"""The Today page: top stories by outlets and growth, each sparkline period a link to its articles."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from tests.web.test_story_pages import archive_app, archive_file, archive_store  # noqa: F401


def test_today_lists_stories_with_linked_sparklines(login: Callable[[str], TestClient]) -> None:
    client = login("viewer")
    page = client.get("/?window=7d").text
    assert "Sự kiện nổi bật" in page
    stories = re.findall(r'<a href="/stories/(\d+)">', page)
    assert stories, "the archive's stories are listed"
    bands = re.findall(r'<svg class="spark".*?</svg>', page, flags=re.S)
    assert bands and all("<polyline" in b for b in bands)
    links = re.findall(r'<a href="(/search\?[^"]+)" class="chart-link">', bands[0].replace("&amp;", "&"))
    assert links, "every period with articles opens them"
    query = parse_qs(urlsplit(links[0]).query)
    assert query["story"] == [stories[0]] and {"date_from", "date_to"} <= set(query)
    found = client.get(links[0]).text
    assert 'class="hit"' in found  # the articles behind that point
