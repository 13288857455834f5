"""Helpers for the browser tests: start the page's server, find a Chromium, read images.

The server is the real `python -m sim.viz.server` (Solara's server behind the Host/Origin
check of sim/viz/security.py) on a free port of 127.0.0.1, with Solara's front-end files
served locally (sim/viz/assets.py), as `make viz` runs it.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`env` adds to the environment (e.g. VLIEGWIEL_RESULTS: the results folder the page reads)."""
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", **(env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sim.viz.server", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the page's server stopped:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return proc
        except OSError:
            time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError(f"the page's server did not answer within 90 s:\n{log.read_text(errors='replace')[-2000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def launch_chromium(playwright):
    """Debian's chromium where it exists, otherwise Playwright's own browser (if installed)."""
    if SYSTEM_CHROMIUM.exists():
        return playwright.chromium.launch(executable_path=str(SYSTEM_CHROMIUM), args=CHROMIUM_ARGS)
    return playwright.chromium.launch(args=CHROMIUM_ARGS)


def has_browser() -> str | None:
    """None if a browser can be started, otherwise the reason why not."""
    if SYSTEM_CHROMIUM.exists():
        return None
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            p.chromium.launch(args=CHROMIUM_ARGS).close()
        return None
    except Exception as exc:  # noqa: BLE001  any failure means: no browser here
        return (f"no Chromium: {SYSTEM_CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it) "
                f"and Playwright's own browser does not start ({str(exc).splitlines()[0]})")


IMAGE_DIGESTS = """async () => Promise.all([...document.querySelectorAll('img')].map(async (img) => {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
}))"""


def image_digests(page, css: str = "") -> list[str]:
    """SHA-256 of every image on the page (inside `css`, if given), in page order."""
    script = IMAGE_DIGESTS if not css else IMAGE_DIGESTS.replace("document.querySelectorAll('img')",
                                                                   f"document.querySelectorAll('{css} img')")
    return page.evaluate(script)


def wait_for_change(page, css: str, before: str, timeout_s: float = 20) -> str:
    """Wait until the first image inside `css` differs from `before`; returns its new digest."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = image_digests(page, css)
        if now and now[0] != before:
            return now[0]
        time.sleep(0.1)
    raise AssertionError(f"the image in {css} did not change within {timeout_s} s")


# --- no English on the Dutch page ---------------------------------------------------------------
# Words of the English texts that no Dutch text, instrument label or outcome label uses: one of
# them on the Dutch page is an English text that leaked (a framework's control, a missed
# translation). ALLOWED are names and codes that are the same in both languages.
ALLOWED = {"right", "challenge", "rogers", "bass", "png", "svg", "csv", "pdf", "yaml", "seed", "euro",
           "vliegwiel", "scenario", "scenarios", "make", "run", "explore", "markdown", "report", "utrecht",
           "demo", "tiny", "lhs", "sobol", "page", "small", "metrics", "parquet", "dataset", "collect", "results",
           "comparisons", "failures", "none", "min", "max"}


def english_only_words() -> set[str]:
    from sim import outcomes
    from sim.instruments.registry import instruments
    from sim.viz.texts_en import EN
    from sim.viz.texts_nl import NL

    def words(texts):
        return {w.lower() for t in texts for w in re.findall(r"[A-Za-z]{3,}", t)}

    dutch = words(NL.values()) | words(cls.labels["nl"] for cls in instruments().values())
    dutch |= words(o.nl for o in (*outcomes.METRICS, *outcomes.SERIES, *outcomes.PAIRED))
    english = words(EN.values()) | words(cls.labels["en"] for cls in instruments().values())
    english |= words(o.en for o in (*outcomes.METRICS, *outcomes.SERIES, *outcomes.PAIRED))
    english |= {"time", "controls", "information", "play", "interval", "render", "threads", "model", "parameters",
                "step", "reset", "download", "page", "traceback", "error", "village", "residents"}
    return english - dutch - ALLOWED


def english_on(text: str, english: set[str]) -> list[str]:
    """English-only words in `text` (a Dutch page's visible text)."""
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() in english})


def has_npm() -> bool:
    return shutil.which("npm") is not None


def handshake(port: int, host: str, origin: str | None = None) -> int:
    """The status a websocket handshake to the page's kernel endpoint gets (101: opened), with
    the Host and Origin headers given: a raw request, so that any Host can be sent."""
    lines = [f"GET /jupyter/api/kernels/{os.urandom(8).hex()}/channels?session_id={os.urandom(8).hex()} HTTP/1.1",
             f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}", "Sec-WebSocket-Version: 13"]
    return _status(port, lines + ([f"Origin: {origin}"] if origin else []))


def http_status(port: int, host: str, origin: str | None = None, method: str = "GET", path: str = "/") -> int:
    """The status of a plain HTTP request with the Host and Origin headers given."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Content-Length: 0", "Connection: close"]
    return _status(port, lines + ([f"Origin: {origin}"] if origin else []))


def _status(port: int, lines: list[str]) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        head = b""
        while b"\r\n" not in head:
            chunk = s.recv(1024)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])
