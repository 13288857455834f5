"""Browser page speed, measured in a real browser (issue 15): the first screen with an answer
within 3 s of loading, a step of the live model redrawn within 0.5 s, a brief PDF within 5 s,
on the default world.

Starts the page's server (`python -m sim.viz.server`, as `make viz`) on a free port with its
own results folder, waits until the server has computed the default question's answer (its
warm-up: the runs are then stored, as on any server that answered the question before:
"cached results", stated in the output), and measures in headless Chromium (Debian's
/usr/bin/chromium if present), `--repeat` times, each in a new browser session:
- first screen: from navigation until the answer's sentence is on the page;
- step: from clicking "one month on" in the live view until the month's status and the
  curves figure show the new month;
- brief: from clicking the brief's download until the PDF is saved.
Writes results/benchmarks/viz.json with the machine's load average before and after.
`--explore DIR` copies a robust analysis (a vliegwiel-explore folder) into the server's results
folder, so that the first screen also reads it for its "how sure" (without it, the page says
there is none yet).

    .venv/bin/python benchmarks/bench_viz.py [--repeat 3] [--steps 5] [--explore results/explore/robust]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sim.atomic import write_text_atomic  # noqa: E402
from viz_browser import (  # noqa: E402
    free_port, image_digests, launch_chromium, start_server, stop_server, wait_for_change,
)

OUT = ROOT / "results" / "benchmarks" / "viz.json"
SENTENCE = ".viz-answer .viz-sentence"
TARGETS = {"first_screen_s": 3.0, "step_redraw_s": 0.5, "brief_s": 5.0}


def new_page(browser):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    page.set_default_timeout(600_000)
    return page


def first_screen(browser, url: str) -> tuple[float, object]:
    page = new_page(browser)
    t0 = time.perf_counter()
    page.goto(url)
    page.locator(SENTENCE).wait_for()
    return time.perf_counter() - t0, page


def brief(page) -> float:
    button = page.locator(".viz-brief-download button")
    button.wait_for()
    t0 = time.perf_counter()
    with page.expect_download() as info:
        button.click()
    info.value.path()   # waits until the file is saved
    return time.perf_counter() - t0


def steps(page, url: str, n: int) -> list[float]:
    page.goto(url + "?view=live")
    page.locator(".viz-live-curves img").wait_for()
    status = page.locator(".viz-live-status")
    out = []
    for k in range(1, n + 1):
        before = image_digests(page, ".viz-live-curves")[0]
        t0 = time.perf_counter()
        page.locator(".viz-live-step").click()
        status.filter(has_text=f" {k} ").wait_for()
        wait_for_change(page, ".viz-live-curves", before, timeout_s=30)
        out.append(time.perf_counter() - t0)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="browser sessions (default 3)")
    parser.add_argument("--steps", type=int, default=5, help="steps timed per session (default 5)")
    parser.add_argument("--explore", type=Path, default=None,
                        help="a robust analysis folder (vliegwiel-explore --dir) for the page's 'how sure'")
    args = parser.parse_args(argv)
    if args.explore is not None and not (args.explore / "robustness" / "summary.json").is_file():
        parser.error(f"--explore {args.explore}: no robustness/summary.json there")
    from playwright.sync_api import sync_playwright

    from sim.viz import assets

    assets.ensure()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        if args.explore is not None:       # what the page reads of an analysis (not its runs)
            into = Path(tmp) / "explore" / args.explore.name
            shutil.copytree(args.explore, into, ignore=shutil.ignore_patterns("runs", "point", "*.parquet", "*.csv"))
        proc = start_server(port, Path(tmp) / "server.log", env={"VLIEGWIEL_RESULTS": tmp})
        try:
            with sync_playwright() as p:
                browser = launch_chromium(p)
                t0 = time.perf_counter()
                warm, page = first_screen(browser, url)   # the server's warm-up computes the answer,
                page.locator(".viz-why-figure img").wait_for()   # then its loops,
                page.goto(url + "?view=map")
                page.locator(".viz-map-svg").wait_for()   # then its villages: now the server is idle
                page.context.close()
                warm_up = time.perf_counter() - t0
                load_before = os.getloadavg()
                firsts, redraws, briefs = [], [], []
                for _ in range(args.repeat):
                    seconds, page = first_screen(browser, url)
                    firsts.append(seconds)
                    briefs.append(brief(page))
                    redraws += steps(page, url, args.steps)
                    page.context.close()
                load_after = os.getloadavg()
                browser.close()
        finally:
            stop_server(proc)
    result = {
        "what": "browser page, default world (world=province, 5 replicates per answer), one session at a time",
        "robust_analysis": str(args.explore) if args.explore is not None else None,
        "cached": "the first screen is measured after the server has computed the default question once "
                  f"(answer, loops and villages; runs stored in the results folder; that took {warm_up:.1f} s)",
        "first_screen_s": {"median": statistics.median(firsts), "max": max(firsts), "all": firsts},
        "step_redraw_s": {"median": statistics.median(redraws), "max": max(redraws), "all": redraws},
        "brief_s": {"median": statistics.median(briefs), "max": max(briefs), "all": briefs},
        "warm_up_s": warm_up,
        "targets": TARGETS,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_before": load_before, "load_average_after": load_after},   # 1, 5, 15 min
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(OUT, json.dumps(result, indent=2) + "\n")
    line = "; ".join(f"{k.removesuffix('_s').replace('_', ' ')}: median {result[k]['median']:.2f} s "
                     f"(max {result[k]['max']:.2f} s, target {TARGETS[k]:.1f} s)" for k in TARGETS)
    print(f"{line}; warm-up {warm_up:.1f} s; load average {load_before[0]:.2f} -> {load_after[0]:.2f} on "
          f"{os.cpu_count()} cores -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
