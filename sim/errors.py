"""Errors a user can cause, each rendered as one clear line."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in the user's input: shown as one line, never as a traceback."""


class ConfigError(UserError):
    """A configuration value that is not allowed: names the key, the value and what is allowed."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}={_show(value)}: {allowed}")


def _show(value: object) -> str:
    if isinstance(value, str):
        return value if value else "''"
    return repr(value)
