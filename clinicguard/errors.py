"""Errors that end a command with a clear one-line message."""

from __future__ import annotations

from clinicguard.model import Reason


class ClinicGuardError(Exception):
    """An error shown to the user as one line, exit code 2."""


class DataFileError(ClinicGuardError):
    """A shipped or user data file is malformed."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ProbeError(Exception):
    """A probe could not establish a fact; the check becomes UNKNOWN."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(detail or reason.value)
        self.reason = reason
        self.detail = detail


class ParseError(ProbeError):
    """Output of a tool or file did not have the expected shape."""

    def __init__(self, detail: str) -> None:
        super().__init__(Reason.UNEXPECTED_OUTPUT, detail)
