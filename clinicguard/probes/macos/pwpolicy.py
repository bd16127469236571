"""Password and lockout rules of local accounts (pwpolicy global account policies)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from clinicguard.core.errors import ParseError
from clinicguard.core.facts import PasswordPolicy
from clinicguard.core.notes import note
from clinicguard.host import Host
from clinicguard.probes import probe
from clinicguard.probes.common import run_ok
from clinicguard.probes.macos.plists import PWPOLICY, parse_plist

PWPOLICY_ARGV = [PWPOLICY, "-getaccountpolicies"]
MIN_LENGTH_PARAMS = ("minimumLength", "minLength", "minChars")
LOCKOUT_PARAM = "policyAttributeMaximumFailedAuthentications"
MAX_AGE_PARAMS = ("policyAttributeExpiresEveryNDays", "policyAttributeDaysUntilExpiration")
# Character classes a content rule may require, recognised in its regular expression.
CLASS_PATTERNS = {
    "upper": ("[A-Z]",),
    "lower": ("[a-z]",),
    "digit": ("[0-9]", "\\d"),
    "symbol": ("[^a-zA-Z0-9]", "[^A-Za-z0-9]", "[^0-9a-zA-Z]", "[[:punct:]]"),
    "alpha": ("[a-zA-Z]", "[A-Za-z]", "[[:alpha:]]"),
}
# Legacy identifiers (pwpolicy -setglobalpolicy "requiresNumeric=1"...).
CLASS_IDENTIFIERS = {
    "requiresalpha": ("alpha",),
    "requiresnumeric": ("digit",),
    "requiressymbol": ("symbol",),
    "requiresmixedcase": ("upper", "lower"),
}
LENGTH_RE = re.compile(r"\.\{(\d+),")
# Rules macOS sets by itself on every Mac: an unmanaged Mac reports only the
# FileVault rule "policyAttributePassword matches '.{4,}+'" (no parameters).
APPLE_DEFAULT_POLICIES = frozenset({"com.apple.defaultpasswordpolicy.fde"})


@dataclass(frozen=True)
class MacPolicy:
    min_length: int  # 0 when no rule sets one
    empty_allowed: bool
    classes: frozenset[str]
    lockout: int  # 0 = no lockout
    max_age_days: int | None
    identifiers: tuple[str, ...]

    @property
    def managed(self) -> bool:
        """Some rule besides the ones macOS sets by itself (a profile, pwpolicy, an MDM)."""
        return any(i not in APPLE_DEFAULT_POLICIES for i in self.identifiers)

    @property
    def complexity(self) -> bool:
        classes = set(self.classes)
        if "alpha" in classes and classes & {"upper", "lower"}:
            classes.discard("alpha")
        return len(classes) >= 3


def _policies(data: dict[str, Any], category: str) -> list[dict[str, Any]]:
    items = data.get(category) or []
    if not isinstance(items, list):
        raise ParseError(f"pwpolicy: {category} is not a list")
    return [p for p in items if isinstance(p, dict)]


def _int_param(params: Any, names: tuple[str, ...]) -> int | None:
    if not isinstance(params, dict):
        return None
    for name in names:
        value = params.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def parse_pwpolicy(text: str) -> MacPolicy:
    """`pwpolicy -getaccountpolicies`: a header line, then an XML property list."""
    start = text.find("<?xml")
    if start < 0:
        start = text.find("<plist")
    if start < 0:
        raise ParseError(note("macos.pwpolicy_unreadable", output=repr(text.strip()[:80])))
    data = parse_plist(text[start:].encode("utf-8"), "pwpolicy -getaccountpolicies")
    if not isinstance(data, dict):
        raise ParseError("pwpolicy: the policy list is not a dictionary")
    min_length, empty_allowed = 0, True
    classes: set[str] = set()
    identifiers: list[str] = []
    content = _policies(data, "policyCategoryPasswordContent")
    for policy in content:
        rule = str(policy.get("policyContent", ""))
        ident = str(policy.get("policyIdentifier", ""))
        identifiers.append(ident)
        length = _int_param(policy.get("policyParameters"), MIN_LENGTH_PARAMS)
        match = LENGTH_RE.search(rule)
        if length is None and match:
            length = int(match.group(1))
        if length is not None:
            min_length = max(min_length, length)
            # "^$|.{4,}+" (Apple's default FileVault rule) still accepts an empty password.
            if "^$|" not in rule:
                empty_allowed = False
        for name, patterns in CLASS_PATTERNS.items():
            if any(p in rule for p in patterns):
                classes.add(name)
                empty_allowed = False
        for key, names in CLASS_IDENTIFIERS.items():
            if key in ident.lower():
                classes.update(names)
    lockout = 0
    for policy in _policies(data, "policyCategoryAuthentication"):
        identifiers.append(str(policy.get("policyIdentifier", "")))
        value = _int_param(policy.get("policyParameters"), (LOCKOUT_PARAM,))
        if value is not None and value > 0:
            lockout = value if lockout == 0 else min(lockout, value)
    max_age = None
    for policy in _policies(data, "policyCategoryPasswordChange"):
        identifiers.append(str(policy.get("policyIdentifier", "")))
        value = _int_param(policy.get("policyParameters"), MAX_AGE_PARAMS)
        if value is not None:
            max_age = value if max_age is None else min(max_age, value)
    return MacPolicy(
        min_length=min_length,
        empty_allowed=empty_allowed,
        classes=frozenset(classes),
        lockout=lockout,
        max_age_days=max_age,
        identifiers=tuple(i for i in identifiers if i),
    )


def read_policy(host: Host) -> MacPolicy:
    res = run_ok(host, PWPOLICY_ARGV, timeout=5)
    # The header line goes to stderr on some releases; the property list is what counts.
    return parse_pwpolicy(res.stdout if "<plist" in res.stdout else res.stdout + "\n" + res.stderr)


@probe("password_policy", "macos")
def macos_password_policy(host: Host) -> PasswordPolicy:
    policy = read_policy(host)
    notes = []
    if not policy.identifiers:
        notes.append("macos_no_account_policy")
    elif not policy.managed:
        # Only Apple's own FileVault rule: nobody set a policy on this Mac.
        notes.append("macos_default_policy_only")
    if policy.empty_allowed:
        notes.append("macos_empty_password_accepted")
    if policy.lockout:
        notes.append(f"{LOCKOUT_PARAM}={policy.lockout}")
    return PasswordPolicy(
        min_length=policy.min_length,
        lockout_threshold=policy.lockout,
        complexity=policy.complexity,
        max_age_days=policy.max_age_days,
        throttled=True if policy.lockout else None,
        sources=("pwpolicy -getaccountpolicies",),
        notes=tuple(notes),
    )
