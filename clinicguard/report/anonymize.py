"""``--anonymize``: hide the computer name, user names and file paths before any rendering.

Scrubbing the assessment itself (not each output) guarantees every format
gets the same treatment.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from clinicguard.core.model import Assessment, CheckResult, Evidence
from clinicguard.i18n import t

# Windows drive and UNC paths, %VARIABLE% paths, POSIX absolute and home paths.
# The look-behind keeps URLs ("https://...") and dates ("28/11/2026") intact.
# Folder names may hold spaces ("Program Files"); the last part may not, so the
# words after a path stay readable.
_SEG = r"""[^\\/\s"'<>|;,]+"""
_PATHS = re.compile(
    rf"""(?:(?<![\w])[A-Za-z]:[\\/]|\\\\[^\s\\]+\\|%[A-Za-z_]+%[\\/])(?:{_SEG}(?: {_SEG})*[\\/])*[^\s"'<>|;,]*"""
    r"""|(?<![\w.:/~-])(?:~|\$HOME)?/(?=[\w.@+-])(?:[\w.@+-]+(?: [\w.@+-]+)*/)*[\w.@+-]*""",
)


# Evidence whose value is a comma-separated list of account names.
USER_LABELS = frozenset(
    {"user", "autologin_user", "admins", "empty_password", "extra_superusers", "no_password_required"}
)
# Evidence whose value is the name of a user profile ("profile.red": "marie.d").
PROFILE_LABELS = ("profile.", "profile_state.", "profile_skipped.")
_NOT_NAMES = frozenset({"none", "unknown", "?", "yes", "no", "on", "off", "not_set", ""})


def account_names(assessment: Assessment) -> set[str]:
    """Every user name the assessment mentions: the current user and the accounts in the evidence."""
    names = {assessment.host.user}
    for result in assessment.results:
        for e in result.evidence:
            if e.label in USER_LABELS or e.label.startswith(PROFILE_LABELS):
                names.update(part.strip() for part in e.value.split(","))
    return {n for n in names if n.lower() not in _NOT_NAMES}


class Scrubber:
    def __init__(self, hostname: str, users: set[str] | str, lang: str) -> None:
        self.lang = lang
        self.words: list[tuple[re.Pattern[str], str]] = []
        names = {users} if isinstance(users, str) else users
        pairs = [(hostname, "report.anon_host")] + [(name, "report.anon_user") for name in sorted(names, key=len)[::-1]]
        for value, key in pairs:
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
        return replace(
            r,
            evidence=evidence,
            detail=self.text(r.detail),
            params={k: self.param(v) for k, v in r.params.items()},
            accepted=accepted or None,
        )


def anonymize(assessment: Assessment, lang: str) -> Assessment:
    scrub = Scrubber(assessment.host.hostname, account_names(assessment), lang)
    host = replace(
        assessment.host,
        hostname=t("report.anon_host", lang),
        user=t("report.anon_user", lang) if assessment.host.user else "",
    )
    return replace(assessment, host=host, results=tuple(scrub.result(r) for r in assessment.results))
