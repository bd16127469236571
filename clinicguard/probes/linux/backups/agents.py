"""Backup agents whose presence means a backup was set up on purpose, and synchronisation clients (not backups)."""

from __future__ import annotations

from clinicguard.i18n import note
from clinicguard.probes.linux.backups.collector import Collector

# Agents whose presence means a backup was set up on purpose (configuration unreadable).
AGENTS = (
    ("UrBackup", ("/usr/sbin/urbackupclientbackend", "/usr/local/sbin/urbackupclientbackend")),
    ("Veeam Agent", ("/usr/bin/veeamconfig",)),
    ("Bacula", ("/etc/bacula/bacula-fd.conf",)),
    ("Bareos", ("/etc/bareos/bareos-fd.conf", "/etc/bareos/bareos-fd.d")),
    ("Acronis", ("/usr/lib/Acronis",)),
)


# Synchronisation clients: copies of files, not backups of the computer (relative to home).
SYNC_CLIENTS = (
    ("Nextcloud", (".config/Nextcloud/nextcloud.cfg",)),
    ("ownCloud", (".config/ownCloud/owncloud.cfg",)),
    ("Dropbox", (".dropbox/info.json", ".dropbox-dist")),
    ("OneDrive", (".config/onedrive/items.sqlite3",)),
    ("Syncthing", (".local/state/syncthing/config.xml", ".config/syncthing/config.xml")),
    ("MEGAsync", (".local/share/data/Mega Limited/MEGAsync",)),
    ("pCloud", (".pcloud",)),
    ("Insync", (".config/Insync",)),
)


def agents(c: Collector) -> None:
    c.searched.append(note("linux.backup_agents"))
    for label, paths in AGENTS:
        if any(c.host.exists(p) for p in paths):
            c.tool(label, configured=True).see(None, paths[0])


def sync_clients(c: Collector) -> None:
    c.searched.append(note("linux.sync_clients"))
    for home in c.homes:
        for label, rels in SYNC_CLIENTS:
            if any(c.host.exists(f"{home}/{rel}") for rel in rels):
                c.tool(label, configured=True, sync_only=True).see(None, home)
