"""Ingest: sources (feeds, sitemaps, pages, files, agency formats) to raw items; the polite fetcher."""
