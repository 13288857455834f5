"""What every command shares: one line per error and a documented exit status.

    0    done
    1    a run or check failed, a sweep stopped (--fail-fast), the disk is full, or an output
         could not be written (finished records are kept)
    2    a mistake in the input: one line naming the key, the value and what is allowed
    130  stopped by Ctrl-C (143 by SIGTERM); finished runs are kept, running the same
         command again does the rest
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from ..errors import DiskFull, Failed, UserError


def guarded(prog: str, body: Callable[[], int]) -> int:
    """Run a command's body; turn what a user can meet into one line and an exit status."""
    from ..experiments import Interrupted

    try:
        return body()
    except UserError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except (DiskFull, Failed) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    except Interrupted as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print(f"{prog}: stopped by Ctrl-C; finished runs are kept", file=sys.stderr)
        return 130


def exit_now(status: int):
    """End a console command with `status` once everything that must happen at exit has
    happened: the atexit handlers run (multiprocessing stops the workers' server,
    concurrent.futures joins its threads, logging flushes) and stdout and stderr are flushed;
    then os._exit skips the interpreter's teardown of every module and object, about a
    second after a sweep (pandas, pyarrow, matplotlib, the collected tables) that a user
    would wait for with every file already written and closed. While any other thread is
    still running (a pool's, say, that the interpreter would stop first), this is an
    ordinary exit."""
    import atexit
    import os
    import threading

    if any(t.is_alive() for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status if isinstance(status, int) else 1)


def one_line_errors(parser: argparse.ArgumentParser, prog: str) -> argparse.ArgumentParser:
    """argparse's mistakes as a UserError (one line) instead of its usage block and exit 2."""
    def error(message: str) -> None:
        raise UserError(f"{message} (see {prog} --help)")

    parser.error = error
    return parser


def available_bytes() -> int | None:
    """Memory this machine has available now (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def check_memory(cfg, key: str = "world.n_villages", at_once: int = 1) -> None:
    """Refuse before anything runs when `at_once` runs of `cfg` cannot fit in the memory
    available (sim/config/validate.py: estimate_bytes, an upper estimate)."""
    from ..config.validate import estimate_bytes

    need, have = estimate_bytes(cfg), available_bytes()
    if have is not None and need * at_once > 0.9 * have:
        what = f"{at_once} runs at once need" if at_once > 1 else "this world needs"
        raise UserError(f"{key}: {what} up to {need * at_once / 1e9:.1f} GB of memory and {have / 1e9:.1f} GB are "
                        "available; use fewer or smaller villages, fewer ties (network.mean_degree)"
                        + (", or fewer workers (hydra.launcher.workers)" if at_once > 1 else ""))
