"""Exposure: what a stealer would take from this machine today.

Only counts, presence and paths are gathered. Saved passwords are counted by
the shared ``browser_passwords`` fact, not here. Files are opened only where
a count needs it (FileZilla: the encoding attribute of stored passwords;
SSH keys: the header, up to the cipher name) and nothing read is kept.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from clinicguard.files.datafiles import load_toml, package_file
from clinicguard.host import CommandTimeout, FileMissing, Host, HostError, SpecialFile, UserInfo
from clinicguard.infostealer.hive import HiveUnreadable, OfflineHive
from clinicguard.infostealer.model import CredentialExposure, ExposureItem
from clinicguard.infostealer.profiles import Profile
from clinicguard.infostealer.signs import reason_word
from clinicguard.infostealer.sources import HiveNotLoaded, account_hive, norm, windows_user_dirs
from clinicguard.infostealer.walk import FileEntry, Root, ScanStats, Walker

SSH_HEAD_BYTES = 128  # enough for the PEM headers or the OpenSSH cipher name, not the key itself
XML_LIMIT = 4 * 1024 * 1024
_SSH_SKIP = ("known_hosts", "known_hosts.old", "config", "authorized_keys", "authorized_keys2", "environment")


@dataclass(frozen=True)
class ExposureData:
    password_managers: frozenset[str]
    wallets: frozenset[str]
    cookie_domains: tuple[str, ...]
    password_file: re.Pattern[str]


@cache
def exposure_data() -> ExposureData:
    data = load_toml(package_file("data", "infostealer_rules.toml"), "clinicguard/data/infostealer_rules.toml")
    e = data.get("exposure", {})
    return ExposureData(
        password_managers=frozenset(e.get("password_manager_extensions", ())),
        wallets=frozenset(e.get("wallet_extensions", ())),
        cookie_domains=tuple(e.get("sensitive_cookie_domains", ())),
        password_file=re.compile(e.get("password_file_name", r"(?!)"), re.IGNORECASE | re.DOTALL),
    )


def cookie_sql(table: str, column: str) -> str:
    """COUNT of cookies for sensitive sites; only the site column is read."""
    cond = " OR ".join(f"{column} LIKE '%{d}%'" for d in exposure_data().cookie_domains)
    return f"SELECT COUNT(*) FROM {table} WHERE {cond}"


def ssh_key_encrypted(head: bytes) -> bool | None:
    """True/False for a private key's protection from its first bytes; None if not a private key."""
    text = head.decode("ascii", "replace")
    if "BEGIN ENCRYPTED PRIVATE KEY" in text:
        return True
    if "BEGIN OPENSSH PRIVATE KEY" in text:
        body = "".join(text.split("-----BEGIN OPENSSH PRIVATE KEY-----", 1)[1].split())
        try:
            blob = base64.b64decode(body[:44] + "=" * (-len(body[:44]) % 4))
        except (binascii.Error, ValueError):
            return None
        if not blob.startswith(b"openssh-key-v1\0") or len(blob) < 19:
            return None
        n = int.from_bytes(blob[15:19], "big")
        return blob[19 : 19 + n] != b"none"
    if re.search(r"BEGIN (RSA|DSA|EC) PRIVATE KEY", text):
        return "ENCRYPTED" in text
    if "BEGIN PRIVATE KEY" in text:
        return False
    if text.startswith("PuTTY-User-Key-File"):
        m = re.search(r"Encryption:\s*(\S+)", text)
        return None if m is None else m.group(1) != "none"
    return None


class _Gather:
    def __init__(self, host: Host, cancel: threading.Event | None) -> None:
        self.host = host
        self.cancel = cancel
        self.items: list[ExposureItem] = []
        self.looked_at: list[str] = []
        self.not_looked_at: list[tuple[str, str]] = []
        self.data = exposure_data()
        self._unread: list[HostError] = []
        self.deadline: float | None = None  # time.monotonic() value after which walks stop
        self.hive = "HKCU"
        self.offline: OfflineHive | None = None  # another account's hive file, when its hive is not loaded
        self.hive_error = ""  # HKU\<SID> for another account (read only when its hive is loaded)

    def add(self, kind: str, where: str, count: int | None = None) -> None:
        self.items.append(ExposureItem(kind=kind, where=where, count=count))

    def guarded(self, source: str, fn) -> None:  # type: ignore[no-untyped-def]
        self._unread = []
        try:
            fn()
        except (HostError, OSError) as exc:
            self.not_looked_at.append((source, reason_word(exc)))
            return
        self.looked_at.append(source)
        if self._unread:
            # What was read counts; the files that could not be read lower the coverage.
            self.not_looked_at.append((source, reason_word(self._unread[0])))

    def read_each(self, path: str, read):  # type: ignore[no-untyped-def]
        """``read(path)``, or None when the file is absent, special or unreadable (then remembered)."""
        try:
            return read(path)
        except (FileMissing, SpecialFile):
            return None
        except HostError as exc:
            self._unread.append(exc)
            return None

    def listdir(self, path: str) -> list[str]:
        try:
            return self.host.listdir(path)
        except FileMissing:
            return []

    # -- browsers ------------------------------------------------------------
    def chromium(self, bases: list[str]) -> None:
        managers, wallets, cookies = set(), set(), 0
        cookie_sources: list[str] = []
        errors: list[HostError] = []
        for profile in self._chromium_profiles(bases):
            ext = set(self.listdir(f"{profile}/Extensions"))
            managers |= ext & self.data.password_managers
            wallets |= ext & self.data.wallets
            for db in (f"{profile}/Network/Cookies", f"{profile}/Cookies"):
                try:
                    n = self.host.sqlite_scalar(db, cookie_sql("cookies", "host_key"))
                except FileMissing:
                    continue
                except HostError as exc:
                    errors.append(exc)
                    break
                if n:
                    cookies += n
                    cookie_sources.append(db)
                break
        if managers:
            self.add("password_manager", ", ".join(sorted(managers)), len(managers))
        if wallets:
            self.add("wallet_extension", ", ".join(sorted(wallets)), len(wallets))
        if cookies:
            self.add("session_cookies", "; ".join(cookie_sources[:3]), cookies)
        if errors and not cookie_sources:
            raise errors[0]

    def _chromium_profiles(self, bases: list[str]) -> list[str]:
        out = []
        for base in bases:
            if base.endswith("Opera Stable"):  # Opera keeps a single profile in its own folder
                if self.host.is_dir(base):
                    out.append(base)
                continue
            out += [f"{base}/{n}" for n in self.listdir(base) if n == "Default" or n.startswith("Profile ")]
        return out

    def firefox(self, base: str) -> None:
        total, where = 0, []
        for name in self.listdir(base):
            db = f"{base}/{name}/cookies.sqlite"
            try:
                n = self.host.sqlite_scalar(db, cookie_sql("moz_cookies", "host"))
            except FileMissing:
                continue
            if n:
                total += n
                where.append(db)
        if total:
            self.add("session_cookies", "; ".join(where[:3]), total)

    # -- applications ----------------------------------------------------------
    def presence(self, kind: str, paths: list[str]) -> None:
        for p in paths:
            if self.host.exists(p):
                self.add(kind, p)
                return

    def filezilla(self, folder: str) -> None:
        plain = 0
        where = []
        for name in ("sitemanager.xml", "recentservers.xml", "filezilla.xml"):
            path = f"{folder}/{name}"
            text = self.read_each(path, lambda p: self.host.read_text(p, limit=XML_LIMIT))
            if text is None:
                continue
            # Only the encoding attribute is looked at: base64 means readable by anyone.
            n = len(re.findall(r'<Pass\s+encoding="base64"', text))
            del text
            if n:
                plain += n
                where.append(path)
        if plain:
            self.add("filezilla_plain", "; ".join(where), plain)

    def _winscp_sessions(self) -> tuple[int, str]:
        """(sessions with a saved password, where) from the account's registry: loaded or its hive file."""
        rel = r"Software\Martin Prikryl\WinSCP 2\Sessions"
        where = f"{self.hive}\\{rel}"
        subkeys: Callable[[str], list[str]]
        values: Callable[[str], dict[str, object]]
        if self.offline is not None:
            subkeys, values, key = self.offline.subkeys, self.offline.values, rel
        elif self.hive:
            subkeys, values, key = self.host.registry_subkeys, self.host.registry_values, where
        else:
            return 0, ""  # another account without a known SID: its registry cannot be found
        try:
            sessions = subkeys(key)
        except FileMissing:
            sessions = []
        count = 0
        for s in sessions:
            try:
                if "Password" in values(f"{key}\\{s}"):
                    count += 1
            except FileMissing:
                continue
        return count, where

    def winscp(self, appdata: str) -> None:
        count, where = self._winscp_sessions()
        text = self.read_each(f"{appdata}/WinSCP.ini", lambda p: self.host.read_text(p, limit=XML_LIMIT))
        n = len(re.findall(r"^Password=", text or "", re.M))
        del text
        if n:
            count += n
            where = f"{appdata}/WinSCP.ini"
        if count:
            self.add("winscp_saved", where, count)
        if self.hive_error:
            # Another account's registry could not be read: what was found stays, the rest is said.
            raise HiveUnreadable(self.hive) if self.hive_error == HiveUnreadable.word else HiveNotLoaded(self.hive)

    def ssh(self, home: str) -> None:
        folder = f"{home}/.ssh"
        plain = []
        for name in self.listdir(folder):
            if name.endswith(".pub") or name in _SSH_SKIP or name.startswith("."):
                continue
            path = f"{folder}/{name}"
            if self.host.is_dir(path):
                continue
            head = self.read_each(path, lambda p: self.host.read_bytes(p, limit=SSH_HEAD_BYTES))
            if head is None:
                continue
            if ssh_key_encrypted(head) is False:
                plain.append(path)
        if plain:
            self.add("ssh_unencrypted", ", ".join(plain[:5]), len(plain))

    def plaintext_files(self, home: str) -> None:
        for rel in (".git-credentials", ".aws/credentials", ".config/gh/hosts.yml"):
            path = f"{home}/{rel}"
            if self.host.exists(path):
                self.add("plaintext_credentials", path)

    def password_files(self, folders: list[str]) -> None:
        stats = ScanStats()
        walker = Walker(self.host, stats, cancel=self.cancel, deadline=self.deadline)
        found: list[str] = []
        for folder in folders:
            for item in walker.walk(Root(folder, "user", 2)):
                if isinstance(item, FileEntry) and self.data.password_file.search(item.name):
                    found.append(item.path)
            if walker.stopped():
                break
        if found:
            self.add("password_file", ", ".join(found[:5]), len(found))
        if walker.stopped():
            # Out of time (a profile with millions of files) or cancelled: what was found stays, the rest is said.
            raise CommandTimeout("password files: walk stopped before the end")
        if stats.unreadable and not stats.files:
            raise HostError("user folders unreadable")
        if stats.unreadable:
            # A folder that could not be listed may hold a "passwords" file: the source is not complete.
            self._unread.append(HostError(f"{stats.unreadable} user folder(s) unreadable"))


def collect_exposure(
    host: Host, cancel: threading.Event | None = None, profile: Profile | None = None, deadline: float | None = None
) -> CredentialExposure:
    """Exposure of the current account, or of another account's ``profile`` (its folders and hive)."""
    g = _Gather(host, cancel)
    g.deadline = deadline
    user = host.user()
    if profile is not None:
        user = UserInfo(name=profile.name, uid=profile.uid, home=profile.home, sid=profile.sid)
        g.hive = f"HKU\\{profile.sid}" if profile.sid else ""
        if host.platform == "windows" and g.hive:
            g.offline, g.hive_error = account_hive(host, g.hive, norm(profile.home))
    platform = host.platform
    if platform == "windows":
        if profile is not None:
            home = norm(profile.home)
            appdata, local = f"{home}/AppData/Roaming", f"{home}/AppData/Local"
        else:
            home, appdata, local = windows_user_dirs(host)
        chromium = [
            f"{local}/Google/Chrome/User Data",
            f"{local}/Microsoft/Edge/User Data",
            f"{local}/BraveSoftware/Brave-Browser/User Data",
            f"{appdata}/Opera Software/Opera Stable",
        ]
        firefox = f"{appdata}/Mozilla/Firefox/Profiles"
        telegram = [f"{appdata}/Telegram Desktop/tdata"]
        discord = [f"{appdata}/discord/Local Storage/leveldb"]
        wallets = [f"{appdata}/Exodus", f"{appdata}/Electrum/wallets", f"{appdata}/atomic"]
        filezilla = f"{appdata}/FileZilla"
    elif platform == "macos":
        home = norm(user.home or f"/Users/{user.name}")
        support = f"{home}/Library/Application Support"
        chromium = [f"{support}/Google/Chrome", f"{support}/Microsoft Edge", f"{support}/BraveSoftware/Brave-Browser"]
        firefox = f"{support}/Firefox/Profiles"
        telegram = [f"{support}/Telegram Desktop/tdata"]
        discord = [f"{support}/discord/Local Storage/leveldb"]
        wallets = [f"{support}/Exodus", f"{home}/.electrum/wallets"]
        filezilla = f"{home}/.config/filezilla"
        appdata = ""
    else:
        home = norm(user.home or f"/home/{user.name}")
        cfg = f"{home}/.config"
        chromium = [
            f"{cfg}/google-chrome",
            f"{cfg}/chromium",
            f"{cfg}/microsoft-edge",
            f"{cfg}/BraveSoftware/Brave-Browser",
        ]
        firefox = f"{home}/.mozilla/firefox"
        telegram = [f"{home}/.local/share/TelegramDesktop/tdata"]
        discord = [f"{cfg}/discord/Local Storage/leveldb"]
        wallets = [f"{home}/.electrum/wallets", f"{cfg}/Exodus"]
        filezilla = f"{cfg}/filezilla"
        appdata = ""
    folders = [f"{home}/Desktop", f"{home}/Documents", f"{home}/Downloads"]
    if platform == "linux":
        folders += [f"{home}/Bureau", f"{home}/Téléchargements"]
    g.guarded("chromium", lambda: g.chromium(chromium))
    g.guarded("firefox_cookies", lambda: g.firefox(firefox))

    def messaging() -> None:
        g.presence("telegram_session", telegram)
        g.presence("discord_session", discord)

    g.guarded("messaging", messaging)
    g.guarded("wallets", lambda: g.presence("wallet_app", wallets))
    g.guarded("filezilla", lambda: g.filezilla(filezilla))
    if platform == "windows":
        g.guarded("winscp", lambda: g.winscp(appdata))
    g.guarded("ssh_keys", lambda: g.ssh(home))
    g.guarded("plaintext_credentials", lambda: g.plaintext_files(home))
    g.guarded("password_files", lambda: g.password_files(folders))
    return CredentialExposure(
        items=tuple(g.items),
        looked_at=tuple(g.looked_at),
        not_looked_at=tuple(g.not_looked_at),
        sources=(home,),
    )
