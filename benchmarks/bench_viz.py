"""Browser page speed: page load and step redraw, in a real browser (issue 5: load within
10 s, a step redraws within 1 s on the default world).

Starts `solara run sim.viz.app` on a free port, opens the page in headless Chromium
(Debian's /usr/bin/chromium if present) and measures, `--repeat` times:
- load: from navigation until all five figures are on the page;
- step: from clicking Step until the adoption curves show the new month.
Writes results/benchmarks/viz.json.

    .venv/bin/python benchmarks/bench_viz.py [--repeat 3] [--steps 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sim.atomic import write_text_atomic  # noqa: E402
from viz_browser import (  # noqa: E402
    free_port, image_digests, launch_chromium, start_server, stop_server, wait_for_change, wait_for_images,
)

CURVES = 2
OUT = ROOT / "results" / "benchmarks" / "viz.json"


def measure(browser, url: str, steps: int) -> tuple[float, list[float]]:
    page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    t0 = time.perf_counter()
    page.goto(url)
    wait_for_images(page, timeout_ms=120_000)
    load = time.perf_counter() - t0
    redraws = []
    for k in range(1, steps + 1):
        before = image_digests(page)[CURVES]
        t0 = time.perf_counter()
        page.locator("button", has_text="Step").first.click()
        wait_for_change(page, CURVES, before, timeout_s=30)
        page.get_by_text(f"Time: {k}.0").wait_for(timeout=30_000)
        redraws.append(time.perf_counter() - t0)
    page.context.close()
    return load, redraws


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="page loads (default 3)")
    parser.add_argument("--steps", type=int, default=5, help="steps timed per load (default 5)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from sim.viz import assets

    assets.ensure()
    load_before = os.getloadavg()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = start_server(port, Path(tmp) / "server.log")
        try:
            with sync_playwright() as p:
                browser = launch_chromium(p)
                runs = [measure(browser, f"http://127.0.0.1:{port}/", args.steps) for _ in range(args.repeat)]
                browser.close()
        finally:
            stop_server(proc)
    loads = [r[0] for r in runs]
    redraws = [s for r in runs for s in r[1]]
    result = {
        "what": "browser page, default world (world=province), one session at a time",
        "load_s": {"median": statistics.median(loads), "max": max(loads), "all": loads},
        "step_redraw_s": {"median": statistics.median(redraws), "max": max(redraws), "all": redraws},
        "targets": {"load_s": 10.0, "step_redraw_s": 1.0},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_before": load_before, "load_average": os.getloadavg()},  # 1, 5, 15 min
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(OUT, json.dumps(result, indent=2) + "\n")
    print(f"load: median {result['load_s']['median']:.2f} s (max {result['load_s']['max']:.2f} s); "
          f"step redraw: median {result['step_redraw_s']['median']:.2f} s (max {result['step_redraw_s']['max']:.2f} s); "
          f"load average {result['machine']['load_average'][0]:.2f} on {os.cpu_count()} cores "
          f"-> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
