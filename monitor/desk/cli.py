"""The one command-line interface: ``monitor`` (also ``python -m monitor``).

Long on purpose (over 400 lines): one parser holds every command with its help and example; the heavier commands live in ``commands``.

Every command has ``--help`` with an example. A :class:`MonitorError` becomes one line
``Error: ...`` on stderr and exit status 1; a usage error exits 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from monitor import config, progress, snapshot, store
from monitor.errors import MonitorError
from monitor.ingest.feedlist import load_settings

log = logging.getLogger("monitor")

DEFAULT_CONFIG = "config"
DEFAULT_DB = "db/monitor.duckdb"


def _default_config() -> str:
    return os.environ.get("MONITOR_CONFIG", DEFAULT_CONFIG)


def _default_db() -> str:
    return os.environ.get("MONITOR_DB", DEFAULT_DB)


def _json_default(o: object) -> str:
    if isinstance(o, datetime | date):
        return o.isoformat()
    return str(o)


def render(cols: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """Rows as an aligned table, CSV or JSON."""
    if fmt == "json":
        return json.dumps([dict(zip(cols, r, strict=True)) for r in rows], default=_json_default, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        w.writerows([[_json_default(v) if isinstance(v, datetime | date) else v for v in r] for r in rows])
        return buf.getvalue().rstrip("\n")
    cells = [[str(c) for c in cols]] + [["" if v is None else str(v).replace("\n", " ")[:80] for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cols))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ---------------------------------------------------------------- commands


def cmd_run(a: argparse.Namespace) -> int:
    from monitor import pipeline

    settings = load_settings(a.config, feeds_file=a.feeds)
    try:
        shard = pipeline.Shard.parse(a.shard)
    except ValueError as exc:
        raise MonitorError(f"--shard: {exc}") from None
    if a.no_prefect:
        try:
            summary = pipeline.run(settings, a.db, shard=shard)
        except store.RunInProgress as exc:
            print(f"skipped: {exc}")
            return 0
    else:
        from flows.pipeline import run_pipeline

        summary = run_pipeline(config_dir=a.config, db=a.db, feeds_file=a.feeds, shard=a.shard)
    _print_summary(summary, a.db)
    return 0


def _print_summary(summary: Any, db: str) -> None:
    print("Run summary")
    for line in summary.lines():
        print("  " + line)
    print(f"  database: {db}")
    if summary.feeds and not summary.reachable:
        print(
            f"\nNo feed was reachable ({summary.feeds} tried; each failure is recorded in the fetches table).\n"
            "Without internet access, try the demo: `monitor demo` (serves team-written feeds on 127.0.0.1)."
        )


def cmd_demo(a: argparse.Namespace) -> int:
    from monitor.desk.demo import demo_settings, serve_demo

    with serve_demo() as base_url:
        settings = demo_settings(a.config, base_url)
        if a.no_prefect:
            from monitor import pipeline

            summary = pipeline.run(settings, a.db)
        else:
            from flows.pipeline import run_pipeline
            from monitor.desk.demo import write_feeds_yaml

            feeds_file = write_feeds_yaml(settings.feeds, Path(a.db).parent / ".demo-feeds.yaml")
            summary = run_pipeline(config_dir=a.config, db=a.db, feeds_file=str(feeds_file))
    _print_summary(summary, a.db)
    con = store.connect(snapshot.reader_target(a.db), read_only=True)
    try:
        counts = store.table_counts(con)
    finally:
        con.close()
    print("  tables: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_query(a: argparse.Namespace) -> int:
    if a.format == "parquet":
        from monitor.desk.export import query_to_file

        if not a.out:
            raise MonitorError("--format parquet needs --out FILE")
        n = query_to_file(snapshot.reader_target(a.db), a.sql, a.out, "parquet")
        print(f"wrote {n} rows to {a.out}")
        return 0
    con = store.connect(snapshot.reader_target(a.db), read_only=True)  # the newest snapshot, never the writer's file
    try:
        cols, rows = store.run_query(con, a.sql)
        published = snapshot.age(con)
    finally:
        con.close()
    if published:
        print(published, file=sys.stderr)
    out = render(cols, rows, a.format)
    if a.out:
        Path(a.out).write_text(out + "\n", encoding="utf-8")
    else:
        print(out)
    return 0


def cmd_migrate(a: argparse.Namespace) -> int:
    with snapshot.writing(a.db, "migrate"):
        con = store.connect(a.db)
        try:
            rows = con.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").fetchall()
        finally:
            con.close()
    for v, name, at in rows:
        print(f"{v:03d} {name} applied {at:%Y-%m-%d %H:%M}")
    return 0


def cmd_check_config(a: argparse.Namespace) -> int:
    s = load_settings(a.config, feeds_file=a.feeds)
    print(f"{a.config}: ok: {len(s.feeds)} feeds, {len(s.actors)} actors, {len(s.baselines)} baselines")
    return 0


def cmd_feeds_export(a: argparse.Namespace) -> int:
    from monitor.ingest.feedlist import write_opml

    s = config.load(a.config)
    text = write_opml(s.feeds) if a.format == "opml" else "\n".join(f.url for f in s.feeds)
    if a.out:
        Path(a.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _head_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--c", type=float, default=None, help="inverse regularisation strength (default 0.25)")
    p.add_argument("--lexical-weight", type=float, default=None,
                   help="weight of the word n-gram TF-IDF features next to the embedding (default 1; 0: embedding only)")
    p.add_argument("--real-weight", type=float, default=None,
                   help="weight of a real statement against a team-written one's 0.5 (default 16)")
    p.add_argument("--frames", type=int, default=1,
                   help="copies of each statement learnt inside a reporting frame (\"[PERSON] said ...\"; default 1, 0: none)")


def cmd_train(a: argparse.Namespace) -> int:
    from monitor.desk import commands

    return commands.train(a)


def cmd_eval(a: argparse.Namespace) -> int:
    from monitor.desk import commands

    return commands.evaluate(a)


def cmd_eval_extraction(a: argparse.Namespace) -> int:
    from monitor.desk import commands

    return commands.eval_extraction(a)


def cmd_label(a: argparse.Namespace) -> int:
    with snapshot.writing(a.db, "label"):
        con = store.connect(a.db)
        try:
            store.write_label(con, a.statement_id, a.label, a.target or ("none" if a.label == "none" else "West"), a.analyst, a.note)
        finally:
            con.close()
    print(f"labelled {a.statement_id} as {a.label}")
    return 0


def cmd_rescore(a: argparse.Namespace) -> int:
    from monitor import pipeline

    settings = config.load(a.config)
    with snapshot.writing(a.db, "rescore"):
        con = store.connect(a.db)
        try:
            n, model_id = pipeline.classify(settings, con)
        finally:
            con.close()
    print(f"{n} statements scored by {model_id} (rows of earlier models are kept)")
    return 0


def cmd_replay(a: argparse.Namespace) -> int:
    from monitor.desk import commands

    return commands.replay(a)


def cmd_serve(a: argparse.Namespace) -> int:
    if a.every < 1:
        raise MonitorError(f"--every must be at least 1 minute, not {a.every}")
    load_settings(a.config, feeds_file=a.feeds)  # fail fast on a bad configuration, before serving
    from flows.serve import serve_pipeline
    from monitor.pipeline import Shard

    try:
        Shard.parse(a.shard)
    except ValueError as exc:
        raise MonitorError(f"--shard: {exc}") from None

    # runs execute in child processes: absolute paths keep them independent of the working directory
    db = str(Path(a.db).resolve()) if store.is_local_file(a.db) else a.db
    feeds = str(Path(a.feeds).resolve()) if a.feeds else None
    serve_pipeline(config_dir=str(Path(a.config).resolve()), db=db, every_minutes=a.every, feeds_file=feeds, shard=a.shard)
    return 0


def cmd_report(a: argparse.Namespace) -> int:
    from monitor.desk.report import write_report

    band = a.band if a.band is not None else config.load(a.config).shift.threshold
    data = write_report(snapshot.reader_target(a.db), a.out, since=a.since, band=band)
    n_open = len(data.open_alerts)
    print(f"wrote {a.out}: {len(data.actors)} actors, {n_open} open alerts, weeks {data.since} to {data.until}")
    return 0


def cmd_export(a: argparse.Namespace) -> int:
    from monitor.desk.export import export_views

    for path, n in export_views(snapshot.reader_target(a.db), a.out, a.format).items():
        print(f"{path}  {n} rows")
    return 0


def cmd_ack(a: argparse.Namespace) -> int:
    with snapshot.writing(a.db, "ack"):
        con = store.connect(a.db)
        try:
            store.acknowledge(con, a.alert_id)
        finally:
            con.close()
    print(f"acknowledged {a.alert_id}")
    return 0


# ---------------------------------------------------------------- parser


def _cmd(sub: Any, name: str, func: Callable[[argparse.Namespace], int], help_: str, example: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name, help=help_, description=help_, epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.set_defaults(func=func)
    return p


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=_default_db(), help="DuckDB file or connection string (env MONITOR_DB; default %(default)s)")


def _cfg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", default=_default_config(), help="configuration directory (env MONITOR_CONFIG; default %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="monitor",
        description="Track political actors' stance toward Western mediation of the Armenia-Azerbaijan conflict.",
        epilog="example:\n  monitor demo && monitor query \"select actor, target, observed from actor_vs_baseline\"",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _cmd(sub, "run", cmd_run, "Run the pipeline once (ingest, classify, compare) on the configured feeds.", "monitor run --config config --db db/monitor.duckdb")
    _cfg(p)
    _db(p)
    p.add_argument("--feeds", help="an OPML file or a text file with one feed URL a line, instead of feeds.yaml")
    p.add_argument("--no-prefect", action="store_true", help="run the stages directly, without Prefect")
    p.add_argument("--shard", default="1/1", metavar="K/N",
                   help="take the K-th of N shares of the feeds, for N workers on one DuckLake store (default: all)")

    p = _cmd(sub, "demo", cmd_demo, "Serve the bundled demo feeds on 127.0.0.1 and run the pipeline on them.", "monitor demo --db db/demo.duckdb")
    _cfg(p)
    _db(p)
    p.add_argument("--no-prefect", action="store_true", help="run the stages directly, without Prefect")

    p = _cmd(sub, "query", cmd_query, "Run one SQL query on the analyst snapshot (read-only; its age goes to stderr).", 'monitor query "select * from feed_health" --format csv')
    p.add_argument("sql")
    _db(p)
    p.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table", help="parquet needs --out")
    p.add_argument("--out", help="write to this file instead of stdout")

    p = _cmd(sub, "report", cmd_report, "Write the analyst report: one self-contained HTML file (charts, alerts, feed health).", "monitor report --db db/demo.duckdb --out report.html --since 2026-01-01")
    _cfg(p)
    _db(p)
    p.add_argument("--out", default="report.html", help="HTML file to write (default %(default)s)")
    p.add_argument("--since", type=date.fromisoformat, help="first week shown, YYYY-MM-DD (default: a year before the newest statement)")
    p.add_argument("--band", type=float, help="half-width of the baseline band (default: shift.threshold of the configuration)")

    p = _cmd(sub, "export", cmd_export, "Write the analyst views to Parquet or CSV files for other tools.", "monitor export --out exports/ --format parquet")
    _db(p)
    p.add_argument("--out", required=True, help="directory for the files (one per view)")
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")

    p = _cmd(sub, "migrate", cmd_migrate, "Create or upgrade the database schema and list applied migrations.", "monitor migrate --db db/monitor.duckdb")
    _db(p)

    p = _cmd(sub, "check-config", cmd_check_config, "Validate the configuration directory.", "monitor check-config --config config")
    _cfg(p)
    p.add_argument("--feeds", help="validate this OPML / URL list instead of feeds.yaml")

    p = _cmd(sub, "feeds", lambda a: (p.print_help(), 2)[1], "Feed list tools.", "monitor feeds export --format opml --out feeds.opml")
    fsub = p.add_subparsers(dest="feeds_command", required=True, metavar="SUBCOMMAND")
    e = _cmd(fsub, "export", cmd_feeds_export, "Write the configured feeds as OPML (or a URL list).", "monitor feeds export --format opml > feeds.opml")
    _cfg(e)
    e.add_argument("--format", choices=["opml", "urls"], default="opml")
    e.add_argument("--out")

    p = _cmd(sub, "train", cmd_train, "Train the stance head and write a versioned artefact with its model card.", "monitor train --out monitor/data/heads/stance-head.json.gz")
    _cfg(p)
    _db(p)
    p.add_argument("--data", nargs="+", help="training JSONL files (default: monitor/data/stance_train*.jsonl)")
    p.add_argument("--include-analyst-labels", action="store_true", help="add the labels table's corrections")
    p.add_argument("--out", help="head artefact path (default: the bundled head)")
    _head_options(p)
    p.add_argument("--real", help="labelled real statements to learn from and cross-validate on "
                   "(default: ../shared/real/stance_dev.jsonl or $MONITOR_REAL_DIR/stance_dev.jsonl when present)")
    p.add_argument("--no-real", action="store_true", help="team data only (cross-validated over the team statements)")

    p = _cmd(sub, "eval", cmd_eval, "Evaluate the stance classifier on a labelled JSONL file (--cv: cross-validate a head on it).",
             "monitor eval --data tests/data/stance_heldout.jsonl --json")
    _cfg(p)
    p.add_argument("--data", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--cv", action="store_true", help="grouped cross-validation over --data (real statements, folds by "
                   "source, team data in every training fold) instead of scoring the bundled head")
    p.add_argument("--folds", type=int, default=5)
    _head_options(p)

    p = _cmd(sub, "eval-extraction", cmd_eval_extraction, "Evaluate statement and speaker extraction on an annotated JSONL file.", "monitor eval-extraction --data tests/data/extraction_gold.jsonl --json")
    _cfg(p)
    p.add_argument("--data", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--errors", action="store_true",
                   help="error analysis by class (missed, wrong actor/speaker/span, spurious) for all rows and each "
                        "id half (a…, b…)")
    p.add_argument("--examples", type=int, default=0, metavar="N", help="with --errors: print N examples per class")

    p = _cmd(sub, "label", cmd_label, "Record an analyst's correction of a statement's stance.", "monitor label 3f2a9c0d1e2b4a5c against --target EU")
    p.add_argument("statement_id")
    p.add_argument("label", choices=["favor", "against", "none"])
    p.add_argument("--target", choices=["EU", "US", "France", "West", "none"])
    p.add_argument("--analyst", default=os.environ.get("USER"))
    p.add_argument("--note")
    _db(p)

    p = _cmd(sub, "rescore", cmd_rescore, "Score stored statements with the current model version (old rows kept).", "monitor rescore --db db/monitor.duckdb")
    _cfg(p)
    _db(p)

    p = _cmd(sub, "replay", cmd_replay, "Classify dated statements from a JSONL file and run shift detection in date order.", "monitor replay --statements tests/data/replay_scenario.jsonl --json")
    p.add_argument("--statements", required=True)
    _cfg(p)
    p.add_argument("--db", default=None, help="also store the replayed statements and alerts in this database")
    p.add_argument("--json", action="store_true")

    p = _cmd(sub, "serve", cmd_serve, "Run the pipeline on a schedule (Prefect serve) until interrupted.", "monitor serve --every 5")
    _cfg(p)
    _db(p)
    p.add_argument("--every", type=int, default=5,
                   help="minutes between runs (default %(default)s); divisors of 60 run on the clock (cron */N)")
    p.add_argument("--feeds", help="an OPML, URL-list or feeds.yaml file instead of the configuration's feeds.yaml")
    p.add_argument("--shard", default="1/1", metavar="K/N", help="as for run: this worker's share of the feeds")

    p = _cmd(sub, "ack", cmd_ack, "Acknowledge an open alert.", "monitor ack 5d41402abc4b2a76")
    p.add_argument("alert_id")
    _db(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    a = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("monitor").setLevel(logging.DEBUG if a.verbose else logging.INFO)
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "monitor")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")  # library logs outside a flow stay local
    progress.enable()  # bars only appear on a terminal
    try:
        return int(a.func(a))
    except MonitorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
