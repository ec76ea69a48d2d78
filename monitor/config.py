"""Load and validate the configuration directory.

Long on purpose (over 400 lines): every configuration file's schema and its cross-checks in one place, read once at start.

``load(dir)`` runs once at flow or CLI start and returns a frozen :class:`Settings`
that is passed down; nothing here is a module-level singleton. Untrusted YAML goes
through pydantic models with ``extra="forbid"``; every error names file, key path and
line, e.g. ``config/feeds.yaml:14: feeds[3].url: not an http(s) URL: 'htps://mfa.am/rss'``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from monitor.errors import ConfigError

TARGETS = ("EU", "US", "France", "West")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- feeds.yaml


class Feed(_Model):
    """One feed to poll. ``actor`` is the actor id that speaks in a government feed."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    url: str
    kind: Literal["news", "government"] = "news"
    title: str = ""
    country: str | None = None
    language: str = "en"
    actor: str | None = None
    timezone: str | None = None  # IANA zone for dates that carry none (e.g. "Asia/Yerevan")
    full_text: Literal["auto", "always", "never"] = "auto"
    min_interval_minutes: int = Field(default=0, ge=0)
    enabled: bool = True
    notes: str = ""

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+", v):
            raise ValueError(f"not an http(s) URL: {v!r}")
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str | None) -> str | None:
        if v is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(v)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {v!r} (use an IANA name such as 'Asia/Yerevan')") from None
        return v

    @model_validator(mode="after")
    def _government_has_actor(self) -> Feed:
        if self.kind == "government" and not self.actor:
            raise ValueError("a government feed needs the actor that speaks in it")
        return self


class FeedsFile(_Model):
    feeds: list[Feed]


# ---------------------------------------------------------------- actors.yaml


class Official(_Model):
    name: str
    role: str = ""
    also: list[str] = []
    # whether an unnamed role in a passage ("the Armenian foreign minister") may stand for this person. Off by
    # default: the role is kept as printed, the convention of the real annotated passages; a role names
    # today's holder in today's news, but an older article meant whoever held the office then
    by_role: bool = False


class Actor(_Model):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str
    country: str | None = None
    role: Literal["state", "bloc", "organisation", "other"] = "state"
    western: bool = False
    aliases: list[str] = []
    officials: list[Official] = []


class ActorsFile(_Model):
    actors: list[Actor]


# ---------------------------------------------------------------- baselines.yaml


class Baseline(_Model):
    actor: str
    target: Literal["EU", "US", "France", "West"]
    label: Literal["favor", "against", "none"]
    score: float = Field(ge=-1.0, le=1.0)
    evidence: str
    paragraph: int = Field(ge=1)
    date: date

    @model_validator(mode="after")
    def _label_matches_score(self) -> Baseline:
        if self.label == "favor" and self.score <= 0 or self.label == "against" and self.score >= 0:
            raise ValueError(f"label {self.label!r} disagrees with score {self.score}")
        return self


class BaselinesFile(_Model):
    source: str
    url: str = ""
    baselines: list[Baseline]


# ---------------------------------------------------------------- settings.yaml


class HttpSettings(_Model):
    user_agent: str = "stance-monitor/0.1 (+https://github.com/stance-monitor; research feed reader)"
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=15.0, gt=0)
    max_redirects: int = Field(default=5, ge=0)
    max_bytes: int = Field(default=5_000_000, gt=0)
    max_concurrency: int = Field(default=16, ge=1)
    per_host_concurrency: int = Field(default=2, ge=1)
    retries: int = Field(default=2, ge=0)
    backoff_seconds: float = Field(default=1.0, ge=0)
    max_retry_after: float = Field(default=60.0, ge=0)


# Statements of at least this many words and two or more sentences are also read sentence by
# sentence (monitor.stance.classifier); shorter ones are like the training statements (median 20 words).
SENTENCES_MIN_WORDS = 25


class ModelSettings(_Model):
    encoder: str = "bundled"  # "bundled" or a local directory with a BERT-style encoder
    head: str = "bundled"  # "bundled" or a path to a head artefact (.json)
    backend: Literal["torch", "onnx"] = "torch"  # onnx: int8 ONNX Runtime (pip install '.[onnx]')
    languages: list[str] = ["en"]
    uncertain_below: float = Field(default=0.5, ge=0, le=1)
    batch_size: int = Field(default=64, ge=1)
    threads: int | None = Field(default=None, ge=1)  # torch intra-op threads; None keeps torch's default (all cores)
    sentences_min_words: int | None = Field(default=SENTENCES_MIN_WORDS, ge=1)  # None: read statements whole only


class ShiftSettings(_Model):
    """The shift detector (``settings.yaml`` ``shift:``); docs/shift-detection.md has the method and the measurements.

    ``method`` picks the detector: ``bayes`` (beta-binomial Bayes factor on the run since a
    change point, :mod:`monitor.shifts.posterior`) or ``cusum`` (CUSUM plus bootstrap interval).
    ``window_days`` and ``min_statements`` apply to both; ``cusum_*`` only to ``cusum``,
    ``bayes_*`` only to ``bayes``.
    """

    # defaults chosen on the operating curve of bench/shift_sim.py (docs/shift-detection.md, "Operating curve");
    # the detector before issue 16 is method=cusum, min_statements=4, window_days=60
    method: Literal["bayes", "cusum"] = "bayes"
    window_days: int = Field(default=365, ge=1)
    min_statements: int = Field(default=3, ge=1)
    min_sources: int = Field(default=2, ge=1)
    threshold: float = Field(default=0.5, gt=0)  # shift in mean score that counts
    cusum_drift: float = Field(default=0.25, ge=0)
    cusum_h: float = Field(default=1.5, gt=0)
    bayes_factor: float = Field(default=5.0, gt=1)  # evidence for the new regime over the baseline before an alert
    bayes_strength: float = Field(default=20.0, gt=0)  # the baseline prior, in pseudo-statements
    bayes_noise: float = Field(default=0.1, ge=0, lt=0.5)  # share of opposite readings expected from a stable actor
    cooldown_days: int = Field(default=14, ge=0)
    history_days: int = Field(default=180, ge=1)


class AlertSettings(_Model):
    """Alert channels (``settings.yaml`` ``alerts:``); see ``monitor.shifts.alerts`` for delivery rules."""

    jsonl: str = "alerts.jsonl"
    webhooks: list[str] = []
    apprise: list[str] = []
    # e-mail through SMTP: one message per event (or per digest) to all of email_to
    email_to: list[str] = []
    email_from: str = "stance-monitor@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password_env: str | None = None  # name of the environment variable that holds the SMTP password
    smtp_timeout: float = Field(default=10.0, gt=0)
    # daily digest: webhook, e-mail and apprise channels get one message a day at digest_hour (UTC)
    digest: bool = False
    digest_hour: int = Field(default=8, ge=0, le=23)


class ExtractionSettings(_Model):
    reporting_verbs: list[str] = []  # extra reporting verbs, added to the built-in list (base forms)


class Settings_(_Model):
    http: HttpSettings = HttpSettings()
    extraction: ExtractionSettings = ExtractionSettings()
    model: ModelSettings = ModelSettings()
    shift: ShiftSettings = ShiftSettings()
    alerts: AlertSettings = AlertSettings()
    relevance_threshold: float = Field(default=0.35, ge=0, le=1)


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, validated and cross-checked."""

    config_dir: Path
    feeds: tuple[Feed, ...]
    actors: tuple[Actor, ...]
    baselines: tuple[Baseline, ...]
    baseline_source: str
    http: HttpSettings = field(default_factory=HttpSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    shift: ShiftSettings = field(default_factory=ShiftSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    relevance_threshold: float = 0.35
    extraction: ExtractionSettings = field(default_factory=ExtractionSettings)

    def actor(self, actor_id: str) -> Actor:
        for a in self.actors:
            if a.id == actor_id:
                return a
        raise KeyError(actor_id)

    def with_feeds(self, feeds: Iterable[Feed]) -> Settings:
        from dataclasses import replace

        return replace(self, feeds=tuple(feeds))


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form used for every name comparison (a typographic apostrophe is a plain one:
    "O’Brien" is "O'Brien")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _node_line(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """Line (1-based) of the YAML node at ``loc``, or of its deepest existing parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    node = v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def _loc_text(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else "?"
        raise ConfigError(f"{path}:{line}: invalid YAML: {exc.problem}") from None
    return data, node


def _validate(path: Path, model: type[_Model], data: Any, node: yaml.Node | None) -> Any:
    if data is None:
        data = {}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        line = _node_line(node, loc)
        msg = err["msg"].removeprefix("Value error, ")
        value = err.get("input")
        shown = f": {value!r}" if isinstance(value, str | int | float) and value != "" and "URL" not in msg else ""
        more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
        raise ConfigError(f"{path}:{line}: {_loc_text(loc)}: {msg}{shown}{more}") from None


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup = []
    for v in values:
        if v in seen:
            dup.append(v)
        seen.add(v)
    return dup


def _check(cond: bool, path: Path, node: yaml.Node | None, loc: Sequence[int | str], msg: str) -> None:
    if not cond:
        raise ConfigError(f"{path}:{_node_line(node, loc)}: {_loc_text(loc)}: {msg}")


def load_feeds_file(path: Path) -> list[Feed]:
    data, node = _read_yaml(path)
    feeds: list[Feed] = _validate(path, FeedsFile, data, node).feeds
    for dup in _duplicates(f.id for f in feeds):
        i = [f.id for f in feeds].index(dup, [f.id for f in feeds].index(dup) + 1)
        _check(False, path, node, ["feeds", i, "id"], f"duplicate feed id {dup!r}")
    return feeds


def load(
    config_dir: str | os.PathLike[str] = "config",
    *,
    feeds_file: str | os.PathLike[str] | None = None,
    feeds: Sequence[Feed] | None = None,
) -> Settings:
    """Read ``feeds.yaml``, ``actors.yaml``, ``baselines.yaml`` and optional ``settings.yaml``.

    ``feeds_file`` replaces ``feeds.yaml`` with another YAML feeds file; ``feeds`` with feeds already
    read from ``feeds_file`` (an OPML or plain URL list: :func:`monitor.ingest.feedlist.load_settings`
    reads those, so config never imports the ingest stage).
    Raises :class:`ConfigError` naming file, key and line on the first problem.
    """
    root = Path(config_dir)
    if not root.is_dir():
        raise ConfigError(f"{root}: config directory not found")

    actors_path = root / "actors.yaml"
    data, anode = _read_yaml(actors_path)
    actors: list[Actor] = _validate(actors_path, ActorsFile, data, anode).actors
    ids = [a.id for a in actors]
    for dup in _duplicates(ids):
        _check(False, actors_path, anode, ["actors", ids.index(dup, ids.index(dup) + 1), "id"], f"duplicate actor id {dup!r}")
    owner: dict[str, str] = {}
    for i, a in enumerate(actors):
        names = [a.name, *a.aliases] + [n for o in a.officials for n in (o.name, *o.also)]
        for name in names:
            prev = owner.setdefault(fold(name), a.id)
            _check(prev == a.id, actors_path, anode, ["actors", i], f"alias {name!r} of {a.id} already belongs to {prev}")

    if feeds is not None:
        feeds = list(feeds)
        fnode = None
        feeds_path = Path(feeds_file) if feeds_file is not None else root / "feeds.yaml"
    elif feeds_file is not None and Path(feeds_file).suffix in (".yaml", ".yml"):
        feeds_path = Path(feeds_file)
        feeds = load_feeds_file(feeds_path)
        _, fnode = _read_yaml(feeds_path)
    elif feeds_file is not None:
        raise ConfigError(f"{feeds_file}: not a YAML feeds file; OPML and URL lists are read by monitor.ingest.feedlist.load_settings")
    else:
        feeds_path = root / "feeds.yaml"
        feeds = load_feeds_file(feeds_path)
        _, fnode = _read_yaml(feeds_path)
    for i, f in enumerate(feeds):
        _check(f.actor is None or f.actor in ids, feeds_path, fnode, ["feeds", i, "actor"], f"unknown actor {f.actor!r} (known: {', '.join(ids)})")

    base_path = root / "baselines.yaml"
    data, bnode = _read_yaml(base_path)
    bfile: BaselinesFile = _validate(base_path, BaselinesFile, data, bnode)
    seen: set[tuple[str, str]] = set()
    for i, b in enumerate(bfile.baselines):
        _check(b.actor in ids, base_path, bnode, ["baselines", i, "actor"], f"unknown actor {b.actor!r}")
        _check((b.actor, b.target) not in seen, base_path, bnode, ["baselines", i], f"duplicate baseline {b.actor} x {b.target}")
        seen.add((b.actor, b.target))

    settings_path = root / "settings.yaml"
    if settings_path.exists():
        data, snode = _read_yaml(settings_path)
        extra: Settings_ = _validate(settings_path, Settings_, data, snode)
    else:
        extra = Settings_()

    return Settings(
        config_dir=root,
        feeds=tuple(feeds),
        actors=tuple(actors),
        baselines=tuple(bfile.baselines),
        baseline_source=bfile.source,
        http=extra.http,
        model=extra.model,
        shift=extra.shift,
        alerts=extra.alerts,
        relevance_threshold=extra.relevance_threshold,
        extraction=extra.extraction,
    )
