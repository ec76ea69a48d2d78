"""Configuration loading: the shipped config is valid; every error names file, key and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from monitor import config
from monitor.errors import ConfigError

CONFIG = Path(__file__).resolve().parents[1] / "config"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "countering-russian-influence-in-the-caucasus.txt"


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    d = tmp_path / "config"
    shutil.copytree(CONFIG, d)
    return d


def test_shipped_config_loads() -> None:
    s = config.load(CONFIG)
    ids = {a.id for a in s.actors}
    assert {"RU", "AZ", "IR", "TR", "AM", "US", "EU", "FR"} <= ids
    assert len(s.feeds) >= 20
    assert all(f.actor for f in s.feeds if f.kind == "government")
    assert {(b.actor, b.target) for b in s.baselines} >= {("RU", "West"), ("AZ", "EU"), ("AM", "West"), ("TR", "West"), ("IR", "West")}


def test_baseline_evidence_is_quoted_from_the_article() -> None:
    """Each evidence phrase (parts split by '...') occurs in the paragraph it cites."""
    if not SEED.exists():
        pytest.skip("shared/seed is not beside this checkout")
    norm = SEED.read_text(encoding="utf-8").replace("\u2019", "'").replace("\u201c", "").replace("\u201d", "")
    paragraphs = [p.strip() for p in norm.split("\n\n") if p.strip()]
    for b in config.load(CONFIG).baselines:
        for part in b.evidence.replace('"', "").split("..."):
            assert part.strip() in paragraphs[b.paragraph - 1], (b.actor, b.target, part)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_bad_url_names_file_key_and_line(cfg: Path) -> None:
    _replace(cfg / "feeds.yaml", "https://president.az/en/rss", "htps://president.az/en/rss")
    with pytest.raises(ConfigError) as e:
        config.load(cfg)
    line = _line_of(cfg / "feeds.yaml", "htps://president.az")
    assert str(e.value).startswith(f"{cfg / 'feeds.yaml'}:{line}: feeds[3].url: not an http(s) URL: 'htps://president.az/en/rss'")


def test_unknown_actor_in_feed(cfg: Path) -> None:
    _replace(cfg / "feeds.yaml", "actor: AZ, notes", "actor: XX, notes")
    with pytest.raises(ConfigError, match=r"feeds\.yaml:\d+: feeds\[3\]\.actor: unknown actor 'XX'"):
        config.load(cfg)


def test_government_feed_needs_actor(cfg: Path) -> None:
    _replace(cfg / "feeds.yaml", "kind: government, country: AZ, language: en, actor: AZ, notes", "kind: government, country: AZ, language: en, notes")
    with pytest.raises(ConfigError, match=r"feeds\.yaml:\d+: feeds\[3\]: a government feed needs the actor"):
        config.load(cfg)


def test_yaml_syntax_error_has_line(cfg: Path) -> None:
    (cfg / "actors.yaml").write_text("actors:\n  - id: RU\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"actors\.yaml:\d+: invalid YAML"):
        config.load(cfg)


def test_unknown_key_is_rejected(cfg: Path) -> None:
    _replace(cfg / "actors.yaml", "    role: state\n    western: false\n    aliases: [Russia", "    role: state\n    westren: false\n    aliases: [Russia")
    with pytest.raises(ConfigError) as e:
        config.load(cfg)
    line = _line_of(cfg / "actors.yaml", "westren")
    assert f"actors.yaml:{line}: actors[0].westren: Extra inputs are not permitted" in str(e.value)


def test_baseline_score_out_of_range(cfg: Path) -> None:
    _replace(cfg / "baselines.yaml", "label: against, score: -0.8", "label: against, score: -1.8")
    with pytest.raises(ConfigError, match=r"baselines\.yaml:\d+: baselines\[0\]\.score: Input should be greater than or equal to -1"):
        config.load(cfg)


def test_baseline_label_disagrees_with_score(cfg: Path) -> None:
    _replace(cfg / "baselines.yaml", "label: against, score: -0.8", "label: favor, score: -0.8")
    with pytest.raises(ConfigError, match=r"baselines\.yaml:\d+: baselines\[0\]: label 'favor' disagrees with score -0.8"):
        config.load(cfg)


def test_duplicate_feed_id(cfg: Path) -> None:
    _replace(cfg / "feeds.yaml", "{id: kremlin-en-transcripts,", "{id: kremlin-en-news,")
    with pytest.raises(ConfigError, match=r"feeds\.yaml:\d+: feeds\[1\]\.id: duplicate feed id 'kremlin-en-news'"):
        config.load(cfg)


def test_alias_claimed_by_two_actors(cfg: Path) -> None:
    _replace(cfg / "actors.yaml", "aliases: [Iran,", "aliases: [Baku, Iran,")
    with pytest.raises(ConfigError, match=r"alias 'Baku' of (AZ|IR) already belongs to (AZ|IR)"):
        config.load(cfg)


def test_missing_file_and_directory(tmp_path: Path, cfg: Path) -> None:
    with pytest.raises(ConfigError, match="config directory not found"):
        config.load(tmp_path / "nope")
    (cfg / "baselines.yaml").unlink()
    with pytest.raises(ConfigError, match=r"baselines\.yaml: file not found"):
        config.load(cfg)


def test_settings_file_is_validated(cfg: Path) -> None:
    (cfg / "settings.yaml").write_text("http:\n  max_bytes: -5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"settings\.yaml:2: http\.max_bytes: Input should be greater than 0"):
        config.load(cfg)


def test_fold_is_case_and_diacritic_insensitive() -> None:
    assert config.fold("Türkiye") == config.fold("TURKIYE")
    assert config.fold("Erdoğan") == config.fold("erdogan")
    assert config.fold("Kılıç") == config.fold("Kilic")
