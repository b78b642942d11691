"""The site in a real browser: Debian's headless Chromium driven by Selenium. Each kind of page
renders with no console error, the home page's charts are drawn, the search finds Hà Tĩnh from
"ha tinh" (from file:// and over http), the language switch shows the English labels, and no page
asks another host for anything. Screenshots of the home, a province and an act page are saved in
build/screenshots/ (or $DTKG_SCREENSHOTS) for a person to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import REPO

PAGES = {
    "home": "index.html",
    "province": "id/province/51-quang-ngai.html",
    "province-2025": "id/province/2025-31-hai-phong.html",
    "act": "id/act/08-tuyen-quang/2022/55_KH-UBND.html",
    "central-act": "id/act/vn/2019/52-NQ_TW.html",
    "sector": "vocab/sector/logistics.html",
    "scheme": "vocab/sector.html",
    "ontology": "ontology.html",
    "source": "id/source/quang-ngai-2022-06-01.html",
}


def _driver_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (browser and driver):
        pytest.fail("Chromium and its driver are needed: `apt-get install chromium chromium-driver` "
                    "(make test and .ci/run install them when they are missing)")
    return browser, driver


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary, driver = _driver_paths()
    options = Options()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.set_page_load_timeout(30)
    yield chrome
    chrome.quit()


@pytest.fixture(scope="module")
def site(graph, tmp_path_factory) -> Path:
    from kg.publish.site import write_site

    return write_site(graph.quads_for_pattern(None, None, None, None), tmp_path_factory.mktemp("browse") / "site").out


@pytest.fixture(scope="module")
def http_site(site):
    """The site over http, from a plain static server (as a static host would serve it)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _errors(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _foreign_requests(browser, origin: str) -> list[str]:
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return [u for u in urls if not u.startswith(origin)]


@pytest.mark.parametrize("kind", list(PAGES))
def test_each_kind_of_page_renders_without_errors(browser, http_site, kind):
    browser.get(f"{http_site}/{PAGES[kind]}")
    assert browser.find_element("css selector", "h1").text.strip()
    assert _errors(browser) == []
    assert _foreign_requests(browser, http_site) == []


def test_the_home_page_draws_its_charts_and_switches_the_map(browser, http_site):
    browser.get(f"{http_site}/index.html")
    visible = [f for f in browser.find_elements("css selector", "figure.tilemap") if f.is_displayed()]
    assert len(visible) == 1 and len(visible[0].find_elements("css selector", "rect")) == 63
    browser.find_element("css selector", '.switch button[data-units="34"]').click()
    visible = [f for f in browser.find_elements("css selector", "figure.tilemap") if f.is_displayed()]
    assert len(visible[0].find_elements("css selector", "rect")) == 34
    assert browser.find_elements("css selector", "#heatmap svg rect")
    assert browser.find_elements("css selector", "#timeline svg rect")


@pytest.mark.parametrize("where", ["http", "file"])
def test_search_finds_ha_tinh_without_diacritics(browser, site, http_site, where):
    base = http_site if where == "http" else site.as_uri()
    browser.get(f"{base}/index.html")
    box = browser.find_element("id", "q")
    box.send_keys("ha tinh")
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 10).until(lambda b: "Hà Tĩnh" in b.find_element("id", "results").text)
    assert _errors(browser) == []


def test_the_language_switch_shows_english_labels(browser, http_site):
    browser.get(f"{http_site}/{PAGES['act']}")
    assert "Kế hoạch" in browser.find_element("css selector", ".kind").text
    browser.find_element("id", "lang").click()
    assert "Plan" in browser.find_element("css selector", ".kind").text
    browser.find_element("id", "lang").click()  # back to Vietnamese for the next tests


def test_screenshots_for_review(browser, http_site):
    folder = Path(os.environ.get("DTKG_SCREENSHOTS", REPO / "build" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    for kind in ("home", "province", "act"):
        browser.get(f"{http_site}/{PAGES[kind]}")
        assert browser.save_screenshot(str(folder / f"{kind}.png"))
        assert (folder / f"{kind}.png").stat().st_size > 10_000
