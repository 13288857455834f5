"""The model version a result belongs to: the package version plus a fingerprint of the
model's code, so results made by other code are never taken for this code's (a sweep's
resume keys on it)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from . import __version__

PACKAGE = Path(__file__).resolve().parent
NOT_MODEL = ("calibrate", "explore", "report", "validate", "viz")  # presentation and checks only: changing them leaves results valid


@cache
def code_fingerprint() -> str:
    """12 hex characters: sha256 over the package's Python sources (path and content)."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in NOT_MODEL:
            continue
        h.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def model_version() -> str:
    """'<package version>+<code fingerprint>', e.g. '0.1.0+3f2a9c1b7d4e'."""
    return f"{__version__}+{code_fingerprint()}"
