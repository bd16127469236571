"""dnf (Fedora, RHEL and relatives): pending and security updates, last system upgrade, dnf-automatic, restart.

``dnf -C check-update`` (``-C``: cache only, never the network; exit
100 = updates available) and ``--security``; ``rpm -qa`` install times;
dnf-automatic timers; ``needs-restarting -r``.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from clinicguard.core.errors import ParseError, ProbeError, unknown_of
from clinicguard.core.facts import Unknown, UpdateStatus
from clinicguard.core.model import Reason
from clinicguard.host import Host, HostError
from clinicguard.i18n import note as i18n_note
from clinicguard.probes.common import read_optional
from clinicguard.probes.gathered import Gathered
from clinicguard.probes.linux._common import command_failed, first_line, utc
from clinicguard.probes.linux.kernel import kernel_reboot
from clinicguard.probes.linux.packages import SHORT_TIMEOUT_S, TIMER_WANTS, Upgrade, age_days, timer_enabled

DNF_TIMEOUT_S = 8.0


DNF_TIMERS = {
    "dnf-automatic-install.timer": True,  # always installs
    "dnf-automatic.timer": None,  # installs when apply_updates = yes
    "dnf5-automatic.timer": None,
}


_DNF_ARCH = r"(?:x86_64|noarch|i686|i386|aarch64|ppc64le|s390x|armv7hl|riscv64|src)"


_DNF_LINE = re.compile(rf"^(?P<name>\S+\.{_DNF_ARCH})\s+(?P<version>\S*\d\S*)\s+(?P<repo>\S+)\s*$")


_DNF_NAME_ONLY = re.compile(rf"^(?P<name>\S+\.{_DNF_ARCH})\s*$")


_DNF_REST = re.compile(r"^\s+(?P<version>\S*\d\S*)\s+(?P<repo>\S+)\s*$")


def parse_dnf_check_update(text: str) -> list[Upgrade]:
    """``dnf check-update`` / ``dnf5 check-upgrade``: ``name.arch  version  repo`` lines.

    dnf 4 wraps a long name onto its own line; the "Obsoleting packages"
    section that may follow is not counted.
    """
    found: dict[str, Upgrade] = {}
    pending_name = ""
    for raw in text.splitlines():
        if not raw.strip():
            pending_name = ""
            continue
        low = raw.strip().lower()
        if low.startswith("obsoleting"):
            break
        if pending_name:
            m = _DNF_REST.match(raw)
            if m:
                found[pending_name] = Upgrade(pending_name, m["version"], m["repo"])
                pending_name = ""
                continue
            pending_name = ""
        m = _DNF_LINE.match(raw.strip())
        if m:
            found[m["name"]] = Upgrade(m["name"], m["version"], m["repo"])
            continue
        m = _DNF_NAME_ONLY.match(raw.strip())
        if m:
            pending_name = m["name"]
    return list(found.values())


@dataclass(frozen=True)
class DnfTransaction:
    id: int
    commandline: str
    when: datetime
    actions: str


_DNF_UPGRADE_VERBS = (
    "upgrade",
    "update",
    "up",
    "distro-sync",
    "distrosync",
    "dsync",
    "upgrade-minimal",
    "update-minimal",
)


def parse_dnf_history(text: str) -> list[DnfTransaction]:
    """``dnf history list`` (dnf 4): ``ID | Command line | Date and time | Action(s) | Altered``."""
    out = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 5 or not cells[0].isdigit():
            continue
        try:
            when = datetime.strptime(cells[2], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        except ValueError:
            continue
        out.append(DnfTransaction(int(cells[0]), cells[1], when, cells[3]))
    if not out and text.strip() and "ID" not in text:
        raise ParseError("dnf history list: unexpected output")
    return out


def is_dnf_system_upgrade(t: DnfTransaction) -> bool:
    """``dnf upgrade`` and the like; ``dnf install TOOL`` does not bring the rest up to date."""
    verbs = [w for w in t.commandline.split() if not w.startswith("-")]
    if verbs:
        return verbs[0] in _DNF_UPGRADE_VERBS
    # dnf-automatic and PackageKit record no command line: their upgrades count.
    actions = {a.strip() for a in t.actions.replace(",", " ").split()}
    return bool(actions & {"U", "Upgrade", "Update"})


def parse_rpm_install_times(text: str) -> dict[str, int]:
    """``rpm -qa --qf '%{INSTALLTIME} %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n'`` -> {nvra: epoch}."""
    out: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            if parts[1].startswith("gpg-pubkey-"):
                continue
            out[parts[1]] = int(parts[0])
    if not out and text.strip():
        raise ParseError("rpm -qa: unexpected output")
    return out


def _dnf_check(host: Host, exe: str, security: bool) -> list[Upgrade]:
    argv = [exe, "-C", "-q", "check-update"] + (["--security"] if security else [])
    res = host.run(argv, timeout=DNF_TIMEOUT_S)
    if res.returncode == 0:
        return []
    if res.returncode == 100:
        found = parse_dnf_check_update(res.stdout)
        if not found:
            raise ParseError(f"{res.source}: exit 100 but no package line")
        return found
    low = (res.stderr + res.stdout).lower()
    if "cache-only" in low or "cacheonly" in low or "no cache" in low or "cache" in low and "not" in low:
        raise ProbeError(Reason.NEEDS_ADMIN, f"{res.source}: no package metadata cache ({first_line(res)})")
    raise command_failed(res)


def _dnf_metadata_time(host: Host) -> tuple[float | None, str]:
    """Time of the newest repository metadata in the cache, and the file it comes from."""
    home = host.user().home
    roots = ["/var/cache/libdnf5", "/var/cache/dnf"]
    if home and not host.user().is_admin:
        roots.insert(0, f"{home}/.cache/libdnf5")
    for root in roots:
        try:
            names = host.listdir(root)
        except HostError:
            continue
        best: tuple[float, str] | None = None
        for path in [f"{root}/{n}/repodata/repomd.xml" for n in names] + [f"{root}/last_makecache"]:
            try:
                t = host.mtime(path)
            except HostError:
                continue
            if best is None or t > best[0]:
                best = (t, path)
        if best is not None:
            return best
    return None, ""


def _dnf_last_upgrade(host: Host, exe: str, sources: list[str]) -> tuple[datetime | None, datetime | None]:
    """(last system upgrade, start of the history when there is none)."""
    if exe != "dnf":
        raise ProbeError(Reason.UNSUPPORTED, f"{exe} history is not read yet (its table has no stable layout)")
    res = host.run([exe, "history", "list"], timeout=DNF_TIMEOUT_S)
    if res.returncode != 0:
        raise command_failed(res)
    transactions = parse_dnf_history(res.stdout)
    sources.append(f"{exe} history list")
    upgrades = [t.when for t in transactions if is_dnf_system_upgrade(t)]
    if upgrades:
        return max(upgrades), None
    return None, min((t.when for t in transactions), default=None)


def _dnf_automatic(host: Host, sources: list[str], notes: list[str]) -> bool:
    enabled = [unit for unit in DNF_TIMERS if timer_enabled(host, unit)]
    sources.append(TIMER_WANTS)
    if not enabled:
        notes.append("automatic: " + i18n_note("linux.no_dnf_automatic_timer"))
        return False
    if any(DNF_TIMERS[u] for u in enabled):
        notes.append("automatic: enabled " + ", ".join(enabled))
        return True
    apply = None
    for path in ("/etc/dnf/automatic.conf", "/etc/dnf/dnf5-plugins/automatic.conf"):
        text = read_optional(host, path)
        if text is not None:
            sources.append(path)
            for raw in text.splitlines():
                key, sep, value = raw.partition("=")
                if sep and key.strip() == "apply_updates":
                    apply = value.strip().lower() in ("yes", "true", "1", "on")
    notes.append("automatic: enabled " + ", ".join(enabled) + f"; apply_updates={'yes' if apply else 'no'}")
    return bool(apply)


def _dnf_reboot(
    host: Host, exe: str, rpm_times: dict[str, int], sources: list[str]
) -> tuple[bool | None, datetime | None, str]:
    for argv in (["needs-restarting", "-r"], [exe, "needs-restarting", "-r"]):
        try:
            res = host.run(argv, timeout=SHORT_TIMEOUT_S)
        except HostError:
            continue
        text = (res.stdout + res.stderr).lower()
        if res.returncode == 1 and "reboot is required" in text:
            sources.append(" ".join(argv))
            needed, since, note = kernel_reboot(host, rpm_times)
            return True, since if needed else None, "needs-restarting: reboot is required"
        if res.returncode == 0 and ("not be necessary" in text or "no core libraries" in text):
            sources.append(" ".join(argv))
            return False, None, "needs-restarting: no reboot needed"
    return kernel_reboot(host, rpm_times)


def dnf_status(host: Host) -> UpdateStatus:
    g = Gathered()
    sources, notes = g.sources, g.notes
    exe = "dnf5" if host.exists("/usr/bin/dnf5") else "dnf"

    pending: int | None = None
    security: int | None = None
    with ThreadPoolExecutor(max_workers=3) as pool:
        all_f = pool.submit(_dnf_check, host, exe, False)
        sec_f = pool.submit(_dnf_check, host, exe, True)
        rpm_f = pool.submit(
            host.run, ["rpm", "-qa", "--qf", "%{INSTALLTIME} %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"], DNF_TIMEOUT_S
        )
        try:
            pending = len(all_f.result())
            sources.append(f"{exe} -C check-update")
        except (HostError, ProbeError) as exc:
            g.unknown("pending", exc)
        try:
            security = len(sec_f.result())
        except (HostError, ProbeError) as exc:
            notes.append(f"pending: security updates not listed: {unknown_of(exc).detail}")
        rpm_times: dict[str, int] = {}
        try:
            res = rpm_f.result()
            if res.returncode != 0:
                raise command_failed(res)
            rpm_times = parse_rpm_install_times(res.stdout)
        except (HostError, ProbeError) as exc:
            notes.append(f"reboot: rpm install times unreadable: {unknown_of(exc).detail}")
    # The last system upgrade, not the newest package: installing one tool
    # today says nothing about the updates still waiting.
    last: datetime | None = None
    no_upgrade_since: datetime | None = None
    try:
        last, no_upgrade_since = _dnf_last_upgrade(host, exe, sources)
        if last is None:
            notes.append("pending: " + i18n_note("linux.no_upgrade_in_history", tools="dnf upgrade, dnf-automatic"))
            history = f"{exe} history"
            g.unknown("last_install", Unknown(Reason.NOT_FOUND, i18n_note("linux.no_upgrade_in", path=history)))
    except (HostError, ProbeError) as exc:
        g.unknown("last_install", exc)
    if pending == 0:
        security = 0
    t, metadata_source = _dnf_metadata_time(host)
    metadata_age = age_days(host, utc(t)) if t is not None else None

    automatic = None
    try:
        automatic = _dnf_automatic(host, sources, notes)
    except HostError as exc:
        g.unknown("automatic", exc)

    reboot, since, note = _dnf_reboot(host, exe, rpm_times, sources)
    if note:
        notes.append(f"reboot: {note}")
    if reboot is None:
        g.unknown("reboot_required", Unknown(Reason.NOT_FOUND, i18n_note("linux.no_needs_restarting_no_kernel")))
    return UpdateStatus(
        manager=exe,
        pending=pending,
        pending_security=security,
        last_install=last,
        metadata_age_days=metadata_age,
        automatic=automatic,
        reboot_required=reboot,
        reboot_required_since=since,
        metadata_source=metadata_source,
        no_upgrade_since=no_upgrade_since,
        **g.fields(),
    )
