"""The README's screenshots of the page on real results: `make screenshots-real`.

The browser tests (`make screenshots`) photograph the page against their fixture
(tests/fixtures/explore/demo/, invented numbers that the tests check), which is right for
tests and wrong for a README a reader takes at its word. This script serves the page on the
project's own `results/` folder (the robust analysis `make run` wrote in
results/explore/robust/) and photographs the start view, the robust view and the Utrecht
map there, in English, into docs/img/ (or `--out`). It needs `make run` first, Debian's
chromium and Playwright (the test extra); it computes the answers as a visitor would, so it
takes a few minutes.

    .venv/bin/python docs/screenshots.py [--out docs/img] [--results results]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from viz_browser import free_port, launch_chromium, start_server, stop_server  # noqa: E402

VIEWS = (  # (file, query, what must be on the page before the picture)
    ("start-view.png", "lang=en", ".viz-sure"),
    ("robust-view.png", "lang=en&view=robust", ".viz-robust-discovery"),
    ("utrecht-map.png", "lang=en&view=map&world=utrecht", ".viz-map-svg"),
)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(ROOT / "docs" / "img"), help="where the PNGs go (default docs/img)")
    p.add_argument("--results", default=str(ROOT / "results"), help="the results folder the page reads")
    args = p.parse_args(argv)
    summary = Path(args.results) / "explore" / "robust" / "robustness" / "summary.json"
    if not summary.exists():
        print(f"screenshots: {summary} does not exist; run `make run` first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(port, Path(tmp) / "server.log", {"VLIEGWIEL_RESULTS": str(Path(args.results).resolve())})
        try:
            with sync_playwright() as pw:
                browser = launch_chromium(pw)
                for name, query, ready in VIEWS:
                    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                    page.set_default_timeout(300_000)
                    page.goto(f"http://127.0.0.1:{port}/?{query}")
                    page.locator(ready).first.wait_for()
                    for job in (".viz-answer-job", ".viz-why-job"):   # the answer and its loops computed
                        page.locator(job).wait_for(state="detached")
                    time.sleep(2.0)   # let the figures settle
                    partial = out / f".{name}.partial.png"
                    page.screenshot(path=str(partial), full_page=True)
                    partial.replace(out / name)
                    print(f"screenshots: {out / name}")
                    page.context.close()
                browser.close()
        finally:
            stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
