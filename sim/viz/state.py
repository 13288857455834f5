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

language = solara.reactive(DEFAULT_LANGUAGE)
village = solara.reactive(0)                # index of the village whose network is shown
values = solara.reactive(default_values())  # control values as the browser sent them
view = solara.reactive("live")              # "live" or "compare"
comparison = solara.reactive(None)          # name of the comparison shown (a folder name, not a path)
metric = solara.reactive("participation_end")  # the outcome shown in the compare view
