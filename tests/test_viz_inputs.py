"""Crafted values for every input of the page, in-process: the page rendered as the server
renders it for one session (Solara's routing, the module's Layout and Page) in a virtual
kernel, and each input's widget state set the way a websocket message sets it.

A browser can send any JSON value for any input (and Python's JSON reader also takes NaN and
Infinity): each must end as a message in the page's language (a refused choice, a value not
applied, or the error boundary's short message) and never as a traceback. The page's
computations run synchronously here (a queue that works as it is asked, on this process,
with two replicates on the small region). The same in a real browser: test_viz_browser.py.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import solara
import solara.server.starlette  # noqa: F401  as in the server: per-session state, ipywidgets per kernel
from solara.server import kernel, kernel_context

from sim.experiments.executors import Serial
from sim.viz import answers, app, boundary, comparisons, i18n, inputs, jobs, security, state, sweep_job
from sim.viz.question import Question

FIXTURES = Path(__file__).parent / "fixtures"
CRAFTED = [
    "abc", "", -1, -10**30, 10**30, 10**400, 2.5, 1e308, float("nan"), float("inf"), float("-inf"), None, True,
    [], [1, 2], {}, {"a": 1}, "x" * 100_000, "../../etc/passwd", "/etc/passwd", "tiny\n", "\u202e\x00\U0001d7d3",
    "\u0661\u0662", "${oc.env:HOME}",
]
SOME = ["abc", -1, 10**400, float("nan"), float("-inf"), None, [1, 2], {"a": 1}, "x" * 100_000, "../../etc/passwd",
        "\u202e\x00\U0001d7d3"]
SWEEP = ["abc", None, float("-inf"), [1, 2], "x" * 100_000]   # every input of every view: five kinds of wrong
REFUSED_NL, REFUSED_EN = i18n.NL["input.refused"], i18n.EN["input.refused"]
ERROR_NL = i18n.NL["error.page"]
SMALL = Question(("dialogue",), world="small", years=2)


class NowQueue(jobs.Queue):
    """Does each job when it is asked (in the asking thread): no background computation. Only
    the kinds in `kinds` are done (answers by default); others stay queued, as on a busy server."""

    kinds = {"answer"}

    def submit(self, key, kind, work, session=""):
        job = self.cached(key)
        if job is None:
            job = jobs.Job(key, kind, work)
            if kind in self.kinds:
                self._run(job)
        return job


# --- the page in a virtual kernel ------------------------------------------------------------

@pytest.fixture(scope="module")
def results_root(tmp_path_factory) -> tuple[Path, NowQueue]:
    """What the page reads: the tiny comparison, a folder without results, the demo robust
    analysis; and one queue for the module, so each answer is computed once."""
    root = tmp_path_factory.mktemp("results")
    shutil.copytree(FIXTURES / "comparisons" / "tiny", root / "comparisons" / "tiny")
    (root / "comparisons" / "no_metrics").mkdir()
    shutil.copytree(FIXTURES / "explore" / "demo", root / "explore" / "demo")
    return root, NowQueue("test-now")


@pytest.fixture
def results(results_root, monkeypatch) -> Path:
    """Computations on this process, with two replicates (one per loop), in that folder."""
    root, queue = results_root
    monkeypatch.setattr(comparisons, "RESULTS", root)
    monkeypatch.setattr(answers, "executor", lambda: Serial())
    monkeypatch.setattr(jobs, "QUEUE", queue)
    monkeypatch.setenv("VLIEGWIEL_PAGE_REPLICATES", "2")
    monkeypatch.setenv("VLIEGWIEL_PAGE_WHY_REPLICATES", "1")
    return root


@pytest.fixture
def session():
    """A fresh browser session: its own virtual kernel, so its own per-session state."""
    context = kernel_context.VirtualKernelContext(id=str(uuid.uuid4()), kernel=kernel.Kernel(),
                                                  session_id=str(uuid.uuid4()))
    with context:
        yield context
    context.close()


def render_page(session, search: str | None = None):
    routes = solara.generate_routes(app)
    path = "/" + (f"?{search}" if search else "")
    element = solara.RoutingProvider(children=[solara.autorouting.RenderPage("Page")], routes=routes, pathname=path)
    _, rc = solara.render(element, handle_error=False)
    session.app_object = rc   # closed with the session, as the server does
    return rc


@pytest.fixture
def page(session, results):
    """The page as the server renders it ('/'), on the small region, errors raised rather than drawn."""
    state.restored.set(True)
    state.question.set(SMALL)
    yield render_page(session)


def settle(rc, timeout: float = 60.0) -> None:
    """Wait for a render another thread is doing to end. A job's progress is followed by a
    thread of the page (a `use_thread`) that renders when it changes; a change this test makes
    while that thread renders is left to it (reacton renders one pass at a time, and the
    rendering thread loops until no change is due) and the change's call returns before it is
    drawn. Reading the page then would read the page before the change."""
    if not rc.thread_lock.acquire(timeout=timeout):
        raise AssertionError(f"the page was still rendering after {timeout:.0f} s")
    rc.thread_lock.release()


def widgets(rc) -> list[ipywidgets.Widget]:
    """Every widget on the page, following the synced traits, once the page has been drawn."""
    settle(rc)
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
    found = [w for w in widgets(rc) if isinstance(w, cls) and all(
        (value in (getattr(w, k, "") or "").split()) if k == "class_" else getattr(w, k, None) == value
        for k, value in attrs.items())]
    assert len(found) == 1, (cls, attrs, len(found))
    return found[0]


def by_class(rc, css: str) -> list[ipywidgets.Widget]:
    return [w for w in widgets(rc) if css in (getattr(w, "class_", "") or "").split()]


def send(widget, value) -> None:
    """What a websocket message {"method": "update", "state": {"v_model": value}} does."""
    widget.set_state({"v_model": value})


def type_in(rc, css: str, value) -> None:
    """A text field (solara.InputText) takes its value on focusout or Enter."""
    field = find(rc, v.TextField, class_=css)
    send(field, value)
    field.fire_event("focusout", {})


def click(rc, css: str) -> None:
    (button,) = [w for w in widgets(rc) if isinstance(w, v.Btn) and css in (w.class_ or "").split()]
    button.fire_event("click", {})


def close_notice(rc) -> None:
    if state.notice.value:
        click(rc, "viz-notice-close")
    assert state.notice.value == ""


def recover(rc) -> bool:
    """If the error boundary shows its message, press 'Verder'; True if it did."""
    buttons = [w for w in widgets(rc) if isinstance(w, v.Btn) and "viz-error-continue" in (w.class_ or "").split()]
    if buttons:
        buttons[0].fire_event("click", {})
    return bool(buttons)


def go(rc, view: str) -> None:
    click(rc, f"viz-view-{view}")
    assert state.view.value == view


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- the start view ------------------------------------------------------------------------------

def test_the_first_screen_answers_in_a_sentence_in_dutch(session, results, monkeypatch):
    monkeypatch.setattr(NowQueue, "kinds", {"answer", "why"})
    state.restored.set(True)
    state.question.set(SMALL)
    page = render_page(session)
    shown = texts(page)
    assert "Met € 1,5 mln over 2 jaar" in shown and "Hoe zeker is dit?" in shown
    assert "Zo gemeten: beleid en vergelijkingsbasis opnieuw met één lus uitgeschakeld (1 runs elk" in shown
    assert "In 85 % van de 40 plausibele werelden" in shown        # the demo analysis, with a caution:
    assert "uw vraag wijkt daarvan af, dus lees dit als een aanwijzing" in shown   # it is at 10 years, not 2
    assert "Time:" not in shown and "Model Parameters" not in shown and "Play Interval" not in shown
    assert_no_traceback(page)


def test_a_fresh_clone_without_a_robust_analysis_says_make_run(session, results, monkeypatch, tmp_path):
    """No results/explore/ yet (a fresh clone, before `make run`): the start view answers and says
    in its 'how sure' that there is no robust analysis and which command makes one; the robust
    view says the same; no traceback, in either language."""
    from sim.viz import robust_contract

    monkeypatch.setattr(robust_contract, "explore_dir", lambda results=None: tmp_path / "explore")
    state.restored.set(True)
    state.question.set(SMALL)
    page = render_page(session)
    shown = texts(page)
    assert "Met € 1,5 mln over 2 jaar" in shown and "Er is nog geen robuuste analyse" in shown
    assert "Die maakt make run: elk instrument in veel plausibele werelden." in shown
    go(page, "robust")
    assert "Maak er een met make run" in texts(page)
    state.language.set("en")
    assert "Make one with make run" in texts(page)
    go(page, "answer")
    assert "make run makes one" in texts(page)
    assert_no_traceback(page)


@pytest.mark.parametrize("css", ["viz-q-instruments", "viz-q-years", "viz-q-world"])
def test_a_crafted_question_choice_is_not_applied(page, css):
    before = state.question.value
    for value in SOME + ["sim.model.VillageModel", ["sim.model.VillageModel"], ["subsidy", "x"], 7, True, 2.5,
                         "small world.villages_file=/etc/passwd"]:
        send(find(page, v.Select, class_=css), value)
        assert state.question.value == before, value
    assert_no_traceback(page)
    assert "Niet toegepast" in texts(page)
    send(find(page, v.Select, class_="viz-q-years"), 5)
    assert state.question.value.years == 5


def test_the_budget_is_read_in_the_pages_language_and_a_bad_one_is_not_applied(page):
    type_in(page, "viz-q-budget", "2,5 mln")
    assert state.question.value.budget == 2_500_000
    type_in(page, "viz-q-budget", "1.500.000")
    assert state.question.value.budget == 1_500_000
    for value in SOME + ["-5", "2e12", "1,5.0", True, 1e308]:
        type_in(page, "viz-q-budget", value)
        assert state.question.value.budget == 1_500_000, value
        assert_no_traceback(page)
        assert "Niet toegepast" in texts(page)
    state.language.set("en")
    type_in(page, "viz-q-budget", "1,500,000")
    assert state.question.value.budget == 1_500_000 and "Read as EUR 1.5 M." in texts(page)


def test_a_programme_that_names_villages_the_region_lacks_is_explained(page):
    send(find(page, v.BtnToggle, class_="viz-kind"), 1)
    assert state.question.value.programme == "dialogue_shareholding"
    send(find(page, v.Select, class_="viz-q-programme"), "pilots_2019")
    assert state.question.value.programme == "dialogue_shareholding"   # five pilot villages: the small region has six
    assert "noemt pilotdorpen die deze regio niet heeft" in texts(page)
    for value in CRAFTED:
        send(find(page, v.Select, class_="viz-q-programme"), value)
        send(find(page, v.BtnToggle, class_="viz-kind"), value)
        assert state.question.value.programme == "dialogue_shareholding", value
        assert_no_traceback(page)


def test_the_broker_and_the_province_programmes_are_offered_in_both_languages(page):
    """The ninth instrument and the province-role programmes in the question panel, in Dutch and
    English; a programme with its own budget shows it, and the budget field does not apply."""
    def items(css):
        return [i["text"] for i in find(page, v.Select, class_=css).items]

    assert "provincie als verbinder" in items("viz-q-instruments")
    send(find(page, v.BtnToggle, class_="viz-kind"), 1)
    nl = items("viz-q-programme")
    for label in ("De provincie als medefinancier: zij legt elke gemeentelijke euro bij",
                  "De provincie als verbinder tussen dorpen, met hetzelfde geld",
                  "De provincie geeft ruimte om van regels af te wijken (geen geld)"):
        assert label in nl
    send(find(page, v.Select, class_="viz-q-programme"), "province_funder")
    assert state.question.value.programme == "province_funder" and state.question.value.budget == 750_000
    assert "Dit programma legt zijn eigen budget vast: € 750.000 van de gemeenten en € 750.000 van de provincie." in texts(page)
    type_in(page, "viz-q-budget", "3 mln")
    assert state.question.value.budget == 750_000
    state.language.set("en")
    assert "The province as broker between villages, with the same money" in items("viz-q-programme")
    assert "This programme sets its own budget: EUR 750,000 from the municipalities" in texts(page)
    send(find(page, v.BtnToggle, class_="viz-kind"), 0)
    assert state.question.value.budget == 1_500_000 and "province as broker" in items("viz-q-instruments")
    assert_no_traceback(page)


@pytest.mark.parametrize("css, reactive, good", [("viz-language", state.language, "nl")])
def test_the_language_switch_takes_only_a_button(page, css, reactive, good):
    for value in CRAFTED + [2, -1, 7]:
        send(find(page, v.BtnToggle, class_=css), value)
        assert reactive.value == good, value
        assert_no_traceback(page)
    assert REFUSED_NL in texts(page)
    send(find(page, v.BtnToggle, class_="viz-language"), 1)
    assert state.language.value == "en" and "With EUR 1.5 M over 2 years" in texts(page)


def test_a_link_restores_the_settings_and_names_what_it_did_not_take(session, results):
    rc = render_page(session, "instruments=subsidy,learning_network&budget=900000&years=5&world=small&lang=en"
                              "&view=answer&village=village-001&explore=demo")
    assert state.question.value == Question(("subsidy", "learning_network"), "", 900_000.0, 5, "small")
    assert (state.language.value, state.village.value, state.explore.value) == ("en", "village-001", "demo")
    assert "With EUR 900,000 over 5 years, subsidy and regional learning network" in texts(rc)
    assert app.current_query() == ("instruments=subsidy,learning_network&budget=900000&years=5&world=small&lang=en"
                                   "&view=answer&village=village-001&explore=demo")
    rc.close()


def test_a_crafted_link_gives_the_defaults_and_says_so(session, results):
    app.restore("instruments=sim.model.VillageModel&budget=%24%7Boc.env%3AHOME%7D&years=7&world=../x"
                "&lang=xx&view=admin&explore=../../etc&village=" + "x" * 300)
    assert state.question.value == Question() and (state.language.value, state.view.value) == ("nl", "answer")
    assert state.notice.value == "link.problems" and state.village.value == "" and state.explore.value == ""
    assert "instruments, budget, years, world" in i18n.text(state.notice.value, "en", **state.notice_fields.value)


# --- the other views -----------------------------------------------------------------------------

def test_the_map_takes_only_its_villages(page, monkeypatch):
    monkeypatch.setattr(NowQueue, "kinds", {"answer", "story"})
    go(page, "map")
    svg = [w for w in widgets(page) if hasattr(w, "vue_pick")]
    assert len(svg) == 1 and len(svg[0].villages) == 6
    for value in SOME + [6, -1, True, 2.5]:
        svg[0].vue_pick(value)                        # what the map's click sends
        send(find(page, v.Select, class_="viz-map-village-select"), value)
        send(find(page, v.BtnToggle, class_="viz-map-show"), value)
        assert state.village.value == "" and state.map_show.value == "policy", value
        assert_no_traceback(page)
    assert REFUSED_NL in texts(page)
    svg[0].vue_pick(2)
    assert state.village.value == "village-002" and "Dorp 3" in texts(page)
    send(find(page, v.BtnToggle, class_="viz-map-show"), 2)
    assert state.map_show.value == "diff"


def test_the_robust_view_takes_only_its_analyses_and_outcomes(page):
    go(page, "robust")
    assert "40 plausibele werelden" in texts(page) and "de drempel om mee te doen" in texts(page)
    for value in SOME + ["..", "demo/../demo", "participation_end\n"]:
        send(find(page, v.Select, class_="viz-robust-outcome"), value)
        assert state.robust_outcome.value == "participation_end", value
        assert_no_traceback(page)
    send(find(page, v.Select, class_="viz-robust-outcome"), "months_to_16")
    assert state.robust_outcome.value == "months_to_16" and "maanden tot 16 % meedoet" in texts(page)


def test_the_live_models_settings_wait_visibly_and_a_crafted_one_is_named_not_used(page):
    go(page, "live")
    wait_for(lambda: "Maand 0 van 24" in texts(page))
    for value in SOME + ["", True, 1e308, "1e309"]:
        type_in(page, "viz-seed", value)
        assert_no_traceback(page)
    assert i18n.NL["live.settings.pending"] in texts(page)
    click(page, "viz-live-apply")
    wait_for(lambda: i18n.NL["problem.rejected"] in texts(page))
    shown = texts(page)
    assert i18n.NL["problem.rejected"] in shown and "is geen getal" in shown and "Toevalsgetal (seed)" in shown
    type_in(page, "viz-residents-trust-mean", "0,8")
    click(page, "viz-live-apply")
    wait_for(lambda: "Vertrouwen in de overheid (0 tot 1) 0,8" in texts(page))
    assert state.live_run.value.overrides == {"residents.trust_mean": 0.8}


def test_the_live_model_steps_to_the_end_and_no_further(page):
    go(page, "live")
    wait_for(lambda: "Maand 0 van 24" in texts(page))
    click(page, "viz-live-step")
    wait_for(lambda: "Maand 1 van 24" in texts(page))
    click(page, "viz-live-end")
    wait_for(lambda: "Maand 24 van 24" in texts(page) and i18n.NL["live.at_end"] in texts(page))
    run = state.live_run.value
    assert run.step(5) == 0 and run.month == 24


def test_play_runs_only_while_the_browser_asks_for_frames(results):
    """Before, a closed tab left the model running on the server for ever (9.2 GB in 25
    minutes). Now the browser asks for every frame: no frames, no steps."""
    context = kernel_context.VirtualKernelContext(id=str(uuid.uuid4()), kernel=kernel.Kernel(),
                                                  session_id=str(uuid.uuid4()))
    with context:
        state.restored.set(True)
        state.question.set(Question(("dialogue",), world="small", years=2))
        state.view.set("live")
        rc = render_page(context)
        wait_for(lambda: "Maand 0 van 24" in texts(rc))
        run = state.live_run.value
        click(rc, "viz-live-play")
        wait_for(lambda: state.playing.value is True)
        (clock,) = [w for w in widgets(rc) if hasattr(w, "vue_frame")]
        wait_for(lambda: clock.playing is True)
        time.sleep(0.5)
        assert run.month == 0                       # nothing runs on its own
        for tick in range(3):
            clock.vue_frame(tick)                   # what the browser's clock sends
        assert 3 <= run.month <= 36 and "Maand" in texts(rc)
        for tick in range(40):
            clock.vue_frame(tick)
        assert run.month == 24 and state.playing.value is False   # stops at the horizon
        wait_for(lambda: "Maand 24 van 24" in texts(rc) and clock.playing is False)
        clock.vue_frame(99)
        assert run.month == 24
    context.close()


def test_the_compare_view_takes_only_listed_comparisons_outcomes_and_sizes(page, monkeypatch):
    started = []
    monkeypatch.setattr(sweep_job, "start", lambda root, request, owner="": started.append(request))
    go(page, "compare")
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
    send(find(page, v.Select, class_="viz-compare-select"), "no_metrics")
    assert "metrics.parquet" in texts(page)
    click(page, "viz-compare-start-button")
    assert [(r.replicates, r.months) for r in started] == [(3, 24)]   # the defaults: no crafted value got through


def test_every_input_on_every_view_takes_any_value_without_a_traceback(page, monkeypatch):
    """Whatever widgets the page has (a redesign included): every synced v_model, every crafted
    value. The question's inputs (the same on three views) are tried on the first."""
    monkeypatch.setattr(NowQueue, "kinds", {"answer", "story"})
    question = ("viz-q-", "viz-kind", "viz-language")
    for view in ("answer", "robust", "map", "live", "compare"):
        go(page, view)
        if view == "live":
            wait_for(lambda: "Maand 0 van 24" in texts(page))
        if view == "compare":
            send(find(page, v.Select, class_="viz-compare-select"), "tiny")
        seen = 0
        for position in range(200):
            ws = inputs_of(page, () if view == "answer" else question)
            if position >= len(ws):
                break
            seen += 1
            for value in SWEEP:
                ws = inputs_of(page, () if view == "answer" else question)
                if position < len(ws):
                    send(ws[position], value)
                    if any(e.startswith("focusout") for e in ws[position]._event_handlers_map):
                        ws[position].fire_event("focusout", {})
                    assert_no_traceback(page)
                    recover(page)
            close_notice(page)
            if state.view.value != view:   # a crafted value on the tabs never moves, but a good one may
                go(page, view)
        assert seen >= {"answer": 5, "robust": 1, "map": 2, "live": 5, "compare": 4}[view], view
        assert state.language.value == "nl"


INPUTS = (v.Select, v.TextField, v.BtnToggle, v.Slider, v.Checkbox, v.Switch, v.RadioGroup, v.Autocomplete,
          v.Combobox, v.Textarea)   # every vuetify widget a visitor types in or picks from


def inputs_of(rc, skip: tuple[str, ...]) -> list:
    """The page's inputs (every container has a v_model too, but no visitor sets it)."""
    found = [w for w in widgets(rc) if isinstance(w, INPUTS)]
    return [w for w in found if not any(c.startswith(skip) for c in (getattr(w, "class_", "") or "").split())] \
        if skip else found


# --- the boundary itself -------------------------------------------------------------------------

def test_the_served_page_is_inside_the_boundary():
    assert app.Layout is boundary.Layout and app.Page.__wrapped__ is not None


@solara.component
def Broken(when: str):
    if when == "render":
        raise RuntimeError("broken at render /secret/path.py")

    def fail():
        raise KeyError("broken in a handler")

    solara.Button("press", on_click=fail, classes=["press"])


@pytest.mark.parametrize("when", ["render", "handler"])
def test_an_exception_anywhere_is_a_short_message_and_one_log_line(session, when, caplog):
    with caplog.at_level(logging.ERROR, logger="sim.viz.page"):
        _, rc = solara.render(boundary.Layout(children=[Broken(when)]), handle_error=False)
        if when == "handler":
            click(rc, "press")
    try:
        shown = texts(rc)
        assert ERROR_NL in shown and "Traceback" not in shown and "secret" not in shown
        (record,) = [r for r in caplog.records if r.name == "sim.viz.page"]
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
    assert inputs.short("x" * 100) == "x" * 40 + "..." and inputs.short(10**5000) == "..."
    assert i18n.text("title", ["nl"]) == i18n.text("title", "xx") == i18n.NL["title"]
