"""Password and lockout rules of the PAM stack (Debian/Ubuntu and Fedora)."""

from __future__ import annotations

from dataclasses import dataclass

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import PasswordPolicy
from clinicguard.core.model import Reason
from clinicguard.host import Host
from clinicguard.i18n import note
from clinicguard.probes import probe
from clinicguard.probes.common import list_conf_d, parse_key_values, read_optional

# Debian/Ubuntu and Fedora/RHEL names of the shared PAM files.
PASSWORD_FILES = ("/etc/pam.d/common-password", "/etc/pam.d/system-auth")
AUTH_FILES = ("/etc/pam.d/common-auth", "/etc/pam.d/system-auth", "/etc/pam.d/password-auth")

PWQUALITY_DEFAULT_MINLEN = 8  # libpwquality built-in default
PAM_UNIX_DEFAULT_MINLEN = 6
FAILLOCK_DEFAULT_DENY = 3


@dataclass(frozen=True)
class PamLine:
    kind: str  # auth, password, account, session
    control: str
    module: str  # pam_unix.so
    args: dict[str, str]  # flags map to ""


def parse_pam(text: str) -> list[PamLine]:
    """Parse a PAM configuration file; unknown lines are ignored."""
    lines = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("@"):
            continue
        kind = line.split(None, 1)[0].lstrip("-")
        rest = line.split(None, 1)[1] if " " in line or "\t" in line else ""
        if rest.startswith("["):
            end = rest.find("]")
            if end < 0:
                continue
            control, rest = rest[: end + 1], rest[end + 1 :].strip()
        else:
            parts = rest.split(None, 1)
            if not parts:
                continue
            control, rest = parts[0], parts[1] if len(parts) > 1 else ""
        tokens = rest.split()
        if not tokens:
            continue
        module = tokens[0].rsplit("/", 1)[-1]
        args = {}
        for tok in tokens[1:]:
            key, _, value = tok.partition("=")
            args[key] = value
        lines.append(PamLine(kind, control, module, args))
    return lines


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def effective_pwquality(conf: dict[str, str], args: dict[str, str]) -> tuple[int, int, bool]:
    """(effective minimum length, minclass, complexity) from pwquality settings.

    Positive ``?credit`` values let each character class count as extra
    length, so the effective minimum is ``minlen`` minus those credits.
    """
    merged = {**conf, **args}
    minlen = _int(merged.get("minlen")) or PWQUALITY_DEFAULT_MINLEN
    credits = [_int(merged.get(k)) or 0 for k in ("dcredit", "ucredit", "lcredit", "ocredit")]
    effective = max(minlen - sum(c for c in credits if c > 0), 6)
    minclass = _int(merged.get("minclass")) or 0
    required_classes = sum(1 for c in credits if c < 0)
    complexity = minclass >= 3 or required_classes >= 3
    return effective, max(minclass, required_classes), complexity


@probe("password_policy", "linux")
def linux_password_policy(host: Host) -> PasswordPolicy:
    sources: list[str] = []
    notes: list[str] = []
    password_lines: list[PamLine] = []
    auth_lines: list[PamLine] = []
    for path in PASSWORD_FILES:
        text = read_optional(host, path)
        if text is not None:
            sources.append(path)
            password_lines += [ln for ln in parse_pam(text) if ln.kind == "password"]
            break
    for path in AUTH_FILES:
        text = read_optional(host, path)
        if text is not None:
            if path not in sources:
                sources.append(path)
            auth_lines += [ln for ln in parse_pam(text) if ln.kind == "auth"]
            break
    if not password_lines and not auth_lines:
        raise ProbeError(Reason.NOT_FOUND, "no PAM password configuration found")

    min_length: int | None = None
    complexity: bool | None = None
    modules = {ln.module: ln for ln in password_lines}
    quality = modules.get("pam_pwquality.so") or modules.get("pam_cracklib.so")
    if quality is not None:
        conf: dict[str, str] = {}
        for path in ["/etc/security/pwquality.conf", *list_conf_d(host, "/etc/security/pwquality.conf.d")]:
            text = read_optional(host, path)
            if text is not None:
                sources.append(path)
                conf.update(parse_key_values(text))
        min_length, classes, complexity = effective_pwquality(conf, quality.args)
        notes.append(f"{quality.module} minlen={min_length} minclass={classes}")
    elif "pam_unix.so" in modules:
        unix = modules["pam_unix.so"]
        min_length = _int(unix.args.get("minlen")) or PAM_UNIX_DEFAULT_MINLEN
        complexity = False
        notes.append(note("linux.pam_unix_only", min_length=min_length))

    lockout: int | None = 0
    auth_modules = {ln.module: ln for ln in auth_lines}
    if "pam_faillock.so" in auth_modules:
        conf = parse_key_values(read_optional(host, "/etc/security/faillock.conf") or "")
        if host.exists("/etc/security/faillock.conf"):
            sources.append("/etc/security/faillock.conf")
        deny = None
        for ln in auth_lines:
            if ln.module == "pam_faillock.so" and "deny" in ln.args:
                deny = _int(ln.args["deny"])
        if deny is None:
            deny = _int(conf.get("deny"))
        lockout = FAILLOCK_DEFAULT_DENY if deny is None else deny
        notes.append(f"pam_faillock.so deny={lockout}")
    elif "pam_tally2.so" in auth_modules:
        lockout = _int(auth_modules["pam_tally2.so"].args.get("deny")) or 0
        notes.append(f"pam_tally2.so deny={lockout}")
    elif not auth_lines:
        lockout = None

    unix_auth = auth_modules.get("pam_unix.so")
    throttled = "pam_faildelay.so" in auth_modules or (unix_auth is not None and "nodelay" not in unix_auth.args)

    max_age = None
    defs = read_optional(host, "/etc/login.defs")
    if defs is not None:
        sources.append("/etc/login.defs")
        for raw in defs.splitlines():
            parts = raw.split()
            if len(parts) >= 2 and parts[0] == "PASS_MAX_DAYS":
                max_age = _int(parts[1])
    return PasswordPolicy(
        min_length=min_length,
        lockout_threshold=lockout,
        complexity=complexity,
        max_age_days=max_age,
        throttled=throttled,
        sources=tuple(dict.fromkeys(sources)),
        notes=tuple(notes),
    )
