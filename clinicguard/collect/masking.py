"""Masks what identifies a person or a machine in a host recording.

User names, the computer name, home folders, e-mail addresses and the
machine part of account SIDs are replaced consistently (the same name gets
the same mask everywhere, so a replay still finds what it looks for; RIDs
such as -500 are kept). Stored logon passwords lose their value, keeping
only their presence. Files that hold secrets or personal data keep only
what the probes count (password hashes, saved browser logins, browser
profile names; see clinicguard/data/secret_files.toml), and processes keep only their names. The PowerShell scripts
are recorded as prefixes so the recording keeps replaying when they change.
"""

from __future__ import annotations

import contextlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from clinicguard.collect.secrets import redact_recording
from clinicguard.probes.windows.ps import SCRIPTS

# Built-in names that identify nobody; masking them would only hide meaning.
KEEP_NAMES = {
    "administrator",
    "administrateur",
    "guest",
    "invité",
    "invite",
    "defaultaccount",
    "wdagutilityaccount",
    "root",
    "nobody",
    "daemon",
    "system",
    "users",
    "public",
    "default",
    "all users",
    "administrators",
    "administrateurs",
    "utilisateurs",
    "localservice",
    "networkservice",
    "workgroup",
    "nt authority",
    "autorite nt",
    "builtin",
}
MIN_NAME_LENGTH = 3
# Where the words the probes and checks look for are written: an OS ("ubuntu"), a platform ("linux"), a group
# ("admin", "wheel"), a product or a registry path ("Martin Prikryl"). Prose (i18n, catalogue) is left out.
VOCABULARY_DIRS = ("data", "probes", "checks", "infostealer", "references", "host", "core", "schema")
_WORD = re.compile(r"[a-z0-9_]{3,}")
SECRET_VALUE_NAMES = {"defaultpassword", "altdefaultpassword"}
MASKED_SECRET = "********"
SID_MACHINE_RE = re.compile(r"S-1-5-21-\d+-\d+-\d+(?=-\d+\b|\b)")
# systemd instance units ("getty@tty1.service", "wg-quick@wg0.service.d") look like addresses; probes read
# them at fixed paths, so masking one would change a verdict.
UNIT_TYPES = ("service", "socket", "target", "timer", "mount", "automount", "path", "slice", "scope", "device", "swap")
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+"
    r"(?!(?:" + "|".join(UNIT_TYPES) + r")(?![A-Za-z]))[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9-]|\.[A-Za-z0-9])"  # the whole name, not the start of a longer one
)
HOSTNAME_MASK = "POSTE-ANONYME"


def _names_from_passwd(text: str) -> list[str]:
    names = []
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) >= 7 and parts[2].isdigit() and 1000 <= int(parts[2]) < 60000:
            names.append(parts[0])
    return names


def _names_from_powershell(stdout: str) -> list[str]:
    start = stdout.find('{"clinicguard":')
    if start < 0:
        return []
    try:
        doc, _ = json.JSONDecoder().raw_decode(stdout[start:])
    except json.JSONDecodeError:
        return []
    names = []
    for section in ("local_users", "admins"):
        items = doc.get(section)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names.append(item["name"].rsplit("\\", 1)[-1])
    return names


def personal_names(data: dict[str, Any]) -> list[str]:
    """User names found in the recording, longest first."""
    user = data.get("user", {})
    names = [str(user.get("name") or "")]
    names += [
        str(data.get("env", {}).get(v) or "")
        for v in ("USERNAME", "USER", "LOGNAME", "SUDO_USER", "USERDOMAIN", "COMPUTERNAME")
    ]
    passwd = data.get("files", {}).get("/etc/passwd", {})
    if isinstance(passwd.get("text"), str):
        names += _names_from_passwd(passwd["text"])
    for entry in data.get("commands", []):
        if entry.get("argv", [""])[0].lower().endswith("powershell.exe") and isinstance(entry.get("stdout"), str):
            names += _names_from_powershell(entry["stdout"])
    for key, entry in data.get("registry", {}).items():
        if key.lower().endswith("\\winlogon"):
            for name, value in entry.get("values", {}).items():
                if name.lower() in ("defaultusername", "altdefaultusername", "defaultdomainname") and isinstance(
                    value, str
                ):
                    names.append(value)
    # "OneDrive - EHPAD Les Tilleuls": the business OneDrive folder carries the organisation's name.
    for value in data.get("env", {}).values():
        names += re.findall(r"OneDrive - ([^\\/]+)", str(value))
    home = str(user.get("home") or "")
    if home:
        names.append(re.split(r"[\\/]", home.rstrip("\\/"))[-1])
    kept = {n for n in names if maskable(n)}
    return sorted(kept, key=lambda n: (-len(n), n.lower()))


def maskable(name: str) -> bool:
    """Whether ``name`` can be masked everywhere without changing what a probe sees.

    A built-in account name identifies nobody, and a word the probes look for (an
    account called "ubuntu", "linux" or "admin", a computer called "debian") would,
    once masked, change a verdict: "ID=ubuntu" in /etc/os-release is no longer
    Ubuntu. Such names are kept, like the built-in ones.
    """
    low = name.lower()
    return len(name) >= MIN_NAME_LENGTH and low not in KEEP_NAMES and low not in probe_words()


@cache
def probe_words() -> frozenset[str]:
    """Every word (lowercase, 3+ letters, digits or "_") of the strings the probes, checks and indicators use.

    Taken from string constants of the code (not its comments nor docstrings, which hold made-up examples)
    and from the values and keys of the data files.
    """
    root = Path(__file__).resolve().parent.parent
    words: set[str] = set()
    for folder in VOCABULARY_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".toml", ".json", ".ps1"):
                with contextlib.suppress(OSError, ValueError, SyntaxError, RecursionError):
                    for text in _strings_of(path):
                        words.update(_WORD.findall(text.lower()))
    return frozenset(words)


def _strings_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        import ast

        tree = ast.parse(text)
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        return [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
        ]
    if path.suffix == ".ps1":
        return [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    import tomllib

    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            for k, v in node.items():
                out.append(str(k))
                walk(v)

    walk(tomllib.loads(text) if path.suffix == ".toml" else json.loads(text))
    return out


class Anonymizer:
    def __init__(self, data: dict[str, Any]) -> None:
        self.hostname = str(data.get("hostname") or "")
        self.names = {name.lower(): f"user{i + 1}" for i, name in enumerate(personal_names(data))}
        self._sids: dict[str, str] = {}
        self._emails: dict[str, str] = {}
        self._patterns = []
        if maskable(self.hostname):
            self._patterns.append((self._token(self.hostname), HOSTNAME_MASK))
        for name, mask in self.names.items():
            self._patterns.append((self._token(name), mask))

    @staticmethod
    def _token(word: str) -> re.Pattern[str]:
        return re.compile(r"(?<![A-Za-z0-9_])" + re.escape(word) + r"(?![A-Za-z0-9_])", re.IGNORECASE)

    def _sid(self, m: re.Match[str]) -> str:
        found = m.group(0)
        if found not in self._sids:
            n = len(self._sids) + 1
            self._sids[found] = f"S-1-5-21-1000000000-2000000000-{3000000000 + n}"
        return self._sids[found]

    def _email(self, m: re.Match[str]) -> str:
        found = m.group(0).lower()
        if found not in self._emails:
            self._emails[found] = f"person{len(self._emails) + 1}@example.invalid"
        return self._emails[found]

    def text(self, value: str) -> str:
        value = SID_MACHINE_RE.sub(self._sid, value)
        value = EMAIL_RE.sub(self._email, value)
        for pattern, mask in self._patterns:
            value = pattern.sub(mask, value)
        return value

    def tree(self, node: Any) -> Any:
        if isinstance(node, str):
            return self.text(node)
        if isinstance(node, list):
            return [self.tree(x) for x in node]
        if isinstance(node, dict):
            if "__bytes__" in node:
                return node
            return {self.text(k): self.tree(v) for k, v in node.items()}
        return node


def _mask_secrets(data: dict[str, Any]) -> None:
    for entry in data.get("registry", {}).values():
        values = entry.get("values")
        if isinstance(values, dict):
            for name in list(values):
                if name.lower() in SECRET_VALUE_NAMES and values[name] not in (None, ""):
                    values[name] = MASKED_SECRET


def _scrub_files(data: dict[str, Any]) -> None:
    # Secret-bearing files and outputs keep only what the probes derive (clinicguard/data/secret_files.toml).
    redact_recording(data)
    processes = data.get("processes")
    if isinstance(processes, list):
        data["processes"] = [{"pid": p.get("pid", 0), "name": p.get("name", "")} for p in processes]


def _shorten_powershell(data: dict[str, Any]) -> None:
    for entry in data.get("commands", []):
        argv = entry.get("argv", [])
        # argv[0] may be the Sysnative path of a 32-bit Python; replays ask for powershell.exe.
        if not argv or not argv[0].lower().endswith("powershell.exe"):
            continue
        for prefix, _script in SCRIPTS.values():
            if len(argv) > len(prefix) and argv[1 : len(prefix)] == list(prefix[1:]):
                entry["argv"] = list(prefix)
                entry["match"] = "prefix"


def anonymize(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the recording ``data`` with personal and secret values masked."""
    copy = json.loads(json.dumps(data))
    _mask_secrets(copy)
    _scrub_files(copy)
    _shorten_powershell(copy)
    masker = Anonymizer(copy)
    out = masker.tree(copy)
    out["hostname"] = HOSTNAME_MASK
    return out
