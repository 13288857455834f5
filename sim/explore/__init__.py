"""Exploratory modelling under deep uncertainty: every instrument across every plausible world.

    table.py       the uncertainty table (param(..., plausible=...)) and the calibration's posterior
    design.py      N worlds (Latin hypercube / Sobol, one seed each) and their runs
    robustness.py  per policy and outcome over worlds: beats the baseline, best, regret,
                   satisficing, ranks
    discovery.py   PRIM boxes (EMA Workbench), CART cross-check, feature scores
    sentences.py   every box as a sentence in English and Dutch
    tidy.py        metrics.parquet from the records (no dataset: it would repeat every input)
    summary.py     robustness/summary.json (its fields are documented there)
    figures.py, markdown.py, report.py   the report
    cli.py         `vliegwiel-explore` (make run)

Bankes (1993); Lempert, Popper & Bankes (2003); Bryant & Lempert (2010); Kwakkel (2017),
the EMA Workbench.
"""
