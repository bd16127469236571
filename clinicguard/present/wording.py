"""The texts of results in one language for one platform.

A :class:`Wording` bundles the catalogue, the language and the platform that
nearly every rendering needs, so they travel as one value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, TypedDict

from clinicguard.catalogue import Catalogue
from clinicguard.core.model import CheckResult, Status
from clinicguard.i18n import t
from clinicguard.present.dates import format_day, format_when
from clinicguard.present.safe import safe_line, safe_params, safe_text
from clinicguard.present.statuses import marked_label, status_label


class ResultTexts(TypedDict):
    title: str
    summary: str
    why: str
    fix: str


def result_texts(
    result: CheckResult, catalogue: Catalogue, lang: str, platform: str, *, display: bool = False
) -> ResultTexts:
    """The human texts of one result in ``lang``, the fix being the one for ``platform``.

    ``display=True`` is for a screen or a report: what came from the machine
    (parameters, an unknown id) is made safe to show (``present.safe``).
    """
    if display:
        texts = result_texts(replace(result, params=safe_params(result.params)), catalogue, lang, platform)
        # Titles, "why" and "fix" come from the catalogue; an unknown id and the summary's parameters do not.
        return {
            **texts,
            "title": safe_line(texts["title"]),
            "summary": safe_text(texts["summary"], multiline=True, limit=None),
        }
    spec = catalogue.checks.get(result.check_id)
    if spec is None:
        return {"title": result.check_id, "summary": t(result.summary_key, lang, **result.params), "why": "", "fix": ""}
    return {
        "title": spec.title(lang),
        "summary": spec.summary(result.summary_key, lang, result.params),
        "why": spec.why(lang),
        "fix": spec.fix(lang, platform, result.status),
    }


def theme_of(check_id: str, catalogue: Catalogue) -> str:
    spec = catalogue.checks.get(check_id)
    return spec.theme if spec else ""


@dataclass(frozen=True)
class Wording:
    """Catalogue + language + platform: how to word anything about one assessment, safe to show."""

    catalogue: Catalogue
    lang: str
    platform: str

    def text(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def texts(self, result: CheckResult) -> ResultTexts:
        return result_texts(result, self.catalogue, self.lang, self.platform, display=True)

    def title(self, result: CheckResult) -> str:
        return self.texts(result)["title"]

    def status(self, status: Status) -> str:
        return status_label(status, self.lang)

    def marked(self, status: Status) -> str:
        return marked_label(status, self.lang)

    def theme_of(self, result: CheckResult) -> str:
        return theme_of(result.check_id, self.catalogue)

    def theme_title(self, theme: str) -> str:
        th = self.catalogue.themes.get(theme)
        return th.title(self.lang) if th else theme

    def when(self, value: datetime) -> str:
        return format_when(value, self.lang)

    def day(self, value: date | datetime | str) -> str:
        return format_day(value, self.lang)


def how_to_verify(result: CheckResult, wording: Wording) -> str:
    """For a grey item: what to do about the reason, then how to check it by hand on this system."""
    if result.reason is None:
        return ""
    advice = wording.text(f"common.reason_help.{result.reason.value}")
    spec = wording.catalogue.checks.get(result.check_id)
    by_hand = spec.verify(wording.lang, wording.platform) if spec else ""
    return f"{advice}\n{by_hand}" if by_hand else advice
