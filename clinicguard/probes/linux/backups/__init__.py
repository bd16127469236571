"""Backups on Linux: Déjà Dup, Timeshift, borg / borgmatic / restic /
duplicity / rsnapshot / Back In Time run by timers or cron, backup agents,
and synchronisation clients (which are not backups).

Where the last backup is knowable it comes from the tools' own state:
Déjà Dup ``last-backup``; borg ``~/.config/borg/security/<repo>/
manifest-timestamp``; restic ``~/.cache/restic/<repo>/snapshots``;
duplicity manifest names; Timeshift and rsnapshot snapshot folders; the last
successful run of a backup systemd service (``systemctl show``).
State kept by root is invisible to an ordinary user: "configured, date unknown".

One module per tool family: :mod:`.desktop`, :mod:`.schedulers`, :mod:`.archivers`, :mod:`.agents`;
:mod:`.collector` gathers what they find.
"""

from __future__ import annotations

from clinicguard.core.facts import BackupStatus
from clinicguard.host import Host
from clinicguard.probes import probe
from clinicguard.probes.linux.backups import agents, archivers, desktop, schedulers
from clinicguard.probes.linux.backups.collector import Collector


@probe("backups", "linux")
def linux_backups(host: Host) -> BackupStatus:
    c = Collector(host)
    desktop.dejadup(c)
    desktop.timeshift(c)
    schedulers.cron(c)
    schedulers.timers(c)
    archivers.borg(c)
    archivers.restic(c)
    archivers.duplicity(c)
    archivers.rsnapshot(c)
    archivers.backintime(c)
    agents.agents(c)
    agents.sync_clients(c)
    schedulers.service_results(c)
    return c.result()
