"""Antivirus on Linux: ClamAV (daemon, on-access scanner, signature age) and
known commercial agents recognised by process name or install folder.

The ClamAV signature age comes from the header of ``daily.cvd`` /
``daily.cld`` (first 512 bytes: ``ClamAV-VDB:<date>:<version>:<sigs>:
<level>:<md5>:<dsig>:<builder>:<epoch>``), the file's time, or
``clamscan --version`` (``ClamAV 1.0.7/27471/Thu Nov 28 09:35:47 2024``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from clinicguard.core.facts import AntivirusProduct, AntivirusStatus, Unknown
from clinicguard.core.model import Reason
from clinicguard.host import FileMissing, Host, HostError, ProcessInfo
from clinicguard.probes import probe
from clinicguard.probes.common import read_optional
from clinicguard.probes.gathered import Gathered

CLAMAV_DB_DIRS = ("/var/lib/clamav",)
CLAMAV_CONF = ("/etc/clamav/freshclam.conf", "/etc/freshclam.conf")
CLAMAV_BINARIES = ("/usr/bin/clamscan", "/usr/sbin/clamd", "/usr/bin/freshclam", "/usr/bin/clamdscan")
HEADER_BYTES = 512

# Known endpoint-protection agents for Linux: (label, process names, install folders).
KNOWN_AGENTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Microsoft Defender for Endpoint", ("wdavdaemon",), ("/opt/microsoft/mdatp/",)),
    ("CrowdStrike Falcon", ("falcon-sensor",), ("/opt/CrowdStrike/",)),
    ("Sophos", ("sophos_threat_detector", "sophos_threat_d", "savd"), ("/opt/sophos-spl/", "/opt/sophos-av/")),
    ("ESET", ("esets_daemon", "oaeventd"), ("/opt/eset/",)),
    ("Kaspersky Endpoint Security", ("kesl",), ("/opt/kaspersky/",)),
    ("Bitdefender GravityZone", ("bdsecd", "bdedr"), ("/opt/bitdefender-security-tools/",)),
    ("Trend Micro", ("ds_agent",), ("/opt/ds_agent/", "/opt/TrendMicro/")),
    ("SentinelOne", ("s1-agent", "s1-orchestrator"), ("/opt/sentinelone/",)),
    ("Cortex XDR", ("traps_pmd",), ("/opt/traps/",)),
    ("Elastic Defend", ("elastic-endpoint",), ("/opt/Elastic/Endpoint/",)),
    ("Carbon Black", ("cbagentd",), ("/opt/carbonblack/",)),
    ("Trellix Endpoint Security", ("mfetpd", "mfeespd"), ("/opt/McAfee/", "/opt/Trellix/")),
    ("Dr.Web", ("drweb-configd", "drweb-spider"), ("/opt/drweb.com/",)),
    ("G DATA", ("gdavserver",), ("/opt/gdata/",)),
    ("F-Secure / WithSecure", ("fsicd", "fsaua", "fspms"), ("/opt/f-secure/",)),
)


def parse_cvd_header(data: bytes) -> tuple[datetime | None, int | None]:
    """(build time, database version) from the header of a ClamAV .cvd/.cld file."""
    text = data[:HEADER_BYTES].decode("ascii", errors="replace")
    if not text.startswith("ClamAV-VDB:"):
        return None, None
    fields = text.rstrip("\x00 \n").split(":")
    version = int(fields[2]) if len(fields) > 2 and fields[2].isdigit() else None
    built = None
    if len(fields) > 8:
        m = re.match(r"\d{9,11}", fields[8].strip())
        if m:
            built = datetime.fromtimestamp(int(m.group(0)), UTC)
    if built is None and len(fields) > 1:
        try:
            built = datetime.strptime(fields[1].strip(), "%d %b %Y %H-%M %z").astimezone(UTC)
        except ValueError:
            built = None
    return built, version


def parse_clamscan_version(text: str) -> tuple[datetime | None, int | None]:
    """``ClamAV 1.0.7/27471/Thu Nov 28 09:35:47 2024`` -> (db date, db version)."""
    m = re.search(r"ClamAV\s+\S+/(\d+)/(.+)$", text.strip().splitlines()[0] if text.strip() else "")
    if not m:
        return None, None
    try:
        built = datetime.strptime(" ".join(m.group(2).split()), "%a %b %d %H:%M:%S %Y").replace(tzinfo=UTC)
    except ValueError:
        built = None
    return built, int(m.group(1))


def _db_dirs(host: Host) -> list[str]:
    dirs = list(CLAMAV_DB_DIRS)
    for path in CLAMAV_CONF:
        try:
            text = read_optional(host, path)
        except HostError:
            continue
        for line in (text or "").splitlines():
            parts = line.split(None, 1)
            if len(parts) == 2 and parts[0] == "DatabaseDirectory":
                folder = parts[1].strip().strip('"')
                if folder not in dirs:
                    dirs.insert(0, folder)
    return dirs


def _running(procs: list[ProcessInfo] | None, *names: str) -> bool | None:
    if procs is None:
        return None
    return any(p.name in names or p.exe.rsplit("/", 1)[-1] in names for p in procs)


def _clamav(
    host: Host, procs: list[ProcessInfo] | None, sources: list[str], notes: list[str]
) -> AntivirusProduct | None:
    installed = any(host.exists(b) for b in CLAMAV_BINARIES)
    built: datetime | None = None
    version: int | None = None
    for folder in _db_dirs(host):
        for name in ("daily.cld", "daily.cvd"):
            path = f"{folder}/{name}"
            try:
                head = host.read_bytes(path, HEADER_BYTES)
            except FileMissing:
                continue
            except HostError as exc:
                notes.append(f"{path}: {exc}")
                continue
            installed = True
            sources.append(path)
            built, version = parse_cvd_header(head)
            try:
                mtime = datetime.fromtimestamp(host.mtime(path), UTC)
            except HostError:
                mtime = None
            if name.endswith(".cld") and mtime is not None and (built is None or mtime > built):
                built = mtime  # a .cld is patched in place by freshclam
            elif built is None:
                built = mtime
            break
        if built is not None:
            break
    if not installed:
        return None
    if built is None and host.exists("/usr/bin/clamscan"):
        try:
            res = host.run(["clamscan", "--version"], timeout=5)
            if res.returncode == 0:
                built, version = parse_clamscan_version(res.stdout)
                sources.append("clamscan --version")
        except HostError as exc:
            notes.append(f"clamscan --version: {exc}")
    clamd = _running(procs, "clamd")
    onacc = _running(procs, "clamonacc")
    fresh = _running(procs, "freshclam")
    if procs is not None:
        notes.append(
            "ClamAV: "
            + ", ".join(
                f"{n} {'running' if r else 'not running'}"
                for n, r in (("clamd", clamd), ("freshclam", fresh), ("clamonacc", onacc))
            )
        )
    if version is not None:
        notes.append(f"ClamAV daily database version {version}")
    age = None
    if built is not None:
        age = max(0.0, (host.now() - built).total_seconds() / 86400)
    return AntivirusProduct(
        name="ClamAV",
        enabled=None if clamd is None else bool(clamd or onacc),
        realtime=None if onacc is None else bool(onacc),
        signature_age_days=age,
    )


def _agents(host: Host, procs: list[ProcessInfo] | None) -> list[AntivirusProduct]:
    found = []
    for label, names, folders in KNOWN_AGENTS:
        running = bool(procs) and any(p.name in names or any(p.exe.startswith(f) for f in folders) for p in procs or ())
        installed = running or any(host.exists(f.rstrip("/")) for f in folders)
        if installed:
            found.append(AntivirusProduct(name=label, enabled=running if procs is not None else None))
    return found


@probe("antivirus", "linux")
def linux_antivirus(host: Host) -> AntivirusStatus:
    g = Gathered()
    procs: list[ProcessInfo] | None
    try:
        procs = host.processes()
        g.sources.append("running processes")
    except HostError as exc:
        procs = None
        g.unknown("processes", exc)
        g.notes.append(f"processes not listed: {exc}")
    if procs is not None and not procs:
        # A running system always has processes: an empty list means they could not be seen.
        procs = None
        g.unknown("processes", Unknown(Reason.NOT_READABLE, "no process listed"))
    products: list[AntivirusProduct] = []
    clam = _clamav(host, procs, g.sources, g.notes)
    if clam is not None:
        products.append(clam)
    products += _agents(host, procs)
    return AntivirusStatus(
        products=tuple(products),
        **g.fields(),
    )
