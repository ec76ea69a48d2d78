"""stance_facts: maintained by store.write_stances, backfilled by migration 002, equal to the join it replaces."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from monitor import store
from monitor.records import FetchResult, Item, Relevance, Stance, Statement

COLUMNS = "stance_id, statement_id, model_id, actor, target, score, published, day, feed_id, content_hash, counted"

# The former stance_candidates and stance_observations views, computed from scratch on every call.
FROM_SCRATCH = """
SELECT t.id AS stance_id, t.statement_id, t.model_id, s.actor, t.target, t.score, i.published,
       CAST(i.published AS DATE) AS day, i.feed_id, s.content_hash,
       row_number() OVER (PARTITION BY t.model_id, s.actor, s.content_hash ORDER BY i.published, t.statement_id) = 1
FROM stances t
JOIN statements s ON s.id = t.statement_id
JOIN items i ON i.id = s.item_id
WHERE s.relevant AND NOT t.uncertain AND t.label IN ('favor', 'against')
  AND s.actor IS NOT NULL AND i.published IS NOT NULL
"""

OLD, NEW = "model-a", "model-b"
QUOTE = "The foreign minister said the EU mission should stay on the border."


def _facts(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return sorted(con.execute(f"SELECT {COLUMNS} FROM stance_facts").fetchall())


def _expected(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return sorted(con.execute(FROM_SCRATCH).fetchall())


def _counted(con: duckdb.DuckDBPyConnection, model_id: str) -> list[str]:
    """Feed ids of the counted statements of ``model_id`` (through the detector's view)."""
    rows = con.execute("SELECT feed_id FROM stance_observations WHERE model_id = ? ORDER BY feed_id, statement_id", [model_id])
    return [r[0] for r in rows.fetchall()]


def _stance(statement: Statement, model_id: str, score: float, *, label: str | None = None, uncertain: bool = False) -> Stance:
    label = label or ("favor" if score > 0 else "against")
    return Stance(statement.key(), model_id, label, "EU", (0.9 + score) / 2, (0.9 - score) / 2, 0.1, uncertain)  # type: ignore[arg-type]


class Corpus:
    """Items and statements written through the store, one feed per call, with readable handles."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.statements: dict[str, Statement] = {}

    def add(self, name: str, feed: str, day: int | None, text: str, actor: str | None, *, relevant: bool = True) -> Statement:
        published = datetime(2026, 5, day, 9, tzinfo=UTC) if day is not None else None
        item = Item(feed, name, f"https://news.example/{feed}/{name}", name, published, text,
                    date_status="ok" if published else "missing")
        now = datetime.now(UTC)
        store.record_fetch(self.con, FetchResult(feed, f"https://news.example/{feed}", now, now, "ok", status=200), [item])
        st = Statement(item.key(), text, 0, len(text), "A. Speaker", actor, "direct", "test")
        store.write_statements(self.con, [item.key()], [(st, Relevance(st.key(), relevant, 0.9 if relevant else 0.1, "test"))])
        self.statements[name] = st
        return st


def test_write_stances_keeps_the_facts_equal_to_the_join(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    c = Corpus(con)
    late = c.add("late", "f1", 20, QUOTE, "AZ")
    other = c.add("other", "f1", 21, "Baku called for a treaty signed without outside brokers.", "AZ")
    undated = c.add("undated", "f1", None, "Baku welcomed the observers once more.", "AZ")
    nobody = c.add("nobody", "f1", 22, "A commentator praised the EU observers.", None)
    offtopic = c.add("offtopic", "f1", 22, "The minister opened a new school.", "AZ", relevant=False)
    unsure = c.add("unsure", "f1", 23, "Baku was vague about the observers.", "AZ")
    neutral = c.add("neutral", "f1", 23, "Baku listed the meetings of the week.", "AZ")

    first = [_stance(late, OLD, 0.6), _stance(other, OLD, -0.5), _stance(undated, OLD, 0.5), _stance(nobody, OLD, 0.5),
             _stance(offtopic, OLD, 0.5), _stance(unsure, OLD, 0.1, uncertain=True), _stance(neutral, OLD, 0.0, label="none")]
    store.write_stances(con, first)
    assert _facts(con) == _expected(con)
    assert {r[1] for r in _facts(con)} == {late.key(), other.key()}
    assert _counted(con, OLD) == ["f1", "f1"]

    # A syndicated copy published earlier, stored later: it becomes the counted copy, the first one stops counting.
    early = c.add("early", "f2", 10, QUOTE, "AZ")
    store.write_stances(con, [_stance(early, OLD, 0.7)])
    assert _facts(con) == _expected(con)
    assert _counted(con, OLD) == ["f1", "f2"]
    assert con.execute("SELECT counted FROM stance_facts WHERE statement_id = ?", [late.key()]).fetchone() == (False,)

    # A copy published later than both changes nothing; the same words from another actor count on their own.
    c.add("later", "f3", 25, QUOTE, "AZ")
    russia = c.add("russia", "f3", 26, QUOTE, "RU")
    store.write_stances(con, [_stance(c.statements["later"], OLD, 0.4), _stance(russia, OLD, -0.4)])
    assert _facts(con) == _expected(con)
    assert _counted(con, OLD) == ["f1", "f2", "f3"]

    # Writing the same rows again changes nothing (stances and facts are upserts on the stance id).
    before = _facts(con)
    store.write_stances(con, first)
    assert _facts(con) == before

    # A second model (monitor rescore): its own rows and its own copy ranking, the first model's untouched.
    rescored = [_stance(st, NEW, -0.3) for st in c.statements.values()]
    store.write_stances(con, rescored[:4])
    store.write_stances(con, rescored[4:])
    assert _facts(con) == _expected(con)
    assert [r for r in _facts(con) if r[2] == OLD] == [r for r in before if r[2] == OLD]
    # (with a confident "against" now, the formerly unsure and neutral statements count too)
    assert _counted(con, NEW) == ["f1", "f1", "f1", "f2", "f3"]
    con.close()


def test_the_views_read_the_facts(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    c = Corpus(con)
    sts = [c.add(f"s{k}", f"f{k % 2}", 1 + k, f"Statement number {k % 3} about the EU monitors.", "AZ") for k in range(6)]
    store.register_model(con, {"model_id": NEW, "encoder": "e", "encoder_sha256": "x", "head_sha256": "y"})
    store.write_stances(con, [_stance(st, NEW, 0.2 * (k - 2)) for k, st in enumerate(sts) if k != 2])
    observed = con.execute("SELECT statement_id, day, score FROM current_observations ORDER BY day").fetchall()
    # three distinct texts, each counted once at its earliest copy (the k=2 copy was never scored)
    assert [(r[0], r[1].day) for r in observed] == [(sts[0].key(), 1), (sts[1].key(), 2), (sts[5].key(), 6)]
    weekly = con.execute("SELECT sum(n_statements) FROM stance_weekly").fetchone()
    assert weekly == (3,)
    con.close()


def test_migration_002_backfills_an_initial_database(tmp_path: Path) -> None:
    only_initial = tmp_path / "migrations"
    only_initial.mkdir()
    shutil.copy(store.MIGRATIONS_DIR / "001_initial.sql", only_initial)
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("SET TimeZone = 'UTC'")
    assert store.migrate(con, only_initial) == ["001_initial.sql"]
    c = Corpus(con)
    late = c.add("late", "f1", 20, QUOTE, "AZ")
    early = c.add("early", "f2", 10, QUOTE, "AZ")
    other = c.add("other", "f1", 12, "Baku asked for talks without outside brokers.", "AZ")
    undated = c.add("undated", "f1", None, "Baku welcomed the observers once more.", "AZ")
    rows = [_stance(st, model, s) for model in (OLD, NEW) for st, s in ((late, 0.5), (early, 0.6), (other, -0.4), (undated, 0.3))]
    # the release before 002 wrote stance rows only
    con.executemany(
        "INSERT INTO stances VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
        [[s.key(), s.statement_id, s.model_id, s.label, s.target, s.p_favor, s.p_against, s.p_none, s.score, s.uncertain]
         for s in rows],
    )
    con.close()

    con = c.con = store.connect(db)
    assert [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()] == [1, 2, 3, 4]
    assert len(_facts(con)) == 6 and _facts(con) == _expected(con)
    assert _counted(con, OLD) == _counted(con, NEW) == ["f1", "f2"]
    # and the writer goes on from there
    store.write_stances(con, [_stance(c.add("new", "f3", 5, QUOTE, "AZ"), OLD, 0.8)])
    assert _facts(con) == _expected(con)
    assert _counted(con, OLD) == ["f1", "f3"]
    con.close()


def test_a_bulk_load_matches_the_join(tmp_path: Path) -> None:
    """bench/gen_db.py adds its stances in one batch (the join path, past the index-lookup size)."""
    from bench.gen_db import Shape, generate

    db = tmp_path / "gen.duckdb"
    generate(db, Shape(statements=6000, days=60))
    con = store.connect(db)
    facts = _facts(con)
    assert len(facts) > store._INDEX_LOOKUP_MAX
    assert facts == _expected(con)
    assert any(not r[-1] for r in facts), "the generated copies leave rows that do not count"
    con.close()
