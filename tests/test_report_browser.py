"""The report in a real browser: headless Chromium opens the file with networking cut off,
and the test fails on any console error, page error or request other than the file itself.

Needs the ``playwright`` Python package (``pip install -e ".[test]"``) and a Chromium
binary (Debian: ``apt-get install chromium``; ``.ci/run`` installs it in CI).  Playwright
drives that binary; it downloads no browser of its own.  Skipped, with the reason, only
where no browser is installed.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions", "--no-default-browser-check"]


def _chromium() -> str | None:
    for c in (os.environ.get("FLOWMODEL_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
              shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if c and Path(c).exists():
            return c
    return None


CHROMIUM = _chromium()
if CHROMIUM is None:
    pytest.skip("no Chromium installed (Debian: apt-get install chromium; .ci/run installs it in CI)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    import flowmodel as fm

    res = fm.run()
    tl = fm.timeline(None, years="2016-2020")
    path = tmp_path_factory.mktemp("report") / "report.html"
    fm.report(res, path, timeline=tl)
    return path


@pytest.fixture(scope="module")
def page_state(report_file, tmp_path_factory):
    """Load the report once; collect console messages, page errors and requests."""
    profile = tmp_path_factory.mktemp("chromium-profile")  # empty --user-data-dir
    console, errors, requests = [], [], []
    url = report_file.as_uri()
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900}, offline=True)
        page = ctx.new_page()
        page.on("console", lambda m: console.append((m.type, m.text)))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url, wait_until="load")
        page.wait_for_function("document.body.getAttribute('data-rendered') !== null", timeout=30_000)
        state = page.evaluate("""() => ({
            figures: JSON.parse(document.getElementById('fm-figures').textContent).figures.length,
            rendered: Number(document.body.getAttribute('data-rendered')),
            mapTraces: document.querySelectorAll('[id^="map-"] .scatterlayer .trace').length,
            mapPaths: document.querySelectorAll('[id^="map-"] .scatterlayer path.js-line').length,
            sankeyNodes: document.querySelectorAll('[id^="sankey-"] .sankey-node').length,
            sankeyLinks: document.querySelectorAll('[id^="sankey-"] .sankey-link').length,
            timelineBars: document.querySelectorAll('#timeline-0 .bars .point').length,
            tables: document.querySelectorAll('table').length,
            redirectRows: document.querySelectorAll('section[id^="default"] table')[0].rows.length,
            sourceRows: document.querySelectorAll('tr[id^="src-"]').length,
            brokenLinks: Array.from(document.querySelectorAll('a[href^="#"]'))
                .filter(a => !document.getElementById(a.getAttribute('href').slice(1))).length,
            links: document.querySelectorAll('a[href^="#src-"]').length,
        })""")
        shot = page.screenshot(full_page=False)
        map_shot = page.locator('[id^="map-"]').first.screenshot()
        ctx.close()
    return {"console": console, "errors": errors, "requests": requests, "state": state, "shot": shot, "map_shot": map_shot,
            "url": url}


def test_no_console_error_no_page_error(page_state):
    bad = [m for m in page_state["console"] if m[0] in ("error", "warning")]
    assert bad == [] and page_state["errors"] == []


def test_no_request_but_the_file(page_state):
    others = [u for u in page_state["requests"] if u != page_state["url"]]
    assert others == []


def test_figures_rendered(page_state):
    st = page_state["state"]
    # timeline + map + one Sankey per commodity with flow (crude, gas, LNG in 2024)
    assert st["figures"] == 5 and st["rendered"] == 5
    assert st["mapPaths"] > 50          # land, borders and the arcs drawn as SVG paths
    assert st["sankeyNodes"] >= 20 and st["sankeyLinks"] >= 20
    assert st["timelineBars"] == 2 * 5 * 2  # 2 commodities x 5 years x (from CN, rest)


def test_tables_and_source_links(page_state):
    st = page_state["state"]
    assert st["tables"] >= 5
    assert st["redirectRows"] == 1 + 3   # header + crude, gas, LNG
    assert st["sourceRows"] > 50 and st["links"] > 20
    assert st["brokenLinks"] == 0


def _pixels(png: bytes):
    from PIL import Image

    import numpy as np

    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    px = [tuple(int(v) for v in p) for p in a]
    return px, len(px)


def test_screenshot_not_blank(page_state):
    px, n = _pixels(page_state["shot"])
    non_white = sum(1 for p in px if min(p) < 245)
    assert non_white / n > 0.05           # text, tables and the timeline, not an empty page
    assert len(set(px)) > 50


def test_map_screenshot_shows_sea_land_and_arcs(page_state):
    px, n = _pixels(page_state["map_shot"])
    counts: dict = {}
    for p in px:
        counts[p] = counts.get(p, 0) + 1
    sea, land = (0xEA, 0xF1, 0xF6), (0xF4, 0xF1, 0xEA)   # figures.SEA, figures.LAND
    assert counts.get(sea, 0) / n > 0.05 and counts.get(land, 0) / n > 0.05
    brown = sum(c for p, c in counts.items() if p[0] > p[2] + 60 and p[1] < 120)  # crude arcs (#8c510a)
    assert brown > 200
