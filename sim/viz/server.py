"""Serve the page: `make viz`, or `python -m sim.viz.server [--host 127.0.0.1] [--port 8765]`.

Solara's own server app (`solara.server.starlette:app`, the one `solara run` starts) serving
the page module sim/viz/app.py, wrapped in the Host/Origin check of sim/viz/security.py, run
by uvicorn: the deployment Solara documents for running its app under an ASGI server. It
listens on 127.0.0.1 unless `--host` says otherwise; `VLIEGWIEL_ALLOWED_HOSTS` names the
hosts it may be reached as besides 127.0.0.1, localhost and [::1] (see security.py).

`uvicorn sim.viz.server:app --host ... --port ...` serves the same app (loopback names and
$VLIEGWIEL_ALLOWED_HOSTS only; the address given to uvicorn's --host is not added then).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings

PAGE = "sim.viz.app"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

# Solara reads these when its server module is imported: which page to serve, offline
os.environ["SOLARA_APP"] = PAGE
os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
os.environ.setdefault("SOLARA_MODE", "production")
os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")   # no framework badge on the province's page
os.environ.setdefault("SOLARA_THEME_LOADER", "plain")
os.environ.setdefault("SOLARA_THEME_TITLE", "Vliegwiel")

import solara.server.starlette  # noqa: E402

# said (in 13 lines) at the first page load over plain http: about embedding the page in an
# iframe, which this page is not made for
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)

from .security import HostError, HostOriginGuard, allowed_hosts  # noqa: E402


def _app() -> HostOriginGuard:
    try:
        return HostOriginGuard(solara.server.starlette.app, allowed_hosts())
    except HostError as exc:   # a bad VLIEGWIEL_ALLOWED_HOSTS stops the server with one line
        raise SystemExit(f"vliegwiel page: {exc}") from None


app = _app()


class OneLine(logging.Formatter):
    """Every log record on one line: an exception as its type, message and where it was raised
    (boundary.describe), not as a traceback; line breaks in a message (a header value, a
    warning) become ' | '. `--debug` keeps the tracebacks."""

    def formatException(self, ei) -> str:  # noqa: N802  logging's name
        from .boundary import describe   # (imports the page's state: not before Solara loads the page)

        return describe(ei[1]) if ei and ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", " | ")


def logging_config(debug: bool = False) -> dict:
    """The refusals of security.py, the page's errors (boundary.py), whatever else goes wrong
    (Solara, the widgets' messages, Python warnings); uvicorn's own lines only from WARNING up.
    reacton logs a component's exception with its traceback; the page's error boundary already
    writes it as one line, so reacton is quiet unless `debug`."""
    formatter = {"format": "%(levelname)s %(name)s: %(message)s"}
    if not debug:
        formatter["()"] = OneLine
    handler = {"handlers": ["stderr"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "sim": {**handler, "level": "INFO"},
            "uvicorn": {**handler, "level": "WARNING"},
            "uvicorn.access": {**handler, "level": "WARNING"},
            "solara": {**handler, "level": "ERROR"},
            "reacton": {**handler, "level": "ERROR" if debug else "CRITICAL"},
        },
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sim.viz.server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}: this computer only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--debug", action="store_true", help="tracebacks in the log (default: one line per error)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    args = parse_args(argv)
    try:
        allowed = allowed_hosts(bind_host=args.host)
    except HostError as exc:
        print(f"vliegwiel page: {exc}", file=sys.stderr)
        return 2
    guarded = HostOriginGuard(solara.server.starlette.app, allowed)
    names = ", ".join(a.name + (f":{a.port}" if a.port else "") for a in allowed)
    shown = f"[{args.host}]" if ":" in args.host and not args.host.startswith("[") else args.host
    print(f"vliegwiel page on http://{shown}:{args.port}/ (answers as: {names})", flush=True)
    logging.captureWarnings(True)   # Python warnings through the log, on one line too
    from . import warm

    warm.start()   # the default question's answer, computed or read while the server starts
    uvicorn.run(guarded, host=args.host, port=args.port, log_config=logging_config(args.debug), access_log=False,
                timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
