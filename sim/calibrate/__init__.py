"""Calibration against an observed adoption curve (`vliegwiel-calibrate`, docs/ODD.md s9).

- observed.py: the observed series (a CSV file: a year column and a value column);
- fit.py:      the mapping of model output to data (a free saturation level K) and the
               goodness of fit (NRMSE, Bass p and q of both curves);
- abc.py:      approximate Bayesian computation by rejection: priors, draws, acceptance,
               the posterior's summary;
- report.py:   figures and the Markdown report;
- cli.py:      the command, which runs every model evaluation through the sweep machinery
               (design files, resume, parallel launchers) and writes a calibrated scenario.
"""
