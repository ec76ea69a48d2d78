"""Plot one actor x target series from a replay: scores, baseline band, CUSUM and the alert.

    .venv/bin/python bench/shift_plot.py                       # AZ x US of the team scenario
    .venv/bin/python bench/shift_plot.py --actor RU --target West --out docs/shift-ru.svg

Replays the statements with the real model (``monitor.replay.replay_file``) and writes a
self-contained SVG (no plotting library needed: neither matplotlib nor vl-convert ships
with the project). Top panel: each counted statement's score P(favor) - P(against) by
statement date, the baseline and its +/- threshold band, the alert's evidence circled and
a line where it opened. Bottom panel: the CUSUM statistic of the alert's direction against
the threshold ``h``.
"""

from __future__ import annotations

import argparse
from datetime import date
from html import escape
from pathlib import Path

from monitor import config
from monitor.baseline import Point, series_by_target
from monitor.pipeline import classifier
from monitor.replay import replay_file

ROOT = Path(__file__).resolve().parent.parent
W, H = 760, 470
LEFT, RIGHT = 60, 20
TOP_Y0, TOP_Y1 = 40, 290  # score panel (y pixels)
BOT_Y0, BOT_Y1 = 330, 430  # CUSUM panel


def cusum_path(points: list[Point], baseline: float, drift: float, direction: str) -> list[float]:
    """The one-sided CUSUM of the given direction after each point (no resets)."""
    stat, out = 0.0, []
    for p in points:
        dev = p.score - baseline if direction == "toward_favor" else baseline - p.score
        stat = max(0.0, stat + dev - drift)
        out.append(stat)
    return out


def render_svg(points: list[Point], *, title: str, baseline: float, threshold: float, drift: float, h: float,
               alert: dict[str, object] | None) -> str:
    """The two-panel SVG as a string."""
    days = [p.day for p in points]
    d0, d1 = min(days), max(days)
    span = max(1, (d1 - d0).days)

    def x(d: date) -> float:
        return LEFT + (W - LEFT - RIGHT) * (d - d0).days / span

    def y(score: float) -> float:
        return TOP_Y0 + (TOP_Y1 - TOP_Y0) * (1 - (score + 1) / 2)

    direction = str(alert["direction"]) if alert else ("toward_favor" if points[-1].score > baseline else "toward_against")
    stats = cusum_path(points, baseline, drift, direction)
    smax = max([h * 1.2, *stats])

    def ys(v: float) -> float:
        return BOT_Y1 - (BOT_Y1 - BOT_Y0) * v / smax

    evidence = set(alert["evidence_ids"]) if alert else set()  # type: ignore[call-overload]
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
        f'baseline {baseline:+.2f} (band ±{threshold})</text>',
    ]
    for v in (-1, -0.5, 0, 0.5, 1):  # score axis
        o.append(f'<line x1="{LEFT - 4}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e3e3"/>')
        o.append(f'<text x="{LEFT - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v:+g}</text>')
    o.append(f'<text x="14" y="{(TOP_Y0 + TOP_Y1) / 2:.0f}" transform="rotate(-90 14 {(TOP_Y0 + TOP_Y1) / 2:.0f})" '
             'text-anchor="middle">score = P(favor) − P(against)</text>')
    months = sorted({date(d.year, d.month, 1) for d in days if date(d.year, d.month, 1) >= d0} | {d0})
    for m in months:
        o.append(f'<text x="{x(m):.1f}" y="{BOT_Y1 + 18}" text-anchor="middle">{m:%b %Y}</text>')
        o.append(f'<line x1="{x(m):.1f}" x2="{x(m):.1f}" y1="{TOP_Y0}" y2="{BOT_Y1}" stroke="#f0f0f0"/>')
    if alert:
        ax = x(date.fromisoformat(str(alert["opened_on"])))
        o.append(f'<line x1="{ax:.1f}" x2="{ax:.1f}" y1="{TOP_Y0}" y2="{BOT_Y1}" stroke="#c0392b" stroke-width="1.5"/>')
        anchor, tx = ("end", ax - 5) if ax > W / 2 else ("start", ax + 5)  # keep the label inside the picture
        o.append(f'<text x="{tx:.1f}" y="{TOP_Y0 + 12}" text-anchor="{anchor}" fill="#c0392b">alert opened {alert["opened_on"]}: '
                 f'{alert["direction"]}, n={alert["n_statements"]}, observed {float(alert["observed"]):+.2f}</text>')  # type: ignore[arg-type]
    for p in points:
        colour = "#1e8449" if p.score > 0 else "#b03a2e"
        o.append(f'<circle cx="{x(p.day):.1f}" cy="{y(p.score):.1f}" r="4" fill="{colour}"><title>{escape(p.id)} '
                 f'{p.day} {p.source} {p.score:+.2f}</title></circle>')
        if p.id in evidence:
            o.append(f'<circle cx="{x(p.day):.1f}" cy="{y(p.score):.1f}" r="8" fill="none" stroke="#c0392b"/>')
    # CUSUM panel
    o.append(f'<text x="{LEFT}" y="{BOT_Y0 - 8}">CUSUM ({direction}, drift k={drift}) against h={h}</text>')
    o.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{ys(h):.1f}" y2="{ys(h):.1f}" stroke="#c0392b" stroke-dasharray="4 3"/>')
    o.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{BOT_Y1}" y2="{BOT_Y1}" stroke="#999"/>')
    poly = " ".join(f"{x(p.day):.1f},{ys(s):.1f}" for p, s in zip(points, stats, strict=True))
    o.append(f'<polyline points="{poly}" fill="none" stroke="#2c3e50" stroke-width="1.5"/>')
    o.append(f'<text x="{LEFT}" y="{H - 8}" fill="#666">Each dot is one distinct statement (copies counted once); '
             'circled: the alert\'s evidence. Grey band: baseline ± threshold.</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", default=str(ROOT / "tests/data/replay_scenario.jsonl"))
    ap.add_argument("--config", default=str(ROOT / "config"))
    ap.add_argument("--actor", default="AZ")
    ap.add_argument("--target", default="US")
    ap.add_argument("--out", default=str(ROOT / "docs/shift.svg"))
    a = ap.parse_args()

    settings = config.load(a.config)
    result = replay_file(Path(a.statements), settings, classifier(settings))
    series = series_by_target(result.points).get((a.actor, a.target), [])
    if not series:
        raise SystemExit(f"no counted statements for {a.actor} x {a.target}")
    alert = next((al for al in result.alerts if al["actor"] == a.actor and al["target"] == a.target), None)
    configured = {(b.actor, b.target): b.score for b in settings.baselines}
    baseline = float(alert["baseline"]) if alert else configured.get((a.actor, a.target), 0.0)
    s = settings.shift
    svg = render_svg(series, title=f"{a.actor} × {a.target}: stance toward Western mediation (replay scenario)",
                     baseline=baseline, threshold=s.threshold, drift=s.cusum_drift, h=s.cusum_h, alert=alert)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(svg, encoding="utf-8")
    print(f"wrote {out} ({len(series)} statements, alert: {alert['opened_on'] if alert else 'none'})")


if __name__ == "__main__":
    main()
