"""The HTML report: built from a database filled through the store's own writers, no model.

``populated_db`` is shared with the browser test: three actors speaking for twelve weeks,
Azerbaijan turning toward the EU with an open alert whose evidence holds feed markup
(a ``<script>``) and a ``javascript:`` link, which must reach the page as inert text.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest

from monitor import config, snapshot, store
from monitor.desk import report
from monitor.desk.cli import main
from monitor.records import FetchResult, Item, Relevance, Stance, Statement

CONFIG = Path(__file__).resolve().parent.parent / "config"
MODEL_ID = "test-encoder+head-1"
XSS_TEXT = "Baku said <script>window.__xss=1;document.title='pwned';alert('x')</script> the EU monitors must leave."
START = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
WEEKS = 12
# (actor, target, speaker, score before the turn, score after it): AZ turns toward the EU in week 8
SPEAKERS = [
    ("AZ", "EU", "Hikmet Hajiyev", -0.7, 0.6),
    ("RU", "West", "Maria Zakharova", -0.8, -0.8),
    ("AM", "EU", "Ararat Mirzoyan", 0.7, 0.7),
]


@pytest.fixture(autouse=True)
def _no_leaked_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main sets PREFECT_LOGGING_EXTRA_LOGGERS for the process; undo it after each test so that
    later Prefect tests do not attach the API log handler to the monitor loggers."""
    monkeypatch.setenv("PREFECT_LOGGING_EXTRA_LOGGERS", os.environ.get("PREFECT_LOGGING_EXTRA_LOGGERS", "monitor"))


BASIS = "On mediation, he said <i>the EU</i> mission was welcome."


def _stance(statement_id: str, target: str, score: float, basis: str | None = None) -> Stance:
    p_favor, p_against = (0.9 + score) / 2, (0.9 - score) / 2
    label = "favor" if score > 0 else "against"
    return Stance(statement_id, MODEL_ID, label, target, p_favor, p_against, 0.1, basis=basis)  # type: ignore[arg-type]


def populated_db(path: Path) -> Path:
    """Fill a database at ``path`` through the store's writers; returns the path."""
    settings = config.load(CONFIG)
    feeds = [f.id for f in settings.feeds[:3]]
    con = store.connect(path)
    try:
        store.sync_config(con, settings)
        store.register_model(con, {"model_id": MODEL_ID, "encoder": "bundled", "encoder_sha256": "e" * 64,
                                   "head_sha256": "h" * 64, "trained_at": START - timedelta(days=30)})
        statements: list[tuple[Statement, Relevance]] = []
        stances: list[Stance] = []
        evidence: list[str] = []
        for week in range(WEEKS):
            for k, feed in enumerate(feeds):
                when = START + timedelta(days=7 * week + k)
                items = []
                for n, (actor, target, speaker, before, after) in enumerate(SPEAKERS):
                    text = f"{speaker} spoke on week {week} in {feed} about mediation by the {target}."
                    if actor == "AZ" and week == WEEKS - 1 and k == 0:
                        text = XSS_TEXT
                    url = f"https://news.example/{feed}/{week}/{n}"
                    if actor == "AZ" and week == WEEKS - 2 and k == 1:
                        url = "javascript:alert('link')"
                    item = Item(feed, f"{feed}-{week}-{n}", url, f"Report {week}", when, text)
                    items.append(item)
                    st = Statement(item.key(), text, 0, len(text), speaker, actor, "direct", "test")
                    statements.append((st, Relevance(st.key(), True, 0.9, "test")))
                    score = (after if week >= 8 else before) + 0.05 * (k - 1)
                    read_from = BASIS if actor == "AZ" and week == WEEKS - 1 and k == 1 else None
                    stances.append(_stance(st.key(), target, score, read_from))
                    if actor == "AZ" and week >= 8:
                        evidence.append(st.key())
                store.record_fetch(con, FetchResult(feed, f"https://news.example/{feed}", when, when, "ok", status=200), items)
        store.write_statements(con, [s.item_id for s, _ in statements], statements)
        store.write_stances(con, stances)
        opened = (START + timedelta(weeks=9)).date()
        store.upsert_alerts(con, [{
            "id": "alert-az-eu", "actor": "AZ", "target": "EU", "direction": "toward_favor", "status": "open",
            "opened_on": opened, "window_start": (START + timedelta(weeks=8)).date(),
            "window_end": (START + timedelta(weeks=WEEKS)).date(), "baseline": -0.7, "baseline_kind": "article",
            "observed": 0.6, "ci_low": 0.5, "ci_high": 0.7, "n_statements": len(evidence), "n_sources": 3,
            "statistic": 2.5, "method": "cusum", "severity": "high", "model_id": MODEL_ID, "evidence_ids": evidence,
            "resolved_on": None,
        }], [])
    finally:
        con.close()
    snapshot.publish(path, "generate")  # what `monitor report` reads
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return populated_db(tmp_path_factory.mktemp("report") / "m.duckdb")


@pytest.fixture(scope="module")
def page(db: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("out") / "report.html"
    report.write_report(db, out, band=0.5)
    return out.read_text(encoding="utf-8")


def _charts(html: str) -> dict[str, lxml.html.HtmlElement]:
    doc = lxml.html.fromstring(html)
    return {fig.get("data-actor"): fig for fig in doc.xpath("//figure[@class='chart']")}


def test_one_chart_per_actor_with_series_band_and_alert(page: str) -> None:
    charts = _charts(page)
    with_baselines = {b.actor for b in config.load(CONFIG).baselines}
    assert set(charts) == with_baselines | {a for a, *_ in SPEAKERS}
    for actor, target, *_ in SPEAKERS:
        fig = charts[actor]
        circles = fig.xpath(f".//g[@class='series'][@data-target='{target}']/circle")
        assert len(circles) == WEEKS, actor
        assert fig.xpath(".//g[@class='band']/rect"), actor
    assert len(charts["AZ"].xpath(".//g[@class='alert-mark']")) == 1
    assert not charts["RU"].xpath(".//g[@class='alert-mark']")
    # AZ's last weeks sit above its EU band, its first weeks inside it (SVG y grows downward)
    band = next(g for g in charts["AZ"].xpath(".//g[@class='band']") if "EU" in g.text_content())
    top = float(band.xpath("rect")[0].get("y"))
    ys = [float(c.get("cy")) for c in charts["AZ"].xpath(".//g[@class='series'][@data-target='EU']/circle")]
    assert all(y > top for y in ys[:8]) and all(y < top for y in ys[8:])


def test_open_alert_lists_its_evidence_with_links(page: str) -> None:
    doc = lxml.html.fromstring(page)
    alert = doc.get_element_by_id("alert-alert-az-eu")
    items = alert.xpath(".//li[@class='evidence']")
    assert len(items) == 4 * 3
    assert "Hikmet Hajiyev" in items[1].text_content()
    hrefs = [a.get("href") for a in alert.xpath(".//a")]
    assert len(hrefs) == len(items) - 1 and all(h.startswith("https://news.example/") for h in hrefs)
    assert "javascript:" not in "".join(hrefs)
    # each evidence statement shows the label and score the alert averaged, and where it was read from
    assert all(re.search(r"· favor \+0\.\d\d", li.text_content()) for li in items)
    basis = alert.xpath(".//span[@class='meta basis']")
    assert [b.text_content() for b in basis] == [f"stance read from: {BASIS}"]  # escaped: no <i> element
    assert alert.xpath(".//i") == []


def test_feed_text_is_escaped_and_the_page_has_no_script(page: str) -> None:
    assert "<script" not in page
    assert "&lt;script&gt;window.__xss=1;document.title=&#39;pwned&#39;;alert(&#39;x&#39;)&lt;/script&gt;" in page
    doc = lxml.html.fromstring(page)
    assert doc.xpath("//script") == []
    assert not any(a.get("href", "").lower().startswith("javascript") for a in doc.xpath("//a"))
    assert XSS_TEXT in doc.text_content()
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")[0].get("content")
    assert "default-src 'none'" in csp


def test_model_freshness_and_feed_health(page: str, db: Path) -> None:
    doc = lxml.html.fromstring(page)
    assert doc.get_element_by_id("model-id").text_content() == MODEL_ID
    assert "newest statement 2026-05-2" in doc.text_content()
    n_sources = len(config.load(CONFIG).feeds)
    assert len(doc.get_element_by_id("feed-health").xpath(".//tr")) == n_sources + 1
    vs = doc.get_element_by_id("vs-baseline").text_content()
    assert "AZ" in vs and "EU" in vs


def test_since_limits_the_weeks(db: Path, tmp_path: Path) -> None:
    since = (START + timedelta(weeks=6)).date()
    data = report.write_report(db, tmp_path / "r.html", since=since)
    charts = _charts((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert data.since == since
    assert len(charts["AZ"].xpath(".//g[@class='series'][@data-target='EU']/circle")) == WEEKS - 6


def test_report_command(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "report.html"
    assert main(["report", "--db", str(db), "--out", str(out), "--config", str(CONFIG), "--since", "2026-03-01"]) == 0
    assert out.exists() and "open alerts" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["report", "--help"])
    assert exc.value.code == 0 and "example:" in capsys.readouterr().out
    assert main(["report", "--db", str(tmp_path / "missing.duckdb"), "--out", str(out), "--band", "0.5"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1


def test_report_from_a_generated_database(tmp_path: Path) -> None:
    from bench.gen_db import Shape, generate

    db = tmp_path / "gen.duckdb"
    generate(db, Shape(statements=8000, days=200, end=date(2026, 6, 30)))
    data = report.write_report(db, tmp_path / "r.html")
    charts = _charts((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert len(charts) == 10 and all(int(c.get("data-points")) > 0 for c in charts.values())
    assert [a["actor"] for a in data.open_alerts] == ["AZ"] and len(data.open_alerts[0]["evidence"]) == 10
