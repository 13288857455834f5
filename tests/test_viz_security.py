"""The page server's Host/Origin check (sim/viz/security.py), in-process with raw ASGI calls,
and the launcher's defaults (sim/viz/server.py, the Makefile's viz target).

The real server, refusing a foreign Origin and Host over the network while the page still
works, is tested in tests/test_viz_browser.py.
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import pytest

from sim.viz import security
from sim.viz.security import Allowed, HostError, HostOriginGuard, allowed_hosts, parse_entry

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765


async def inner(scope, receive, send):
    """The app behind the guard: 'ok' over HTTP, an accepted websocket."""
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
    elif scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
    else:
        await send({"type": "lifespan.startup.complete"})


def call(guard, kind: str, headers: list[tuple[str, str]], server=("127.0.0.1", PORT), scheme=None) -> int:
    """The status the client sees: an HTTP status, 101 for an accepted websocket, 403 for one
    closed before it opened (what uvicorn answers then)."""
    scope = {"type": kind, "path": "/jupyter/api/kernels/k/channels" if kind == "websocket" else "/",
             "method": "GET", "scheme": scheme or ("ws" if kind == "websocket" else "http"), "server": server,
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]}
    sent = []

    async def receive():
        return {"type": "websocket.connect"} if kind == "websocket" else {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    first = sent[0]
    if first["type"] == "websocket.accept":
        return 101
    if first["type"] == "websocket.close":
        assert first["code"] == 1008
        return 403
    return first["status"]


def guard(env: str = "", bind_host: str | None = None) -> HostOriginGuard:
    return HostOriginGuard(inner, allowed_hosts(bind_host=bind_host, env=env))


LOCAL = [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"[::1]:{PORT}", f"LOCALHOST:{PORT}"]


@pytest.mark.parametrize("kind", ["http", "websocket"])
@pytest.mark.parametrize("host", LOCAL)
def test_the_loopback_names_on_the_served_port_pass(kind, host):
    assert call(guard(), kind, [("Host", host)]) == (101 if kind == "websocket" else 200)
    origin = "http://" + host.lower()
    assert call(guard(), kind, [("Host", host), ("Origin", origin)]) == (101 if kind == "websocket" else 200)


@pytest.mark.parametrize("kind", ["http", "websocket"])
@pytest.mark.parametrize("host", [
    "evil.example", f"evil.example:{PORT}", "127.0.0.1:9999", "127.0.0.1", "localhost", "localhost.:8765",
    f"127.0.0.1:{PORT}.evil.example", f"evil.example#@127.0.0.1:{PORT}", f"127.0.0.1:{PORT}\n", f"127.0.0.1:{PORT} ",
    "127.0.0.2:8765", "0.0.0.0:8765", "[::2]:8765", "127.0.0.1:0", "127.0.0.1:99999", "", "x" * 300,
    f"localhost:{PORT}:{PORT}", f"user@localhost:{PORT}",
])
def test_a_foreign_host_is_refused(kind, host):
    assert call(guard(), kind, [("Host", host)]) == 403


@pytest.mark.parametrize("kind", ["http", "websocket"])
@pytest.mark.parametrize("origin", [
    "http://evil.example", f"http://evil.example:{PORT}", "null", "", f"http://127.0.0.1:{PORT + 1}",
    "http://127.0.0.1", f"file://127.0.0.1:{PORT}", f"ftp://127.0.0.1:{PORT}", f"http://127.0.0.1:{PORT}/",
    f"http://127.0.0.1:{PORT}/path", f"http://evil.example@127.0.0.1:{PORT}", f"http://127.0.0.1:{PORT}.evil.example",
    f"https://localhost:{PORT}\n", f"http://[::1]:{PORT}x", f"//127.0.0.1:{PORT}",
])
def test_a_foreign_origin_is_refused_even_with_a_good_host(kind, origin):
    assert call(guard(), kind, [("Host", f"127.0.0.1:{PORT}"), ("Origin", origin)]) == 403


def test_the_other_loopback_name_as_origin_passes():
    for origin in (f"http://localhost:{PORT}", f"http://[::1]:{PORT}", f"https://127.0.0.1:{PORT}"):
        assert call(guard(), "websocket", [("Host", f"127.0.0.1:{PORT}"), ("Origin", origin)]) == 101


@pytest.mark.parametrize("kind", ["http", "websocket"])
def test_missing_or_doubled_headers_are_refused(kind):
    assert call(guard(), kind, []) == 403
    assert call(guard(), kind, [("Host", f"127.0.0.1:{PORT}"), ("Host", "evil.example")]) == 403
    assert call(guard(), kind, [("Host", f"127.0.0.1:{PORT}"), ("Origin", f"http://127.0.0.1:{PORT}"),
                                ("Origin", "http://evil.example")]) == 403


def test_the_port_the_request_came_in_on_is_the_served_port():
    assert call(guard(), "http", [("Host", "127.0.0.1:9000")], server=("127.0.0.1", 9000)) == 200
    assert call(guard(), "http", [("Host", "127.0.0.1:8765")], server=("127.0.0.1", 9000)) == 403
    assert call(guard(), "http", [("Host", "localhost")], server=("127.0.0.1", 80)) == 200   # port 80 implied
    assert call(guard(), "http", [("Host", "localhost")], server=("127.0.0.1", 443), scheme="https") == 200


def test_the_environment_variable_adds_hosts():
    g = guard(env="viz.example.org, 10.0.0.5:8765  [fd00::1]:9000,FD00::2")
    for host in ("viz.example.org", "viz.example.org:443", "VIZ.example.org:8765", "10.0.0.5:8765", "[fd00::1]:9000",
                 "[fd00::2]:1234", f"127.0.0.1:{PORT}"):
        assert call(g, "websocket", [("Host", host)]) == 101, host
    for host in ("10.0.0.5:8766", "10.0.0.5", "[fd00::1]:9001", "sub.viz.example.org", "viz.example.org.evil.example"):
        assert call(g, "websocket", [("Host", host)]) == 403, host
    assert call(g, "websocket", [("Host", "viz.example.org"), ("Origin", "https://viz.example.org")]) == 101
    assert call(g, "websocket", [("Host", "viz.example.org"), ("Origin", "https://evil.example")]) == 403


def test_the_address_the_server_was_started_on_is_allowed_unless_a_wildcard():
    assert call(guard(bind_host="192.168.1.5"), "http", [("Host", f"192.168.1.5:{PORT}")]) == 200
    assert call(guard(bind_host="192.168.1.5"), "http", [("Host", "192.168.1.5:9999")]) == 403
    for wildcard in ("0.0.0.0", "::", ""):
        assert allowed_hosts(bind_host=wildcard, env="") == allowed_hosts(env="")
        assert call(guard(bind_host=wildcard), "http", [("Host", f"0.0.0.0:{PORT}")]) == 403


@pytest.mark.parametrize("entry", ["*", "0.0.0.0", "::", "evil!", "a/b", "host:0", "host:70000", "host:x",
                                   "http://host", "-host", "[::1", "h" * 300])
def test_an_allow_list_entry_that_is_not_a_host_stops_the_server(entry):
    with pytest.raises(HostError, match="VLIEGWIEL_ALLOWED_HOSTS"):
        allowed_hosts(env=entry)


def test_allow_list_entries():
    assert parse_entry("Viz.Example.org") == Allowed("viz.example.org")
    assert parse_entry("10.0.0.5:8765") == Allowed("10.0.0.5", 8765)
    assert parse_entry("::1") == parse_entry("[::1]") == Allowed("[::1]")
    assert parse_entry("[::1]:80") == Allowed("[::1]", 80)
    assert [a.name for a in allowed_hosts(env="")] == ["127.0.0.1", "localhost", "[::1]"]


def test_lifespan_passes_and_a_refusal_is_one_line_in_the_log(caplog):
    events = []

    async def send(message):
        events.append(message)

    asyncio.run(guard()({"type": "lifespan"}, None, send))
    assert events == [{"type": "lifespan.startup.complete"}]
    with caplog.at_level(logging.WARNING, logger="sim.viz.security"):
        call(guard(), "websocket", [("Host", f"127.0.0.1:{PORT}"), ("Origin", "http://evil.example\nFAKE LOG LINE")])
    (record,) = caplog.records
    assert record.exc_info is None and "\n" not in record.getMessage()
    assert "Origin not allowed" in record.getMessage() and "evil.example\\nFAKE" in record.getMessage()


def test_the_server_module_serves_solaras_app_behind_the_guard():
    from sim.viz import server

    assert isinstance(server.app, HostOriginGuard) and security.installed()
    import solara.server.starlette

    assert server.app.app is solara.server.starlette.app
    assert call(server.app, "http", [("Host", "evil.example")]) == 403


def test_the_page_listens_on_127_0_0_1_unless_told_otherwise():
    from sim.viz import server

    args = server.parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 8765)
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^VIZ_HOST \?= 127\.0\.0\.1$", make, re.M)
    target = re.search(r"^viz:.*\n((?:\t.*\n)+)", make, re.M).group(1)
    assert "-m sim.viz.server --host $(VIZ_HOST)" in target and "solara run" not in target


def test_the_servers_log_has_one_line_per_error():
    from sim.viz import server

    formatter = server.OneLine("%(levelname)s %(name)s: %(message)s")
    try:
        raise KeyError("x\ny")
    except KeyError:
        record = logging.LogRecord("Comm", logging.ERROR, __file__, 1, "Exception in comm_msg\nfor %s", ("c",),
                                   exc_info=__import__("sys").exc_info())
    line = formatter.format(record)
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith("ERROR Comm: Exception in comm_msg | for c") and "KeyError" in line and "test_viz_security.py" in line


def test_a_bad_allow_list_stops_the_server_with_one_line():
    import os
    import subprocess
    import sys

    env = {**os.environ, "VLIEGWIEL_ALLOWED_HOSTS": "*", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    out = subprocess.run([sys.executable, "-m", "sim.viz.server", "--port", "1"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    assert out.stderr.strip().splitlines() == ["vliegwiel page: VLIEGWIEL_ALLOWED_HOSTS: '*' is not a host name or "
                                               "address (with an optional :port); wildcards are not accepted"]
