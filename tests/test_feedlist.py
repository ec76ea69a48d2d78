"""OPML and plain URL lists as feed lists, and OPML export."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from monitor import config
from monitor.errors import ConfigError
from monitor.ingest.feedlist import feed_slug, load_settings, read_feed_list, write_opml

ROOT = Path(__file__).resolve().parent.parent

OPML = """<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head><title>Caucasus reading list</title></head>
  <body>
    <outline text="Government">
      <outline text="Russia">
        <outline type="rss" text="Kremlin news" xmlUrl="http://en.kremlin.ru/events/president/news/feed"
                 kind="government" actor="RU" country="RU"/>
      </outline>
      <outline type="rss" text="Élysée" xmlUrl="https://www.elysee.fr/en/feed" kind="government" actor="FR"
               language="fr" full_text="always"/>
    </outline>
    <outline text="News">
      <outline type="rss" text="OC Media" title="OC Media" xmlUrl="https://oc-media.org/feed/"/>
      <outline type="rss" text="OC Media again" xmlUrl="https://oc-media.org/feed/"/>
      <outline type="rss" text="Turkish MFA" xmlUrl="https://www.mfa.gov.tr/en.rss.mfa?ad9093da-8e71"/>
    </outline>
    <outline type="rss" text="Top-level wire" xmlUrl="https://wire.test/rss" id="my-wire"
             description="kept by hand"/>
  </body>
</opml>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_opml_with_nested_categories_and_overrides(tmp_path: Path) -> None:
    feeds = read_feed_list(write(tmp_path, "list.opml", OPML))
    by_url = {f.url: f for f in feeds}
    assert len(feeds) == 5  # the duplicate OC Media outline is read once
    kremlin = by_url["http://en.kremlin.ru/events/president/news/feed"]
    assert (kremlin.id, kremlin.kind, kremlin.actor, kremlin.country, kremlin.title) == (
        "en-kremlin-ru-events-president-news-feed", "government", "RU", "RU", "Kremlin news")
    assert kremlin.notes == "category: Government / Russia"
    elysee = by_url["https://www.elysee.fr/en/feed"]
    assert (elysee.id, elysee.language, elysee.full_text, elysee.actor) == ("elysee-fr-en-feed", "fr", "always", "FR")
    oc = by_url["https://oc-media.org/feed/"]
    assert (oc.kind, oc.actor, oc.language, oc.full_text, oc.id) == ("news", None, "en", "auto", "oc-media-org-feed")
    assert by_url["https://www.mfa.gov.tr/en.rss.mfa?ad9093da-8e71"].id == "mfa-gov-tr-en-rss-mfa-ad9093da-8e71"
    wire = by_url["https://wire.test/rss"]
    assert (wire.id, wire.notes) == ("my-wire", "kept by hand")


def test_text_list_with_comments(tmp_path: Path) -> None:
    path = write(tmp_path, "feeds.txt", "# my feeds\n\nhttps://oc-media.org/feed/\n  https://jam-news.net/feed/  # JAMnews\n"
                 "http://oc-media.org/feed/\nhttps://news.test/page#section\n")
    feeds = read_feed_list(path)
    assert [f.url for f in feeds] == ["https://oc-media.org/feed/", "https://jam-news.net/feed/",
                                      "http://oc-media.org/feed/", "https://news.test/page#section"]
    assert all(f.kind == "news" and f.actor is None for f in feeds)
    ids = [f.id for f in feeds]
    assert len(set(ids)) == 4 and ids[1] == "jam-news-net-feed"
    # http and https of the same path would share a slug: both get a hash of their own URL
    assert ids[0].startswith("oc-media-org-feed-") and ids[2].startswith("oc-media-org-feed-")
    assert read_feed_list(path) == feeds  # ids are stable


@pytest.mark.parametrize(("name", "text", "message"), [
    ("bad.txt", "https://ok.test/rss\nhtps://mfa.am/rss\n", "bad.txt:2: url: not an http(s) URL"),
    ("bad.opml", '<opml version="2.0"><body>\n<outline xmlUrl="https://x.test/rss" kind="government"/></body></opml>',
     "bad.opml:2: feed: a government feed needs the actor"),
    ("broken.opml", '<opml version="2.0"><body>\n<outline xmlUrl="x"</body></opml>', "broken.opml:2: not well-formed"),
    ("rss.xml", '<rss version="2.0"><channel/></rss>', "root element is <rss>, not <opml>"),
    ("empty.txt", "# nothing here\n", "no feed URLs found"),
    ("kind.opml", '<opml><body><outline xmlUrl="https://x.test/rss" kind="blog"/></body></opml>', "kind.opml:1: kind"),
])
def test_errors_name_file_and_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        read_feed_list(write(tmp_path, name, text))


def test_external_entities_are_refused(tmp_path: Path) -> None:
    text = ('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<opml><body><outline text="&x;" xmlUrl="https://x.test/rss"/></body></opml>')
    with pytest.raises(ConfigError, match="xxe.opml:1: not well-formed OPML: .*external entity") as err:
        read_feed_list(write(tmp_path, "xxe.opml", text))
    assert "root:" not in str(err.value)


def test_export_reads_back_as_the_same_feeds(tmp_path: Path) -> None:
    settings = config.load(ROOT / "config")
    text = write_opml(settings.feeds)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">')
    assert read_feed_list(write(tmp_path, "export.opml", text)) == list(settings.feeds)


def test_load_settings_takes_an_opml_feed_list(tmp_path: Path) -> None:
    for name in ("actors.yaml", "baselines.yaml"):
        shutil.copy(ROOT / "config" / name, tmp_path / name)
    opml = write(tmp_path, "list.opml", OPML)
    settings = load_settings(tmp_path, feeds_file=opml)
    assert len(settings.feeds) == 5
    unknown = write(tmp_path, "unknown.opml", OPML.replace('actor="FR"', 'actor="XX"'))
    with pytest.raises(ConfigError, match="unknown actor 'XX'"):
        load_settings(tmp_path, feeds_file=unknown)


def test_cli_exports_opml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from monitor.desk.cli import main

    out = tmp_path / "feeds.opml"
    assert main(["feeds", "export", "--config", str(ROOT / "config"), "--format", "opml", "--out", str(out)]) == 0
    assert {f.id for f in read_feed_list(out)} == {f.id for f in config.load(ROOT / "config").feeds}


def test_feed_slug() -> None:
    assert feed_slug("https://www.state.gov/rss-feed/press-releases/feed/") == "state-gov-rss-feed-press-releases-feed"
    assert feed_slug("https://ec.europa.eu/commission/presscorner/api/rss?language=en") == (
        "ec-europa-eu-commission-presscorner-api-rss-language-en")
    long = feed_slug("https://news.google.com/rss/search?q=" + "armenia+azerbaijan+" * 10)
    assert len(long) <= 80 and long.startswith("news-google-com-rss-search-q-armenia")
