"""The experiment layer: many runs in-process, one record each, resumable, on any executor.

    runs.py        Run (a configuration, its scenario label and parameters) and its key
    ensemble.py    run_ensemble(runs, folder, executor): resume, batches, progress,
                   failures, interrupts, then collect
    executors/     where batches run: serial, processes, slurm / slurm_local, ray
    worker.py      what a worker does with a batch (run, metrics, record)
    records.py     one run -> runs/<key>.parquet (curves; metrics and labels as metadata)
    collect.py     records -> metrics.parquet, dataset.parquet, failures.csv
    testfunctions.py  functions with known answers, run through the same machinery

Everything above it (the command line, calibration, sensitivity, exploration, the browser
page) builds a list of `Run`s and calls `run_ensemble`; nothing here imports Hydra.
"""

from .ensemble import EnsembleResult, Interrupted, run_ensemble
from .executors import KINDS, Executor, make_executor
from .runs import MODEL, Run, run_key, scenario_label

__all__ = ["KINDS", "MODEL", "EnsembleResult", "Executor", "Interrupted", "Run", "make_executor", "run_ensemble",
           "run_key", "scenario_label"]
