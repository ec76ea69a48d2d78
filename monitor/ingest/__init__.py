"""Ingest: config feeds -> fetched, parsed items with full text.

Takes the feeds of :mod:`monitor.config` (``feeds.yaml``, or an OPML or URL list read by
``feedlist``); gives :class:`~monitor.records.FetchResult` outcomes and
:class:`~monitor.records.Item` records: fetched politely per host (``fetch``), parsed whatever the
feed's shape (``parse``), deduplicated by canonical URL (``urls``), and filled with the article's
text where the feed only has a summary (``fulltext``).
"""
