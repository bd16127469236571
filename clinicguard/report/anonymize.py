"""``--anonymize``: hide the computer name, user names and file paths before any rendering.

Scrubbing the assessment itself (not each output) guarantees every format
gets the same treatment.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from clinicguard.i18n import t
from clinicguard.model import Assessment, CheckResult, Evidence

# Windows drive and UNC paths, %VARIABLE% paths, POSIX absolute and home paths.
# The look-behind keeps URLs ("https://...") and dates ("28/11/2026") intact.
_PATHS = re.compile(
    r"""(?:(?<![\w])[A-Za-z]:[\\/]|\\\\[^\s\\]+\\|%[A-Za-z_]+%[\\/])[^\s"'<>|;,]*"""
    r"""|(?<![\w.:/~-])(?:~|\$HOME)?/(?:[\w.@+-]+/?)+""",
)


class Scrubber:
    def __init__(self, hostname: str, user: str, lang: str) -> None:
        self.lang = lang
        self.words: list[tuple[re.Pattern[str], str]] = []
        for value, key in ((hostname, "report.anon_host"), (user, "report.anon_user")):
            if value and len(value) >= 2:
                self.words.append((re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.IGNORECASE), t(key, lang)))

    def text(self, value: str) -> str:
        if not value:
            return value
        out = _PATHS.sub(t("report.anon_path", self.lang), value)
        for pattern, replacement in self.words:
            out = pattern.sub(replacement, out)
        return out

    def param(self, value: Any) -> Any:
        return self.text(value) if isinstance(value, str) else value

    def result(self, r: CheckResult) -> CheckResult:
        evidence = tuple(Evidence(e.label, self.text(e.value), self.text(e.source)) for e in r.evidence)
        accepted = r.accepted and replace(r.accepted, justification=self.text(r.accepted.justification))
        return replace(r, evidence=evidence, detail=self.text(r.detail),
                       params={k: self.param(v) for k, v in r.params.items()}, accepted=accepted or None)


def anonymize(assessment: Assessment, lang: str) -> Assessment:
    scrub = Scrubber(assessment.host.hostname, assessment.host.user, lang)
    host = replace(assessment.host, hostname=t("report.anon_host", lang),
                   user=t("report.anon_user", lang) if assessment.host.user else "")
    return replace(assessment, host=host, results=tuple(scrub.result(r) for r in assessment.results))
