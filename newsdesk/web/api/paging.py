"""Paging parameters and the paged answer shared by every list of the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

__all__ = ["Page", "PageSize", "paged"]

Page = Annotated[int, Query(ge=1, description="page number, from 1")]
PageSize = Annotated[int, Query(ge=1, le=200, description="items per page")]


def paged(items: list[Any], total: int, page: int, page_size: int, **extra: Any) -> dict[str, Any]:
    return {**extra, "total": total, "page": page, "page_size": page_size, "results": items}
