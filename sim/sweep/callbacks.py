"""Hydra callback: when a multirun ends, collect its runs into the dataset and report."""

from __future__ import annotations

import sys
from pathlib import Path

from hydra.experimental.callback import Callback
from omegaconf import DictConfig


class CollectOnEnd(Callback):
    def on_multirun_end(self, config: DictConfig, **kwargs) -> None:
        from .collect import collect

        folder = Path(config.hydra.sweep.dir)
        if (folder / "runs").is_dir():
            collect(folder)
            print(f"vliegwiel: dataset, metrics and report in {folder}/ (report/report.md)", file=sys.stderr)
