"""Crafted values for every input of the page, in-process: the page rendered as the server
renders it for one session (Solara's routing, the module's Layout and Page) in a virtual
kernel, and each input's widget state set the way a websocket message sets it.

A browser can send any JSON value for any input (and Python's JSON reader also takes NaN and
Infinity): each must end as a message in the page's language (a refused choice, a value the
model does not use, or the error boundary's short message) and never as a traceback.
The same in a real browser: tests/test_viz_browser.py.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import solara
import solara.server.starlette  # noqa: F401  as in the server: per-session state, ipywidgets per kernel
from solara.server import kernel, kernel_context

from sim.viz import app, boundary, comparisons, i18n, inputs, security, state, sweep_job

FIXTURE = Path(__file__).parent / "fixtures" / "comparisons" / "tiny"
CRAFTED = [
    "abc", "", -1, -10**30, 10**30, 10**400, 2.5, 1e308, float("nan"), float("inf"), float("-inf"), None, True,
    [], [1, 2], {}, {"a": 1}, "x" * 100_000, "../../etc/passwd", "/etc/passwd", "tiny\n", "\u202e\x00\U0001d7d3",
    "\u0661\u0662", "${oc.env:HOME}",
]
# for inputs whose every change composes a config (about 0.3 s each) and for the sweep over all inputs
SOME = ["abc", -1, 10**400, float("nan"), float("-inf"), None, [1, 2], {"a": 1}, "x" * 100_000, "../../etc/passwd",
        "\u202e\x00\U0001d7d3"]
REFUSED_NL, REFUSED_EN = i18n.NL["input.refused"], i18n.EN["input.refused"]
ERROR_NL = i18n.NL["error.page"]


# --- the page in a virtual kernel ------------------------------------------------------------

@pytest.fixture
def results(tmp_path, monkeypatch) -> Path:
    """The comparisons folder the page reads: the tiny fixture and a folder without results."""
    root = tmp_path / "results"
    shutil.copytree(FIXTURE, root / "comparisons" / "tiny")
    (root / "comparisons" / "no_metrics").mkdir()
    monkeypatch.setattr(comparisons, "RESULTS", root)
    return root / "comparisons"


@pytest.fixture
def session():
    """A fresh browser session: its own virtual kernel, so its own per-session state."""
    context = kernel_context.VirtualKernelContext(id=str(uuid.uuid4()), kernel=kernel.Kernel(),
                                                  session_id=str(uuid.uuid4()))
    with context:
        yield context
    context.close()


@pytest.fixture
def page(session, results):
    """The page as the server renders it ('/'), errors raised rather than drawn."""
    routes = solara.generate_routes(app)
    element = solara.RoutingProvider(children=[solara.autorouting.RenderPage("Page")], routes=routes, pathname="/")
    _, rc = solara.render(element, handle_error=False)
    session.app_object = rc   # closed with the session, as the server does
    yield rc


def widgets(rc) -> list[ipywidgets.Widget]:
    """Every widget on the page (the sidebar's too), following the synced traits."""
    out, todo, seen = [], [rc.container], set()
    while todo:
        w = todo.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        out.append(w)
        for name in w.keys:
            value = getattr(w, name, None)
            items = value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else [value]
            todo += [x for x in items if isinstance(x, ipywidgets.Widget)]
    return out


def texts(rc) -> str:
    """All text on the page."""
    out = []
    for w in widgets(rc):
        for name in w.keys:
            value = getattr(w, name, None)
            items = value if isinstance(value, list | tuple) else [value]
            out += [x for x in items if isinstance(x, str)]
    return "\n".join(out)


def assert_no_traceback(rc) -> None:
    shown = texts(rc)
    assert "Traceback" not in shown and 'File "' not in shown and "site-packages" not in shown, shown[-2000:]


def find(rc, cls, **attrs) -> ipywidgets.Widget:
    (w,) = [w for w in widgets(rc) if isinstance(w, cls) and all(
        (value in getattr(w, k, "").split()) if k == "class_" else getattr(w, k, None) == value for k, value in attrs.items())]
    return w


def send(widget, value) -> None:
    """What a websocket message {"method": "update", "state": {"v_model": value}} does."""
    widget.set_state({"v_model": value})


def click(rc, label: str) -> None:
    buttons = [w for w in widgets(rc) if isinstance(w, v.Btn) and label in w.children]
    buttons[0].fire_event("click", {})


def close_notice(rc) -> None:
    if state.notice.value:
        find(rc, v.Btn, class_="viz-notice-close").fire_event("click", {})
    assert state.notice.value == ""


def recover(rc) -> bool:
    """If the error boundary shows its message, press 'Verder'; True if it did."""
    buttons = [w for w in widgets(rc) if isinstance(w, v.Btn) and "viz-error-continue" in (w.class_ or "").split()]
    if buttons:
        buttons[0].fire_event("click", {})
    return bool(buttons)


# --- the inputs one by one ---------------------------------------------------------------------

@pytest.mark.parametrize("value", CRAFTED)
def test_a_crafted_village_is_refused_with_a_message(page, value):
    select = find(page, v.Select, class_="viz-village-select")
    send(select, value)
    assert_no_traceback(page)
    assert state.village.value == 0
    assert REFUSED_NL in texts(page)


def test_a_village_from_the_list_is_shown_and_the_message_speaks_the_pages_language(page):
    click(page, "Step")
    assert "Time: 1.0" in texts(page)
    send(find(page, v.Select, class_="viz-village-select"), 3)
    assert state.village.value == 3 and state.notice.value == ""
    send(find(page, v.Select, class_="viz-village-select"), "abc")
    assert REFUSED_NL in texts(page) and "Time: 1.0" in texts(page)   # the notice does not rebuild the model
    close_notice(page)
    state.language.set("en")
    send(find(page, v.Select, class_="viz-village-select"), "../../etc/passwd")
    assert REFUSED_EN in texts(page) and state.village.value == 3
    close_notice(page)
    assert REFUSED_EN not in texts(page)


@pytest.mark.parametrize("css, reactive, good", [("viz-language", state.language, "nl"), ("viz-view", state.view, "live")])
def test_the_language_and_view_switches_take_only_a_button(page, css, reactive, good):
    for value in CRAFTED + [2, -1, 7]:
        send(find(page, v.BtnToggle, class_=css), value)
        assert reactive.value == good, value
        assert_no_traceback(page)
    assert REFUSED_NL in texts(page)
    send(find(page, v.BtnToggle, class_="viz-language"), 1)
    assert state.language.value == "en"


@pytest.mark.parametrize("css, key", [("viz-world", "world"), ("viz-policy-instruments", "policy.instruments")])
def test_a_crafted_setting_choice_is_refused(page, css, key):
    before = dict(state.values.value)
    for value in CRAFTED + ["small world.villages_file=/etc/passwd", "sim.model.VillageModel"]:
        send(find(page, v.Select, class_=css), value)
        assert state.values.value == before, value
        assert_no_traceback(page)
    assert REFUSED_NL in texts(page)
    send(find(page, v.Select, class_=css), "small" if key == "world" else "subsidy")
    assert state.values.value[key] in ("small", "subsidy")


@pytest.mark.parametrize("css, key", [("viz-policy-budget", "policy.budget"), ("viz-network-mean-degree", "network.mean_degree"),
                                      ("viz-seed", "seed")])
def test_a_crafted_number_is_marked_on_its_field_and_not_used(page, css, key):
    for value in SOME + ["", True, 1e308, 10**30, "1e309"]:
        field = find(page, v.TextField, class_=css)
        send(field, value)
        field.fire_event("focusout", {})                 # continuous_update=False: taken on focusout or Enter
        assert_no_traceback(page)
        field = find(page, v.TextField, class_=css)
        assert field.error, (value, field.messages)
        assert any(("getal" in m or "moet tussen" in m) and "must" not in m for m in field.messages), field.messages
    click(page, "Reset")
    assert_no_traceback(page)
    shown = texts(page)
    assert i18n.NL["problem.rejected"] in shown and i18n.NL["problem.default"] in shown


@pytest.mark.parametrize("label", ["Houding van gemeenten (0 tot 1)", "Vertrouwen in de overheid (0 tot 1)"])
def test_a_crafted_setting_slider_value_is_named_and_not_used(page, label):
    for value in SOME + [1e308, 10**30, True, "2"]:
        send(find(page, v.Slider, label=label), value)
        assert_no_traceback(page)
        slider = find(page, v.Slider, label=label)
        assert 0 <= slider.v_model <= 1, (value, slider.v_model)   # the slider stays drawable
    assert "is geen getal" in texts(page) or "tussen" in texts(page)
    click(page, "Reset")
    assert_no_traceback(page)
    assert i18n.NL["problem.rejected"] in texts(page)


def test_solaravizs_interval_sliders_stay_within_their_ranges(page, caplog):
    for value, play, steps in [(10**9, 500, 100), (-5, 1, 1), (0, 1, 1), (2.7, 2, 2), (1e308, 500, 100), (250, 250, 100)]:
        send(find(page, v.Slider, label="Play Interval (ms)"), value)
        send(find(page, v.Slider, label="Render Interval (steps)"), value)
        assert (state.play_interval.value, state.render_interval.value) == (play, steps), value
    assert_no_traceback(page)
    # what solara.SliderInt cannot make an int of raises in Solara's own handler: the boundary
    with caplog.at_level(logging.ERROR, logger="sim.viz.page"):
        send(find(page, v.Slider, label="Render Interval (steps)"), "abc")
    assert_no_traceback(page)
    assert ERROR_NL in texts(page) and state.render_interval.value == 100
    (record,) = [r for r in caplog.records if r.name == "sim.viz.page"]
    assert record.exc_info is None and "\n" not in record.getMessage() and "ValueError" in record.getMessage()
    assert recover(page)
    assert ERROR_NL not in texts(page) and "Step" in texts(page)


def test_the_compare_view_takes_only_listed_comparisons_outcomes_and_sizes(page, monkeypatch):
    started = []
    monkeypatch.setattr(sweep_job, "start", lambda root, request: started.append(request))
    send(find(page, v.BtnToggle, class_="viz-view"), 1)
    assert state.view.value == "compare"
    for value in CRAFTED + ["..", "tiny/../tiny", "tiny ", "notes.txt"]:
        send(find(page, v.Select, class_="viz-compare-select"), value)
        assert state.comparison.value is None, value
        for css in ("viz-compare-replicates", "viz-compare-months"):
            send(find(page, v.Select, class_=css), value)
        assert_no_traceback(page)
    assert REFUSED_NL in texts(page)
    send(find(page, v.Select, class_="viz-compare-select"), "tiny")
    assert state.comparison.value == "tiny" and "6 runs" in texts(page)
    for value in CRAFTED + ["participation_end\n"]:
        send(find(page, v.Select, class_="viz-compare-metric"), value)
        assert state.metric.value == "participation_end", value
        assert_no_traceback(page)
    send(find(page, v.Select, class_="viz-compare-metric"), "months_to_2_5")
    assert state.metric.value == "months_to_2_5"
    send(find(page, v.Select, class_="viz-compare-select"), "no_metrics")
    assert "metrics.parquet" in texts(page)
    click(page, "Start")
    assert [(r.replicates, r.months) for r in started] == [(3, 24)]   # the defaults: no crafted value got through


def test_every_input_on_the_page_takes_any_value_without_a_traceback(page):
    """Whatever widgets the page has (a redesign included): every synced v_model, every crafted value."""
    for view in (0, 1):   # live, then compare (with the fixture comparison open)
        send(find(page, v.BtnToggle, class_="viz-view"), view)
        if view:
            send(find(page, v.Select, class_="viz-compare-select"), "tiny")
        inputs_seen = 0
        for position in range(len(widgets(page))):
            ws = [w for w in widgets(page) if "v_model" in w.keys]
            if position >= len(ws):
                break
            inputs_seen += 1
            for value in SOME:
                ws = [w for w in widgets(page) if "v_model" in w.keys]
                if position < len(ws):
                    send(ws[position], value)
                    if any(e.startswith("focusout") for e in ws[position]._event_handlers_map):
                        ws[position].fire_event("focusout", {})   # a text field takes its value on focusout
                    assert_no_traceback(page)
                    recover(page)
            close_notice(page)
        assert inputs_seen >= (12 if view == 0 else 7)
        assert state.view.value == ("live", "compare")[view] and state.language.value == "nl"


# --- the boundary itself -------------------------------------------------------------------------

def test_the_served_page_is_inside_the_boundary():
    assert app.Layout is boundary.Layout and app.Page.__wrapped__ is not None


@solara.component
def Broken(when: str):
    if when == "render":
        raise RuntimeError("broken at render /secret/path.py")

    def fail():
        raise KeyError("broken in a handler")

    solara.Button("press", on_click=fail)


@pytest.mark.parametrize("when", ["render", "handler"])
def test_an_exception_anywhere_is_a_short_message_and_one_log_line(session, when, caplog):
    with caplog.at_level(logging.ERROR, logger="sim.viz.page"):
        _, rc = solara.render(boundary.Layout(children=[Broken(when)]), handle_error=False)
        if when == "handler":
            click(rc, "press")
    try:
        shown = texts(rc)
        assert ERROR_NL in shown and "Traceback" not in shown and "secret" not in shown
        (record,) = [r for r in caplog.records if r.name == "sim.viz.page"]   # reacton's own are off in the server
        assert record.exc_info is None and "\n" not in record.getMessage()
        assert ("RuntimeError" if when == "render" else "KeyError") in record.getMessage()
        state.language.set("en")
        assert i18n.EN["error.page"] in texts(rc)
    finally:
        rc.close()


def test_a_page_without_the_host_check_says_so(page, monkeypatch):
    monkeypatch.setattr(security, "_installed", False)
    state.language.set("en")   # any change re-renders
    assert i18n.EN["error.unguarded"] in texts(page)
    monkeypatch.setattr(security, "_installed", True)
    state.language.set("nl")
    assert i18n.NL["error.unguarded"] not in texts(page)


# --- the pure checks ------------------------------------------------------------------------------

def test_inputs_take_only_the_items_offered():
    assert inputs.one_of(3, (1, 2, 3, 5)) == 3
    for value in (True, 3.0, "3", [3], None, float("nan")):
        with pytest.raises(inputs.Refused):
            inputs.one_of(value, (1, 2, 3, 5))
    assert inputs.index(0, 2) == 0
    for value in (2, -1, True, 1.0, "1", None):
        with pytest.raises(inputs.Refused):
            inputs.index(value, 2)
    assert [inputs.clamp_int(x, 1, 100, 7) for x in (0, 50.9, 10**400, float("nan"), "5", None, True)] == \
        [1, 50, 100, 7, 7, 7, 7]
    assert inputs.short("x" * 100) == "x" * 40 + "..." and inputs.short(10**5000) == "..."
    assert i18n.text("title", ["nl"]) == i18n.text("title", "xx") == i18n.NL["title"]
