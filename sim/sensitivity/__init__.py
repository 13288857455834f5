"""Global sensitivity analysis with SALib (Sobol and Morris) through the sweep machinery.

    testfunctions.py  functions with known indices (Ishigami), evaluated by a sweep's runs
    design.py         SALib designs written as a design file (one row per run)
    analyse.py        indices with confidence intervals, as a table and a figure
    cli.py            `vliegwiel-sensitivity`: design -> sweep -> collect -> indices
"""
