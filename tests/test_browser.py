"""The report in a real browser: headless Chromium (Debian ``chromium`` + ``chromium-driver``).

Opens the generated report over file://, waits for the charts, checks that every actor's
chart drew its marks and baseline band, that the ``<script>`` planted in a statement did
not run (it would set ``window.__xss`` and the title), and saves a screenshot. Set
``MONITOR_DOCS_SCREENSHOT=1`` to also refresh ``docs/report.png`` for the README.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import config
from monitor.desk import report
from tests.test_report import CONFIG, SPEAKERS, WEEKS, XSS_TEXT, populated_db

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/lib/chromium/chromedriver" if Path("/usr/lib/chromium/chromedriver").exists() else None
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="headless Chromium not found: apt-get install -y chromium chromium-driver (.ci/run installs them)",
    ),
]


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,2200",
                "--hide-scrollbars", "--no-first-run", "--disable-extensions", "--disable-background-networking"):
        options.add_argument(arg)
    drv = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    drv.set_page_load_timeout(30)
    try:
        yield drv
    finally:
        drv.quit()


def test_report_renders_charts_and_runs_no_injected_script(driver, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    db = populated_db(tmp_path / "m.duckdb")
    page = tmp_path / "report.html"
    report.write_report(db, page, band=0.5)
    driver.get(page.as_uri())
    WebDriverWait(driver, 20).until(ec.presence_of_all_elements_located((By.CSS_SELECTOR, "figure.chart svg circle")))

    charts = {f.get_attribute("data-actor"): f for f in driver.find_elements(By.CSS_SELECTOR, "figure.chart")}
    expected = {b.actor for b in config.load(CONFIG).baselines} | {a for a, *_ in SPEAKERS}
    assert set(charts) == expected
    for actor, fig in charts.items():
        svg = fig.find_element(By.TAG_NAME, "svg")
        assert svg.size["width"] > 300 and svg.size["height"] > 80, actor
        # a drawn band has a real height on screen, not only an element in the DOM
        heights = driver.execute_script(
            "return Array.from(arguments[0].querySelectorAll('g.band rect')).map(r => r.getBBox().height)", svg)
        assert heights and min(heights) > 5, actor
    for actor, target, *_ in SPEAKERS:
        marks = charts[actor].find_elements(By.CSS_SELECTOR, f'g.series[data-target="{target}"] circle')
        lines = charts[actor].find_elements(By.CSS_SELECTOR, "g.series path")
        assert len(marks) == WEEKS and lines, actor
        assert all(m.is_displayed() for m in marks[:3])
    assert len(charts["AZ"].find_elements(By.CSS_SELECTOR, "g.alert-mark")) == 1

    # the planted script is shown as text and never ran
    assert driver.execute_script("return window.__xss === undefined")
    assert driver.title == "Stance monitor report"
    assert XSS_TEXT in driver.find_element(By.ID, "alert-alert-az-eu").text
    assert driver.find_elements(By.TAG_NAME, "script") == []

    shot = tmp_path / "report.png"
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height), 4000))
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 20_000
    if os.environ.get("MONITOR_DOCS_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "report.png")


def test_demo_report_has_one_chart_per_actor_with_its_band(driver, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 7's acceptance on the demo database, whose feeds include a quoted ``<script>``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    page = tmp_path / "demo-report.html"
    report.write_report(demo_db, page, band=0.5)
    assert "<script>alert" not in page.read_text(encoding="utf-8")
    driver.get(page.as_uri())
    WebDriverWait(driver, 20).until(ec.presence_of_all_elements_located((By.CSS_SELECTOR, "figure.chart svg circle")))
    charts = {f.get_attribute("data-actor"): f for f in driver.find_elements(By.CSS_SELECTOR, "figure.chart")}
    assert {"AZ", "RU", "AM"} <= set(charts)
    for actor in ("AZ", "RU", "AM"):
        svg = charts[actor].find_element(By.TAG_NAME, "svg")
        assert svg.find_elements(By.CSS_SELECTOR, "g.series circle"), actor
        heights = driver.execute_script(
            "return Array.from(arguments[0].querySelectorAll('g.band rect')).map(r => r.getBBox().height)", svg)
        assert heights and min(heights) > 5, actor
    assert charts["AZ"].find_elements(By.CSS_SELECTOR, "g.alert-mark"), "the demo's Azerbaijan shift is marked"
    assert driver.find_elements(By.TAG_NAME, "script") == []
    assert driver.title == "Stance monitor report"
    shot = tmp_path / "demo-report.png"
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height), 4000))
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 20_000
    if os.environ.get("MONITOR_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(shot, ROOT / "docs" / "report.png")
