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


@solara.component
def JobStatus(job, computing_key: str, css: str = "viz-job"):
    """Queued (how many ahead, whose), running (runs done), or failed: one line and a bar."""
    lang = state.language.value
    if job is None or job.state == DONE:
        return
    if job.state == FAILED:
        solara.Error(text("a.failed", lang, why=text(job.error, lang)), dense=True, classes=[f"{css}-failed"])
        return
    with solara.Column(classes=["viz-progress", css], gap="2px"):
        if job.state == QUEUED:
            others = jobs.QUEUE.others_ahead(job, state.session_id())
            solara.ProgressLinear(value=True)
            solara.Text(text("a.waiting", lang, n=others) if others else text("a.waiting.own", lang) if
                        jobs.QUEUE.ahead(job) else text("a.starting", lang), classes=[f"{css}-queued"])
        elif job.total:
            solara.ProgressLinear(value=100 * job.done / max(job.total, 1))
            solara.Text(text(computing_key, lang, done=job.done, total=job.total), classes=[f"{css}-running"])
        else:
            solara.ProgressLinear(value=True)
            solara.Text(text("a.starting", lang), classes=[f"{css}-running"])
