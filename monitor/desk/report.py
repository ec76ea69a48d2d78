"""The analyst's report: one self-contained HTML file built from the analyst views.

Per actor, a chart of the weekly mean stance per target against its baseline band
(baseline ± the detector's threshold), with alerts marked; then the open alerts with their
evidence statements, each actor × target against its baseline, feed health, the model and
the freshness of the data. Charts are inline SVG computed here, so the file needs no
network and no script at all: the page carries a Content-Security-Policy that forbids
scripts, and every text from the database goes through Jinja2's autoescape (feed text can
hold markup), links only keep http(s) URLs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from monitor import store

TARGET_COLOURS = {"West": "#4c78a8", "EU": "#e45756", "US": "#54a24b", "France": "#b279a2"}
OTHER_COLOUR = "#888888"
DEFAULT_DAYS = 365
WIDTH, HEIGHT = 760, 230
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 28


@dataclass(frozen=True, slots=True)
class Point:
    week: date
    mean: float
    n: int


@dataclass
class ActorSeries:
    """Everything one actor's chart shows."""

    actor: str
    name: str
    series: dict[str, list[Point]] = field(default_factory=dict)
    baselines: dict[str, float] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportData:
    """What the report shows, read from the views in one read-only session."""

    since: date
    until: date
    band: float
    actors: list[ActorSeries]
    open_alerts: list[dict[str, Any]]
    vs_baseline: list[dict[str, Any]]
    feeds: list[dict[str, Any]]
    model: dict[str, Any] | None
    freshness: dict[str, Any]
    generated_at: datetime


def _dicts(con: store.Connection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def load(con: store.Connection, *, since: date | None = None, band: float = 0.5) -> ReportData:
    """Read the report's data. ``since`` defaults to a year before the newest statement week."""
    con.execute("SET enable_progress_bar = false")
    newest = con.execute("SELECT max(week) FROM stance_weekly").fetchone()[0]  # type: ignore[index]
    until = newest + timedelta(days=6) if newest else datetime.now(UTC).date()
    since = since or until - timedelta(days=DEFAULT_DAYS)
    names = dict(con.execute("SELECT id, name FROM actors").fetchall())
    by_actor: dict[str, ActorSeries] = {}

    def actor(a: str) -> ActorSeries:
        return by_actor.setdefault(a, ActorSeries(a, names.get(a, a)))

    for a, t, week, mean, n in con.execute(
        "SELECT actor, target, week, mean_score, n_statements FROM stance_weekly WHERE week >= ? ORDER BY actor, target, week",
        [since],
    ).fetchall():
        actor(a).series.setdefault(t, []).append(Point(week, float(mean), int(n)))
    for a, t, score in con.execute("SELECT actor, target, score FROM baselines ORDER BY actor, target").fetchall():
        actor(a).baselines[t] = float(score)
    for row in _dicts(
        con,
        """SELECT id, actor, target, direction, status, severity, opened_on, window_start, window_end, baseline, observed
           FROM alerts WHERE status IN ('open', 'acknowledged') OR coalesce(resolved_on, window_end) >= ?
           ORDER BY opened_on, id""",
        [since],
    ):
        actor(row["actor"]).alerts.append(row)
    open_alerts = _dicts(
        con,
        """SELECT id, actor, target, direction, status, severity, opened_on, window_start, window_end, baseline, observed,
                  ci_low, ci_high, n_statements, n_sources, model_id
           FROM alerts WHERE status IN ('open', 'acknowledged') ORDER BY opened_on DESC, id""",
    )
    evidence: dict[str, list[dict[str, Any]]] = {}
    for ev in _dicts(
        con,
        """SELECT alert_id, statement_id, text, speaker, url, feed_id, published, label, score, stance_basis FROM alert_evidence
           WHERE status IN ('open', 'acknowledged') ORDER BY published DESC NULLS LAST, statement_id""",
    ):
        ev["href"] = safe_href(ev["url"])
        evidence.setdefault(ev["alert_id"], []).append(ev)
    for a in open_alerts:
        a["evidence"] = evidence.get(a["id"], [])
        a["actor_name"] = names.get(a["actor"], a["actor"])
    model = _dicts(con, "SELECT model_id, encoder, trained_at, registered_at FROM current_model")
    freshness = _dicts(
        con,
        """SELECT (SELECT max(published) FROM items) AS newest_item,
                  (SELECT max(finished) FROM fetches WHERE state IN ('ok', 'not_modified', 'empty', 'truncated')) AS last_fetch,
                  (SELECT max(created_at) FROM stances) AS last_scored,
                  (SELECT count(*) FROM statements) AS statements""",
    )[0]
    order = {a: i for i, a in enumerate(names)}
    return ReportData(
        since=since,
        until=until,
        band=band,
        actors=sorted(by_actor.values(), key=lambda s: (order.get(s.actor, len(order)), s.actor)),
        open_alerts=open_alerts,
        vs_baseline=_dicts(con, "SELECT * FROM actor_vs_baseline ORDER BY abs(difference) DESC NULLS LAST, actor, target"),
        feeds=_dicts(con, "SELECT * FROM feed_health ORDER BY health <> 'ok' DESC, feed_id"),
        model=model[0] if model else None,
        freshness=freshness,
        generated_at=datetime.now(UTC).replace(microsecond=0),
    )


def safe_href(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (no ``javascript:`` or ``data:`` links)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


# ---------------------------------------------------------------- charts


@dataclass(frozen=True, slots=True)
class Scale:
    """Maps dates and scores to SVG coordinates."""

    start: date
    end: date

    def x(self, d: date) -> float:
        span = max((self.end - self.start).days, 1)
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (d - self.start).days / span, 1)

    @staticmethod
    def y(score: float) -> float:
        score = max(-1.0, min(1.0, score))
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - score) / 2, 1)


def _ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Month starts (every nth month so that at most 12 labels show)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = max(1, math.ceil(months / 12))
    out = []
    d = date(start.year, start.month, 1)
    i = 0
    while d <= end:
        if d >= start and i % step == 0:
            out.append((d, d.strftime("%b %Y") if d.month == 1 or not out else d.strftime("%b")))
        d = date(d.year + (d.month // 12), d.month % 12 + 1, 1)
        i += 1
    return out


def chart(s: ActorSeries, start: date, end: date, band: float) -> dict[str, Any]:
    """The geometry of one actor's chart, for the SVG template (numbers only; text is escaped there)."""
    sc = Scale(start, end)
    targets = sorted(set(s.series) | set(s.baselines), key=lambda t: (t not in TARGET_COLOURS, t))
    bands = [
        {"target": t, "colour": TARGET_COLOURS.get(t, OTHER_COLOUR), "y0": sc.y(b + band), "y1": sc.y(b - band),
         "h": round(sc.y(b - band) - sc.y(b + band), 1), "y": sc.y(b), "score": b}
        for t, b in s.baselines.items()
    ]
    lines = []
    for t in targets:
        pts = [p for p in s.series.get(t, []) if start <= p.week <= end]
        if not pts:
            continue
        coords = [(sc.x(p.week + timedelta(days=3)), sc.y(p.mean)) for p in pts]
        lines.append({
            "target": t, "colour": TARGET_COLOURS.get(t, OTHER_COLOUR),
            "d": "M" + " L".join(f"{x},{y}" for x, y in coords),
            "points": [
                {"x": x, "y": y, "r": round(min(5.0, 1.5 + math.sqrt(p.n) / 2), 1), "week": p.week, "mean": p.mean, "n": p.n}
                for (x, y), p in zip(coords, pts, strict=True)
            ],
        })
    alerts = []
    for a in s.alerts:
        w0, w1 = max(a["window_start"], start), min(a["window_end"], end)
        if a["opened_on"] < start or a["opened_on"] > end:
            continue
        alerts.append({
            **a, "colour": TARGET_COLOURS.get(a["target"], OTHER_COLOUR), "x": sc.x(a["opened_on"]),
            "wx": sc.x(w0), "ww": max(0.0, round(sc.x(w1) - sc.x(w0), 1)),
        })
    return {
        "actor": s.actor, "name": s.name, "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
        "top": TOP, "bottom": HEIGHT - BOTTOM,
        "grid": [{"v": v, "y": sc.y(v)} for v in (1.0, 0.5, 0.0, -0.5, -1.0)],
        "ticks": [{"x": sc.x(d), "label": label} for d, label in _ticks(start, end)],
        "bands": bands, "lines": lines, "alerts": alerts,
        "legend": [{"target": t, "colour": TARGET_COLOURS.get(t, OTHER_COLOUR), "baseline": s.baselines.get(t)} for t in targets],
        "n_points": sum(len(v["points"]) for v in lines),
    }


# ---------------------------------------------------------------- HTML


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:+.{digits}f}" if -1.0 <= value <= 1.0 else f"{value:.{digits}f}"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_ENV.filters["fmt"] = _fmt


def render(data: ReportData) -> str:
    """The report page as a string."""
    charts = [chart(s, data.since, data.until, data.band) for s in data.actors]
    template = _ENV.from_string(TEMPLATE)
    return template.render(d=data, charts=charts, colours=TARGET_COLOURS)


def write_report(target: str | Path, out: str | Path, *, since: date | None = None, band: float = 0.5) -> ReportData:
    """Read the database ``target`` (read-only) and write the report to ``out``."""
    con = store.connect(target, read_only=True)
    try:
        data = load(con, since=since, band=band)
    finally:
        con.close()
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data), encoding="utf-8")
    return data


TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stance monitor report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}
.meta{color:#555}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:1em}
figure{margin:0;border:1px solid #e3e3e3;border-radius:4px;padding:.5em}figcaption{font-weight:600}
svg{width:100%;height:auto}svg text{font-size:10px;fill:#555}.legend{font-size:12px;color:#444}
.sw{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px;vertical-align:middle}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f6f6f6}.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b00020;font-weight:600}
.ev{margin:.2em 0 .8em 1.5em}.ev li{margin:.2em 0}.quote{white-space:pre-wrap}.empty{color:#777;font-style:italic}
</style></head><body>
<h1>Stance toward Western mediation: monitor report</h1>
<p class="meta">Weeks {{ d.since }} to {{ d.until }} · model <code id="model-id">{{ d.model.model_id if d.model else "none" }}</code>
{% if d.model and d.model.trained_at %} (trained {{ d.model.trained_at|fmt }}){% endif %}
· newest statement {{ d.freshness.newest_item|fmt }} · last successful fetch {{ d.freshness.last_fetch|fmt }}
· last scored {{ d.freshness.last_scored|fmt }} · {{ d.freshness.statements }} statements · generated {{ d.generated_at|fmt }}</p>

<h2>Stance per actor</h2>
<p class="meta">Weekly mean score (P(favor) − P(against)) of distinct, relevant, confident statements, one line per target;
shaded: the baseline ± {{ "%.2f"|format(d.band) }}; dashed: the baseline; red marks: alerts (shaded window, triangle at the opening date).</p>
<div class="grid">
{% for c in charts %}
<figure class="chart" data-actor="{{ c.actor }}" data-points="{{ c.n_points }}">
<figcaption>{{ c.name }} <span class="meta">({{ c.actor }})</span></figcaption>
<svg viewBox="0 0 {{ c.width }} {{ c.height }}" role="img" aria-label="Stance of {{ c.name }}">
{% for g in c.grid %}<line x1="{{ c.left }}" x2="{{ c.right }}" y1="{{ g.y }}" y2="{{ g.y }}" stroke="{{ '#bbb' if g.v == 0 else '#eee' }}"/>
<text x="{{ c.left - 4 }}" y="{{ g.y + 3 }}" text-anchor="end">{{ "%+.1f"|format(g.v) }}</text>
{% endfor %}
{% for t in c.ticks %}<line x1="{{ t.x }}" x2="{{ t.x }}" y1="{{ c.bottom }}" y2="{{ c.bottom + 4 }}" stroke="#999"/>
<text x="{{ t.x }}" y="{{ c.bottom + 15 }}" text-anchor="middle">{{ t.label }}</text>
{% endfor %}
{% for a in c.alerts %}<g class="alert-mark"><title>alert {{ a.direction }} ({{ a.target }}, {{ a.severity }}, {{ a.status }}): opened {{ a.opened_on }}, observed {{ a.observed|fmt }} vs baseline {{ a.baseline|fmt }}</title>
<rect x="{{ a.wx }}" y="{{ c.top }}" width="{{ a.ww }}" height="{{ c.bottom - c.top }}" fill="#d62728" fill-opacity="0.07"/>
<line x1="{{ a.x }}" x2="{{ a.x }}" y1="{{ c.top }}" y2="{{ c.bottom }}" stroke="#d62728" stroke-dasharray="2 2"/>
<path d="M{{ a.x - 5 }},{{ c.top - 8 }} L{{ a.x + 5 }},{{ c.top - 8 }} L{{ a.x }},{{ c.top }} Z" fill="#d62728"/></g>
{% endfor %}
{% for b in c.bands %}<g class="band"><title>baseline {{ b.target }} {{ b.score|fmt }} ± {{ "%.2f"|format(d.band) }}</title>
<rect x="{{ c.left }}" y="{{ b.y0 }}" width="{{ c.right - c.left }}" height="{{ b.h }}" fill="{{ b.colour }}" fill-opacity="0.13"/>
<line x1="{{ c.left }}" x2="{{ c.right }}" y1="{{ b.y }}" y2="{{ b.y }}" stroke="{{ b.colour }}" stroke-dasharray="6 4"/></g>
{% endfor %}
{% for l in c.lines %}<g class="series" data-target="{{ l.target }}"><path d="{{ l.d }}" fill="none" stroke="{{ l.colour }}" stroke-width="1.6"/>
{% for p in l.points %}<circle cx="{{ p.x }}" cy="{{ p.y }}" r="{{ p.r }}" fill="{{ l.colour }}"><title>{{ l.target }}, week of {{ p.week }}: {{ p.mean|fmt }} ({{ p.n }} statements)</title></circle>
{% endfor %}</g>
{% endfor %}
{% if not c.lines %}<text x="{{ (c.left + c.right) / 2 }}" y="{{ c.top + 14 }}" text-anchor="middle">no stanced statements in these weeks</text>{% endif %}
</svg>
<div class="legend">{% for l in c.legend %}<span class="sw" style="background:{{ l.colour }}"></span>{{ l.target }}{% if l.baseline is not none %} (baseline {{ l.baseline|fmt }}){% endif %}{% endfor %}</div>
</figure>
{% endfor %}
</div>

<h2>Open alerts</h2>
{% if not d.open_alerts %}<p class="empty">No open alerts.</p>{% endif %}
{% for a in d.open_alerts %}
<div class="alert" id="alert-{{ a.id }}">
<p><b>{{ a.actor_name }} → {{ a.target }}</b>: {{ a.direction|replace("_", " ") }}, <span class="{{ 'bad' if a.severity == 'high' else '' }}">{{ a.severity }}</span>,
{{ a.status }} since {{ a.opened_on }} · observed {{ a.observed|fmt }} (90% interval {{ a.ci_low|fmt }} to {{ a.ci_high|fmt }}) vs baseline {{ a.baseline|fmt }}
· {{ a.n_statements }} statements from {{ a.n_sources }} sources, {{ a.window_start }} to {{ a.window_end }} · model {{ a.model_id }}</p>
<ol class="ev">
{% for e in a.evidence %}<li class="evidence"><span class="meta">{{ e.published|fmt }} · {{ e.speaker or "official statement" }} ·
{% if e.href %}<a href="{{ e.href }}" rel="noopener noreferrer">{{ e.feed_id }}</a>{% else %}{{ e.feed_id }} {{ e.url or "" }}{% endif %}
{% if e.score is not none %} · {{ e.label }} {{ e.score|fmt }}{% endif %}</span><br>
<span class="quote">{{ e.text }}</span>{% if e.stance_basis %}<br><span class="meta basis">stance read from: {{ e.stance_basis }}</span>{% endif %}</li>
{% else %}<li class="empty">evidence statements not found</li>{% endfor %}
</ol></div>
{% endfor %}

<h2>Actors against their baselines (last 90 days of statements)</h2>
<table id="vs-baseline"><tr><th>actor</th><th>target</th><th class="num">baseline</th><th class="num">observed</th><th class="num">difference</th>
<th class="num">90% interval</th><th class="num">statements</th><th class="num">sources</th><th>last statement</th></tr>
{% for r in d.vs_baseline %}<tr><td>{{ r.actor }}</td><td>{{ r.target }}</td><td class="num">{{ r.baseline|fmt }}</td><td class="num">{{ r.observed|fmt }}</td>
<td class="num {{ 'bad' if r.difference is not none and (r.difference|abs) > d.band else '' }}">{{ r.difference|fmt }}</td>
<td class="num">{{ r.ci_low|fmt }} to {{ r.ci_high|fmt }}</td><td class="num">{{ r.n_statements }}</td><td class="num">{{ r.n_sources }}</td><td>{{ r.last_day|fmt }}</td></tr>
{% endfor %}</table>

<h2>Feed health</h2>
<table id="feed-health"><tr><th>feed</th><th>kind</th><th>health</th><th>last success</th><th>newest item</th><th class="num">failures in a row</th>
<th class="num">304 rate</th><th>last error</th></tr>
{% for f in d.feeds %}<tr><td title="{{ f.url }}">{{ f.title or f.feed_id }}</td><td>{{ f.kind }}</td><td class="{{ '' if f.health == 'ok' else 'bad' }}">{{ f.health }}</td>
<td>{{ f.last_success|fmt }}</td><td>{{ f.last_item_date|fmt }}</td><td class="num">{{ f.consecutive_failures }}</td>
<td class="num">{{ "%.0f%%"|format(100 * f.not_modified_rate) if f.not_modified_rate is not none else "—" }}</td>
<td>{{ f.last_error_class or "" }}{% if f.last_error %}: {{ f.last_error }}{% endif %}</td></tr>
{% endfor %}</table>
</body></html>
"""
