"""The browser page for provincial policymakers: `make viz`, then open http://127.0.0.1:8765.

    server.py        what `make viz` runs: Solara's server behind security.py, on 127.0.0.1 by default
    security.py      the Host/Origin check (ASGI middleware; VLIEGWIEL_ALLOWED_HOSTS)
    app.py           the page's own layout: top bar, the question, five views; links (?...) restored
    question.py      the question (instruments or a programme, budget, horizon, region): checked,
                     as a link, as a scenario file the command line accepts
    question_panel.py  the question's inputs
    answer_view.py   the start view: the answer, why, how sure, save / share / print
    answers.py       the answer: policy and baseline paired over replicates (run_ensemble)
    why.py           which loops did the work: the gain with each loop knocked out
    sentences.py     the answer in words; numbers.py numbers in Dutch and English, in and out
    answer_figures.py  the answer's and the why's figures; brief.py the one-page PDF (reportlab)
    robust_contract.py  the robust analysis's summary.json, read defensively (field names here only)
    robust_view.py   every instrument across plausible worlds; robust_figures.py its figures; sure.py
                     how sure an answer is, in words
    map_view.py      the region's villages on a map (village_map.vue, map_data.py), a village's story
    stories.py       per village: one run of the question with and without the policy
    live_view.py     the model step by step; live.py the run (policy and baseline, one seed, a lock),
                     live_figures.py and cascade.py (who took part through whom) its figures,
                     figures.py the figures' in-place redraw, controls.py its extra settings
    compare_view.py  finished comparisons; comparisons.py, compare_figures.py, sweep_job.py
    jobs.py          the server's computations, one at a time, shared, withdrawn when nobody waits
    warm.py          the default question computed when the server starts
    hooks.py, widgets.py, state.py  a session's computations, building blocks, per-session state
    inputs.py        what the browser sends, checked before use (choices from their lists)
    boundary.py      the error boundary: a short message, one log line, no traceback
    i18n.py          texts_nl.py and texts_en.py: every text in Dutch and English
    assets.py        Solara's front-end files for offline serving
"""
