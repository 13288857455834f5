"""Per-session state of the page.

`solara.reactive` values defined at module level are kept per browser session (per virtual
kernel) by the Solara server, so two visitors never share a language, a selected village or
control values. The model itself is built in the page component (`solara.use_memo`), never
at module level, where it would be shared by every visitor.
"""

from __future__ import annotations

import solara

from .controls import default_values
from .i18n import DEFAULT_LANGUAGE
from .inputs import clamp_int


class Bounded(solara.Reactive):
    """An int kept within [lo, hi] whatever is set (SolaraViz's play and render interval
    sliders: a browser can send any number, and a render interval of 10**9 would make one
    Step run for hours); what is not a number keeps the current value."""

    def __init__(self, default: int, lo: int, hi: int) -> None:
        super().__init__(default)
        self.lo, self.hi = lo, hi

    def set(self, value) -> None:
        super().set(clamp_int(value, self.lo, self.hi, fallback=self.peek()))


language = solara.reactive(DEFAULT_LANGUAGE)
village = solara.reactive(0)                # index of the village whose network is shown
values = solara.reactive(default_values())  # control values as the browser sent them
view = solara.reactive("live")              # "live" or "compare"
comparison = solara.reactive(None)          # name of the comparison shown (a folder name, not a path)
metric = solara.reactive("participation_end")  # the outcome shown in the compare view
notice = solara.reactive("")                # text key of the last browser value that was not used
play_interval = Bounded(300, 1, 500)        # ms between Steps while playing (SolaraViz's slider)
render_interval = Bounded(1, 1, 100)        # Steps per click (SolaraViz's slider)


def refuse(reason: str = "input.refused") -> None:
    """Say on the page that a value the browser sent was not used (sim/viz/boundary.py shows it)."""
    notice.set(reason)
