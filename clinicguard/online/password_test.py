"""The leaked-password test behind ``clinicguard password-test`` and the dashboard screen.

The password is only held for the time of the test: it is copied into a
bytearray that is zeroed once hashed, nothing is stored or logged, and the
callers drop their own reference. Python strings cannot be wiped, so this
is as far as Python allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clinicguard.i18n import t
from clinicguard.online.http import Client, OnlineError, base_url
from clinicguard.online.password_strength import CNIL_ALONE_BITS, CNIL_RESTRICTED_BITS, Strength, estimate
from clinicguard.online.pwned import pwned_count, sha1_upper


@dataclass(frozen=True)
class PasswordReport:
    strength: Strength
    pwned: int | None  # None: not checked online
    error: OnlineError | None = None

    @property
    def status(self) -> str:
        """green / amber / red as in the checklist, or grey: strong, but the leak check was not made.

        The colour follows the strength; a strong password whose leak check is
        missing is not "to improve" (nothing about it can be improved), and not
        green either, since it may sit in a known leak.
        """
        if self.pwned or self.strength.level == "weak":
            return "red"
        if self.strength.level == "medium":
            return "amber"
        if self.pwned is None:
            return "grey"
        return "green"

    def lines(self, lang: str, offline_key: str = "online.password.pwned_offline") -> list[str]:
        """The report in plain words; ``offline_key`` explains how to go online (CLI or dashboard wording)."""
        s = self.strength
        out = [
            t("online.password.strength", lang, bits=round(s.bits), length=s.length, classes=s.classes),
            t(f"online.password.level.{s.level}", lang, alone=CNIL_ALONE_BITS, restricted=CNIL_RESTRICTED_BITS),
        ]
        if self.error is not None:
            out.append(self.error.message(lang))
            out.append(t("online.password.pwned_unknown", lang))
        elif self.pwned is None:
            out.append(t(offline_key, lang))
        elif self.pwned:
            out.append(t("online.password.pwned_found", lang, count=_thousands(self.pwned, lang)))
        else:
            out.append(t("online.password.pwned_clean", lang))
        return out


def _thousands(n: int, lang: str) -> str:
    text = f"{n:,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


class PasswordTester:
    """Estimates strength locally and, when ``online``, asks Pwned Passwords."""

    def __init__(
        self, settings: dict[str, Any] | None = None, *, online: bool = False, client: Client | None = None
    ) -> None:
        self.settings = settings
        self.online = online
        self._client = client

    def test(self, password: str) -> PasswordReport:
        if not password:
            raise ValueError("empty password")
        strength = estimate(password)
        if not self.online:
            return PasswordReport(strength, None)
        secret = bytearray(password.encode("utf-8"))
        try:
            digest = sha1_upper(secret)
        finally:
            secret[:] = bytes(len(secret))
        try:
            client = self._client or Client("pwnedpasswords", base_url("pwnedpasswords", self.settings))
            try:
                return PasswordReport(strength, pwned_count(client, digest))
            finally:
                if self._client is None:
                    client.close()
        except OnlineError as exc:
            return PasswordReport(strength, None, exc)
        finally:
            digest = ""
