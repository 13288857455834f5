"""The browser page: `make viz` (python -m sim.viz.server, which serves this module behind
the Host/Origin check of sim/viz/security.py).

The page's own layout, not a framework's: a top bar (title, the views, the language), the
question in a side column, and the chosen view:

    answer   the start view: the question answered in a sentence and a figure, why, how sure,
             save / share / print (sim/viz/answer_view.py)
    robust   every instrument across the plausible worlds of the robust analysis (robust_view.py)
    map      the region's villages on a map, each village's story on a click (map_view.py)
    live     one run month by month, next to the baseline on the same seed (live_view.py)
    compare  finished comparisons from results/comparisons/ (compare_view.py)

Solara provides the widgets, the per-session state (sim/viz/state.py) and the server; Mesa
the model. A link (`?instruments=dialogue&budget=1500000&years=10&world=province&lang=nl`)
restores the settings in a new session; the address bar always holds the current one.
`Layout` (sim/viz/boundary.py's ErrorBoundary) and `guarded(Page)` see to it that no
exception reaches the browser as a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import solara  # noqa: E402

from . import question as qmod, state  # noqa: E402
from .answer_view import AnswerView  # noqa: E402
from .boundary import Layout, guarded  # noqa: E402, F401  Layout: Solara wraps the page in it
from .compare_view import CompareView  # noqa: E402
from .i18n import LANGUAGES, text  # noqa: E402
from .inputs import Refused, index  # noqa: E402
from .live_view import LiveView  # noqa: E402
from .map_view import MapView  # noqa: E402
from .question_panel import QuestionPanel  # noqa: E402
from .robust_view import RobustView  # noqa: E402
from .widgets import Address  # noqa: E402

CSS = Path(__file__).with_name("style.css")
VIEWS = {"answer": AnswerView, "robust": RobustView, "map": MapView, "live": LiveView, "compare": CompareView}
WITH_QUESTION = ("answer", "map", "live")


def restore(search: str | None) -> None:
    """Once per session: the settings of the link the page was opened with."""
    if state.restored.peek():
        return
    state.restored.set(True)
    link = qmod.from_query(search)
    state.language.set(link.lang)
    state.view.set(link.view)
    state.question.set(link.question)
    if link.village:
        state.village.set(link.village)
    if link.explore:
        state.explore.set(link.explore)
    if link.problems:
        state.refuse("link.problems", keys=", ".join(link.problems))


def current_query() -> str:
    return qmod.to_query(qmod.Link(state.question.value, state.language.value, state.view.value,
                                   state.village.value, state.explore.value))


def _choose(reactive, options: list[str]):
    def pick(position) -> None:
        try:
            reactive.set(options[index(position, len(options))])
        except Refused as exc:
            state.refuse(exc.reason)
    return pick


@solara.component
def TopBar():
    lang = state.language.value
    view = state.view.value
    with solara.Div(classes=["viz-topbar"]):
        with solara.Column(gap="0px", classes=["viz-brand"]):
            solara.Text(text("title", lang), classes=["viz-brand-title"])
            solara.Text(text("subtitle", lang), classes=["viz-brand-sub"])
        with solara.Div(classes=["viz-tabs"]):
            for name in VIEWS:
                css = ["viz-tab", f"viz-view-{name}"] + (["viz-tab-active"] if name == view else [])
                solara.Button(text(f"view.{name}", lang), text=True, classes=css,
                              on_click=lambda name=name: state.view.set(name))
        with solara.v.BtnToggle(v_model=LANGUAGES.index(lang), on_v_model=_choose(state.language, list(LANGUAGES)),
                                mandatory=True, dense=True, class_="viz-lang viz-language"):
            for code in LANGUAGES:
                solara.Button(code.upper(), classes=[f"viz-lang-{code}"], small=True)


@guarded
@solara.component
def Page():
    router = solara.use_router()
    solara.use_memo(lambda: restore(router.search), [])
    lang = state.language.value
    view = state.view.value if state.view.value in VIEWS else "answer"
    solara.Title(text("title", lang))
    solara.Style(CSS)
    Address(query=current_query())
    with solara.Column(classes=["viz-page"], gap="0px"):
        TopBar()
        with solara.Div(classes=["viz-body"]):
            if view in WITH_QUESTION:
                with solara.Div(classes=["viz-sidebar"]):
                    QuestionPanel()
            with solara.Div(classes=["viz-main", f"viz-main-{view}"]):
                VIEWS[view]()
