"""Alert storage and delivery: a failing channel never loses an alert."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor import alerts, store
from monitor.baseline import Alert
from monitor.config import AlertSettings
from monitor.records import FetchResult, Item, Relevance, Statement


class Receiver:
    """A webhook endpoint on 127.0.0.1 that fails with 500 until told to accept."""

    def __init__(self) -> None:
        self.fail = True
        self.received: list[dict[str, object]] = []
        self.attempts = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.attempts += 1
                if outer.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                outer.received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    t = threading.Thread(target=r.server.serve_forever, daemon=True)
    t.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


def _seed(con: store.Connection) -> list[str]:
    now = datetime.now(UTC)
    items = [Item("f1", f"g{i}", f"http://example.test/{i}", "t", datetime(2026, 8, i + 1, tzinfo=UTC), f"Text number {i}.") for i in range(3)]
    store.record_fetch(con, FetchResult("f1", "http://example.test/feed", now, now, "ok"), items)
    stmts = [Statement(it.key(), it.summary, 0, len(it.summary), "Hikmet Hajiyev", "AZ", "direct", "test") for it in items]
    store.write_statements(con, [it.key() for it in items], [(s, Relevance(s.key(), True, 1.0, "t")) for s in stmts])
    return [s.key() for s in stmts]


def _alert(ids: list[str]) -> Alert:
    return Alert("AZ", "US", "toward_favor", date(2026, 8, 3), date(2026, 8, 1), date(2026, 8, 3), -0.5, "article", 0.8, 0.6, 0.9,
                 3, 2, 2.4, "cusum", tuple(ids), model_id="m1")


def test_webhook_500_keeps_alert_pending_then_delivers(tmp_path: Path, receiver: Receiver) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    ids = _seed(con)
    a = _alert(ids)
    settings = AlertSettings(webhooks=[receiver.url])
    chans = alerts.channels(settings)
    store.upsert_alerts(con, [a.as_row()], [(a.id, "opened", ch) for ch in chans])

    sent, pending = alerts.deliver_pending(con, settings, jsonl_path=tmp_path / "alerts.jsonl")
    assert (sent, pending) == (2, 1)  # log + jsonl delivered, webhook pending
    rows = con.execute("SELECT channel, status, attempts, last_error FROM alert_deliveries ORDER BY channel").fetchall()
    assert [(r[0].split(":")[0], r[1]) for r in rows] == [("jsonl", "sent"), ("log", "sent"), ("webhook", "pending")]
    assert "500" in rows[2][3]
    assert receiver.attempts == 3  # the webhook call itself retried before giving up this run

    receiver.fail = False
    sent, pending = alerts.deliver_pending(con, settings, jsonl_path=tmp_path / "alerts.jsonl")
    assert (sent, pending) == (1, 0)
    assert len(receiver.received) == 1
    doc = receiver.received[0]
    assert doc["id"] == a.id and doc["event"] == "opened" and doc["actor"] == "AZ"
    assert [e["statement_id"] for e in doc["evidence"]] == ids  # type: ignore[index]
    assert doc["evidence"][0]["url"] == "http://example.test/0"  # type: ignore[index]
    # nothing is delivered twice
    assert alerts.deliver_pending(con, settings, jsonl_path=tmp_path / "alerts.jsonl") == (0, 0)
    lines = (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["model_id"] == "m1"


def test_upsert_keeps_acknowledged_status_and_one_row(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    a = _alert(_seed(con))
    store.upsert_alerts(con, [a.as_row()], [])
    store.acknowledge(con, a.id)
    store.upsert_alerts(con, [a.as_row()], [])
    assert con.execute("SELECT count(*), any_value(status) FROM alerts").fetchone() == (1, "acknowledged")
