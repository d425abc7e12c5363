"""Reports on a unit's (or the whole office's) output and reach, as HTML and PDF files.

A report is one :class:`newsdesk.measure.kpis.Kpis` computed for a scope (unit, theme,
period) and frozen: the figures and the ids behind them are saved beside the documents
(``.json``) so that every number of a report keeps linking to what it counted, even after
new pickups arrive.

* :mod:`newsdesk.reports.view` turns the figures into what the document shows: names in
  the reader's language, absolute links (``settings.reports.base_url``) and inline SVG
  charts drawn by :mod:`newsdesk.web.ui.charts` (every bar a link);
* :mod:`newsdesk.reports.render` renders the self-contained HTML (its own template and
  stylesheet, no external resource) and the A4 PDF (WeasyPrint, fonts "Noto Sans" then
  "DejaVu Sans", both with Vietnamese);
* :mod:`newsdesk.reports.archive` writes the files under ``settings.reports.folder`` and a
  ``reports`` row for each, lists and reads them;
* :mod:`newsdesk.reports.schedule` makes last week's and last month's reports once each
  (for the whole office and every unit active in the period), from ``newsdesk up``.

WeasyPrint draws the charts' SVG but does not turn SVG links into PDF links, so each chart
is followed by a small table whose numbers carry the same links, in both formats.
"""

from newsdesk.reports.archive import Reports
from newsdesk.reports.schedule import due_periods, run_scheduled, scheduled_work

__all__ = ["Reports", "due_periods", "run_scheduled", "scheduled_work"]
