"""Stopping an ensemble from outside: Ctrl-C, SIGTERM, or a cancel event (the page's)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM stopped the ensemble; finished records are kept."""

    def __init__(self, signum: int, kept: int, folder: Path) -> None:
        self.signum, self.kept, self.folder = signum, kept, folder
        name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        super().__init__(f"stopped by {name}; {kept} finished run(s) are kept in {folder}/runs; "
                         "run the same command again to do the rest")


class signals:
    """While an ensemble runs in the main thread: SIGINT and SIGTERM are noted (and end the
    loop at its next turn) instead of raising wherever the code happens to be."""

    def __init__(self, cancel: threading.Event | None = None) -> None:
        self.cancel = cancel

    def __enter__(self) -> dict:
        self.caught: dict = {"cancel": self.cancel}
        self.old = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.old[sig] = signal.signal(sig, self._note)
        return self.caught

    def _note(self, signum, frame) -> None:
        if self.caught.get("signum") is not None:      # a second Ctrl-C: stop now
            raise KeyboardInterrupt
        self.caught["signum"] = signum

    def __exit__(self, *exc) -> None:
        for sig, handler in self.old.items():
            signal.signal(sig, handler)
