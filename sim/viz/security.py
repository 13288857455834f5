"""Which Host and Origin the page's server answers: an ASGI middleware around Solara's app.

Why: the page drives a model and can start comparisons (subprocesses) over a websocket.
Browsers let any web site open a websocket to 127.0.0.1 (cross-site websocket hijacking),
and a site whose DNS name is re-pointed at 127.0.0.1 (DNS rebinding) can even read the
page. Both show in the request: the first through its `Origin` header, the second through
its `Host` header. So every HTTP request and every websocket handshake must name, in
`Host`, one of the addresses the server was started for, and, if it carries an `Origin`
(browsers always send one on a websocket handshake and on cross-site requests), that
origin must be one of those addresses too. Anything else gets 403 (HTTP) or a websocket
closed before it opens (uvicorn answers the handshake with 403), and one line in the log.

Allowed by default: `127.0.0.1`, `localhost` and `[::1]` on the port the request came in
on, plus the address given to `--host` when that is one address (not 0.0.0.0 or ::).
`VLIEGWIEL_ALLOWED_HOSTS` adds names for those who serve the page elsewhere (behind a
proxy, on a network address): comma- or space-separated, each `name` (any port), `name:port`,
`[ipv6]` or `[ipv6]:port`; e.g. `VLIEGWIEL_ALLOWED_HOSTS=viz.example.org,10.0.0.5:8765`.
There is no wildcard: a guard that lets every name through would be no guard. A request
without `Origin` (curl, the page's own navigation) is judged by `Host` alone: only a
browser can be made to send a request on someone else's behalf, and browsers send `Origin`.

How it is installed: Solara has no setting for extra middleware in `solara run` (the app it
serves is fixed to `solara.server.starlette:app`, whose middleware list is built when that
module is imported), and adding to it afterwards means patching Starlette/Solara internals.
What Solara does document is serving `solara.server.starlette:app` under any ASGI server or
inside one's own ASGI app (its "Self hosted deployment" page). So sim/viz/server.py wraps
that app in this middleware and runs it with uvicorn (`make viz`, `python -m
sim.viz.server`). The page module (sim/viz/app.py) plays no part in it: rewriting the page
leaves the check in place. `solara run sim.viz.app` still works for development, but
without this check; the page then says so (sim/viz/boundary.py) and the log warns.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

logger = logging.getLogger("sim.viz.security")

ENV = "VLIEGWIEL_ALLOWED_HOSTS"
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::", "[::]", "*")
DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}

_NAME = r"(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9._-]{0,251}[a-z0-9])?)"
HOST = re.compile(_NAME + r"(?::([0-9]{1,5}))?", re.I | re.A)              # Host header or allow-list entry
ORIGIN = re.compile(r"(https?)://" + _NAME + r"(?::([0-9]{1,5}))?", re.I | re.A)

_installed = False


class HostError(ValueError):
    """An allow-list entry that is not a host name (with an optional port)."""


@dataclass(frozen=True)
class Allowed:
    """One allowed address: `port` None means any port, `served_port` the port the request came in on."""

    name: str
    port: int | None = None
    served_port: bool = False

    def admits(self, name: str, port: int, served: int | None) -> bool:
        if name != self.name:
            return False
        if self.served_port:
            return served is None or port == served
        return self.port is None or port == self.port


def _port(text: str | None) -> int | None:
    if text is None:
        return None
    port = int(text)
    if not 0 < port < 65536:
        raise ValueError(port)
    return port


def _bracket(name: str) -> str:
    """IPv6 addresses in brackets, as they appear in Host and Origin."""
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def parse_entry(entry: str, source: str = ENV) -> Allowed:
    """'viz.example.org' -> any port; '10.0.0.5:8765' -> that port; '::1' or '[::1]:80' -> IPv6."""
    text = entry.strip().lower()
    if text.count(":") > 1 and not text.startswith("["):
        text = _bracket(text)
    m = HOST.fullmatch(text)
    if text in WILDCARDS or m is None:
        raise HostError(f"{source}: {entry!r} is not a host name or address (with an optional :port); "
                        "wildcards are not accepted")
    try:
        return Allowed(m.group(1), _port(m.group(2)))
    except ValueError:
        raise HostError(f"{source}: {entry!r} has no valid port (1-65535)") from None


def allowed_hosts(bind_host: str | None = None, env: str | None = None) -> tuple[Allowed, ...]:
    """The loopback names on the served port, the address the server was started on (unless a
    wildcard), and the entries of `env` (default: $VLIEGWIEL_ALLOWED_HOSTS). HostError if an
    entry is not a host."""
    out = [Allowed(name, served_port=True) for name in LOOPBACK]
    if bind_host is not None and bind_host.strip().lower() not in WILDCARDS:
        out.append(Allowed(parse_entry(bind_host, "--host").name, served_port=True))
    raw = os.environ.get(ENV, "") if env is None else env
    out += [parse_entry(e) for e in re.split(r"[,\s]+", raw) if e]
    return tuple(dict.fromkeys(out))


def _one(headers: list[tuple[bytes, bytes]], name: bytes) -> tuple[int, str | None]:
    """(how many headers called `name`, the value of the first as latin-1 text)."""
    values = [v for k, v in headers if k.lower() == name]
    return len(values), (values[0].decode("latin-1") if values else None)


def judge(scope: dict, allowed: Iterable[Allowed]) -> str | None:
    """None if the request may pass, otherwise why not (for the log)."""
    headers = scope.get("headers") or []
    served = scope.get("server")
    served_port = served[1] if served and len(served) > 1 and isinstance(served[1], int) else None
    default_port = DEFAULT_PORTS.get(scope.get("scheme", "http"), 80)
    allowed = tuple(allowed)

    def admitted(name: str, port: int) -> bool:
        return any(a.admits(name.lower(), port, served_port) for a in allowed)

    n, host = _one(headers, b"host")
    if n != 1:
        return "no Host header" if n == 0 else "several Host headers"
    m = HOST.fullmatch(host)
    try:
        port = _port(m.group(2)) if m else None
    except ValueError:
        m = None
    if m is None or not admitted(m.group(1), default_port if port is None else port):
        return "Host not allowed"
    n, origin = _one(headers, b"origin")
    if n > 1:
        return "several Origin headers"
    if origin is not None:
        m = ORIGIN.fullmatch(origin)
        try:
            port = _port(m.group(3)) if m else None
        except ValueError:
            m = None
        if m is None or not admitted(m.group(2), DEFAULT_PORTS[m.group(1).lower()] if port is None else port):
            return "Origin not allowed"
    return None


def _show(scope: dict, name: bytes) -> str:
    """A header's value for the log: quoted (no line breaks can reach the log), at most 80 characters."""
    _, value = _one(scope.get("headers") or [], name)
    return "-" if value is None else repr(value[:80])


class HostOriginGuard:
    """ASGI middleware: `HostOriginGuard(app, allowed_hosts())` lets through only requests whose
    Host (and Origin, if any) is allowed; lifespan events pass untouched."""

    def __init__(self, app, allowed: Iterable[Allowed] | None = None) -> None:
        global _installed
        self.app = app
        self.allowed = tuple(allowed_hosts() if allowed is None else allowed)
        _installed = True

    async def __call__(self, scope, receive, send) -> None:
        kind = scope.get("type")
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        why = judge(scope, self.allowed)
        if why is None:
            await self.app(scope, receive, send)
            return
        logger.warning("refused %s %s: %s (Host %s, Origin %s)", "websocket" if kind == "websocket" else
                       scope.get("method", "?"), scope.get("path", "?")[:80], why,
                       _show(scope, b"host"), _show(scope, b"origin"))
        if kind == "websocket":
            await send({"type": "websocket.close", "code": 1008})   # before accept: uvicorn answers 403
            return
        body = b"Forbidden: this server does not answer for that host or origin.\n"
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def installed() -> bool:
    """Whether this process serves the page through HostOriginGuard (False under `solara run`)."""
    return _installed
