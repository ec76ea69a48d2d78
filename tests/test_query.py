"""``monitor query`` and ``monitor export``: read-only, every format, files other tools can read."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import duckdb
import pytest

from monitor.desk import export
from monitor.desk.cli import main


@pytest.fixture(autouse=True)
def _no_leaked_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main sets PREFECT_LOGGING_EXTRA_LOGGERS for the process; undo it after each test so that
    later Prefect tests do not attach the API log handler to the monitor loggers."""
    monkeypatch.setenv("PREFECT_LOGGING_EXTRA_LOGGERS", os.environ.get("PREFECT_LOGGING_EXTRA_LOGGERS", "monitor"))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.gen_db import Shape, generate

    path = tmp_path_factory.mktemp("query") / "m.duckdb"
    generate(path, Shape(statements=4000, days=120))
    return path


def _count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


@pytest.mark.parametrize(
    "sql",
    [
        "delete from statements",
        "DROP TABLE statements",
        "update statements set text = 'x'",
        f"attach '{Path(__file__).resolve().parent.parent / 'x.duckdb'}' as other; delete from statements",
    ],
)
def test_a_write_fails_on_one_line_and_changes_nothing(db: Path, sql: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = _count(db, "statements")
    assert main(["query", sql, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert "read-only" in err or "does not exist" in err
    assert _count(db, "statements") == before
    assert not (Path(__file__).resolve().parent.parent / "x.duckdb").exists()


def test_a_write_through_parquet_output_also_fails(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _count(db, "statements")
    out = tmp_path / "x.parquet"
    assert main(["query", "delete from statements returning *", "--db", str(db), "--format", "parquet", "--out", str(out)]) == 1
    assert capsys.readouterr().err.startswith("Error: ")
    assert _count(db, "statements") == before and not out.exists()


def test_query_formats(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "select actor, target, n_statements from actor_vs_baseline where baseline is not null order by actor, target"
    expected = duckdb.connect(str(db), read_only=True).execute(sql).fetchall()
    assert main(["query", sql, "--db", str(db), "--format", "csv", "--out", str(tmp_path / "a.csv")]) == 0
    rows = list(csv.reader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert rows[0] == ["actor", "target", "n_statements"] and len(rows) == len(expected) + 1
    assert main(["query", sql, "--db", str(db), "--format", "json", "--out", str(tmp_path / "a.json")]) == 0
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert [(r["actor"], r["target"], r["n_statements"]) for r in data] == expected
    assert main(["query", sql, "--db", str(db), "--format", "parquet", "--out", str(tmp_path / "a.parquet")]) == 0
    assert "wrote" in capsys.readouterr().out
    assert duckdb.sql(f"select * from '{tmp_path / 'a.parquet'}'").fetchall() == expected
    assert main(["query", sql, "--db", str(db), "--format", "parquet"]) == 1
    assert "needs --out" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_every_view(db: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "exports"
    assert main(["export", "--db", str(db), "--out", str(out), "--format", fmt]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(export.VIEWS)
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    for view in export.VIEWS:
        path = out / f"{view}.{fmt}"
        n = duckdb.sql(f"select count(*) from {reader}('{path}')").fetchall()[0][0]
        assert n == _count(db, view) and n > 0, view
    # parquet keeps the types analysts filter on
    if fmt == "parquet":
        types = {r[0]: r[1] for r in duckdb.sql(f"describe select * from '{out / 'statement_stances.parquet'}'").fetchall()}
        assert types["published"] == "TIMESTAMP WITH TIME ZONE" and types["mentions"] == "VARCHAR[]"


def test_export_rejects_unknown_views_and_formats(db: Path, tmp_path: Path) -> None:
    from monitor.errors import StoreError

    with pytest.raises(StoreError, match="not an exported view"):
        export.export_views(db, tmp_path, "parquet", views=("statements; drop table x",))
    with pytest.raises(StoreError, match="unknown export format"):
        export.export_views(db, tmp_path, "xlsx")
