"""The live model for the curious: one run of the question, month by month, next to the
baseline on the same random numbers (sim/viz/live.py).

Controls in plain words: one month on, play / pause, to the end (runs the rest and draws
once), start again. Play steps about PACE months a second (ten years in about ten seconds;
more months per frame when drawing is slow), stops at the horizon, and ends when the view
or the browser session closes or a step fails: the browser asks for every frame
(player.vue), so the server never runs the model on its own. The figures draw a snapshot
taken under the run's lock, so a frame, a click and a change of language never show a
history that grows while it draws.
Extra settings wait, visibly, until "Apply".
"""

from __future__ import annotations

import logging
import threading
import time

import solara

from . import controls, numbers, sentences, state
from .boundary import describe
from .cascade import CascadeFigure, summary
from .i18n import text
from .inputs import Refused, one_of
from .live import BASE, POLICY, LiveRun
from .live_figures import CollectivesFigure, CurvesFigure, MoneyFigure
from .widgets import Card, PlayerClock, image, para

logger = logging.getLogger("sim.viz.page")
PACE = 12.0      # months per second while playing
FRAME = 0.08     # seconds between frames at least (the browser waits for each frame to be drawn)


def _village_index(run: LiveRun) -> int:
    names = run.villages().name
    return names.index(state.village.value) if state.village.value in names else 0


@solara.component
def Picture(fig, snap):
    png = solara.use_memo(lambda: fig.png(snap), [fig, fig.key(snap)])
    image(png)


@solara.component
def LiveFigures(run: LiveRun):
    lang = state.language.value
    state.live_tick.value   # redraw after every step
    v = _village_index(run)
    name = run.villages().name[v]
    snap = run.snapshot(v)
    policy = sentences.policy_name(run.question, lang) if POLICY in run.models else text("curves.baseline", lang)
    figs = solara.use_memo(lambda: (CurvesFigure(snap, lang, policy), CascadeFigure(snap, name, lang),
                                    CollectivesFigure(snap, lang, policy), MoneyFigure(snap, lang)), [run, lang, v])
    with Card(css="viz-live-curves"):
        Picture(figs[0], snap)
    with Card(css="viz-live-cascade"):
        names = list(run.villages().name)
        items = [{"text": sentences.village_name(n, lang), "value": n} for n in names]
        solara.v.Select(label=text("live.village", lang), items=items, v_model=name,
                        on_v_model=lambda n: _pick_village(n, names), class_="viz-live-village viz-noprint",
                        style_="max-width: 420px", dense=True)
        Picture(figs[1], snap)
        para(summary(snap, name, lang), "viz-small viz-cascade-summary")
    with Card(css="viz-live-collectives"):
        Picture(figs[2], snap)
    with Card(css="viz-live-money"):
        Picture(figs[3], snap)


def _pick_village(value, names) -> None:
    try:
        state.village.set(one_of(value, names))
    except Refused as exc:
        state.refuse(exc.reason)


def _status(run: LiveRun, lang: str) -> str:
    snap_month = run.month
    with run.lock:
        shares = {label: float(m.recorder.region[-1][_share_col()]) for label, m in run.models.items()}
    if POLICY in shares:
        return text("live.status", lang, month=snap_month, horizon=run.horizon, own=numbers.pct(shares[POLICY], lang),
                    base=numbers.pct(shares[BASE], lang), policy=sentences.policy_name(run.question, lang))
    return text("live.status.baseline", lang, month=snap_month, horizon=run.horizon, own=numbers.pct(shares[BASE], lang))


def _share_col() -> int:
    from ..recorder import REGION_COLUMNS

    return REGION_COLUMNS.index("participation_share")


def _step(run: LiveRun, months: int) -> None:
    state.playing.set(False)
    run.step(months)
    state.live_tick.set(state.live_tick.value + 1)


@solara.component
def Buttons(run: LiveRun):
    lang = state.language.value
    state.live_tick.value
    at_end = run.at_end
    playing = state.playing.value
    with solara.Row(classes=["viz-row", "viz-live-buttons", "viz-noprint"]):
        solara.Button(text("live.step", lang), on_click=lambda: _step(run, 1), disabled=at_end,
                      classes=["viz-live-step"], outlined=True)
        solara.Button(text("live.pause" if playing else "live.play", lang), disabled=at_end and not playing,
                      on_click=lambda: state.playing.set(not state.playing.value), classes=["viz-live-play"],
                      color="primary")
        solara.Button(text("live.end", lang), on_click=lambda: _step(run, run.horizon), disabled=at_end,
                      classes=["viz-live-end"], outlined=True)
        solara.Button(text("live.reset", lang), on_click=_reset, classes=["viz-live-reset"], outlined=True)
    para(_status(run, lang), "viz-live-status")
    if at_end:
        para(text("live.at_end", lang), "viz-small viz-live-at-end")


def _reset() -> None:
    state.playing.set(False)
    state.live_run.set(None)      # rebuilt from the question and the applied settings


@solara.component
def Player(run: LiveRun):
    """Play: the browser asks for each frame once the last one is drawn (player.vue); each
    frame steps the months that passed at PACE months a second (at least one). The server
    never runs the model on its own, so a closed tab stops it, and nothing runs past the
    horizon."""
    last = solara.use_ref(0.0)

    def frame(_tick=None) -> None:
        if not state.playing.value:
            return
        try:
            now = time.monotonic()
            months = 1 if not last.current else max(1, min(12, int((now - last.current) * PACE)))
            last.current = now
            run.step(months)
            if run.at_end:
                state.playing.set(False)
            state.live_tick.set(state.live_tick.value + 1)
        except Exception as exc:  # noqa: BLE001  a failed step stops playing, with a message
            logger.error("live model stopped: %s", describe(exc))
            state.playing.set(False)
            state.refuse("live.stopped")

    if not state.playing.value:
        last.current = 0.0
    PlayerClock(playing=state.playing.value, tick=state.live_tick.value, interval=int(1000 * FRAME),
                event_frame=frame)


@solara.component
def Settings(run: LiveRun):
    """The extra settings: typed values wait until Apply, and the page says so."""
    lang = state.language.value
    applied = state.live_applied.value
    defaults = controls.default_values(lang)
    typed = {**defaults, **{k: controls.show(v, controls.spec(k), lang) for k, v in applied.items()},
             **state.live_settings.value}
    problems = state.live_problems
    in_use = {k: run.overrides.get(k, controls.spec(k).default) for k in controls.CONTROL_KEYS}
    pending = any(str(typed[k]) != controls.show(in_use[k], controls.spec(k), lang) for k in controls.CONTROL_KEYS)

    def apply() -> None:
        values, found = controls.overrides_from_controls(typed, run.question.config(), lang)
        values = {k: x for k, x in values.items() if x != controls.spec(k).default}   # the defaults need no override
        problems.set([controls.problem_message(p, lang) for p in found])
        state.live_settings.set({})
        state.playing.set(False)
        state.live_applied.set(values)

    with Card(text("live.settings", lang), css="viz-live-settings viz-noprint"):
        for s in controls.specs():
            css = "viz-" + s.key.replace(".", "-").replace("_", "-")
            raw = typed[s.key]
            solara.InputText(controls.label(s, lang), value=str(raw), continuous_update=False,
                             on_value=lambda v, key=s.key: state.live_settings.set({**state.live_settings.value, key: v}),
                             message=controls.help_text(s, lang), classes=[css])
        if pending:
            solara.Text(text("live.settings.pending", lang), classes=["viz-pending", "viz-live-pending"])
        solara.Button(text("live.settings.apply", lang), on_click=apply, disabled=not pending,
                      classes=["viz-live-apply"], color="primary" if pending else None)
        for msg in problems.value:
            solara.Error(f"{text('problem.rejected', lang)}: {msg}; {text('problem.default', lang)}.", dense=True,
                         classes=["viz-problem"])
        what = "; ".join(f"{controls.label(controls.spec(k), lang)} {controls.show(v, controls.spec(k), lang)}"
                         for k, v in in_use.items())
        para(text("live.settings.in_use", lang, what=what), "viz-small viz-live-in-use")


@solara.component
def LiveView():
    lang = state.language.value
    q = state.question.value
    applied = state.live_applied.value
    run = state.live_run.value
    stale = run is None or run.question != q or run.overrides != applied
    building = solara.use_reactive(False)

    def build(cancel: threading.Event) -> None:
        if not stale:
            return
        state.playing.set(False)
        building.set(True)
        try:
            made = LiveRun(q, applied)
            if not cancel.is_set():
                state.live_run.set(made)
        except Exception as exc:  # noqa: BLE001
            logger.error("live model not built: %s", describe(exc))
            state.refuse("live.stopped")
        finally:
            building.set(False)

    solara.use_thread(build, dependencies=[q, tuple(sorted(applied.items())), run is None], intrusive_cancel=False)
    solara.Text(text("live.title", lang), classes=["viz-heading"])
    para(text("live.intro", lang, policy=sentences.policy_name(q, lang)), "viz-small")
    if stale:
        with Card(css="viz-live-building"):
            solara.ProgressLinear(value=True)
            if run is not None and run.question != q:
                para(text("live.question_changed", lang))
            para(text("live.building", lang))
        return
    Player(run)
    Buttons(run)
    LiveFigures(run)
    Settings(run)
