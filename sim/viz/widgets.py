"""Small building blocks of the page's own layout, and its Vue components."""

from __future__ import annotations

from collections.abc import Callable

import solara
from solara.alias import rw

from . import state
from .i18n import text
from . import jobs
from .jobs import DONE, FAILED, QUEUED


@solara.component_vue("village_map.vue")
def VillageMapSvg(villages: list, width: float, height: float, font: float, selected: int, legend: list,
                  legend_title: str, scale_km: float, scale_label: str, north: str, event_pick: Callable = None):
    pass


@solara.component_vue("address.vue")
def Address(query: str):
    pass


@solara.component_vue("player.vue")
def PlayerClock(playing: bool, tick: int, interval: int, event_frame: Callable = None):
    pass


@solara.component_vue("share_tools.vue")
def ShareTools(query: str, copy_label: str, copied_label: str, print_label: str, event_origin: Callable = None):
    pass


@solara.component
def Card(title: str = "", css: str = "", children=[]):  # noqa: B006  Solara's way of taking children
    with solara.Column(classes=["viz-card", css] if css else ["viz-card"], gap="4px") as main:
        if title:
            solara.Text(title, classes=["viz-card-title"])
        for child in children:
            solara.display(child)
    return main


def para(s: str, css: str = "viz-text") -> None:
    solara.Text(s, classes=[css], style={"display": "block"})


def bullets(items: list[str], css: str = "") -> None:
    with solara.Column(classes=["viz-list", css] if css else ["viz-list"], gap="2px"):
        for s in items:
            solara.Text("• " + s, classes=["viz-text"], style={"display": "block"})


def image(png: bytes, css: str = "") -> None:
    with solara.Column(classes=["viz-figure", css] if css else ["viz-figure"]):
        rw.Image(value=png, format="png")


def JobStatus(job, computing_key: str, css: str = "viz-job"):
    """Queued (how many ahead, whose), running (runs done), or failed: one line and a bar.

    The job is one object that changes in place, so the component is given what it shows
    (state, progress, place in the queue) as values: given the job alone, Solara sees the same
    argument at every render and keeps the first status ("1 of 10 runs done") under the answer."""
    if job is None:
        return None
    session = state.session_id()
    return _JobStatus(job, computing_key, css, job.state, job.done, job.total,
                      jobs.QUEUE.ahead(job), jobs.QUEUE.others_ahead(job, session))


@solara.component
def _JobStatus(job, computing_key: str, css: str, job_state: str, done: int, total: int, ahead: int, others: int):
    lang = state.language.value
    if job_state == DONE:
        return
    if job_state == FAILED:
        solara.Error(text("a.failed", lang, why=text(job.error, lang)), dense=True, classes=[f"{css}-failed"])
        return
    with solara.Column(classes=["viz-progress", css], gap="2px"):
        if job_state == QUEUED:
            solara.ProgressLinear(value=True)
            solara.Text(text("a.waiting", lang, n=others) if others else text("a.waiting.own", lang) if
                        ahead else text("a.starting", lang), classes=[f"{css}-queued"])
        elif total:
            solara.ProgressLinear(value=100 * done / max(total, 1))
            solara.Text(text(computing_key, lang, done=done, total=total), classes=[f"{css}-running"])
        else:
            solara.ProgressLinear(value=True)
            solara.Text(text("a.starting", lang), classes=[f"{css}-running"])
