"""Alert delivery: log, JSON-lines file, webhooks (httpx), e-mail (SMTP) and anything apprise speaks.

Delivery is at-least-once and never loses an alert: every (alert, event, channel) is an
``alert_deliveries`` row that starts ``pending`` and only turns ``sent`` after the channel
accepted it. A failing channel leaves the row pending with its error; the next run retries it.

Channels (``settings.yaml`` ``alerts:``): ``log`` and ``jsonl`` are always on; ``webhooks``
(JSON POST, retried within the run on 429/5xx/network errors), ``email_to`` (one SMTP
message to all recipients; ``smtp_*`` settings, the password read from the environment
variable named by ``smtp_password_env``) and ``apprise`` URLs (``mailto://``, chat services).

Daily digest (``digest: true``): the webhook, e-mail and apprise channels stop sending one
message per event. Their pending events wait until the first delivery run at or after
``digest_hour`` (UTC) and then go out together as one digest message per channel; once a
channel's digest for the day has been sent, events queued later wait for the next day.
A digest that fails stays pending as a whole and is retried on the next run the same day.
The log and the JSON-lines file stay immediate: they are the local record.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import httpx

from monitor import store
from monitor.config import AlertSettings

log = logging.getLogger(__name__)

USER_AGENT = "stance-monitor/0.1 alerts"
PUSH_CHANNELS = ("webhook:", "email:", "apprise:")  # the channels a digest batches


class DeliveryError(RuntimeError):
    """A channel did not accept a message; the delivery stays pending."""


def channels(settings: AlertSettings) -> list[str]:
    """Channel names for the configured outputs; the log and the JSONL file are always on."""
    names = ["log", "jsonl"]
    names += [f"webhook:{u}" for u in settings.webhooks]
    if settings.email_to:
        names.append("email:" + ",".join(settings.email_to))
    names += [f"apprise:{u}" for u in settings.apprise]
    return names


def _default(o: object) -> str:
    if isinstance(o, datetime | date):
        return o.isoformat()
    return str(o)


def payload(alert: dict[str, Any], event: str) -> dict[str, Any]:
    """The JSON document every channel receives: the alert, its event and its evidence."""
    doc = {"event": event, **{k: v for k, v in alert.items() if k != "evidence"}, "evidence": alert.get("evidence", [])}
    result: dict[str, Any] = json.loads(json.dumps(doc, default=_default))
    return result


def summary_line(doc: dict[str, Any]) -> str:
    """One line an analyst can read in a log, a chat message or an e-mail subject list."""
    return (
        f"[{doc['event']}] {doc['actor']} x {doc['target']} {doc['direction']}: observed {doc['observed']:+.2f} vs baseline "
        f"{doc['baseline']:+.2f} ({doc['baseline_kind']}), {doc['n_statements']} statements from {doc['n_sources']} sources, "
        f"since {doc['window_start']} (alert {doc['id']}, model {doc['model_id']})"
    )


def text_body(docs: list[dict[str, Any]]) -> str:
    """Plain-text message for one or more alert documents, with their evidence."""
    parts = []
    for doc in docs:
        lines = [summary_line(doc), "Evidence:"]
        for e in doc.get("evidence", []):
            when = (e.get("published") or "")[:10]
            lines.append(f"  - {when} {e.get('speaker') or '?'} ({e.get('feed_id')}): {e.get('text')}")
            if e.get("url"):
                lines.append(f"    {e['url']}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def digest_document(docs: list[dict[str, Any]], day: date) -> dict[str, Any]:
    """What a digest channel receives: the day and every event document it batches."""
    return {"event": "digest", "day": day.isoformat(), "count": len(docs), "alerts": docs}


def _subject(doc: dict[str, Any]) -> str:
    if doc["event"] == "digest":
        return f"Stance monitor digest {doc['day']}: {doc['count']} alert event(s)"
    return f"Stance shift {doc['event']}: {doc['actor']} x {doc['target']} {doc['direction']}"


def _post_webhook(url: str, doc: dict[str, Any], *, timeout: float, retries: int) -> None:
    last: Exception | None = None
    for attempt in range(retries + 1):
        try:
            r = httpx.post(url, json=doc, timeout=timeout, headers={"User-Agent": USER_AGENT})
            if r.status_code < 400:
                return
            last = DeliveryError(f"webhook answered HTTP {r.status_code}")
            if r.status_code < 500 and r.status_code != 429:
                break
        except httpx.HTTPError as exc:
            last = exc
        if attempt < retries:
            time.sleep(min(2.0, 0.25 * 2**attempt))
    raise DeliveryError(f"{url}: {last}")


def send_email(settings: AlertSettings, doc: dict[str, Any]) -> None:
    """One SMTP message to every ``email_to`` address: text body plus the JSON document attached."""
    docs = doc["alerts"] if doc["event"] == "digest" else [doc]
    msg = EmailMessage()
    msg["From"] = settings.email_from
    msg["To"] = ", ".join(settings.email_to)
    msg["Subject"] = _subject(doc)
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=settings.email_from.rpartition("@")[2] or "stance-monitor")
    msg.set_content(text_body(docs))
    msg.add_attachment(json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"), maintype="application",
                       subtype="json", filename="alert.json" if doc["event"] != "digest" else f"digest-{doc['day']}.json")
    password = None
    if settings.smtp_user:
        password = os.environ.get(settings.smtp_password_env or "")
        if password is None:
            raise DeliveryError(f"SMTP password variable {settings.smtp_password_env!r} is not set")
    try:
        # local_hostname avoids a reverse DNS lookup of this machine for EHLO
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout,
                          local_hostname="stance-monitor") as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user and password is not None:
                smtp.login(settings.smtp_user, password)
            smtp.send_message(msg)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc


def send(channel: str, doc: dict[str, Any], *, jsonl_path: Path, settings: AlertSettings | None = None,
         timeout: float = 10.0, retries: int = 2) -> None:
    """Deliver one document (an event or a digest) to one channel; raises on failure."""
    settings = settings or AlertSettings()
    if channel == "log":
        log.warning("ALERT %s", summary_line(doc))
    elif channel == "jsonl":
        jsonl_path.parent.mkdir(parents=True, exist_ok=True)
        with jsonl_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    elif channel.startswith("webhook:"):
        _post_webhook(channel.removeprefix("webhook:"), doc, timeout=timeout, retries=retries)
    elif channel.startswith("email:"):
        send_email(settings, doc)
    elif channel.startswith("apprise:"):
        import apprise

        ap = apprise.Apprise()
        if not ap.add(channel.removeprefix("apprise:")):
            raise DeliveryError("apprise does not understand this URL")
        docs = doc["alerts"] if doc["event"] == "digest" else [doc]
        if not ap.notify(title=_subject(doc), body=text_body(docs)):
            raise DeliveryError("apprise could not deliver the notification")
    else:
        raise DeliveryError(f"unknown channel {channel!r}")


def digest_cutoff(now: datetime, hour: int) -> datetime:
    """Today's digest time (UTC) for a run at ``now``."""
    return now.astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)


def digest_due(now: datetime, last_sent: datetime | None, hour: int) -> bool:
    """A channel's digest is due once ``hour`` has passed today and nothing was sent to it since."""
    cutoff = digest_cutoff(now, hour)
    return now >= cutoff and (last_sent is None or last_sent < cutoff)


def _redact(channel: str) -> str:
    return channel.split(":")[0]


def deliver_pending(con: store.Connection, settings: AlertSettings, *, jsonl_path: Path,
                    now: datetime | None = None) -> tuple[int, int]:
    """Try every pending delivery once (digest channels only when due). Returns (sent, still pending).

    Counts are deliveries (alert events), so a digest of three events that goes out counts three.
    """
    now = now or datetime.now(UTC)
    sent = failed = 0
    batches: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for alert_id, event, channel, _attempts in store.pending_deliveries(con):
        if settings.digest and channel.startswith(PUSH_CHANNELS):
            batches[channel].append((alert_id, event))
            continue
        doc = payload(store.alert_with_evidence(con, alert_id), event)
        try:
            send(channel, doc, jsonl_path=jsonl_path, settings=settings)
        except Exception as exc:  # a channel failure is data: the row stays pending
            log.error("alert %s not delivered to %s: %s", alert_id, _redact(channel), exc)
            store.mark_delivery(con, alert_id, event, channel, str(exc)[:500])
            failed += 1
        else:
            store.mark_delivery(con, alert_id, event, channel, None)
            sent += 1
    for channel, events in batches.items():
        if not digest_due(now, store.last_sent(con, channel), settings.digest_hour):
            failed += len(events)
            continue
        docs = [payload(store.alert_with_evidence(con, alert_id), event) for alert_id, event in events]
        try:
            send(channel, digest_document(docs, now.astimezone(UTC).date()), jsonl_path=jsonl_path, settings=settings)
        except Exception as exc:  # the whole digest stays pending and is retried next run
            log.error("digest of %d events not delivered to %s: %s", len(events), _redact(channel), exc)
            for alert_id, event in events:
                store.mark_delivery(con, alert_id, event, channel, str(exc)[:500])
            failed += len(events)
        else:
            for alert_id, event in events:
                store.mark_delivery(con, alert_id, event, channel, None)
            sent += len(events)
    return sent, failed
