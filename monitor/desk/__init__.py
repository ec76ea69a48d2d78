"""Desk: the database and configuration -> what people use: commands, reports, exports.

Takes the store and the config; gives the ``monitor`` command line (``cli``, heavier commands in
``commands``), the analyst's HTML report (``report``), Parquet and CSV exports (``export``), the
schema reference docs/schema.md (``schema_doc``) and the offline demo (``demo``). Nothing else in
the library imports this stage.
"""
