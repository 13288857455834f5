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
        from .task import STOP

        LAST.clear()
        LAST["dir"] = Path(config.hydra.sweep.dir)
        (LAST["dir"] / "runs" / STOP).unlink(missing_ok=True)  # a new attempt runs again

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
