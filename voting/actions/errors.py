"""The one error type use cases raise for bad input or a refused action.

`code` is stable and machine-readable; `message` is already translated for the
user (the caller runs inside an app context with a locale).
"""
from __future__ import annotations

from typing import Any


class ActionError(Exception):
    """A use case refused: `status` is the HTTP status the API answers with."""

    def __init__(self, code: str, message: str, status: int = 400, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status
        self.details = details


class NotFound(ActionError):
    def __init__(self, message: str, code: str = "not_found") -> None:
        super().__init__(code, message, status=404)


class Forbidden(ActionError):
    def __init__(self, message: str, code: str = "forbidden") -> None:
        super().__init__(code, message, status=403)
