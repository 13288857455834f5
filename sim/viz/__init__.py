"""The browser page for policymakers (issue 5): `make viz`, then open http://127.0.0.1:8765.

    server.py      what `make viz` runs: Solara's server behind security.py, on 127.0.0.1 by default
    security.py    the Host/Origin check (ASGI middleware; VLIEGWIEL_ALLOWED_HOSTS)
    app.py         the page: Mesa's SolaraViz (Step, Play, Reset) plus the cards below
    panels.py      figure panels: village map, a village's network, curves, collectives, money
    figures.py     the region's figures, kept per session and redrawn in place; network.py: a village's network
    sidebar.py     language, live/compare switch, settings, the running model's summary and messages
    compare_view.py  the compare view: pick or start a comparison, instruments side by side
    comparisons.py   comparison name -> folder (refusing anything else), loading, the paired table
    compare_figures.py  the compare view's figures, table and downloads (statistics from sim/report)
    sweep_job.py   a small comparison started from the page (a `vliegwiel` subprocess)
    controls.py    which parameters the page offers; browser value -> validated config
    live_model.py  the VillageModel the page runs, rebuilt by Reset from the controls
    state.py       per-session state (language, selected village, control values)
    inputs.py      what the browser sends, checked before use (choices from their lists)
    boundary.py    the error boundary around the page: a short message, one log line, no traceback
    i18n.py        every text in Dutch and English
    assets.py      Solara's front-end files for offline serving
"""
