"""Plot one actor x target timeline from a replay: scores, baseline band, the detector's statistic, alerts.

    .venv/bin/python bench/shift_plot.py                       # AZ x US of the team scenario
    .venv/bin/python bench/shift_plot.py --actor RU --target West --out docs/shift-ru.svg
    .venv/bin/python bench/shift_plot.py --statements ../shared/real/stance_dev.jsonl --out /tmp/az-us-real.svg

Replays the statements with the real model (``monitor.shifts.replay.replay_file``) and draws the
series' timeline (``ReplayResult.series``, the same data as ``monitor replay --json``) as a
self-contained SVG (no plotting library needed: neither matplotlib nor vl-convert ships with
the project). Top panel: each counted statement's score P(favor) - P(against) by statement
date, the baseline and its +/- threshold band, each alert's evidence circled, a shaded span
from the first statement of the regime it detected to the day it opened (the delay), and a
line where it opened. Bottom panel: the detector's statistic after each statement (log10 Bayes
factor for ``bayes``, the CUSUM for ``cusum``) against the level that opens an alert. Hover a
dot for its id, date, source host and score (ids and hosts only: a plot of the real corpus carries no text).
"""

from __future__ import annotations

import argparse
import math
from datetime import date
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from monitor import config
from monitor.config import ShiftSettings
from monitor.pipeline import classifier
from monitor.shifts.replay import replay_file

ROOT = Path(__file__).resolve().parent.parent
W, H = 760, 470
LEFT, RIGHT = 60, 20
TOP_Y0, TOP_Y1 = 40, 290  # score panel (y pixels)
BOT_Y0, BOT_Y1 = 330, 430  # statistic panel


def statistic_level(s: ShiftSettings) -> tuple[float, str]:
    """The statistic's alert level and its name."""
    if s.method == "bayes":
        return math.log10(s.bayes_factor), f"log10 Bayes factor (bayes, window {s.window_days} d) against log10 {s.bayes_factor:g}"
    return s.cusum_h, f"CUSUM (drift k={s.cusum_drift}) against h={s.cusum_h}"


def render_svg(timeline: dict[str, Any], *, title: str, s: ShiftSettings) -> str:
    """The two-panel SVG of one ``ReplayResult.series`` entry, as a string."""
    stmts = timeline["statements"]
    baseline = float(timeline["baseline"] if timeline["baseline"] is not None else 0.0)
    threshold = s.threshold
    days = [date.fromisoformat(st["date"]) for st in stmts]
    alerts = timeline["alerts"]
    d0, d1 = min(days), max([*days, *(date.fromisoformat(a["opened_on"]) for a in alerts)])
    span = max(1, (d1 - d0).days)

    def x(d: date) -> float:
        return LEFT + (W - LEFT - RIGHT) * (d - d0).days / span

    def y(score: float) -> float:
        return TOP_Y0 + (TOP_Y1 - TOP_Y0) * (1 - (score + 1) / 2)

    direction = alerts[0]["direction"] if alerts else ("toward_favor" if baseline <= 0 else "toward_against")
    level, level_name = statistic_level(s)
    stats = [(d, (st["statistic"] or {}).get(direction, 0.0)) for d, st in zip(days, stmts, strict=True) if st["compared"]]
    smax = max([level * 1.3, *(v for _, v in stats)])

    def ys(v: float) -> float:
        return BOT_Y1 - (BOT_Y1 - BOT_Y0) * v / smax

    evidence = {i for a in alerts for i in a["evidence_ids"]}
    o: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold">{escape(title)}</text>',
        # baseline band and line
        f'<rect x="{LEFT}" y="{y(min(1, baseline + threshold)):.1f}" width="{W - LEFT - RIGHT}" '
        f'height="{y(max(-1, baseline - threshold)) - y(min(1, baseline + threshold)):.1f}" fill="#9aa7b8" opacity="0.25"/>',
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(baseline):.1f}" y2="{y(baseline):.1f}" stroke="#44546a" stroke-dasharray="6 4"/>',
        f'<text x="{W - RIGHT - 4}" y="{y(baseline) - 5:.1f}" text-anchor="end" fill="#44546a">'
        f'baseline {baseline:+.2f} ({escape(str(timeline["baseline_kind"]))}, band ±{threshold})</text>',
    ]
    for v in (-1, -0.5, 0, 0.5, 1):  # score axis
        o.append(f'<line x1="{LEFT - 4}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e3e3"/>')
        o.append(f'<text x="{LEFT - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v:+g}</text>')
    o.append(f'<text x="14" y="{(TOP_Y0 + TOP_Y1) / 2:.0f}" transform="rotate(-90 14 {(TOP_Y0 + TOP_Y1) / 2:.0f})" '
             'text-anchor="middle">score = P(favor) − P(against)</text>')
    step = max(1, span // 240)  # at most ~8 month labels
    months = sorted({date(d.year, d.month, 1) for d in days if date(d.year, d.month, 1) >= d0} | {d0})
    for m in months[::step]:
        o.append(f'<text x="{x(m):.1f}" y="{BOT_Y1 + 18}" text-anchor="middle">{m:%b %Y}</text>')
        o.append(f'<line x1="{x(m):.1f}" x2="{x(m):.1f}" y1="{TOP_Y0}" y2="{BOT_Y1}" stroke="#f0f0f0"/>')
    for k, a in enumerate(alerts):
        ax = x(date.fromisoformat(a["opened_on"]))
        if a["regime_start"]:  # the delay: from the regime's first statement to the alert
            rx = x(date.fromisoformat(a["regime_start"]))
            o.append(f'<rect x="{rx:.1f}" y="{TOP_Y0}" width="{max(1.0, ax - rx):.1f}" height="{TOP_Y1 - TOP_Y0}" '
                     'fill="#f5b7b1" opacity="0.35"/>')
        o.append(f'<line x1="{ax:.1f}" x2="{ax:.1f}" y1="{TOP_Y0}" y2="{BOT_Y1}" stroke="#c0392b" stroke-width="1.5"/>')
        anchor, tx = ("end", ax - 5) if ax > W / 2 else ("start", ax + 5)  # keep the label inside the picture
        named = f" ({a['dominant_target']})" if a.get("dominant_target") else ""
        o.append(f'<text x="{tx:.1f}" y="{TOP_Y0 + 12 + 13 * k}" text-anchor="{anchor}" fill="#c0392b">'
                 f'{escape(a["direction"])}{escape(named)} opened {a["opened_on"]}, {a["delay_days"]} d after '
                 f'{a["regime_start"]}, n={len(a["evidence_ids"])}</text>')
    for d, st in zip(days, stmts, strict=True):
        colour = "#1e8449" if st["score"] > 0 else "#b03a2e"
        o.append(f'<circle cx="{x(d):.1f}" cy="{y(st["score"]):.1f}" r="4" fill="{colour}"><title>{escape(st["id"])} '
                 f'{d} {escape(urlparse(st["source"]).netloc or st["source"])} {st["score"]:+.2f} ({escape(st["target"])})</title></circle>')
        if st["id"] in evidence:
            o.append(f'<circle cx="{x(d):.1f}" cy="{y(st["score"]):.1f}" r="8" fill="none" stroke="#c0392b"/>')
    # statistic panel
    o.append(f'<text x="{LEFT}" y="{BOT_Y0 - 8}">{escape(level_name)}, {direction}</text>')
    o.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{ys(level):.1f}" y2="{ys(level):.1f}" stroke="#c0392b" stroke-dasharray="4 3"/>')
    o.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{BOT_Y1}" y2="{BOT_Y1}" stroke="#999"/>')
    if stats:
        poly = " ".join(f"{x(d):.1f},{ys(v):.1f}" for d, v in stats)
        o.append(f'<polyline points="{poly}" fill="none" stroke="#2c3e50" stroke-width="1.5"/>')
        o.extend(f'<circle cx="{x(d):.1f}" cy="{ys(v):.1f}" r="2" fill="#2c3e50"/>' for d, v in stats)
    o.append(f'<text x="{LEFT}" y="{H - 8}" fill="#666">Each dot is one distinct statement (copies counted once); '
             "circled: alert evidence; pink: from the regime's first statement to the alert. Grey band: baseline ± threshold.</text>")
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", default=str(ROOT / "tests/data/replay_scenario.jsonl"))
    ap.add_argument("--config", default=str(ROOT / "config"))
    ap.add_argument("--actor", default="AZ")
    ap.add_argument("--target", default="US")
    ap.add_argument("--title", help="plot title (default: actor x target and the file name)")
    ap.add_argument("--out", default=str(ROOT / "docs/shift.svg"))
    a = ap.parse_args()

    settings = config.load(a.config)
    result = replay_file(Path(a.statements), settings, classifier(settings))
    timeline = next((t for t in result.series if (t["actor"], t["target"]) == (a.actor, a.target)), None)
    if timeline is None:
        raise SystemExit(f"no counted statements for {a.actor} x {a.target}")
    title = a.title or f"{a.actor} × {a.target}: stance toward Western mediation ({Path(a.statements).name})"
    svg = render_svg(timeline, title=title, s=settings.shift)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(svg, encoding="utf-8")
    opened = ", ".join(f"{al['opened_on']} (+{al['delay_days']} d)" for al in timeline["alerts"]) or "none"
    print(f"wrote {out} ({len(timeline['statements'])} statements, alerts: {opened})")


if __name__ == "__main__":
    main()
