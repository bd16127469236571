"""The triage and the exposure of every user profile of the machine.

The current profile and the machine-wide sources (shared folders, running
programs, scheduled tasks, Defender) are examined as before. With
administrator rights each other real profile is examined meanwhile, on its own
folders and sources, within the time left and a cap of files per profile, so
one profile with millions of files can neither stall the run nor hide the
others: what was cut is said. Without those rights the other profiles are
only named, as not examined.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from clinicguard.core import activity
from clinicguard.core.facts import BrowserPasswords
from clinicguard.host import AccessDenied, FileMissing, Host, HostError
from clinicguard.infostealer.exposure import collect_exposure
from clinicguard.infostealer.hashing import load_hash_list
from clinicguard.infostealer.model import (
    CredentialExposure,
    InfostealerSigns,
    ProfileExposure,
    ProfileScope,
    ProfileSigns,
)
from clinicguard.infostealer.profiles import Profile, ProfileSet, enumerate_profiles
from clinicguard.infostealer.signs import Triage
from clinicguard.infostealer.walk import NETWORK_FS, ScanProgress

log = logging.getLogger("clinicguard.infostealer")

# Entries walked in one profile before its walk is cut (a profile with millions of files).
PROFILE_FILE_CAP = 200_000
# Each profile gets at least this much time, even when the budget is spent (then it is cut, and said).
MIN_PROFILE_S = 0.5
# Time for the exposure of every profile (under the runner's per-check deadline).
EXPOSURE_BUDGET_S = 20.0
# Share of the budget the current profile and the machine-wide sources may use when other profiles wait.
MACHINE_SHARE = 0.5


def scope_of(pset: ProfileSet) -> ProfileScope:
    current = pset.current
    return ProfileScope(
        current=current.name if current else "",
        admin=pset.admin,
        others=tuple(p.name for p in pset.others),
        skipped=pset.skipped,
        error=pset.error,
    )


def reachable(host: Host, profile: Profile, mounts: frozenset[str] = frozenset()) -> str | None:
    """None when the profile folder can be examined, else why not (vanished, unreadable, network)."""
    if profile.network or any(profile.home == m or profile.home.startswith(m.rstrip("/") + "/") for m in mounts):
        return "network"
    try:
        host.listdir(profile.home)
    except FileMissing:
        return "vanished"
    except AccessDenied:
        return "unreadable"
    except HostError:
        return "unreadable"
    return None


def _network_mounts(host: Host) -> frozenset[str]:
    """Mount points of network file systems (Linux), read through the host so recordings replay them."""
    if host.platform != "linux":
        return frozenset()
    try:
        text = host.read_text("/proc/self/mounts", limit=1024 * 1024)
    except HostError:
        return frozenset()
    out = set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2] in NETWORK_FS:
            out.add(parts[1].replace("\\040", " "))
    return frozenset(out)


def _triage_profile(
    host: Host,
    profile: Profile,
    budget: float,
    cap: int,
    cancel: threading.Event,
    index: int,
    total: int,
    **kwargs: Any,
) -> ProfileSigns:
    stop = threading.Event()
    cut = {"files": False}

    def progress(p: ScanProgress) -> None:
        activity.report("profile", profile=profile.name, index=index, total=total, files=p.files)
        if p.files >= cap:
            cut["files"] = True
            stop.set()
        if cancel.is_set():
            stop.set()

    signs = Triage(host, cancel=stop, on_progress=progress, time_budget=budget, profile=profile, **kwargs).run()
    complete = signs.scan is None or signs.scan.complete
    not_looked_at = signs.not_looked_at
    if cut["files"]:
        not_looked_at = tuple(sorted({*not_looked_at, ("files", "file_cap")} - {("files", "scan_cancelled")}))
    return ProfileSigns(
        profile=profile.name,
        home=profile.home,
        state="examined" if complete else "cut",
        hits=signs.hits,
        looked_at=signs.looked_at,
        not_looked_at=not_looked_at,
        core_missing=signs.core_missing,
        scan=signs.scan,
    )


def collect_all_signs(
    host: Host,
    *,
    time_budget: float,
    cancel: threading.Event | None = None,
    file_cap: int = PROFILE_FILE_CAP,
    **kwargs: Any,
) -> InfostealerSigns:
    """Signs in the current profile and the machine and, meanwhile, in every other profile the rights allow.

    The machine's sources spend much of their time waiting on commands (PowerShell, crontab), so the
    other profiles are walked at the same time, one after another, each with its share of the time left.
    """
    t0 = time.monotonic()
    cancel = cancel or threading.Event()
    pset = enumerate_profiles(host)
    others = pset.others if pset.admin else ()
    if others and kwargs.get("hash_list") is None:
        kwargs["hash_list"] = load_hash_list()  # read once for every profile
    results: list[ProfileSigns] = []
    worker = None
    if others:
        worker = threading.Thread(
            target=_triage_others,
            name="triage-profiles",
            daemon=True,
            args=(host, others, t0 + time_budget, file_cap, cancel, results),
            kwargs=kwargs,
        )
        worker.start()
    main = Triage(host, cancel=cancel, time_budget=time_budget, **kwargs).run()
    if worker is not None:
        worker.join(max(0.0, t0 + time_budget + MIN_PROFILE_S * len(others) - time.monotonic()))
        if worker.is_alive():  # never expected: each profile stops at its own deadline
            cancel.set()
            worker.join(5)
        activity.report("profiles_done", total=len(others))
    done = {p.profile for p in results}
    missing = tuple(
        ProfileSigns(
            profile=p.name, home=p.home, state="cut", not_looked_at=(("files", "timed_out"),), core_missing=("files",)
        )
        for p in others
        if p.name not in done
    )
    return InfostealerSigns(
        hits=main.hits,
        looked_at=main.looked_at,
        not_looked_at=main.not_looked_at,
        core_missing=main.core_missing,
        scan=main.scan,
        sources=main.sources,
        profiles=(*results, *missing),
        scope=scope_of(pset),
    )


def _triage_others(
    host: Host,
    others: tuple[Profile, ...],
    deadline: float,
    file_cap: int,
    cancel: threading.Event,
    results: list[ProfileSigns],
    **kwargs: Any,
) -> None:
    mounts = _network_mounts(host)
    for i, profile in enumerate(others, 1):
        activity.report("profile", profile=profile.name, index=i, total=len(others), files=0)
        why = reachable(host, profile, mounts)
        if why is not None:
            results.append(ProfileSigns(profile=profile.name, home=profile.home, state=why))
            continue
        if cancel.is_set():
            results.append(
                ProfileSigns(
                    profile=profile.name,
                    home=profile.home,
                    state="cut",
                    not_looked_at=(("files", "scan_cancelled"),),
                    core_missing=("files",),
                )
            )
            continue
        left = deadline - time.monotonic()
        budget = max(MIN_PROFILE_S, left / (len(others) - i + 1))
        try:
            results.append(_triage_profile(host, profile, budget, file_cap, cancel, i, len(others), **kwargs))
        except Exception:  # noqa: BLE001 - one odd profile must not hide the others
            log.exception("profile %s could not be examined", profile.home)
            results.append(
                ProfileSigns(
                    profile=profile.name,
                    home=profile.home,
                    state="unreadable",
                    not_looked_at=(("files", "read_error"),),
                    core_missing=("files",),
                )
            )


def _bases(host: Host, profile: Profile) -> dict[str, str]:
    if host.platform == "windows":
        return {"%APPDATA%": f"{profile.home}/AppData/Roaming", "%LOCALAPPDATA%": f"{profile.home}/AppData/Local"}
    return {"~": profile.home}


# Saved browser passwords of the folders given ({"~": home, "%APPDATA%": ..., "%LOCALAPPDATA%": ...}).
PasswordCounter = Callable[[Host, dict[str, str]], BrowserPasswords]


def collect_all_exposure(
    host: Host,
    cancel: threading.Event | None = None,
    *,
    count_passwords: PasswordCounter | None = None,
    time_budget: float = EXPOSURE_BUDGET_S,
) -> CredentialExposure:
    """Exposure of the current profile, then of every other profile the rights allow, within ``time_budget``.

    ``count_passwords`` (the browser probe's counter, passed in so this package does not import the
    probes) counts each other profile's saved passwords; without it they are "not looked at".
    """
    t0 = time.monotonic()
    pset = enumerate_profiles(host)
    others = pset.others if pset.admin else ()
    main_budget = time_budget * MACHINE_SHARE if others else time_budget
    main = collect_exposure(host, cancel, deadline=t0 + main_budget)
    results: list[ProfileExposure] = []
    mounts = _network_mounts(host)
    for i, profile in enumerate(others, 1):
        why = reachable(host, profile, mounts)
        if why is not None:
            results.append(ProfileExposure(profile=profile.name, home=profile.home, state=why))
            continue
        left = time_budget - (time.monotonic() - t0)
        budget = max(MIN_PROFILE_S, left / (len(others) - i + 1))
        e = collect_exposure(host, cancel, profile=profile, deadline=time.monotonic() + budget)
        not_looked_at = e.not_looked_at
        logins: int | None = None
        if count_passwords is not None:
            try:
                bp = count_passwords(host, _bases(host, profile))
                counts = [p.saved_logins for p in bp.profiles if p.saved_logins is not None]
                logins = sum(counts) if counts or not bp.profiles else None
            except HostError:
                logins = None
        if logins is None:
            not_looked_at = (*not_looked_at, ("browser_passwords", "read_error"))
        results.append(
            ProfileExposure(
                profile=profile.name,
                home=profile.home,
                state="examined",
                items=e.items,
                looked_at=e.looked_at,
                not_looked_at=not_looked_at,
                saved_logins=logins,
            )
        )
    return CredentialExposure(
        items=main.items,
        looked_at=main.looked_at,
        not_looked_at=main.not_looked_at,
        sources=main.sources,
        profiles=tuple(results),
        scope=scope_of(pset),
    )
