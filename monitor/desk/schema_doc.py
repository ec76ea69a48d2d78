"""The schema reference (docs/schema.md), generated from the database's own ``COMMENT ON`` texts.

The migrations and ``db/views.sql`` are the single source of the column documentation;
``python -m monitor.desk.schema_doc --write docs/schema.md`` refreshes the section of docs/schema.md
between the ``schema:start`` / ``schema:end`` markers, and a test fails when the two drift apart.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from monitor import store

START, END = "<!-- schema:start -->", "<!-- schema:end -->"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def markdown(con: store.Connection) -> str:
    """Markdown for every table and view in ``main``: its comment, then its columns."""
    objects = con.execute(
        """SELECT table_name, 'table' AS kind, comment FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal
             AND table_name <> 'schema_migrations'
           UNION ALL
           SELECT view_name, 'view', comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
           ORDER BY kind, table_name"""
    ).fetchall()
    out: list[str] = []
    for kind in ("table", "view"):
        out.append(f"#### {'Tables' if kind == 'table' else 'Analyst views'}\n")
        for name, k, comment in objects:
            if k != kind:
                continue
            out.append(f"**`{name}`**: {_cell(comment)}\n")
            out.append("| column | type | meaning |\n| --- | --- | --- |")
            for col, dtype, ccomment in con.execute(
                """SELECT column_name, data_type, comment FROM duckdb_columns()
                   WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index""",
                [name],
            ).fetchall():
                out.append(f"| `{col}` | {dtype} | {_cell(ccomment)} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def splice(readme: str, section: str) -> str:
    """``readme`` (the text of docs/schema.md) with the text between the markers replaced by ``section``."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise ValueError(f"the file has no {START} ... {END} section")
    return pattern.sub(lambda _: f"{START}\n{section}{END}", readme)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="example: python -m monitor.desk.schema_doc --write docs/schema.md")
    p.add_argument("--write", metavar="FILE", help="refresh the schema section of this file (docs/schema.md) instead of printing")
    a = p.parse_args(argv)
    con = store.connect(":memory:")
    try:
        section = markdown(con)
    finally:
        con.close()
    if a.write:
        path = Path(a.write)
        path.write_text(splice(path.read_text(encoding="utf-8"), section), encoding="utf-8")
    else:
        sys.stdout.write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
