"""The browser page in a real browser: Playwright drives Debian's Chromium against the running
server (`python -m sim.viz.server`, as `make viz` starts it).

One server for the module (two replicates per answer, one per loop: VLIEGWIEL_PAGE_*), its
results folder holding the tiny comparison and the demo robust analysis of tests/fixtures.
Every view in both languages, no English word on the Dutch page, the brief downloads and
renders, a link restores the settings in a new session, a foreign Origin is refused, five
sessions stay apart, a second visitor's comparison is not joined silently, and rapid
interaction never shows a traceback. Skipped, with the reason, only when no Chromium can be
started (.ci/run installs Debian's).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from viz_browser import (
    ROOT, english_on, english_only_words, free_port, handshake, has_browser, http_status, image_digests,
    launch_chromium, start_server, stop_server, wait_for_change,
)

pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[test]')")
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from sim.instruments.registry import instrument_names  # noqa: E402

# the screenshots the README shows: written to docs/img/ only when asked
# (VLIEGWIEL_SCREENSHOTS=docs/img make test), so that a test run never changes committed files
SHOTS = Path(os.environ.get("VLIEGWIEL_SCREENSHOTS", ROOT / "results" / "screenshots"))
FIXTURES = ROOT / "tests" / "fixtures"
ALSO_ALLOWED = "vliegwiel.test"   # VLIEGWIEL_ALLOWED_HOSTS of the server
NO_BROWSER = has_browser()
expect.set_options(timeout=60_000)   # two shared cores
pytestmark = pytest.mark.skipif(NO_BROWSER is not None, reason=NO_BROWSER or "")
SENTENCE = ".viz-answer .viz-sentence"
# replicates per answer and per loop: few, for speed; VLIEGWIEL_PAGE_REPLICATES=5 VLIEGWIEL_PAGE_WHY_REPLICATES=3
# (the page's defaults) for the README's screenshots
REPLICATES = os.environ.get("VLIEGWIEL_PAGE_REPLICATES", "2")
WHY_REPLICATES = os.environ.get("VLIEGWIEL_PAGE_WHY_REPLICATES", "1")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The page's server: (url, port, log file, results folder)."""
    from sim.viz import assets

    assets.ensure(log=lambda *_: None)   # Solara's front-end files, served offline (once per venv)
    results = tmp_path_factory.mktemp("results")
    shutil.copytree(FIXTURES / "comparisons" / "tiny", results / "comparisons" / "tiny")
    (results / "comparisons" / "no_metrics").mkdir()
    shutil.copytree(FIXTURES / "explore" / "demo", results / "explore" / "demo")
    port = free_port()
    log = tmp_path_factory.mktemp("viz") / "server.log"
    proc = start_server(port, log, env={"VLIEGWIEL_RESULTS": str(results), "VLIEGWIEL_ALLOWED_HOSTS": ALSO_ALLOWED,
                                        "VLIEGWIEL_PAGE_REPLICATES": REPLICATES, "VLIEGWIEL_PAGE_WHY_REPLICATES": WHY_REPLICATES})
    yield f"http://127.0.0.1:{port}/", port, log, results
    stop_server(proc)


@pytest.fixture(scope="module")
def url(server):
    return server[0]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def open_page(browser, url, query: str = "", wait: str = SENTENCE):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    page.set_default_timeout(90_000)
    page.goto(url + (f"?{query}" if query else ""))
    if wait:
        page.locator(wait).first.wait_for()
    return page


@pytest.fixture(scope="module")
def english():
    return english_only_words()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    time.sleep(0.8)   # let images settle
    page.screenshot(path=str(SHOTS / name), full_page=True)
    assert (SHOTS / name).stat().st_size > 30_000


def no_traceback(page) -> None:
    body = page.inner_text("body")
    assert "Traceback" not in body and "site-packages" not in body and 'File "' not in body, body[-1500:]


WITHOUT_CODE = """() => { const c = document.body.cloneNode(true);
    c.querySelectorAll('.viz-code').forEach(e => e.remove()); document.body.appendChild(c);
    const t = c.innerText; c.remove(); return t; }"""


def dutch_only(page, english) -> None:
    """No English-only word on the page, outside links and commands (`.viz-code`)."""
    leaked = english_on(page.evaluate(WITHOUT_CODE), english)
    assert leaked == [], leaked


def go(page, view: str) -> None:
    page.locator(f".viz-view-{view}").click()


def choose(page, css: str, item: str) -> None:
    """Pick `item` in the v-select of class `css`."""
    page.locator(f".{css}").click()
    page.locator(".menuable__content__active .v-list-item", has_text=item).first.click()


def download(page, button) -> tuple[str, Path]:
    with page.expect_download() as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path())


# --- the views, in both languages -----------------------------------------------------------------

def test_the_start_view_answers_in_dutch_and_english_with_why_and_how_sure(browser, url, english):
    page = open_page(browser, url)
    try:
        sentence = page.locator(SENTENCE)
        # one of the three verdicts (up, down, hardly), which one depends on the runs and the model
        expect(sentence).to_contain_text(re.compile(
            "Met € 1,5 mln over 10 jaar (verhoogt dorpsdialoog het|verlaagt dorpsdialoog het|verandert dorpsdialoog "
            "weinig aan het) deel van de volwassenen"))
        expect(sentence).to_contain_text(f"spreiding over {REPLICATES} runs met ander toeval")
        # finished: one of the two answers the loops can give (which one depends on the runs)
        expect(page.locator(".viz-why")).to_contain_text(
            re.compile("Het grootste deel van de winst liep via|Geen enkele lus droeg duidelijk bij"), timeout=180_000)
        expect(page.locator(".viz-answer-job")).to_have_count(0)   # no stale "1 of 10 runs done" over the answer
        expect(page.locator(".viz-why-job")).to_have_count(0)
        expect(page.locator(".viz-sure")).to_contain_text("In 85 % van de 40 plausibele werelden")
        expect(page.locator(".viz-answer-figure img")).to_have_count(1)
        dutch_only(page, english)
        assert "Time:" not in page.inner_text("body")
        page.emulate_media(media="print")   # printing shows the content, not the side column over it
        expect(page.locator(".viz-sidebar")).to_be_hidden()
        expect(page.locator(".viz-tabs")).to_be_hidden()
        expect(sentence).to_be_visible()
        assert page.locator(".viz-main").bounding_box()["x"] < 60
        page.emulate_media(media="screen")
        page.locator(".viz-lang-en").click()
        expect(sentence).to_contain_text(re.compile(
            "With EUR 1.5 M over 10 years, village dialogue (raises|lowers|hardly changes) the share of adults"))
        expect(page.locator(".viz-why")).to_contain_text(
            re.compile("Most of the gain came through|No loop clearly contributed"))
        shot(page, "start-view.png")
        no_traceback(page)
    finally:
        page.context.close()


def test_the_broker_and_a_province_programme_in_the_question_in_both_languages(browser, url, english):
    """The ninth instrument and the province-role programmes, chosen in the question panel: their
    names, a programme's own budget, and 'how sure' naming what the (demo) analysis lacks."""
    page = open_page(browser, url, "lang=nl&world=small&years=2")
    try:
        page.locator(".viz-q-instruments").click()
        expect(page.locator(".menuable__content__active")).to_contain_text("provincie als verbinder")
        page.keyboard.press("Escape")
        page.locator(".viz-kind-programme").click()
        choose(page, "viz-q-programme", "De provincie als medefinancier")
        expect(page.locator(".viz-q-budget-reads")).to_contain_text(
            "Dit programma legt zijn eigen budget vast: € 750.000 van de gemeenten en € 750.000 van de provincie.")
        expect(page.locator(".viz-q-budget input")).to_be_disabled()
        expect(page.locator(SENTENCE)).to_contain_text("Met € 750.000 van de gemeenten en € 750.000 van de provincie "
                                                       "over 2 jaar", timeout=180_000)
        expect(page.locator(".viz-sure")).to_contain_text("make run ARGS=--mixes")
        dutch_only(page, english)
        page.locator(".viz-lang-en").click()
        expect(page.locator(SENTENCE)).to_contain_text("the programme ‘The province as co-funder")
        page.locator(".viz-q-programme").click()
        expect(page.locator(".menuable__content__active")).to_contain_text("The province as broker between villages")
        page.keyboard.press("Escape")
        assert "programme=province_funder" in page.evaluate("window.location.search")
        no_traceback(page)
    finally:
        page.context.close()


def test_the_robust_view_in_both_languages_and_its_downloads(browser, url, english):
    page = open_page(browser, url, "view=robust&lang=nl", ".viz-robust-grid")
    try:
        expect(page.locator(".viz-robust-intro")).to_contain_text("40 plausibele werelden")
        expect(page.locator(".viz-robust-dialogue")).to_contain_text("85 % van de werelden (71 % tot 93 %)")
        expect(page.locator(".viz-robust-discovery")).to_contain_text("de drempel om mee te doen boven 0,330")
        dutch_only(page, english)
        name, path = download(page, page.locator(".viz-robust-csv button"))
        assert name == "demo_participation_end.csv" and path.read_text().startswith("policy,outcome,beats_baseline")
        name, path = download(page, page.locator(".viz-robust-shares .viz-robust-downloads button", has_text="SVG"))
        assert name == "demo_participation_end_shares.svg" and "<svg" in path.read_text()
        page.locator(".viz-lang-en").click()
        expect(page.locator(".viz-robust-dialogue")).to_contain_text("85 % of worlds (71 % to 93 %)")
        expect(page.locator(".viz-robust-discovery")).to_contain_text("the threshold for taking part is over 0.330")
        shot(page, "robust-view.png")
    finally:
        page.context.close()


def test_the_utrecht_map_names_its_villages_and_a_click_tells_a_villages_story(browser, url, english):
    page = open_page(browser, url, "view=map&world=utrecht&lang=nl", ".viz-map-svg")
    try:
        expect(page.locator(".viz-map-names")).to_contain_text("Maartensdijk")
        expect(page.locator(".viz-map-village")).to_have_count(72)
        page.locator('.viz-map-village[data-index="0"] circle').click(force=True)
        story = page.locator(".viz-story")
        expect(story).to_contain_text("Maartensdijk (De Bilt)")
        expect(story).to_contain_text("volwassenen. Na 10 jaar doet")
        expect(story).to_contain_text("Wat dorpsdialoog hier deed")
        dutch_only(page, english)
        page.locator(".viz-map-show-diff").click()
        expect(page.locator(".viz-map-legend")).to_contain_text("verschil (procentpunt)")
        page.locator(".viz-map-show-policy").click()
        page.locator(".viz-lang-en").click()
        expect(story).to_contain_text("adults. After 10 years")
        expect(page.locator(".viz-map-legend")).to_contain_text("share taking part")
        shot(page, "utrecht-map.png")
    finally:
        page.context.close()


def test_the_live_model_steps_plays_to_the_horizon_and_runs_to_the_end(browser, url, english):
    page = open_page(browser, url, "view=live&lang=nl&world=small", ".viz-live-curves img")
    try:
        status = page.locator(".viz-live-status")
        expect(status).to_contain_text("Maand 0 van 120")
        before = image_digests(page, ".viz-live-curves")[0]
        page.locator(".viz-live-step").click()
        expect(status).to_contain_text("Maand 1 van 120")
        wait_for_change(page, ".viz-live-curves", before)
        page.locator(".viz-live-play").click()
        expect(page.locator(".viz-live-at-end")).to_be_visible(timeout=90_000)   # Play stops at the horizon
        expect(status).to_contain_text("Maand 120 van 120")
        time.sleep(1.0)
        expect(status).to_contain_text("Maand 120 van 120")
        # on the calibrated default a small world may see nobody take part in Dorp 1 in ten years
        expect(page.locator(".viz-cascade-summary")).to_contain_text(
            re.compile("volwassenen in Dorp 1 deden ooit mee|In Dorp 1 heeft nog niemand meegedaan"))
        dutch_only(page, english)
        page.locator(".viz-live-reset").click()
        expect(status).to_contain_text("Maand 0 van 120")
        page.locator(".viz-live-end").click()
        expect(status).to_contain_text("Maand 120 van 120")
        page.locator(".viz-lang-en").click()
        expect(status).to_contain_text("Month 120 of 120")
        shot(page, "live-view.png")
    finally:
        page.context.close()


def test_the_compare_view_in_both_languages_with_full_width_figures_and_downloads(browser, url, english):
    page = open_page(browser, url, "view=compare&lang=nl", ".viz-compare-select")
    try:
        choose(page, "viz-compare-select", "tiny")
        runs = page.locator(".viz-compare-runs")
        expect(runs).to_contain_text("6 runs: geen (vergelijkingsbasis): 2; dorpsdialoog: 2; subsidie: 2.")
        expect(page.locator(".viz-compare-bands img")).to_have_count(1)
        width = page.locator(".viz-compare-bands img").bounding_box()["width"]
        assert width > 800                                   # full width, not a thumbnail
        expect(page.locator(".viz-compare-diff")).to_contain_text("geen (vergelijkingsbasis)")
        dutch_only(page, english)
        name, path = download(page, page.locator(".viz-compare-table-downloads button"))
        assert name == "tiny_metrics_table.csv" and "p_value" not in path.read_text() and ",p," not in path.read_text()
        page.locator(".viz-lang-en").click()
        expect(runs).to_contain_text("6 runs: none (baseline): 2; village dialogue: 2; subsidy: 2.")
        shot(page, "compare-view.png")
        choose(page, "viz-compare-select", "no_metrics")
        expect(page.locator(".viz-compare-error")).to_contain_text("no results (metrics.parquet)")
    finally:
        page.context.close()


# --- save, share, print ----------------------------------------------------------------------------

def test_the_brief_downloads_and_renders_on_one_page(browser, url, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    page = open_page(browser, url)
    try:
        expect(page.locator(".viz-brief-download button")).to_be_visible()
        name, path = download(page, page.locator(".viz-brief-download button"))
        assert name == "vliegwiel_notitie_dialogue_1500000eur_10y_province.pdf"
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "brief")], check=True, timeout=60)
        (png,) = tmp_path.glob("brief*.png")
        assert png.stat().st_size > 20_000
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        assert "Met € 1,5 mln over 10 jaar verhoogt dorpsdialoog" in text and "Hoe zeker" in text
        name, path = download(page, page.locator(".viz-scenario-download button"))
        assert name == "page_dialogue_1500000eur_10y_province.yaml"
        assert path.read_text().startswith("# @package _global_") and "instruments:\n  - dialogue" in path.read_text()
    finally:
        page.context.close()


def test_a_link_restores_the_same_settings_in_a_new_session(browser, url):
    page = open_page(browser, url, "lang=en")
    try:
        page.locator(".viz-q-budget input").fill("900,000")
        page.locator(".viz-q-budget input").press("Enter")
        choose(page, "viz-q-years", "5 years")
        sentence = page.locator(SENTENCE)
        expect(sentence).to_contain_text("With EUR 900,000 over 5 years", timeout=180_000)
        link = page.evaluate("window.location.href")
        assert "budget=900000" in link and "years=5" in link and "lang=en" in link
        assert page.locator(".viz-share-link").inner_text() == link
    finally:
        page.context.close()
    again = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    again.goto(link)
    try:
        expect(again.locator(SENTENCE)).to_contain_text("With EUR 900,000 over 5 years")
        expect(again.locator(".viz-q-budget input")).to_have_value("900,000")
        assert again.evaluate("window.location.href") == link
    finally:
        again.context.close()


# --- safety ----------------------------------------------------------------------------------------

def test_the_server_refuses_a_foreign_origin_or_host_and_the_page_still_works(browser, server):
    """Cross-site websocket hijacking and DNS rebinding: refused, with one log line each."""
    url, port, log, _ = server
    local = f"127.0.0.1:{port}"
    refused = [
        handshake(port, local, "http://evil.example"),
        handshake(port, f"evil.example:{port}"),
        handshake(port, f"evil.example:{port}", f"http://evil.example:{port}"),
        handshake(port, local, "null"),
        http_status(port, "evil.example"),
        http_status(port, f"evil.example:{port}", path="/static/main.js"),
        http_status(port, local, "http://evil.example", method="POST", path="/_solara/api/close/x?session_id=y"),
    ]
    assert refused == [403] * len(refused)
    assert handshake(port, local, f"http://{local}") == 101
    assert handshake(port, f"{ALSO_ALLOWED}:{port}", f"http://{ALSO_ALLOWED}:{port}") == 101
    assert http_status(port, local) == 200
    text = log.read_text(errors="replace")
    assert len([line for line in text.splitlines() if "refused" in line]) >= len(refused), text[-3000:]


SEND = """(el, value) => {
    const find = (vm) => (vm._events.input || vm._events.change) ? vm : vm.$children.map(find).find(Boolean);
    const vm = find(el.__vue__); vm.$emit('input', value); vm.$emit('change', value); }"""


def test_a_value_crafted_in_the_browser_gives_a_message_not_a_traceback(browser, url):
    page = open_page(browser, url, "view=live&world=small", ".viz-live-curves img")
    try:
        for value in ["abc", -1, 10 ** 20, None, ["x"], "../../etc/passwd"]:
            page.locator(".viz-live-village").first.evaluate(SEND, value)
            expect(page.locator(".viz-notice")).to_contain_text("Die waarde kan hier niet")
            page.locator(".viz-notice-close").click()
        page.locator(".viz-language").evaluate(SEND, 7)
        expect(page.locator(".viz-notice")).to_contain_text("Die waarde kan hier niet")
        page.locator(".viz-q-instruments").evaluate(SEND, ["sim.model.VillageModel"])
        expect(page.locator(".viz-question")).to_contain_text("Niet toegepast")
        page.locator(".viz-live-step").click()
        expect(page.locator(".viz-live-status")).to_contain_text("Maand 1 van 120")
        no_traceback(page)
    finally:
        page.context.close()


def test_five_sessions_stay_apart(browser, url):
    queries = ["lang=en&view=live&world=small", "instruments=subsidy&view=live&world=small",
               "view=map&world=small", "lang=en&view=robust", "instruments=prize&years=5&view=live&world=small"]
    pages = [open_page(browser, url, q, wait="") for q in queries]
    try:
        for p in pages:
            p.locator(".viz-main").first.wait_for()
        expect(pages[0].locator(".viz-live-status")).to_contain_text("Month 0 of 120")
        pages[0].locator(".viz-live-step").click()
        pages[0].locator(".viz-live-step").click()
        pages[1].locator(".viz-live-end").click()
        expect(pages[0].locator(".viz-live-status")).to_contain_text("Month 2 of 120: ")
        expect(pages[0].locator(".viz-live-status")).to_contain_text("with village dialogue")
        expect(pages[1].locator(".viz-live-status")).to_contain_text("Maand 120 van 120")
        expect(pages[1].locator(".viz-live-status")).to_contain_text("met subsidie")
        expect(pages[2].locator(".viz-map-svg")).to_be_visible()
        expect(pages[3].locator(".viz-robust-intro")).to_contain_text("40 plausible worlds")
        expect(pages[4].locator(".viz-live-status")).to_contain_text("Maand 0 van 60")
        expect(pages[4].locator(".viz-live-status")).to_contain_text("met prijsvraag")
        for p, q in zip(pages, queries, strict=True):
            assert all(part in p.evaluate("window.location.search") for part in q.split("&")), q
            no_traceback(p)
    finally:
        for p in pages:
            p.context.close()


def test_a_second_visitors_start_is_not_joined_to_anothers_comparison(browser, url, server):
    results = server[3]
    first = open_page(browser, url, "view=compare", ".viz-compare-start-button")
    second = open_page(browser, url, "view=compare", ".viz-compare-start-button")
    try:
        choose(first, "viz-compare-replicates", "1")
        choose(first, "viz-compare-months", "12")
        first.locator(".viz-compare-start-button").click()
        expect(first.locator(".viz-compare-progress")).to_contain_text("page_small_12m_1r")
        expect(first.locator(".viz-compare-other")).to_have_count(0)
        second.reload()
        go(second, "compare")
        expect(second.locator(".viz-compare-other")).to_contain_text("Een andere bezoeker laat nu ‘page_small_12m_1r’")
        expect(second.locator(".viz-compare-start-button")).to_be_disabled()
        expect(first.get_by_text("page_small_12m_1r is klaar.")).to_be_visible(timeout=180_000)
        expect(first.locator(".viz-compare-runs")).to_contain_text(f"{len(instrument_names())} runs: geen (vergelijkingsbasis): 1;")
        expect(second.locator(".viz-compare-start-button")).to_be_enabled()
        expect(second.locator(".viz-compare-runs")).to_have_count(0)   # not opened in the other session
    finally:
        first.context.close()
        second.context.close()
        shutil.rmtree(results / "comparisons" / "page_small_12m_1r", ignore_errors=True)


def test_rapid_interaction_never_shows_a_traceback(browser, url, server):
    """Play, switch language, change the question, start again, step: all at once, twice."""
    log = server[2]
    page = open_page(browser, url, "view=live&world=small", ".viz-live-curves img")
    try:
        for _ in range(2):
            page.locator(".viz-live-play").click()
            page.locator(".viz-lang-en").click()
            page.locator(".viz-lang-nl").click()
            page.locator(".viz-q-budget input").fill("2.000.000")
            page.locator(".viz-q-budget input").press("Enter")
            page.locator(".viz-live-reset").click()
            page.locator(".viz-live-play").click()
            page.locator(".viz-lang-en").click()
            page.locator(".viz-live-step").click(timeout=10_000, no_wait_after=True)
            go(page, "answer")
            go(page, "live")
            page.locator(".viz-lang-nl").click()
        time.sleep(2.0)                    # clicks faster than the page redraws may be merged; then:
        go(page, "live")                   # the page works on
        page.locator(".viz-lang-nl").click()
        expect(page.locator(".viz-live-status")).to_contain_text(re.compile(r"Maand \d+ van 120"))
        page.locator(".viz-live-end").click()
        expect(page.locator(".viz-live-status")).to_contain_text("Maand 120 van 120")
        no_traceback(page)
        assert "Traceback" not in log.read_text(errors="replace")
        assert "page error" not in log.read_text(errors="replace")
    finally:
        page.context.close()
