"""Measuring the office's reach: which monitored articles picked up its publications.

:mod:`newsdesk.measure.pickup` finds the articles that reuse a publication (or one of its
language variants) and says how; :mod:`newsdesk.measure.labelled` builds a labelled set
from the corpus and scores the matcher on it. Reading candidates from the stored archive
is the store side's part.
"""
