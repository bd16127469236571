"""What a recording keeps of a file or command output that holds secrets.

``clinicguard collect`` records what the probes read so that another machine
replays to the same verdicts. Secret-bearing sources are listed as data in
``clinicguard/data/secret_files.toml``; for each, the recording keeps only what
the probes derive (a key is protected or not, how many passwords are stored,
which indicator a history line matched), written back as a stand-in text that
the same probes read to the same facts. The content itself never enters the
recording: a line that matched an indicator is replaced by that rule's own
harmless sample, every other line by an empty one (line numbers are kept).
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from clinicguard.core.errors import DataFileError
from clinicguard.files.datafiles import load_toml, package_file

_WHERE = "clinicguard/data/secret_files.toml"
REDACTED = "redacted by clinicguard"
# Chromium's own profile folder names; any other key of "Local State" could be chosen by someone.
_PROFILE_DIR = re.compile(r"Default|Profile \d{1,4}|Guest Profile|System Profile")


@dataclass(frozen=True)
class SecretSource:
    id: str
    keep: str
    match: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    argv: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    tool_line: str = ""

    def covers(self, path: str) -> bool:
        low = path.replace("\\", "/").lower()
        return any(fnmatch.fnmatchcase(low, p) for p in self.match) and not any(
            fnmatch.fnmatchcase(low, p) for p in self.exclude
        )


def _source(raw: dict[str, Any], kind: str) -> SecretSource:
    sid = raw.get("id")
    keep = raw.get("keep")
    if not isinstance(sid, str) or keep not in KEEPERS:
        raise DataFileError(_WHERE, "unknown_value", name=f"{kind} {sid!r} keep", value=repr(keep))
    return SecretSource(
        id=sid,
        keep=keep,
        match=tuple(p.lower() for p in raw.get("match", ())),
        exclude=tuple(p.lower() for p in raw.get("except", ())),
        argv=tuple(raw.get("argv", ())),
        rules=tuple(raw.get("rules", ())),
        tool_line=str(raw.get("tool_line", "")),
    )


@cache
def sources() -> tuple[tuple[SecretSource, ...], tuple[SecretSource, ...]]:
    """(file sources, command sources) from the data file."""
    data = load_toml(package_file("data", "secret_files.toml"), _WHERE)
    return (
        tuple(_source(r, "source") for r in data.get("source", [])),
        tuple(_source(r, "command") for r in data.get("command", [])),
    )


@dataclass(frozen=True)
class RegistrySecret:
    """Values of matching registry keys that hold a secret or text typed by the user."""

    id: str
    keys: tuple[str, ...]
    values: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    keep: str = "presence"
    rules: tuple[str, ...] = ()

    def covers_key(self, key: str) -> bool:
        low = key.lower()
        return any(fnmatch.fnmatchcase(low, p) for p in self.keys)

    def covers_value(self, name: str) -> bool:
        low = name.lower()
        return any(fnmatch.fnmatchcase(low, p) for p in self.values) and not any(
            fnmatch.fnmatchcase(low, p) for p in self.exclude
        )


@cache
def registry_sources() -> tuple[RegistrySecret, ...]:
    data = load_toml(package_file("data", "secret_files.toml"), _WHERE)
    out = []
    for raw in data.get("registry", []):
        keep = raw.get("keep", "presence")
        if not isinstance(raw.get("id"), str) or keep not in ("presence", "indicator_lines"):
            raise DataFileError(_WHERE, "unknown_value", name=f"registry {raw.get('id')!r} keep", value=repr(keep))
        out.append(
            RegistrySecret(
                id=raw["id"],
                keys=tuple(k.lower() for k in raw.get("keys", ())),
                values=tuple(v.lower() for v in raw.get("values", ())),
                exclude=tuple(v.lower() for v in raw.get("except_values", ())),
                keep=keep,
                rules=tuple(raw.get("rules", ())),
            )
        )
    return tuple(out)


def _registry_stand_ins(name: str, value: object, src: RegistrySecret, platform: str) -> dict[str, object]:
    """What a recording keeps of one typed-text value: the samples of the rules it matched, or an empty value.

    The probes drop the "\\1" ending of Run box entries; it is kept so the stand-in reads the same way.
    A value that matched several rules keeps one sample each, under "<name> (2)", "<name> (3)"...
    """
    from clinicguard.infostealer.rules import rules_for

    if not isinstance(value, str):
        return {name: ""}
    ending = "\\1" if value.endswith("\\1") else ""
    text = value[: -len(ending)] if ending else value
    rules = [r for rule_source in src.rules for r in rules_for(platform, "text", rule_source)]
    samples = [r.sample or f"{REDACTED}: matched {r.id}" for r in rules if r.text_hit(text)]
    if not samples:
        return {name: ending}
    return {(name if i == 0 else f"{name} ({i + 1})"): sample + ending for i, sample in enumerate(samples)}


def _redact_registry_values(key: str, values: dict[str, Any], platform: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for src in (s for s in registry_sources() if s.covers_key(key)):
        for name, value in values.items():
            if name in out or not src.covers_value(name):
                continue
            if src.keep == "presence":
                out[name] = MASKED if value not in (None, "") else value
            else:
                out.update(_registry_stand_ins(name, value, src, platform))
    return {**{k: v for k, v in values.items() if k not in out}, **out} if out else values


def file_source(path: str) -> SecretSource | None:
    return next((s for s in sources()[0] if s.covers(path)), None)


def command_source(argv: list[str] | tuple[str, ...]) -> SecretSource | None:
    return next((s for s in sources()[1] if tuple(argv[: len(s.argv)]) == s.argv), None)


# -- what each kind of source keeps --------------------------------------------------------
def _ssh_key_protection(text: str, _src: SecretSource, _platform: str) -> str:
    from clinicguard.infostealer.exposure import ssh_key_encrypted

    state = ssh_key_encrypted(text.encode("utf-8", "surrogateescape")[:128])
    if state is True:
        return f"-----BEGIN ENCRYPTED PRIVATE KEY-----\n{REDACTED}\n"
    if state is False:
        return f"-----BEGIN PRIVATE KEY-----\n{REDACTED}\n"
    return f"{REDACTED}: not a private key\n"


def _filezilla_plain_count(text: str, _src: SecretSource, _platform: str) -> str:
    n = len(re.findall(r'<Pass\s+encoding="base64"', text))
    return f"<!-- {REDACTED} -->\n" + '<Pass encoding="base64"/>\n' * n


def _winscp_password_count(text: str, _src: SecretSource, _platform: str) -> str:
    n = len(re.findall(r"^Password=", text, re.M))
    return f"; {REDACTED}\n" + "Password=********\n" * n


def _line_text(raw: str) -> str:
    """The command of a history line (zsh extended history starts with ": <time>:<duration>;")."""
    return raw.split(";", 1)[1] if raw.startswith(": ") and ";" in raw else raw


def _indicator_lines(text: str, src: SecretSource, platform: str) -> str:
    from clinicguard.infostealer.rules import rules_for

    rules = [r for name in src.rules for r in rules_for(platform, "text", name)]
    words_of = _tool_words() if src.tool_line else None
    out: list[str] = []
    extra: list[str] = []
    for raw in text.splitlines():
        line = _line_text(raw)
        hits = [r for r in rules if r.text_hit(line) or r.text_hit(raw)]
        kept = [r.sample or f"{REDACTED}: matched {r.id}" for r in hits]
        if words_of is not None and not raw.lstrip().startswith("#"):
            words = sorted(words_of(raw))
            if words:
                kept.append(src.tool_line.format(words=" ".join(words)))
        out.append(kept[0] if kept else "")
        extra += kept[1:]
    return "\n".join(out + extra) + ("\n" if out or extra else "")


@cache
def _tool_words() -> Callable[[str], set[str]]:
    from clinicguard.probes.linux.backups.collector import find_tools

    return find_tools


def _presence(_text: str, _src: SecretSource, _platform: str) -> str:
    return ""


def _firefox_login_count(text: str, _src: SecretSource, _platform: str) -> str:
    try:
        count = len(json.loads(text).get("logins") or [])
    except (ValueError, AttributeError, TypeError, RecursionError):
        return f"{REDACTED}: unreadable"
    return json.dumps({"logins": [{} for _ in range(count)]})


def _chromium_profile_names(text: str, _src: SecretSource, _platform: str) -> str:
    try:
        cache_ = json.loads(text).get("profile", {}).get("info_cache", {})
        names = [str(k) for k in cache_ if _PROFILE_DIR.fullmatch(str(k))] if isinstance(cache_, dict) else []
    except (ValueError, AttributeError, TypeError, RecursionError):
        return f"{REDACTED}: unreadable"
    return json.dumps({"profile": {"info_cache": {key: {} for key in names}}})


def _launch_agent_plist(text: str, src: SecretSource, platform: str) -> str:
    """A plist with only the label and program of the indicator samples it matched."""
    import plistlib

    from clinicguard.infostealer.rules import rules_for
    from clinicguard.infostealer.sources import launch_agent_text

    line = launch_agent_text(text.encode("utf-8", "surrogateescape"))
    label, program = "redacted", "/usr/bin/true"
    for rule in (r for name in src.rules for r in rules_for(platform, "text", name)):
        if rule.text_hit(line) and rule.sample.startswith("label="):
            sample_label, _, sample_program = rule.sample[len("label=") :].partition(" program=")
            label = sample_label if sample_label != "redacted" else label
            program = sample_program if sample_program != "/usr/bin/true" else program
    return plistlib.dumps({"Label": label, "ProgramArguments": [program]}).decode("utf-8")


def _shadow_markers(text: str, _src: SecretSource, _platform: str) -> str:
    """Password hashes replaced; empty and locked markers kept (that is what probes judge)."""
    lines = []
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) > 1 and parts[1]:
            parts[1] = parts[1][0] if parts[1][0] in "!*" else "$masked$"
        lines.append(":".join(parts))
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


KEEPERS: dict[str, Callable[[str, SecretSource, str], str]] = {
    "ssh_key_protection": _ssh_key_protection,
    "filezilla_plain_count": _filezilla_plain_count,
    "winscp_password_count": _winscp_password_count,
    "indicator_lines": _indicator_lines,
    "presence": _presence,
    "firefox_login_count": _firefox_login_count,
    "chromium_profile_names": _chromium_profile_names,
    "shadow_markers": _shadow_markers,
    "launch_agent_plist": _launch_agent_plist,
}
MASKED = "********"


def derive(src: SecretSource, text: str, platform: str) -> str:
    """The stand-in a recording keeps for ``text`` read from ``src``; never its content."""
    try:
        return KEEPERS[src.keep](text, src, platform)
    except Exception:  # noqa: BLE001 - a stand-in that fails keeps nothing rather than the secret
        return f"{REDACTED}\n"


def redact_file_entry(path: str, entry: dict[str, Any], platform: str) -> dict[str, Any]:
    """A recorded file entry with its content replaced by what the probes derive, if the file holds secrets."""
    src = file_source(path)
    if src is None or not isinstance(entry, dict) or not ({"text", "base64", "text_file"} & set(entry)):
        return entry
    text = entry.get("text")
    if not isinstance(text, str):
        import base64
        import binascii

        try:
            text = base64.b64decode(str(entry.get("base64", "")), validate=False).decode("utf-8", "surrogateescape")
        except (binascii.Error, ValueError):
            text = ""
    out = {k: v for k, v in entry.items() if k not in ("text", "base64", "text_file")}
    out["text"] = derive(src, text, platform)
    out["redacted"] = src.id
    return out


def redact_command_entry(entry: dict[str, Any], platform: str) -> dict[str, Any]:
    argv = entry.get("argv")
    src = command_source(argv) if isinstance(argv, list) else None
    if src is None or not isinstance(entry, dict):
        return entry
    out = {k: v for k, v in entry.items() if k not in ("stdout", "stdout_b64", "stdout_file", "stderr", "stderr_file")}
    if "error" not in entry:
        out["stdout"] = derive(src, str(entry.get("stdout") or ""), platform)
        out["stderr"] = ""
    out["redacted"] = src.id
    return out


def redact_recording(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a recording) with every secret-bearing file and command output reduced to what is derived."""
    platform = str(data.get("platform") or "linux")
    files = data.get("files")
    if isinstance(files, dict):
        data["files"] = {k: redact_file_entry(k, v, platform) for k, v in files.items()}
    registry = data.get("registry")
    if isinstance(registry, dict):
        for key, entry in registry.items():
            values = entry.get("values") if isinstance(entry, dict) else None
            if isinstance(values, dict) and isinstance(key, str):
                entry["values"] = _redact_registry_values(key, values, platform)
    commands = data.get("commands")
    if isinstance(commands, list):
        data["commands"] = [redact_command_entry(c, platform) if isinstance(c, dict) else c for c in commands]
    return data
