"""Errors that end a command with a clear one-line message."""

from __future__ import annotations

from clinicguard.core.facts import Unknown
from clinicguard.core.model import Reason


class ClinicGuardError(Exception):
    """An error shown to the user as one line, exit code 2."""


class DataFileError(ClinicGuardError):
    """A shipped or user data file is malformed."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NotEstablished(Exception):
    """Something could not be read or told; it carries the Reason a grey result shows.

    The base of every host error (each kind sets its own ``reason``) and of :class:`ProbeError`.
    """

    reason: Reason = Reason.NOT_READABLE

    @property
    def detail(self) -> str:
        return str(self)


class ProbeError(NotEstablished):
    """A probe could not establish a fact; the check becomes UNKNOWN."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(detail or reason.value)
        self.reason = reason
        self._detail = detail

    @property
    def detail(self) -> str:
        return self._detail


def reason_of(exc: BaseException) -> tuple[Reason, str]:
    """The one mapping from an error met while gathering facts to a grey reason and its technical detail."""
    if isinstance(exc, NotEstablished):
        return exc.reason, exc.detail
    if isinstance(exc, TimeoutError):
        return Reason.TIMED_OUT, "no answer in time"
    return Reason.CHECK_ERROR, f"{type(exc).__name__}: {exc}"


def unknown_of(exc: BaseException) -> Unknown:
    """Why a fact field stays unknown after ``exc``: :func:`reason_of`, as the facts carry it."""
    reason, detail = reason_of(exc)
    return Unknown(reason, detail)


class ParseError(ProbeError):
    """Output of a tool or file did not have the expected shape."""

    def __init__(self, detail: str) -> None:
        super().__init__(Reason.UNEXPECTED_OUTPUT, detail)
