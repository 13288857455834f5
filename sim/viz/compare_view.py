"""The compare view: finished comparisons from results/comparisons/, instruments side by side.

The visitor picks a comparison by name from the folders the server finds (never a path:
sim/viz/comparisons.py resolves and checks it) or starts a small one (sim/viz/sweep_job.py).
Shown: adoption curves with bands, paired differences with the baseline, the table of one
outcome and the number of runs; each figure downloads as PNG or SVG, its data as CSV.
Anything that cannot be opened is a message on the page.
"""

from __future__ import annotations

import logging
import threading

import solara

from . import compare_figures as cf
from . import comparisons, inputs, state, sweep_job
from .boundary import describe
from .i18n import text

logger = logging.getLogger("sim.viz.page")


def _error(exc: Exception, lang: str) -> str:
    """The message for a comparison that does not open; anything but a ComparisonError (a bug,
    a file system error naming server paths) is one line in the log and a short message."""
    if isinstance(exc, comparisons.ComparisonError):
        return f"{text(exc.reason, lang)}: {exc.detail}" if exc.detail else text(exc.reason, lang)
    logger.error("comparison not opened: %s", describe(exc))
    return text("compare.unreadable", lang)


def _pick(reactive: solara.Reactive, value, allowed) -> None:
    """`reactive` set to the item of `allowed` the browser chose, or a notice."""
    try:
        reactive.set(inputs.one_of(value, list(allowed)))
    except inputs.Refused as exc:
        state.refuse(exc.reason)


@solara.component
def Downloads(stem: str, figure, data, css: str):
    """PNG and SVG of a figure (`figure()` builds it anew) and its data as CSV."""
    lang = state.language.value
    with solara.Row(classes=[f"{css}-downloads"], style={"flex-wrap": "wrap"}):
        solara.Text(text("compare.download", lang) + ":")
        for fmt, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
            solara.FileDownload(lambda fmt=fmt: cf.figure_bytes(figure(), fmt), filename=f"{stem}.{fmt}",
                                label=fmt.upper(), mime_type=mime)
        solara.FileDownload(lambda: cf.csv_bytes(data()), filename=f"{stem}.csv", label="CSV", mime_type="text/csv")


@solara.component
def BandsCard(cmp: comparisons.Comparison):
    lang = state.language.value
    has_curves = cmp.curves is not None and not cmp.curves.empty
    fig = solara.use_memo(lambda: cf.bands_figure(cmp, lang) if has_curves else None, [cmp, lang])
    with solara.Card(text("compare.bands.card", lang), classes=["viz-compare-bands"]):
        if fig is None:
            solara.Warning(text("compare.no_curves", lang), dense=True)
            return
        solara.FigureMatplotlib(fig, format="png")
        Downloads(f"{cmp.name}_adoption_bands", lambda: cf.bands_figure(cmp, lang), lambda: cf.bands_data(cmp),
                  "viz-compare-bands")


def _metric(cmp: comparisons.Comparison) -> str:
    """The session's chosen outcome if this comparison has it, else the default."""
    have = set(cmp.table["metric"])
    if state.metric.value in have:
        return state.metric.value
    return cf.DEFAULT_METRIC if cf.DEFAULT_METRIC in have else str(cmp.table["metric"].iloc[0])


@solara.component
def DifferenceCard(cmp: comparisons.Comparison):
    lang = state.language.value
    metric = _metric(cmp)
    fig = solara.use_memo(lambda: cf.difference_figure(cmp, metric, lang), [cmp, metric, lang])
    with solara.Card(text("compare.diff.card", lang, baseline=cf.scenario_name(cmp.baseline, lang)),
                     classes=["viz-compare-diff"]):
        solara.v.Select(label=text("compare.metric", lang), items=cf.metric_choices(cmp, lang), v_model=metric,
                        on_v_model=lambda m: _pick(state.metric, m, cmp.table["metric"].unique()),
                        class_="viz-compare-metric", dense=True)
        solara.FigureMatplotlib(fig, format="png")
        Downloads(f"{cmp.name}_difference_{metric}", lambda: cf.difference_figure(cmp, metric, lang),
                  lambda: cf.difference_data(cmp, metric), "viz-compare-diff")


@solara.component
def TableCard(cmp: comparisons.Comparison):
    lang = state.language.value
    metric = _metric(cmp)
    with solara.Card(f"{text('compare.table', lang)}: {cf.metric_label(metric, lang)}", classes=["viz-compare-table"]):
        solara.Markdown(cf.table_markdown(cf.table_rows(cmp, metric, lang), lang))
        with solara.Row(classes=["viz-compare-table-downloads"], style={"flex-wrap": "wrap"}):
            solara.Text(text("compare.download", lang) + ":")
            solara.FileDownload(lambda: cf.csv_bytes(cmp.table), filename=f"{cmp.name}_metrics_table.csv",
                                label=text("compare.download.table", lang), mime_type="text/csv")


@solara.component
def ComparisonPanels(name: str):
    lang = state.language.value
    root = comparisons.comparisons_dir()
    try:
        cmp = comparisons.open_comparison(root, name)
    except Exception as exc:  # noqa: BLE001  anything that cannot be opened is a message
        solara.Error(_error(exc, lang), classes=["viz-compare-error"])
        return
    solara.Markdown(f"## {cmp.name}")
    solara.Text(cf.runs_summary(cmp, lang), classes=["viz-compare-runs"])
    solara.Text(text("compare.baseline_is", lang, baseline=cf.scenario_name(cmp.baseline, lang)),
                style={"font-size": "0.9em", "color": "grey"})
    BandsCard(cmp)        # full width, one below the other: figures a reader can read
    DifferenceCard(cmp)
    TableCard(cmp)


@solara.component
def StartCard(on_finished):
    """Start every instrument on the small world, a few replicates, and follow its progress."""
    lang = state.language.value
    reps = solara.use_reactive(sweep_job.Request().replicates)
    months = solara.use_reactive(sweep_job.Request().months)
    session = state.session_id()
    job, set_job = solara.use_state(sweep_job.current())
    done, set_done = solara.use_state(0)
    problem, set_problem = solara.use_state("")

    def watch(cancel: threading.Event):
        if job is None:
            return
        while job.running and not cancel.is_set():
            set_done(job.done())
            cancel.wait(1.0)
        if not cancel.is_set():
            set_done(job.done())
            if job.finished and job.owner == session:   # another visitor's result is not opened here
                on_finished(job.name)

    solara.use_thread(watch, dependencies=[job], intrusive_cancel=False)

    def start():
        try:
            request = sweep_job.Request(inputs.one_of(reps.value, sweep_job.REPLICATES),
                                        inputs.one_of(months.value, sweep_job.MONTHS))
        except ValueError:   # inputs.Refused, or Request's own check
            set_problem(text("compare.bad_request", lang))
            return
        set_problem("")
        set_job(sweep_job.start(comparisons.comparisons_dir(), request, session))

    with solara.Card(text("compare.start", lang), classes=["viz-compare-start"]):
        solara.Markdown(text("compare.start.what", lang))
        solara.v.Select(label=text("compare.start.replicates", lang), items=list(sweep_job.REPLICATES),
                        v_model=reps.value, on_v_model=lambda n: _pick(reps, n, sweep_job.REPLICATES), dense=True,
                        class_="viz-compare-replicates")
        solara.v.Select(label=text("compare.start.months", lang), items=list(sweep_job.MONTHS),
                        v_model=months.value, on_v_model=lambda n: _pick(months, n, sweep_job.MONTHS), dense=True,
                        class_="viz-compare-months")
        running = job is not None and job.running
        solara.Button(text("compare.start.button", lang), on_click=start, disabled=running,
                      classes=["viz-compare-start-button"])
        if problem:
            solara.Error(problem, dense=True)
        if job is None:
            return
        if running and job.owner != session:   # another visitor's: say so, never join it silently
            solara.Warning(text("compare.start.other", lang, name=job.name, done=done, total=job.total), dense=True,
                           classes=["viz-compare-other"])
        if running:
            if done < job.total:
                solara.ProgressLinear(value=100 * done / max(job.total, 1))
                solara.Text(text("compare.start.running", lang, name=job.name, done=done, total=job.total),
                            classes=["viz-compare-progress"])
            else:
                solara.ProgressLinear(value=True)
                solara.Text(text("compare.start.collecting", lang, name=job.name), classes=["viz-compare-progress"])
        elif job.finished:
            solara.Success(text("compare.start.finished", lang, name=job.name), dense=True)
        else:
            solara.Error(text("compare.start.failed", lang, name=job.name, error=job.error()), dense=True)


@solara.component
def CompareView():
    lang = state.language.value
    root = comparisons.comparisons_dir()
    refresh = solara.use_reactive(0)
    names = solara.use_memo(lambda: comparisons.list_names(root), [refresh.value])
    selected = state.comparison.value

    def finished(name: str) -> None:
        refresh.set(refresh.value + 1)
        state.comparison.set(name)

    solara.Text(text("compare.title", lang), classes=["viz-heading"])
    with solara.Div(classes=["viz-card", "viz-compare-pick"]):
        if names:
            solara.v.Select(label=text("compare.pick", lang), items=names, v_model=selected,
                            on_v_model=lambda v: _pick(state.comparison, v, names),
                            hint=text("compare.pick.hint", lang, folder=root), persistent_hint=True,
                            class_="viz-compare-select", style_="max-width: 520px")
        else:
            solara.Info(text("compare.none_found", lang, folder=root), classes=["viz-compare-empty"])
    if selected is not None:
        ComparisonPanels(selected)
    elif names:
        solara.Info(text("compare.choose", lang))
    StartCard(finished)
