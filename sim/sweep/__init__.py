"""Sweeps: many runs of the one runner, each written as one small record, then collected.

    seeds.py      replicate seeds from one master seed (numpy SeedSequence)
    record.py     one run -> one Parquet file (time series; metrics and parameters as metadata)
    task.py       what a Hydra multirun job does: skip if done, run, write, report progress
    collect.py    all records of a sweep -> dataset.parquet, metrics.parquet and the report
    callbacks.py  Hydra callback that collects when a multirun ends
"""
