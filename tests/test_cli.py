"""The CLI's contract: `monitor run` through Prefect with no reachable feed, help texts, errors."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
import yaml

from monitor import store
from monitor.desk import cli
from tests.conftest import CONFIG


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config_with_feeds(tmp_path: Path, feeds: list[dict[str, object]]) -> Path:
    cfg = tmp_path / "config"
    cfg.mkdir()
    for name in ("actors.yaml", "baselines.yaml"):
        shutil.copy(CONFIG / name, cfg / name)
    (cfg / "feeds.yaml").write_text(yaml.safe_dump({"feeds": feeds}), encoding="utf-8")
    return cfg


def test_run_with_no_reachable_feed_exits_0_and_records_each_failure(
    tmp_path: Path, prefect_home: Path, no_network: None, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _closed_port()
    cfg = _config_with_feeds(tmp_path, [
        {"id": "gone-a", "url": f"http://127.0.0.1:{port}/a.xml"},
        {"id": "gone-b", "url": f"http://127.0.0.1:{port}/b.xml", "kind": "government", "actor": "AZ"},
        {"id": "offline", "url": "https://www.example.org/feed.xml"},  # DNS refused by the guard
    ])
    db = tmp_path / "m.duckdb"
    assert cli.main(["run", "--config", str(cfg), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "No feed was reachable (3 tried" in out
    assert "monitor demo" in out
    con = store.connect(db, read_only=True)
    try:
        rows = con.execute("SELECT feed_id, state, error_class, error FROM fetches ORDER BY feed_id").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == ["gone-a", "gone-b", "offline"]
    assert all(r[1] == "failed" and r[2] and r[3] for r in rows), rows


def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        with pytest.raises(SystemExit) as exc:
            cli.main([name, "--help"])
        assert exc.value.code == 0
        assert "example:" in capsys.readouterr().out.lower(), name


def test_errors_are_one_line_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "config"
    bad.mkdir()
    assert cli.main(["check-config", "--config", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Error: ") and "\n" not in err


def test_query_is_read_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "m.duckdb"
    assert cli.main(["migrate", "--db", str(db)]) == 0  # creates the database and publishes its snapshot
    assert cli.main(["query", "delete from actors", "--db", str(db)]) == 1
    assert "read-only" in capsys.readouterr().err


def test_run_against_misbehaving_server_prints_per_state_counts_and_reruns_clean(
    tmp_path: Path, http_server, no_network: None, capsys: pytest.CaptureFixture[str]  # type: ignore[no-untyped-def]
) -> None:
    url = http_server.url
    cfg = _config_with_feeds(tmp_path, [
        {"id": "kremlin", "url": url("/feeds/kremlin-atom.xml"), "kind": "government", "actor": "RU", "full_text": "never"},
        {"id": "arminfo", "url": url("/feeds/arminfo-rss.xml"), "full_text": "never"},
        {"id": "broken", "url": url("/feeds/illformed-broken-rss.xml"), "full_text": "never"},
        {"id": "landing", "url": url("/html")},
        {"id": "gone", "url": url("/status/404")},
        {"id": "wall", "url": url("/botwall?status=403&key=cli-run")},
    ])
    (cfg / "settings.yaml").write_text("http: {retries: 0, read_timeout: 5}\n", encoding="utf-8")
    db = tmp_path / "m.duckdb"
    assert cli.main(["run", "--no-prefect", "--config", str(cfg), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    feeds_line = next(line for line in out.splitlines() if line.strip().startswith("feeds:"))
    for state in ("ok 2", "not_a_feed 1", "failed 1", "blocked 1"):
        assert state in feeds_line, feeds_line
    con = store.connect(db, read_only=True)
    try:
        states = dict(con.execute("SELECT feed_id, state FROM fetches").fetchall())
        items = con.execute("SELECT count(*) FROM items").fetchone()[0]
    finally:
        con.close()
    assert states["kremlin"] == "ok" and states["arminfo"] == "ok" and states["gone"] == "failed"
    assert items > 0

    assert cli.main(["run", "--no-prefect", "--config", str(cfg), "--db", str(db)]) == 0
    assert "items: 0 new" in capsys.readouterr().out
    con = store.connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM items").fetchone()[0] == items
    finally:
        con.close()
