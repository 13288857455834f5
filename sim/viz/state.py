"""Per-session state of the page.

`solara.reactive` values defined at module level are kept per browser session (per virtual
kernel) by the Solara server, so two visitors never share a language, a question, a live
model or a selected village. Everything the browser sets passes a check first
(sim/viz/question.py, sim/viz/inputs.py); what does not pass leaves the value as it was and
sets `notice`.
"""

from __future__ import annotations

import solara

from .i18n import DEFAULT_LANGUAGE
from .question import Question

language = solara.reactive(DEFAULT_LANGUAGE)
view = solara.reactive("answer")           # one of question.VIEWS
question = solara.reactive(Question())     # the question the answer, map and live model belong to
village = solara.reactive("")              # name of the village chosen on the map (and for the live model)
explore = solara.reactive("")              # name of the robust analysis shown ('' = the newest)
robust_outcome = solara.reactive("participation_end")
map_show = solara.reactive("policy")       # what colours the map: policy, baseline, diff
comparison = solara.reactive(None)         # name of the comparison shown (a folder name, not a path)
metric = solara.reactive("participation_end")   # the outcome shown in the compare view
notice = solara.reactive("")               # text key of the last browser value that was not used
notice_fields = solara.reactive({})        # values for that text
origin = solara.reactive("")               # where the visitor reached the page (for links in the brief)
restored = solara.reactive(False)          # the link (?...) has been read for this session

# the live model (sim/viz/live_view.py)
live_run = solara.reactive(None)           # LiveRun, or None before it is built
live_tick = solara.reactive(0)             # bumped after every step: redraws the live figures
playing = solara.reactive(False)
live_settings = solara.reactive({})        # control values as typed (sim/viz/controls.py)
live_applied = solara.reactive({})         # the values the live model was built with
live_problems = solara.reactive([])        # messages about typed values not used at the last Apply


def refuse(reason: str = "input.refused", **fields) -> None:
    """Say on the page that a value the browser sent was not used (sim/viz/boundary.py shows it)."""
    notice_fields.set(fields)
    notice.set(reason)


def session_id() -> str:
    """This browser session's id (its kernel's), '' outside a session."""
    try:
        from solara.server import kernel_context

        return kernel_context.get_current_context().id
    except Exception:  # noqa: BLE001  no session (a test rendering outside the server)
        return ""
