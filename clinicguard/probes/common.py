"""Helpers shared by the probes of every platform."""

from __future__ import annotations

from clinicguard.core.errors import ProbeError
from clinicguard.core.model import Reason
from clinicguard.host import CommandResult, FileMissing, Host, HostError


def read_optional(host: Host, path: str) -> str | None:
    """File text, or None when it does not exist. Other errors propagate."""
    try:
        return host.read_text(path)
    except FileMissing:
        return None


def read_config_files(host: Host, paths: list[str], sources: list[str]) -> list[tuple[str, str]]:
    """(path, text) for each readable file among ``paths``, recording sources."""
    out = []
    for path in paths:
        text = read_optional(host, path)
        if text is not None:
            sources.append(path)
            out.append((path, text))
    return out


def list_conf_d(host: Host, folder: str, suffix: str = ".conf") -> list[str]:
    """Sorted ``*.conf`` files of a drop-in folder (empty when absent)."""
    try:
        names = host.listdir(folder)
    except FileMissing:
        return []
    return [f"{folder}/{n}" for n in sorted(names) if n.endswith(suffix)]


def run_ok(host: Host, argv: list[str], timeout: float = 10.0, ok: tuple[int, ...] = (0,)) -> CommandResult:
    """Run a command and require one of the ``ok`` exit codes."""
    res = host.run(argv, timeout=timeout)
    if res.returncode not in ok:
        text = (res.stderr or res.stdout).strip().splitlines()
        first = text[0][:200] if text else f"exit code {res.returncode}"
        low = first.lower()
        if (
            "permission denied" in low
            or "not permitted" in low
            or "must be root" in low
            or "access" in low
            and "denied" in low
        ):
            raise ProbeError(Reason.NEEDS_ADMIN, f"{res.source}: {first}")
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"{res.source}: {first}")
    return res


def parse_key_values(text: str, sep: str = "=") -> dict[str, str]:
    """KEY=VALUE lines (os-release, ufw.conf, pwquality.conf); comments skipped."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or sep not in line:
            continue
        key, _, value = line.partition(sep)
        out[key.strip()] = value.strip().strip('"').strip("'")
    return out


def parse_ini(text: str) -> dict[str, dict[str, str]]:
    """Lenient INI reader: sections of key=value, last value wins, case kept."""
    sections: dict[str, dict[str, str]] = {}
    current = sections.setdefault("", {})
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), {})
            continue
        if "=" in line:
            key, _, value = line.partition("=")
            current[key.strip()] = value.strip()
    return sections


def is_true(value: str | None) -> bool:
    return (value or "").strip().strip('"').lower() in ("1", "true", "yes", "on")


__all__ = [
    "HostError",
    "is_true",
    "list_conf_d",
    "parse_ini",
    "parse_key_values",
    "read_config_files",
    "read_optional",
    "run_ok",
]
