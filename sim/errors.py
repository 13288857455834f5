"""Errors a user can cause or meet, each rendered as one clear line."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """A mistake in the user's input: shown as one line, never as a traceback (exit status 2)."""


class ConfigError(UserError):
    """A configuration value that is not allowed: names the key, the value and what is allowed."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}={_show(value)}: {allowed}")


class DiskFull(OSError):
    """No space left (or quota exceeded) while writing `path`; nothing half-written remains."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(f"no space left on the device while writing {self.path}: free some space "
                         f"(df -h {self.path.parent}) and run the same command again")


def _show(value: object) -> str:
    if isinstance(value, str):
        return value if value else "''"
    return repr(value)


class Failed(Exception):
    """A run or a check failed (exit status 1); what failed is said in one line."""
