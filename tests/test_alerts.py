"""Alert storage and delivery: a failing channel (webhook, e-mail) never loses an alert; the daily digest."""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor import store
from monitor.config import AlertSettings
from monitor.records import FetchResult, Item, Relevance, Statement
from monitor.shifts import alerts
from monitor.shifts.baseline import Alert


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


# ---------------------------------------------------------------- e-mail and the daily digest


class SmtpSink:
    """A minimal SMTP server on 127.0.0.1 that stores messages, or refuses them (451) while ``fail``."""

    def __init__(self) -> None:
        self.fail = False
        self.messages: list[email.message.Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode("ascii") + b"\r\n")

            def handle(self) -> None:
                self.reply("220 sink ready")
                sender, rcpts = "", []
                while line := self.rfile.readline():
                    cmd = line.decode("ascii", "replace").strip()
                    verb = cmd[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
                    elif verb == "MAIL":
                        if outer.fail:
                            self.reply("451 4.3.0 try again later")
                            continue
                        sender, rcpts = cmd.split(":", 1)[1].strip(" <>"), []
                        self.reply("250 ok")
                    elif verb == "RCPT":
                        rcpts.append(cmd.split(":", 1)[1].strip(" <>"))
                        self.reply("250 ok")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        outer.messages.append(email.message_from_bytes(data, policy=email.policy.default))
                        outer.envelopes.append((sender, rcpts))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:  # RSET, NOOP
                        self.reply("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    t = threading.Thread(target=sink.server.serve_forever, daemon=True)
    t.start()
    yield sink
    sink.server.shutdown()
    sink.server.server_close()


def _mail_settings(sink: SmtpSink, **extra: object) -> AlertSettings:
    return AlertSettings(email_to=["analyst@example.test", "desk@example.test"], email_from="monitor@example.test",
                         smtp_host="127.0.0.1", smtp_port=sink.port, **extra)  # type: ignore[arg-type]


def test_email_carries_the_alert_and_its_evidence(tmp_path: Path, smtp: SmtpSink) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    a = _alert(_seed(con))
    settings = _mail_settings(smtp)
    assert "email:analyst@example.test,desk@example.test" in alerts.channels(settings)
    store.upsert_alerts(con, [a.as_row()], [(a.id, "opened", ch) for ch in alerts.channels(settings)])
    assert alerts.deliver_pending(con, settings, jsonl_path=tmp_path / "a.jsonl") == (3, 0)
    assert smtp.envelopes == [("monitor@example.test", ["analyst@example.test", "desk@example.test"])]
    msg = smtp.messages[0]
    assert msg["Subject"] == "Stance shift opened: AZ x US toward_favor"
    body = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "observed +0.80 vs baseline -0.50" in body and "Hikmet Hajiyev" in body and "http://example.test/0" in body
    attached = next(p for p in msg.iter_attachments() if p.get_filename() == "alert.json")
    assert json.loads(attached.get_content())["id"] == a.id


def test_email_failure_keeps_alert_pending_then_delivers(tmp_path: Path, smtp: SmtpSink) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    a = _alert(_seed(con))
    settings = _mail_settings(smtp)
    store.upsert_alerts(con, [a.as_row()], [(a.id, "opened", ch) for ch in alerts.channels(settings)])
    smtp.fail = True
    assert alerts.deliver_pending(con, settings, jsonl_path=tmp_path / "a.jsonl") == (2, 1)
    status, error = con.execute("SELECT status, last_error FROM alert_deliveries WHERE channel LIKE 'email:%'").fetchone()  # type: ignore[misc]
    assert status == "pending" and "451" in error and smtp.messages == []
    smtp.fail = False
    assert alerts.deliver_pending(con, settings, jsonl_path=tmp_path / "a.jsonl") == (1, 0)
    assert len(smtp.messages) == 1
    # an unreachable server is a failure like any other: the row stays pending
    smtp.server.shutdown()
    smtp.server.server_close()
    b = replace(a, direction="toward_against")
    store.upsert_alerts(con, [b.as_row()], [(b.id, "opened", ch) for ch in alerts.channels(settings)])
    assert alerts.deliver_pending(con, settings, jsonl_path=tmp_path / "a.jsonl") == (2, 1)


def test_digest_due_once_a_day_after_the_digest_hour() -> None:
    day = datetime(2026, 5, 4, tzinfo=UTC)
    assert not alerts.digest_due(day.replace(hour=7, minute=59), None, 8)
    assert alerts.digest_due(day.replace(hour=8), None, 8)
    assert alerts.digest_due(day.replace(hour=9), day.replace(day=3, hour=8, minute=5), 8)  # yesterday's digest
    assert not alerts.digest_due(day.replace(hour=15), day.replace(hour=8, minute=5), 8)  # today's already went out
    assert alerts.digest_due(day.replace(day=5, hour=8, minute=1), day.replace(hour=8, minute=5), 8)


def test_digest_batches_events_into_one_message_per_channel_per_day(tmp_path: Path, smtp: SmtpSink,
                                                                     receiver: Receiver) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    ids = _seed(con)
    settings = _mail_settings(smtp, webhooks=[receiver.url], digest=True, digest_hour=0)
    chans = alerts.channels(settings)
    first = [_alert(ids), replace(_alert(ids), actor="RU", direction="toward_against")]
    store.upsert_alerts(con, [a.as_row() for a in first], [(a.id, "opened", ch) for a in first for ch in chans])
    jsonl = tmp_path / "a.jsonl"

    # the webhook fails: log and jsonl are immediate, the e-mail digest goes out, the webhook digest stays pending
    assert alerts.deliver_pending(con, settings, jsonl_path=jsonl) == (6, 2)
    assert len(smtp.messages) == 1 and smtp.messages[0]["Subject"].endswith(": 2 alert event(s)")
    assert receiver.received == []
    receiver.fail = False
    assert alerts.deliver_pending(con, settings, jsonl_path=jsonl) == (2, 0)  # the failed digest is retried, once
    assert [len(d["alerts"]) for d in receiver.received] == [2]  # type: ignore[arg-type]
    assert receiver.received[0]["event"] == "digest"

    # a later alert the same day waits for tomorrow's digest; it is still logged at once
    late = replace(_alert(ids), actor="TR")
    store.upsert_alerts(con, [late.as_row()], [(late.id, "opened", ch) for ch in chans])
    assert alerts.deliver_pending(con, settings, jsonl_path=jsonl) == (2, 2)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert alerts.deliver_pending(con, settings, jsonl_path=jsonl, now=tomorrow) == (2, 0)
    assert len(smtp.messages) == 2 and len(receiver.received) == 2
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 3  # one line per event, never batched


def test_alerts_the_current_detector_no_longer_raises_are_withdrawn(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """An alert left open by an earlier detector (here a CUSUM alert, with no stances behind it for
    the current model) is withdrawn by the next comparison, with a ``withdrawn`` event on every
    channel; a resolved alert is history and stays as it is."""
    from monitor import pipeline

    con = store.connect(tmp_path / "m.duckdb")
    ids = _seed(con)
    stale, old = _alert(ids), replace(_alert(ids), direction="toward_against", status="resolved", resolved_on=date(2026, 8, 5))
    store.upsert_alerts(con, [stale.as_row(), old.as_row()], [])
    store.acknowledge(con, stale.id)

    new, open_, _sent, _pending = pipeline.compare(settings, con, "m2", jsonl=tmp_path / "alerts.jsonl")
    assert (new, open_) == (0, 0)
    status = dict(con.execute("SELECT id, status FROM alerts").fetchall())
    assert status == {stale.id: "withdrawn", old.id: "resolved"}
    events = con.execute("SELECT DISTINCT alert_id, event FROM alert_deliveries").fetchall()
    assert events == [(stale.id, "withdrawn")]
    line = json.loads((tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert (line["event"], line["status"]) == ("withdrawn", "withdrawn")
    # idempotent: nothing more to withdraw or deliver on the next pass
    assert store.withdraw_alerts(con, [], alerts.channels(settings.alerts)) == []
