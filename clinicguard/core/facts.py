"""Typed facts that probes gather and checks judge.

Each fact type is the same on every operating system: a Windows probe and a
Linux probe fill the same fields, so one check judges both. ``None`` in a
field means "could not be established"; ``sources`` says what was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from clinicguard.core.model import Reason


@dataclass(frozen=True)
class Unknown:
    """Why a fact field is None: the reason its grey result shows and the technical detail."""

    reason: Reason
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class Facts:
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # language-neutral remarks shown as evidence
    # Why a field is None: {"pending": Unknown(Reason.NEEDS_ADMIN, "dnf: no readable cache")}.
    # A field left out falls back to not_readable in the checks.
    why_unknown: dict[str, Unknown] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SystemFacts(Facts):
    os_id: str  # "debian", "ubuntu", "fedora", "windows", "macos"
    os_version: str  # "12", "24.04", "11 24H2"...
    os_name: str  # human name: "Debian GNU/Linux 12 (bookworm)"
    edition: str = ""  # Windows EditionID: Core, Professional...
    build: int | None = None
    is_laptop: bool | None = None
    has_desktop: bool | None = None
    desktop: str = ""  # gnome, kde, cinnamon, xfce...


@dataclass(frozen=True, kw_only=True)
class PasswordPolicy(Facts):
    min_length: int | None
    lockout_threshold: int | None  # 0 = no lockout
    complexity: bool | None = None
    max_age_days: int | None = None
    throttled: bool | None = None  # a delay is enforced after failures


@dataclass(frozen=True, kw_only=True)
class AutoLogin(Facts):
    enabled: bool | None
    user: str = ""
    password_stored: bool | None = None  # a plaintext password sits in config


@dataclass(frozen=True, kw_only=True)
class AdminRights(Facts):
    user: str
    user_is_admin: bool | None
    admins: tuple[str, ...] | None = None
    nopasswd: bool | None = None  # sudo without password for that user
    nopasswd_source: str = ""  # the sudoers file(s) that answer, never the group file
    uac_disabled: bool | None = None  # Windows only


@dataclass(frozen=True, kw_only=True)
class LocalAccounts(Facts):
    # Accounts whose password is known to be empty; None = not readable.
    empty_password: tuple[str, ...] | None
    extra_superusers: tuple[str, ...] = ()  # UID 0 besides root
    guest_enabled: bool | None = None  # Windows Guest (RID 501)
    builtin_admin_enabled: bool | None = None  # Windows Administrator (RID 500)
    no_password_required: tuple[str, ...] = ()  # Windows UF_PASSWD_NOTREQD
    self_has_password: bool | None = None  # the invoking user's own status
    blank_password_allowed: bool | None = None  # PAM nullok


@dataclass(frozen=True, kw_only=True)
class UpdateStatus(Facts):
    manager: str  # apt, dnf, windows-update, softwareupdate
    pending: int | None
    pending_security: int | None
    last_install: datetime | None = None
    last_install_title: str = ""  # what that last update was (Windows: the cumulative/security update's title)
    metadata_age_days: float | None = None  # apt lists age
    automatic: bool | None = None
    paused_until: datetime | None = None
    reboot_required: bool | None = None
    reboot_required_since: datetime | None = None
    # Extended security updates active: Ubuntu Pro (ESM) attached, Windows ESU enrolled.
    extended_support: bool | None = None
    metadata_source: str = ""  # the package list whose age metadata_age_days gives
    # No system upgrade in a history that starts on this date (last_install is None).
    no_upgrade_since: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AntivirusProduct:
    name: str
    enabled: bool | None
    realtime: bool | None = None
    signature_age_days: float | None = None
    up_to_date: bool | None = None
    passive: bool = False
    tamper_protected: bool | None = None


@dataclass(frozen=True, kw_only=True)
class AntivirusStatus(Facts):
    products: tuple[AntivirusProduct, ...]


@dataclass(frozen=True, kw_only=True)
class FirewallStatus(Facts):
    # One entry per profile or front-end: {"public": True, "ufw": False...}
    enabled: dict[str, bool | None]
    backend: str = ""  # ufw, firewalld, nftables, iptables, windows, alf
    default_inbound_block: bool | None = None
    permissive_zone: bool | None = None  # firewalld zone opening almost everything
    rules_readable: bool = True


@dataclass(frozen=True, kw_only=True)
class DiskEncryption(Facts):
    system_encrypted: bool | None
    method: str = ""  # luks, bitlocker, filevault, zfs, ecryptfs
    state: str = ""  # on, off, encrypting, decrypting, suspended, waiting
    other_volumes_unencrypted: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ScreenLock(Facts):
    has_desktop: bool | None
    lock_after_s: int | None  # effective idle time before a password is required; 0 = never
    lock_enabled: bool | None = None
    desktop: str = ""


@dataclass(frozen=True, kw_only=True)
class BackupTool:
    name: str
    configured: bool
    last_success: datetime | None = None
    sync_only: bool = False  # OneDrive, Dropbox: synchronisation, not a backup
    target: str = ""


@dataclass(frozen=True, kw_only=True)
class BackupStatus(Facts):
    tools: tuple[BackupTool, ...]
    searched: tuple[str, ...] = ()  # what was looked for


@dataclass(frozen=True, kw_only=True)
class ExposedServices(Facts):
    listeners: tuple[tuple[str, int, str, str], ...]  # (ip, port, proto, process), non-loopback
    remote_tools: tuple[str, ...] = ()
    rdp_enabled: bool | None = None
    rdp_nla: bool | None = None
    smb1_enabled: bool | None = None
    ssh_server: bool | None = None


@dataclass(frozen=True, kw_only=True)
class BrowserProfile:
    browser: str
    profile: str
    saved_logins: int | None  # None = could not be counted
    error: str = ""
    primary_password: bool | None = None  # Firefox


@dataclass(frozen=True, kw_only=True)
class BrowserPasswords(Facts):
    profiles: tuple[BrowserProfile, ...] = field(default_factory=tuple)


@dataclass(frozen=True, kw_only=True)
class RemoteTool:
    name: str  # TeamViewer, AnyDesk...
    installed: bool = True
    autostart: bool | None = None  # starts with the computer (unattended access possible)
    running: bool | None = None


@dataclass(frozen=True, kw_only=True)
class RemoteTools(Facts):
    tools: tuple[RemoteTool, ...]
    searched: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AutorunPolicy(Facts):
    # Windows: effective NoDriveTypeAutoRun mask (HKLM wins), None when not set.
    no_drive_type_autorun: int | None = None
    no_autorun: bool | None = None  # NoAutorun=1: autorun.inf commands ignored
    autoplay_disabled: bool | None = None
    # GNOME: org.gnome.desktop.media-handling autorun-never.
    autorun_never: bool | None = None


@dataclass(frozen=True, kw_only=True)
class SecureBoot(Facts):
    uefi: bool | None  # False = legacy BIOS boot
    enabled: bool | None
    virtual_machine: bool | None = None


@dataclass(frozen=True, kw_only=True)
class StaleProgram:
    """A running program still using files an update deleted (old libraries in memory)."""

    name: str
    pids: tuple[int, ...]
    files: tuple[str, ...]  # first deleted files it maps


@dataclass(frozen=True, kw_only=True)
class RestartNeeded(Facts):
    # Restart flags raised by the system ("CBS RebootPending", "/run/reboot-required", "kernel ...");
    # None = the flags could not be read.
    flags: tuple[str, ...] | None
    # Programs to restart; None = running programs could not be examined (or not applicable).
    stale_programs: tuple[StaleProgram, ...] | None = None
    processes_examined: int = 0
    processes_unreadable: int = 0  # other accounts' programs, readable only with administrator rights
