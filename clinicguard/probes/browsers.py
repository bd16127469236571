"""Count passwords saved in web browsers — never read, decrypt or copy them.

Chromium-family browsers keep logins in a SQLite file per profile; the count
comes from one aggregate query on the file opened read-only and immutable.
Firefox keeps them in logins.json; only the length of its list is taken.
"""

from __future__ import annotations

import json

from clinicguard.core.facts import BrowserPasswords, BrowserProfile
from clinicguard.host import AccessDenied, FileMissing, Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.common import parse_ini

COUNT_SQL = "SELECT COUNT(*) FROM logins WHERE blacklisted_by_user = 0"
LOGIN_FILES = ("Login Data", "Login Data For Account")

# (browser, folder relative to the base) per OS; bases: home on Linux/macOS,
# %LOCALAPPDATA% / %APPDATA% on Windows.
CHROMIUM_ROOTS = {
    "linux": [
        ("Chrome", "~/.config/google-chrome"),
        ("Chromium", "~/.config/chromium"),
        ("Chromium", "~/snap/chromium/common/chromium"),
        ("Chrome", "~/.var/app/com.google.Chrome/config/google-chrome"),
        ("Edge", "~/.config/microsoft-edge"),
        ("Brave", "~/.config/BraveSoftware/Brave-Browser"),
    ],
    "macos": [
        ("Chrome", "~/Library/Application Support/Google/Chrome"),
        ("Edge", "~/Library/Application Support/Microsoft Edge"),
        ("Brave", "~/Library/Application Support/BraveSoftware/Brave-Browser"),
    ],
    "windows": [
        ("Chrome", "%LOCALAPPDATA%/Google/Chrome/User Data"),
        ("Edge", "%LOCALAPPDATA%/Microsoft/Edge/User Data"),
        ("Brave", "%LOCALAPPDATA%/BraveSoftware/Brave-Browser/User Data"),
    ],
}
FIREFOX_ROOTS = {
    "linux": [
        "~/.mozilla/firefox",
        "~/.config/mozilla/firefox",
        "~/snap/firefox/common/.mozilla/firefox",
        "~/.var/app/org.mozilla.firefox/.mozilla/firefox",
    ],
    "macos": ["~/Library/Application Support/Firefox"],
    "windows": ["%APPDATA%/Mozilla/Firefox"],
}


def expand(host: Host, path: str, bases: dict[str, str] | None = None) -> str | None:
    """``path`` with ~, %LOCALAPPDATA% and %APPDATA% replaced: from ``bases`` (another
    account's folders) or from the current account."""
    if bases is not None:
        for var, base in bases.items():
            if path.startswith(var + "/"):
                return base.replace("\\", "/").rstrip("/") + path[len(var) :] if base else None
        return path
    if path.startswith("~/"):
        home = host.user().home or host.env("HOME") or host.env("USERPROFILE")
        return f"{home.rstrip('/')}/{path[2:]}" if home else None
    for var in ("%LOCALAPPDATA%", "%APPDATA%"):
        if path.startswith(var):
            own = host.env(var.strip("%"))
            return own.replace("\\", "/").rstrip("/") + path[len(var) :] if own else None
    return path


def chromium_profiles(host: Host, root: str) -> list[str]:
    """Profile folder names: from Local State when readable, else by name."""
    names: list[str] = []
    try:
        state = json.loads(host.read_text(f"{root}/Local State"))
        names = list(state.get("profile", {}).get("info_cache", {}).keys())
    except (HostError, ValueError, AttributeError):
        names = []
    if not names:
        try:
            names = [n for n in host.listdir(root) if n == "Default" or n.startswith("Profile ")]
        except HostError:
            names = []
    return sorted(set(names))


def count_chromium(host: Host, browser: str, root: str, profile: str) -> BrowserProfile:
    total = 0
    seen = False
    for name in LOGIN_FILES:
        path = f"{root}/{profile}/{name}"
        try:
            value = host.sqlite_scalar(path, COUNT_SQL)
        except FileMissing:
            continue
        except AccessDenied:
            return BrowserProfile(browser=browser, profile=profile, saved_logins=None, error="denied")
        except HostError as exc:
            return BrowserProfile(browser=browser, profile=profile, saved_logins=None, error=str(exc)[:200])
        seen = True
        total += value or 0
    return BrowserProfile(browser=browser, profile=profile, saved_logins=total if seen else 0)


def firefox_profiles(host: Host, root: str) -> list[str]:
    try:
        ini = parse_ini(host.read_text(f"{root}/profiles.ini"))
    except HostError:
        return []
    out = []
    for name, section in ini.items():
        if not name.startswith("Profile") or "Path" not in section:
            continue
        rel = section.get("IsRelative", "1") == "1"
        out.append(f"{root}/{section['Path']}" if rel else section["Path"].replace("\\", "/"))
    return out


def count_firefox(host: Host, profile_dir: str) -> BrowserProfile:
    label = profile_dir.rsplit("/", 1)[-1]
    try:
        data = json.loads(host.read_text(f"{profile_dir}/logins.json"))
    except FileMissing:
        return BrowserProfile(browser="Firefox", profile=label, saved_logins=0)
    except AccessDenied:
        return BrowserProfile(browser="Firefox", profile=label, saved_logins=None, error="denied")
    except (HostError, ValueError) as exc:
        return BrowserProfile(browser="Firefox", profile=label, saved_logins=None, error=str(exc)[:200])
    logins = data.get("logins") if isinstance(data, dict) else None
    if not isinstance(logins, list):
        return BrowserProfile(browser="Firefox", profile=label, saved_logins=None, error="unexpected logins.json")
    return BrowserProfile(browser="Firefox", profile=label, saved_logins=len(logins))


@probe("browser_passwords", "linux", "macos", "windows")
def browser_passwords(host: Host) -> BrowserPasswords:
    return count_browser_passwords(host)


def count_browser_passwords(host: Host, bases: dict[str, str] | None = None) -> BrowserPasswords:
    """Saved passwords per browser profile, of the current account or of the folders in ``bases``
    ({"~": home, "%APPDATA%": ..., "%LOCALAPPDATA%": ...})."""
    profiles: list[BrowserProfile] = []
    searched: list[str] = []
    for browser, raw in CHROMIUM_ROOTS.get(host.platform, []):
        root = expand(host, raw, bases)
        if root is None:
            continue
        searched.append(root)
        if not host.is_dir(root):
            continue
        for profile in chromium_profiles(host, root):
            profiles.append(count_chromium(host, browser, root, profile))
    for raw in FIREFOX_ROOTS.get(host.platform, []):
        root = expand(host, raw, bases)
        if root is None:
            continue
        searched.append(root)
        for profile_dir in firefox_profiles(host, root):
            profiles.append(count_firefox(host, profile_dir))
    return BrowserPasswords(profiles=tuple(profiles), sources=tuple(searched))
