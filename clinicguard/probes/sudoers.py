"""sudoers rules read the same way on Linux and macOS: who may become root without a password."""

from __future__ import annotations

from clinicguard.core.notes import note
from clinicguard.host import AccessDenied, FileMissing, Host, HostError
from clinicguard.probes.common import list_conf_d


def sudo_nopasswd_rule(text: str, user: str, groups: tuple[str, ...]) -> str:
    """The first sudoers rule letting ``user`` run commands without a password, or ""."""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#include") else ""
        if "NOPASSWD" not in line or line.startswith(("Defaults", "@include")):
            continue
        who = line.split()[0]
        if who == user or who == "ALL" or (who.startswith("%") and who[1:] in groups):
            return line
    return ""


def sudo_nopasswd(text: str, user: str, groups: tuple[str, ...]) -> bool:
    """True when a sudoers rule lets ``user`` run commands without a password."""
    return bool(sudo_nopasswd_rule(text, user, groups))


def read_sudo_nopasswd(
    host: Host, user: str, groups: tuple[str, ...], sources: list[str], notes: list[str]
) -> tuple[bool | None, str]:
    """Whether sudoers lets ``user`` become root without a password (None when unreadable),
    and the file that answers: the one holding the rule, else the sudoers files read.

    Reads /etc/sudoers and the drop-ins sudo's includedir would take (root-only
    files on most systems, hence None for an ordinary user).
    """
    read: list[tuple[str, str]] = []
    try:
        read.append(("/etc/sudoers", host.read_text("/etc/sudoers")))
        sources.append("/etc/sudoers")
        for path in list_conf_d(host, "/etc/sudoers.d", suffix=""):
            if path.endswith("~") or "." in path.rsplit("/", 1)[-1]:
                continue  # sudo skips these names in includedir
            read.append((path, host.read_text(path)))
            sources.append(path)
    except AccessDenied:
        notes.append(note("unix.sudoers_needs_admin"))
        return None, ""
    except FileMissing:
        if not read:
            return False, "/etc/sudoers (absent)"
    except HostError as exc:
        notes.append(f"sudoers: {exc.detail}")
        return None, ""
    for path, text in read:
        if sudo_nopasswd_rule(text, user, groups):
            return True, path
    return False, ", ".join(path for path, _ in read)
