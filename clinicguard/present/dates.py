"""Dates and times as people of each language write them."""

from __future__ import annotations

from datetime import date, datetime

from clinicguard.i18n import format_value


def format_day(value: date | datetime | str, lang: str) -> str:
    """A day ("28/11/2026" in French); a string is read as an ISO date."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return str(format_value("x_date", day, lang))


def format_when(value: datetime, lang: str) -> str:
    """The day and the local time of a moment, e.g. "28/11/2026 10:05"."""
    local = value.astimezone()
    return f"{format_day(local.date(), lang)} {local:%H:%M}"
