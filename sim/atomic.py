"""Nothing half-written: write to a temporary name beside the target, then rename.

A full disk (or quota) while writing raises `DiskFull` naming the real path, after the
temporary file is removed, so the caller can stop with one clear line and nothing half
written is left behind.
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from .errors import DiskFull

FULL = (errno.ENOSPC, errno.EDQUOT)


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call write(tmp) for a temporary path next to `path`, then rename it to `path`."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno in FULL:
            raise DiskFull(path) from exc
        raise
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is a full disk or quota."""
    while exc is not None:
        if isinstance(exc, DiskFull) or (isinstance(exc, OSError) and exc.errno in FULL):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
