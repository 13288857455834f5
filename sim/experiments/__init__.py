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

The names below are imported on first use (PEP 562), so that `sim.experiments.preload` can
start the workers' server before pandas and the model are imported here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_WHERE = {"EnsembleResult": "ensemble", "Interrupted": "stopping", "run_ensemble": "ensemble",
          "KINDS": "executors", "Executor": "executors", "make_executor": "executors",
          "MODEL": "runs", "Run": "runs", "run_key": "runs", "scenario_label": "runs"}
__all__ = sorted(_WHERE)

if TYPE_CHECKING:
    from .ensemble import EnsembleResult, run_ensemble  # noqa: F401
    from .executors import KINDS, Executor, make_executor  # noqa: F401
    from .runs import MODEL, Run, run_key, scenario_label  # noqa: F401
    from .stopping import Interrupted  # noqa: F401


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
