"""The workspace's pages: server-rendered HTML in Vietnamese and English.

Each area has its module ``<area>_pages.py`` with a ``router``; :func:`ui_router`
includes every such module, so adding a page never edits a shared list.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter

__all__ = ["ui_router"]


def ui_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.endswith("_pages"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            router.include_router(module.router)
    return router
