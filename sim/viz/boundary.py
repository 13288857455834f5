"""The page's last line of defence: no exception reaches the browser as a traceback.

Without it, an exception in any component's render or event handler (a crafted value from
the browser, a bug) travels up to Solara's root, which shows the Python traceback, with the
server's paths, on the page. `guarded(Page)` puts the page inside `ErrorBoundary`, which
catches what its children raise (`solara.use_exception`), shows a short message in the
page's language with a button to carry on, and writes one line to the server's log.

Values that inputs refuse (sim/viz/inputs.py) are not errors: `state.refuse()` sets a
notice that `guarded(Page)` shows above the page until it is closed. When the page is
served without the Host/Origin check (`solara run` instead of `make viz`; sim/viz/security.py)
it says so too.
"""

from __future__ import annotations

import logging
import traceback

import solara

from . import security, state
from .i18n import text
from .inputs import short

logger = logging.getLogger("sim.viz.page")
_warned: list[bool] = []


def describe(exc: BaseException) -> str:
    """One line: the exception's type and message and where it was raised (file:line)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {short(exc, 200)!r}{where}"


@solara.component
def Notice():
    key = state.notice.value
    if not key:
        return
    lang = state.language.value
    with solara.Row(classes=["viz-notice"], style={"align-items": "center", "padding": "4px 20px"}):
        solara.Warning(text(key, lang, **state.notice_fields.value), dense=True)
        solara.Button(text("notice.close", lang), on_click=lambda: state.notice.set(""), text=True,
                      classes=["viz-notice-close"])


@solara.component
def ErrorBoundary(children=[]):  # noqa: B006  Solara's way of taking children
    """Its children, or, once one of them raised, a short message and a button to carry on."""
    exc, clear = solara.use_exception()
    logged = solara.use_ref(None)
    if exc is not None:
        lang = state.language.value
        if logged.current is not exc:
            logged.current = exc
            logger.error("page error: %s", describe(exc))
        with solara.Column(classes=["viz-error"], style={"padding": "24px"}) as main:
            solara.Error(text("error.page", lang))
            solara.Button(text("error.continue", lang), on_click=clear, classes=["viz-error-continue"])
        return main
    return children[0] if len(children) == 1 else solara.Column(children=children)


@solara.component
def Layout(children=[]):  # noqa: B006
    """The page module's `Layout`: the page inside ErrorBoundary, and nothing else (no
    framework app bar, sidebar or tabs: sim/viz/app.py draws its own)."""
    return ErrorBoundary(children=children)   # (a Column between them makes reacton re-render forever on an error)


def guarded(page):
    """`Page = guarded(Page)`: the page with the notices above it (a value not used; a server
    without the Host/Origin check). With `Layout` above, nothing it raises reaches the browser."""

    @solara.component
    def Page():
        lang = state.language.value
        # the same children in every render (Notice draws nothing without a notice): a change
        # of place would make reacton build the page, and its model, anew
        with solara.Column(gap="0px"):
            if not security.installed():   # fixed for the life of the server
                if not _warned:
                    _warned.append(True)
                    logger.warning("the page is served without the Host/Origin check: start it with make viz "
                                   "(python -m sim.viz.server), not solara run")
                solara.Warning(text("error.unguarded", lang), dense=True, classes=["viz-unguarded"])
            Notice()
            page()

    Page.__wrapped__ = page
    return Page
