"""The browser page in a real browser: Playwright drives a headless Chromium against the
running server (`python -m sim.viz.server`, as `make viz` starts it). Also against that
server: requests with a foreign Host or Origin are refused, and values crafted in the
browser give messages, not tracebacks.

Skipped, with the reason, only when no Chromium can be started (.ci/run installs Debian's).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from viz_browser import (
    ROOT, free_port, handshake, has_browser, http_status, image_digests, launch_chromium, start_server, stop_server,
    wait_for_change, wait_for_images,
)

pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[test]')")
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from sim.instruments.registry import instrument_names  # noqa: E402

# the screenshots the README shows: written to docs/img/ only when asked
# (VLIEGWIEL_SCREENSHOTS=docs/img make test), so that a test run never changes committed files
SHOTS = Path(os.environ.get("VLIEGWIEL_SCREENSHOTS", ROOT / "results" / "screenshots"))
SCREENSHOT = SHOTS / "live-view.png"
COMPARE_SCREENSHOT = SHOTS / "compare-view.png"
FIXTURE = ROOT / "tests" / "fixtures" / "comparisons" / "tiny"
CURVES, BUDGET = 2, 4  # image order on the page: map, network, curves, collectives, budget
ALSO_ALLOWED = "vliegwiel.test"  # VLIEGWIEL_ALLOWED_HOSTS of the server
NO_BROWSER = has_browser()
expect.set_options(timeout=30_000)  # two shared cores: five sessions redraw in turn
pytestmark = pytest.mark.skipif(NO_BROWSER is not None, reason=NO_BROWSER or "")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The page's server: (url, port, log file)."""
    from sim.viz import assets

    assets.ensure(log=lambda *_: None)  # Solara's front-end files, served offline (once per venv)
    results = tmp_path_factory.mktemp("results")  # what the page reads: the fixture comparison, a bad folder
    shutil.copytree(FIXTURE, results / "comparisons" / "tiny")
    (results / "comparisons" / "no_metrics").mkdir()
    port = free_port()
    log = tmp_path_factory.mktemp("viz") / "server.log"
    proc = start_server(port, log, env={"VLIEGWIEL_RESULTS": str(results), "VLIEGWIEL_ALLOWED_HOSTS": ALSO_ALLOWED})
    yield f"http://127.0.0.1:{port}/", port, log
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


def open_pages(browser, url, n: int = 1) -> list:
    """n sessions, each in its own browser context (own cookies), loading at the same time."""
    pages = []
    for _ in range(n):
        page = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True).new_page()
        page.set_default_timeout(60_000)
        page.goto(url, wait_until="commit")
        pages.append(page)
    for page in pages:
        wait_for_images(page)
        expect(page.get_by_text("Time: 0.0")).to_be_visible()
    return pages


@pytest.fixture
def page(browser, url):
    (p,) = open_pages(browser, url)
    yield p
    p.context.close()


def click(page, label: str) -> None:
    page.locator("button", has_text=label).first.click()


def choose(page, css: str, item: str) -> None:
    """Pick `item` in the v-select of class `css`."""
    page.locator(f".{css}").click()
    page.locator(".menuable__content__active .v-list-item", has_text=item).first.click()


def test_page_loads_with_every_panel(page):
    assert len(image_digests(page)) == 5
    expect(page.get_by_text("Instellingen")).to_be_visible()
    expect(page.locator(".viz-model-summary")).to_contain_text("Instrument: geen")


def test_step_changes_the_curves(page):
    before = image_digests(page)
    click(page, "Step")
    expect(page.get_by_text("Time: 1.0")).to_be_visible()
    wait_for_change(page, CURVES, before[CURVES])


def test_instrument_and_reset_change_the_model(page):
    choose(page, "viz-policy-instruments", "subsidie")
    page.locator(".viz-policy-budget input").fill("900000")
    page.locator(".viz-policy-budget input").press("Enter")
    click(page, "Step")
    expect(page.get_by_text("Time: 1.0")).to_be_visible()
    expect(page.locator(".viz-model-summary")).to_contain_text("Instrument: geen")  # not before Reset
    click(page, "Reset")
    expect(page.get_by_text("Time: 0.0")).to_be_visible()
    expect(page.locator(".viz-model-summary")).to_contain_text("Instrument: subsidie; budget 900,000")
    before = image_digests(page)[BUDGET]
    for k in range(1, 4):
        click(page, "Step")
        expect(page.get_by_text(f"Time: {k}.0")).to_be_visible()
    wait_for_change(page, BUDGET, before)
    page.locator(".viz-lang-en").click()
    expect(page.get_by_text("Settings")).to_be_visible()
    time.sleep(1.0)  # let the figures redraw in English
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000


def test_switching_language_changes_labels(page):
    curves = image_digests(page)[CURVES]
    page.locator(".viz-lang-en").click()
    expect(page.get_by_text("Settings")).to_be_visible()
    expect(page.get_by_text("Budget (EUR over the horizon)")).to_be_visible()
    expect(page.get_by_text("Instellingen")).to_have_count(0)
    wait_for_change(page, CURVES, curves)  # figure titles and legends follow the language
    page.locator(".viz-lang-nl").click()
    expect(page.get_by_text("Instellingen")).to_be_visible()


def test_bad_value_gives_a_message_not_a_crash(page):
    field = page.locator(".viz-policy-budget input")
    field.fill("-5")
    field.press("Enter")
    expect(page.locator(".viz-policy-budget")).to_contain_text("moet tussen 0 en")   # in the page's language
    click(page, "Reset")
    expect(page.locator(".viz-problem")).to_contain_text("Niet gebruikt: Budget")
    expect(page.locator(".viz-model-summary")).to_contain_text("budget 1,500,000")
    click(page, "Step")
    expect(page.get_by_text("Time: 1.0")).to_be_visible()  # the model runs on with the default


def test_five_sessions_do_not_see_each_others_state(browser, url):
    pages = open_pages(browser, url, 5)
    try:
        pages[0].locator(".viz-lang-en").click()
        choose(pages[1], "viz-policy-instruments", "prijsvraag")
        click(pages[1], "Reset")
        steps = (0, 1, 2, 0, 1)  # with the language and instrument, no two sessions alike
        for k, page in enumerate(pages):
            for _ in range(steps[k]):
                click(page, "Step")
        for k, page in enumerate(pages):
            expect(page.get_by_text(f"Time: {steps[k]}.0")).to_be_visible()
            expect(page.get_by_text("Settings" if k == 0 else "Instellingen")).to_be_visible()
            instrument = "prijsvraag" if k == 1 else ("none" if k == 0 else "geen")
            expect(page.locator(".viz-model-summary")).to_contain_text(f"Instrument: {instrument}")
    finally:
        for page in pages:
            page.context.close()


def test_the_server_refuses_a_foreign_origin_or_host_and_the_page_still_works(browser, server):
    """Cross-site websocket hijacking and DNS rebinding: before sim/viz/security.py every one of
    these handshakes was accepted (101)."""
    url, port, log = server
    local = f"127.0.0.1:{port}"
    refused = [
        handshake(port, local, "http://evil.example"),               # a page on another site, same browser
        handshake(port, f"evil.example:{port}"),                     # DNS rebinding: the browser names the attacker's host
        handshake(port, f"evil.example:{port}", f"http://evil.example:{port}"),
        handshake(port, local, "null"),
        http_status(port, "evil.example"),
        http_status(port, f"evil.example:{port}", path="/static/main.js"),
        http_status(port, local, "http://evil.example", method="POST", path="/_solara/api/close/x?session_id=y"),
    ]
    assert refused == [403] * len(refused)
    assert handshake(port, local, f"http://{local}") == 101
    assert handshake(port, f"localhost:{port}", f"http://localhost:{port}") == 101
    assert handshake(port, f"{ALSO_ALLOWED}:{port}", f"http://{ALSO_ALLOWED}:{port}") == 101   # VLIEGWIEL_ALLOWED_HOSTS
    assert http_status(port, local) == 200

    (page,) = open_pages(browser, url)   # the page itself, from 127.0.0.1, still works
    try:
        before = image_digests(page)
        click(page, "Step")
        expect(page.get_by_text("Time: 1.0")).to_be_visible()
        wait_for_change(page, CURVES, before[CURVES])
    finally:
        page.context.close()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert len([line for line in text.splitlines() if "refused" in line]) == len(refused), text[-3000:]


# what the browser's console can do: the Vue component behind an input (the element's own, or
# the first one inside that listens) reports `value` as if the visitor had chosen it
SEND = """(el, value) => {
    const find = (vm) => (vm._events.input || vm._events.change) ? vm : vm.$children.map(find).find(Boolean);
    const vm = find(el.__vue__); vm.$emit('input', value); vm.$emit('change', value); }"""


def send(locator, value) -> None:
    locator.first.evaluate(SEND, value)


def test_a_value_crafted_in_the_browser_gives_a_message_not_a_traceback(page):
    """What a visitor can send from the browser's console: a village select's value that is not
    one of its villages. Before, the page showed the Python traceback instead."""
    expect(page.get_by_text("Time: 0.0")).to_be_visible()
    for value in ["abc", -1, 10 ** 20, None, ["x"], "../../etc/passwd"]:
        send(page.locator(".viz-village-select"), value)
        expect(page.locator(".viz-notice")).to_contain_text("Die waarde kan hier niet")
        page.locator(".viz-notice-close").click()
        expect(page.locator(".viz-notice")).to_have_count(0)
    send(page.locator(".viz-language"), 7)   # the language switch has no 8th button
    expect(page.locator(".viz-notice")).to_contain_text("Die waarde kan hier niet")
    send(page.locator(".viz-policy-instruments"), "sim.model.VillageModel")
    expect(page.locator(".viz-notice")).to_contain_text("Die waarde kan hier niet")
    expect(page.get_by_text("Instellingen")).to_be_visible()
    # SolaraViz's own slider: what solara.SliderInt cannot make an int of ends in the error boundary
    send(page.locator(".v-input", has_text="Render Interval (steps)"), "abc")
    expect(page.locator(".viz-error")).to_contain_text("Er ging iets mis op deze pagina")
    page.locator(".viz-error-continue").click()
    wait_for_images(page)
    click(page, "Step")
    expect(page.get_by_text("Time: 1.0")).to_be_visible()
    body = page.inner_text("body")
    assert "Traceback" not in body and "site-packages" not in body and 'File "' not in body


def download(page, button) -> tuple[str, str]:
    """Click a download button; the file's suggested name and its text."""
    with page.expect_download() as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path()).read_text(encoding="utf-8")


def test_compare_view_shows_the_fixture_comparison_and_its_downloads_work(page):
    page.locator(".viz-view-compare").click()
    expect(page.locator(".viz-compare-select")).to_be_visible()
    choose(page, "viz-compare-select", "tiny")
    runs = page.locator(".viz-compare-runs")
    expect(runs).to_contain_text("6 runs: geen (vergelijkingsbasis): 2; dorpsdialoog: 2; subsidie: 2.")
    expect(page.locator(".viz-compare-table")).to_contain_text("dorpsdialoog")
    expect(page.locator(".viz-compare-bands img")).to_have_count(1)
    expect(page.locator(".viz-compare-diff img")).to_have_count(1)

    name, csv = download(page, page.locator(".viz-compare-table-downloads button"))
    assert name == "tiny_metrics_table.csv"
    assert csv.startswith("stratum,scenario,compared,metric,n,mean,lo,hi,diff,diff_lo,diff_hi,n_pairs")
    assert {"none", "dialogue", "subsidy"} <= {line.split(",")[1] for line in csv.splitlines()[1:]}
    assert "participation_end" in csv
    name, csv = download(page, page.locator(".viz-compare-bands-downloads button", has_text="CSV"))
    assert name == "tiny_adoption_bands.csv" and csv.startswith("scenario,month,mean,lo,hi,n")
    name, svg = download(page, page.locator(".viz-compare-diff-downloads button", has_text="SVG"))
    assert name == "tiny_difference_participation_end.svg" and "<svg" in svg

    page.locator(".viz-lang-en").click()
    expect(runs).to_contain_text("6 runs: none (baseline): 2; village dialogue: 2; subsidy: 2.")
    time.sleep(1.0)  # let the figures redraw in English
    COMPARE_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(COMPARE_SCREENSHOT), full_page=True)

    choose(page, "viz-compare-select", "no_metrics")  # a folder that is not a finished comparison
    expect(page.locator(".viz-compare-error")).to_contain_text("no results (metrics.parquet)")
    choose(page, "viz-compare-select", "tiny")
    expect(runs).to_contain_text("6 runs")
    page.locator(".viz-view-live").click()  # back to the live model
    expect(page.get_by_text("Time: 0.0")).to_be_visible()


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory):
    """A second server whose results folder holds no comparison yet."""
    results = tmp_path_factory.mktemp("empty_results")
    port = free_port()
    proc = start_server(port, tmp_path_factory.mktemp("viz_empty") / "server.log",
                        env={"VLIEGWIEL_RESULTS": str(results)})
    yield f"http://127.0.0.1:{port}/", results / "comparisons"
    stop_server(proc)


def pick(page, css: str, item: str) -> None:
    """Pick the item whose text is exactly `item` in the v-select of class `css`."""
    page.locator(f".{css}").click()
    page.locator(".menuable__content__active .v-list-item").get_by_text(item, exact=True).click()


def test_compare_view_says_when_there_are_no_comparisons_yet(browser, empty_url):
    url, comparisons = empty_url
    (page,) = open_pages(browser, url)
    try:
        page.locator(".viz-view-compare").click()
        empty = page.locator(".viz-compare-empty")
        expect(empty).to_contain_text("Er zijn nog geen vergelijkingen in")
        expect(empty).to_contain_text(str(comparisons))
        expect(empty).to_contain_text("make run")
        expect(page.locator(".viz-compare-select")).to_have_count(0)   # nothing to pick
        expect(page.locator(".viz-compare-start-button")).to_be_enabled()
        page.locator(".viz-lang-en").click()
        expect(empty).to_contain_text("There are no comparisons in")
    finally:
        page.context.close()


def test_a_small_comparison_started_from_the_page_shows_progress_and_is_shown_when_ready(browser, empty_url):
    url, comparisons = empty_url
    (page,) = open_pages(browser, url)
    try:
        page.locator(".viz-view-compare").click()
        pick(page, "viz-compare-replicates", "1")
        pick(page, "viz-compare-months", "12")
        page.locator(".viz-compare-start-button").click()
        progress = page.locator(".viz-compare-progress")
        runs_expected = len(instrument_names())   # every instrument once, the baseline ("none") among them
        expect(progress).to_contain_text("page_small_12m_1r")   # "0 van N runs klaar", then collecting
        expect(progress).to_contain_text(re.compile(rf"van {runs_expected} runs klaar|alle runs klaar"))
        expect(page.locator(".viz-compare-start-button")).to_be_disabled()   # one run at a time
        ready = page.get_by_text("page_small_12m_1r is klaar.")
        expect(ready).to_be_visible(timeout=120_000)
        runs = page.locator(".viz-compare-runs")
        expect(runs).to_contain_text(f"{runs_expected} runs: geen (vergelijkingsbasis): 1;")
        for name in ("subsidie: 1", "prijsvraag: 1", "aanbesteding: 1", "dorpsdialoog: 1"):
            expect(runs).to_contain_text(name)
        expect(page.locator(".viz-compare-bands img")).to_have_count(1)
        expect(page.locator(".viz-compare-select")).to_contain_text("page_small_12m_1r")   # listed, and chosen
        assert len(list((comparisons / "page_small_12m_1r" / "runs").glob("*.parquet"))) == runs_expected
    finally:
        page.context.close()
        shutil.rmtree(comparisons / "page_small_12m_1r", ignore_errors=True)   # the folder is empty again
