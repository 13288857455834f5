"""Hydra callback: when a multirun ends, collect its runs into the dataset and report."""

from __future__ import annotations

import sys
from pathlib import Path

from hydra.experimental.callback import Callback
from omegaconf import DictConfig


# what the last multirun of this process left (read by the CLI for its exit status)
LAST: dict = {}


class CollectOnEnd(Callback):
    def on_multirun_start(self, config: DictConfig, **kwargs) -> None:
        import json
        import os

        from ..atomic import write_text_atomic
        from .task import FAIL_FAST_ENV, INFO, START_ENV, STOP, TOTAL_ENV

        LAST.clear()
        LAST["dir"] = Path(config.hydra.sweep.dir)
        runs = LAST["dir"] / "runs"
        runs.mkdir(parents=True, exist_ok=True)
        (runs / STOP).unlink(missing_ok=True)  # a new attempt runs again
        # what the workers need to know of this attempt (task.sweep_info): the CLI set it in
        # this process's environment just now; workers may be older or elsewhere
        info = {"total": int(os.environ.get(TOTAL_ENV, "0") or 0), "start": float(os.environ.get(START_ENV, "0") or 0),
                "fail_fast": os.environ.get(FAIL_FAST_ENV) == "1"}
        write_text_atomic(runs / INFO, json.dumps(info) + "\n")

    def on_multirun_end(self, config: DictConfig, **kwargs) -> None:
        from .collect import collect

        folder = Path(config.hydra.sweep.dir)
        runs = folder / "runs"
        if runs.is_dir():
            from .task import STOP, progress

            progress(runs, force=True)

            LAST["failed"] = len(list(runs.glob("*.failed.json")))
            LAST["stopped"] = (runs / STOP).exists()
            collect(folder)
            print(f"vliegwiel: dataset, metrics and report in {folder}/ (report/report.md)", file=sys.stderr)
