"""Analysis stages, registered by name; their order lives in the settings.

A stage is a function over a *batch* of articles that writes only its own
section, so the same code runs in-process, in a process pool or on Dask::

    @stage("langid", reads=("text",), sets=("lang",))
    def langid(articles: list[Article], settings: Settings) -> list[Article]: ...

``run_stages(names, articles, settings)`` applies them in the configured order.
The built-in stages live in :mod:`newsdesk.analyze.builtin`.
"""

from __future__ import annotations

from newsdesk.analyze.registry import Stage, registered_stages, run_stages, stage

__all__ = ["Stage", "registered_stages", "run_stages", "stage"]
