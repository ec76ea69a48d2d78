"""Alert delivery: log, JSON-lines file, webhooks (httpx) and anything apprise speaks.

Delivery is at-least-once and never loses an alert: every (alert, event, channel) is a
``alert_deliveries`` row that starts ``pending`` and only turns ``sent`` after the channel
accepted it. A failing channel leaves the row pending; the next run retries it.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from monitor import store
from monitor.config import AlertSettings

log = logging.getLogger(__name__)


def channels(settings: AlertSettings) -> list[str]:
    """Channel names for the configured outputs; the log and the JSONL file are always on."""
    names = ["log", "jsonl"]
    names += [f"webhook:{u}" for u in settings.webhooks]
    names += [f"apprise:{u}" for u in settings.apprise]
    return names


def _default(o: object) -> str:
    if isinstance(o, datetime | date):
        return o.isoformat()
    return str(o)


def payload(alert: dict[str, Any], event: str) -> dict[str, Any]:
    """The JSON document every channel receives: the alert, its event and its evidence."""
    doc = {"event": event, **{k: v for k, v in alert.items() if k != "evidence"}, "evidence": alert.get("evidence", [])}
    return json.loads(json.dumps(doc, default=_default))


def summary_line(doc: dict[str, Any]) -> str:
    return (
        f"[{doc['event']}] {doc['actor']} x {doc['target']} {doc['direction']}: observed {doc['observed']:+.2f} vs baseline "
        f"{doc['baseline']:+.2f} ({doc['baseline_kind']}), {doc['n_statements']} statements from {doc['n_sources']} sources, "
        f"since {doc['window_start']} (alert {doc['id']}, model {doc['model_id']})"
    )


def send(channel: str, doc: dict[str, Any], *, jsonl_path: Path, timeout: float = 10.0, retries: int = 2) -> None:
    """Deliver one document to one channel; raises on failure."""
    if channel == "log":
        log.warning("ALERT %s", summary_line(doc))
    elif channel == "jsonl":
        jsonl_path.parent.mkdir(parents=True, exist_ok=True)
        with jsonl_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    elif channel.startswith("webhook:"):
        url = channel.removeprefix("webhook:")
        last: Exception | None = None
        for attempt in range(retries + 1):
            try:
                r = httpx.post(url, json=doc, timeout=timeout, headers={"User-Agent": "stance-monitor/0.1 alerts"})
                if r.status_code < 400:
                    return
                last = RuntimeError(f"webhook answered HTTP {r.status_code}")
                if r.status_code < 500 and r.status_code != 429:
                    break
            except httpx.HTTPError as exc:
                last = exc
            time.sleep(min(2.0, 0.25 * 2**attempt))
        raise RuntimeError(f"{url}: {last}")
    elif channel.startswith("apprise:"):
        import apprise

        ap = apprise.Apprise()
        if not ap.add(channel.removeprefix("apprise:")):
            raise RuntimeError("apprise does not understand this URL")
        if not ap.notify(title=f"Stance shift: {doc['actor']} x {doc['target']}", body=summary_line(doc)):
            raise RuntimeError("apprise could not deliver the notification")
    else:
        raise RuntimeError(f"unknown channel {channel!r}")


def deliver_pending(con: store.Connection, settings: AlertSettings, *, jsonl_path: Path) -> tuple[int, int]:
    """Try every pending delivery once. Returns (sent, still pending)."""
    sent = failed = 0
    pending = store.pending_deliveries(con)
    for alert_id, event, channel, _attempts in pending:
        doc = payload(store.alert_with_evidence(con, alert_id), event)
        try:
            send(channel, doc, jsonl_path=jsonl_path)
        except Exception as exc:  # a channel failure is data: the row stays pending
            log.error("alert %s not delivered to %s: %s", alert_id, channel.split(":")[0], exc)
            store.mark_delivery(con, alert_id, event, channel, str(exc)[:500])
            failed += 1
        else:
            store.mark_delivery(con, alert_id, event, channel, None)
            sent += 1
    return sent, failed
