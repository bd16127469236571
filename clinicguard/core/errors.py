"""Errors that end a command with a clear one-line message."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from clinicguard.core.facts import Unknown
from clinicguard.core.model import Reason

# A message for people, kept as a catalogue key and its parameters so the front end shows it in the reader's
# language (``clinicguard.i18n.message_text``): 'msg:error.unknown_item {"item": "x"}'. The layers below the
# catalogue (files, records, fleet) say what happened this way without knowing the language.
MESSAGE_PREFIX = "msg:"


def message(key: str, **params: Any) -> str:
    """The stored form of the catalogue message ``key`` (under ``message.`` in i18n/*/messages.toml)."""
    clean = {k: v if isinstance(v, int | float | str | bool) or v is None else str(v) for k, v in params.items()}
    return f"{MESSAGE_PREFIX}{key}" + (f" {json.dumps(clean, ensure_ascii=False, sort_keys=True)}" if clean else "")


# How a stored message reads in English (in logs, ``str(error)``); the catalogue sets it when it loads
# (clinicguard.i18n), the core reading no file.
english: list[Callable[[str], str]] = []


def in_english(text: str) -> str:
    return english[0](text) if english else text


class ClinicGuardError(Exception):
    """An error shown to the user as one line, exit code 2.

    Raised with a catalogue key and its parameters (``ClinicGuardError("unknown_item", item=x)``) it is shown in
    the reader's language; a text already in that language (``t(...)``) is shown as it is.
    """

    def __init__(self, key: str, /, **params: Any) -> None:
        translatable = all(part.isidentifier() for part in key.split("."))
        self.key = key if translatable else ""
        self.params = params
        self.encoded = message(key, **params) if translatable else key
        super().__init__(self.encoded)

    def __str__(self) -> str:
        return in_english(self.encoded)


class DataFileError(ClinicGuardError):
    """A shipped or user data file is malformed: ``problem`` is a catalogue message key with its parameters."""

    def __init__(self, path: str, problem: str, /, **params: Any) -> None:
        self.encoded = message("data_file", path=path, problem=message(problem, **params))
        Exception.__init__(self, self.encoded)
        self.key, self.params = "data_file", {"path": path, "problem": message(problem, **params)}
        self.path = path
        self.problem = in_english(message(problem, **params))  # what went wrong, without the file name


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
