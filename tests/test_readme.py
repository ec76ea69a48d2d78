"""The README's promises that code can check: the schema reference matches the database."""

from __future__ import annotations

from pathlib import Path

from monitor import schema_doc, store

README = Path(__file__).resolve().parent.parent / "README.md"


def test_schema_reference_matches_the_comments_in_the_database() -> None:
    con = store.connect(":memory:")
    try:
        section = schema_doc.markdown(con)
    finally:
        con.close()
    readme = README.read_text(encoding="utf-8")
    assert schema_doc.splice(readme, section) == readme, "run: python -m monitor.schema_doc --write README.md"


def test_readme_opens_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8").split("\n\n", 3)
    assert "make run" in head[1] and "make test" in head[1]
