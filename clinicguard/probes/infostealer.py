"""Probes of the infostealer triage, the same on every system."""

from __future__ import annotations

from clinicguard.host import Host
from clinicguard.infostealer.allprofiles import collect_all_exposure, collect_all_signs
from clinicguard.infostealer.model import CredentialExposure, InfostealerSigns
from clinicguard.probes import probe
from clinicguard.probes.browsers import count_browser_passwords

# Under the runner's per-check deadline, with room to judge and report.
TIME_BUDGET_S = 20.0


@probe("infostealer_signs", "linux", "windows", "macos")
def infostealer_signs(host: Host) -> InfostealerSigns:
    return collect_all_signs(host, time_budget=TIME_BUDGET_S)


@probe("credential_exposure", "linux", "windows", "macos")
def credential_exposure(host: Host) -> CredentialExposure:
    return collect_all_exposure(host, count_passwords=count_browser_passwords)
