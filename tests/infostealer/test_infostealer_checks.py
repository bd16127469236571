"""Scoring, verdicts, exposure and the texts behind them."""

from __future__ import annotations

import base64
import sqlite3
import struct
from datetime import UTC, datetime

import pytest

from clinicguard.catalogue import load_catalogue, placeholders
from clinicguard.checks import CheckContext
from clinicguard.checks.infostealer import exposure, infostealer
from clinicguard.core.facts import BrowserPasswords, BrowserProfile
from clinicguard.core.model import Reason, Status
from clinicguard.engine.runner import run_assessment
from clinicguard.host import UserInfo
from clinicguard.i18n import LANGUAGES, catalog
from clinicguard.infostealer import scoring
from clinicguard.infostealer.exposure import collect_exposure, cookie_sql, ssh_key_encrypted
from clinicguard.infostealer.model import InfostealerHit, InfostealerSigns, ScanSummary
from clinicguard.infostealer.rules import load_rules
from clinicguard.infostealer.sources import TEXT_SOURCES
from tests.conftest import recorded
from tests.support.infostealer_fixtures import TreeHost, put

CTX = CheckContext(platform="linux", now=datetime(2026, 11, 28, tzinfo=UTC), user=UserInfo(name="alice"))
SCAN = ScanSummary(
    files=100, dirs=10, hashed=5, bytes_hashed=1000, skipped={}, hash_list_size=11, elapsed_s=0.1, complete=True
)


def hit(strength: str, category: str, rule: str = "stealer_log") -> InfostealerHit:
    return InfostealerHit(rule=rule, strength=strength, category=category, where="/x")


def signs(*hits: InfostealerHit, core_missing=(), not_looked_at=()) -> InfostealerSigns:  # type: ignore[no-untyped-def]
    return InfostealerSigns(
        hits=hits,
        looked_at=("files", "processes"),
        not_looked_at=tuple(not_looked_at),
        core_missing=tuple(core_missing),
        scan=SCAN,
    )


# -- scoring --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hits", "expected"),
    [
        ([], "green"),
        ([hit("S", "a")], "red"),
        ([hit("M", "a")], "amber"),
        ([hit("M", "a"), hit("M", "a")], "amber"),  # same category counts once
        ([hit("M", "a"), hit("M", "b")], "red"),  # two kinds of medium signs
        ([hit("W", "a"), hit("W", "b")], "green"),
        ([hit("W", "a"), hit("W", "b"), hit("W", "c")], "amber"),
        ([hit("W", "a"), hit("W", "a"), hit("W", "a")], "green"),
        ([hit("M", "a"), hit("W", "b"), hit("W", "c"), hit("W", "d"), hit("W", "e")], "red"),
    ],
)
def test_scoring(hits, expected):
    assert scoring.level(hits) == expected


# -- verdicts -------------------------------------------------------------------
def test_strong_sign_is_red_with_evidence():
    v = infostealer(CTX, signs(hit("S", "staging")))
    assert v.status is Status.FAIL and v.key == "strong" and v.params == {"count": 1}
    assert v.evidence[0].label == "infostealer.stealer_log"


def test_two_medium_signs_are_red():
    v = infostealer(
        CTX, signs(hit("M", "autostart", "win_autostart_user_path"), hit("M", "process", "win_process_user_path"))
    )
    assert (v.status, v.key) == (Status.FAIL, "several")


def test_one_medium_sign_is_amber():
    assert infostealer(CTX, signs(hit("M", "autostart"))).status is Status.WARN


def test_clean_lists_what_was_and_was_not_looked_at():
    v = infostealer(CTX, signs(not_looked_at=[("crontab", "tool_missing")]))
    assert (v.status, v.key) == (Status.PASS, "clean")
    labels = [e.label for e in v.evidence]
    assert "infostealer_looked_at.files" in labels
    assert "infostealer_not_looked_at.crontab" in labels
    assert "infostealer_files_examined" in labels


def test_clean_but_core_source_missing_is_grey():
    v = infostealer(CTX, signs(core_missing=["processes"], not_looked_at=[("processes", "access_denied")]))
    assert v.status is Status.UNKNOWN and v.reason is Reason.NEEDS_ADMIN and v.key == "incomplete"


def test_weak_only_is_green_with_details():
    v = infostealer(CTX, signs(hit("W", "download", "crack_download")))
    assert (v.status, v.key) == (Status.PASS, "clean_minor")


# -- texts ----------------------------------------------------------------------
def test_every_rule_and_source_has_french_and_english_text():
    sources = {s for plat in TEXT_SOURCES.values() for s, *_ in plat} | {"processes", "defender", "files"}
    for lang in LANGUAGES:
        cat = catalog(lang)
        for rule in load_rules():
            assert f"evidence.infostealer.{rule.id}" in cat, (lang, rule.id)
        for src in sources:
            assert f"evidence.infostealer_looked_at.{src}" in cat, (lang, src)
            assert f"evidence.infostealer_not_looked_at.{src}" in cat, (lang, src)
        for word in ("access_denied", "tool_missing", "timed_out", "read_error", "scan_cancelled"):
            assert f"value.{word}" in cat


def test_catalogue_summaries_match_between_languages():
    cat = load_catalogue()
    for cid in ("malware.infostealer", "malware.exposure"):
        spec = cat.checks[cid]
        fr, en = spec.texts["fr"]["summary"], spec.texts["en"]["summary"]
        assert fr.keys() == en.keys()
        for key in fr:
            assert placeholders(fr[key]) == placeholders(en[key]), (cid, key)
        assert "CG-INFO" in spec.recommendations


def test_rules_carry_strength_and_false_positive_note():
    rules = load_rules()
    assert len(rules) >= 40
    for r in rules:
        assert r.strength in ("S", "M", "W") and r.fp and r.family
    oses = {o for r in rules for o in r.os}
    assert oses == {"windows", "macos", "linux"}


# -- exposure -------------------------------------------------------------------
def openssh_key(cipher: bytes) -> bytes:
    blob = b"openssh-key-v1\0" + struct.pack(">I", len(cipher)) + cipher + b"\0" * 40
    body = base64.b64encode(blob).decode()
    text = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body[:70]}\n{body[70:]}\n-----END OPENSSH PRIVATE KEY-----\n"
    return text.encode()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (openssh_key(b"none"), False),
        (openssh_key(b"aes256-ctr"), True),
        (b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,AB\n", True),
        (b"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n", False),
        (b"-----BEGIN PRIVATE KEY-----\nMIIE\n", False),
        (b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n", True),
        (b"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", False),
        (b"ssh-ed25519 AAAAC3Nza alice@pc\n", None),
        (b"\xff\xfe garbage", None),
    ],
)
def test_ssh_key_protection_from_header(head, expected):
    assert ssh_key_encrypted(head[:128]) is expected


def _cookies_db(path, hosts):  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE cookies (host_key TEXT, name TEXT, encrypted_value BLOB)")
    con.executemany("INSERT INTO cookies VALUES (?, 'sid', x'00')", [(h,) for h in hosts])
    con.commit()
    con.close()


SECRET = "Tr0ub4dor&3-secret"


def exposed_home(tmp_path):  # type: ignore[no-untyped-def]
    home = "/home/alice"
    put(
        tmp_path,
        f"{home}/.config/filezilla/sitemanager.xml",
        f'<Server><Host>ftp.x</Host><Pass encoding="base64">{base64.b64encode(SECRET.encode()).decode()}</Pass>'
        f'</Server><Server><Pass encoding="crypt" pubkey="x">zzz</Pass></Server>',
    )
    put(tmp_path, f"{home}/.ssh/id_ed25519", openssh_key(b"none"))
    put(tmp_path, f"{home}/.ssh/id_rsa_work", openssh_key(b"aes256-ctr"))
    put(tmp_path, f"{home}/.ssh/id_ed25519.pub", "ssh-ed25519 AAAA")
    put(tmp_path, f"{home}/Desktop/mots de passe.xlsx", SECRET)
    put(tmp_path, f"{home}/Documents/rapport.docx")
    put(tmp_path, f"{home}/.local/share/TelegramDesktop/tdata/key_datas")
    put(tmp_path, f"{home}/.config/google-chrome/Default/Extensions/nngceckbapebfimnlniiiahkandclblb/1.0/m.json")
    _cookies_db(
        tmp_path / "home/alice/.config/google-chrome/Default/Cookies",
        ["login.microsoftonline.com", ".ameli.fr", "example.org"],
    )
    return home


def test_exposure_counts_without_reading_secrets(tmp_path):
    exposed_home(tmp_path)
    host = TreeHost(tmp_path, "linux")
    e = collect_exposure(host)
    kinds = {i.kind: i for i in e.items}
    assert kinds["filezilla_plain"].count == 1
    assert kinds["ssh_unencrypted"].count == 1 and kinds["ssh_unencrypted"].where.endswith("id_ed25519")
    assert kinds["password_file"].where.endswith("mots de passe.xlsx")
    assert kinds["session_cookies"].count == 2
    assert "telegram_session" in kinds and "password_manager" in kinds
    assert SECRET not in repr(e) and base64.b64encode(SECRET.encode()).decode() not in repr(e)
    v = exposure(CTX, e)
    assert (v.status, v.key) == (Status.FAIL, "plaintext")
    assert SECRET not in repr(v)


def test_exposure_low_on_a_tidy_home(tmp_path):
    put(tmp_path, "/home/alice/Documents/planning.odt")
    put(tmp_path, "/home/alice/.ssh/id_ed25519", openssh_key(b"aes256-ctr"))
    e = collect_exposure(TreeHost(tmp_path, "linux"))
    bp = BrowserPasswords(profiles=(BrowserProfile(browser="firefox", profile="default", saved_logins=0),))
    v = exposure(CTX, e, browser_passwords=bp)
    assert (v.status, v.key) == (Status.PASS, "low")


def test_exposure_many_saved_passwords_without_manager(tmp_path):
    e = collect_exposure(TreeHost(tmp_path, "linux"))
    bp = BrowserPasswords(profiles=(BrowserProfile(browser="chrome", profile="Default", saved_logins=12),))
    v = exposure(CTX, e, browser_passwords=bp)
    assert (v.status, v.key, v.params) == (Status.WARN, "many_saved", {"logins": 12})


def test_exposure_without_browser_fact_says_so(tmp_path):
    v = exposure(CTX, collect_exposure(TreeHost(tmp_path, "linux")))
    assert v.status is Status.PASS
    assert "exposure_not_looked_at.browser_passwords" in [e.label for e in v.evidence]


def test_exposure_windows_recording():
    home = "C:/Users/alice"
    appdata = f"{home}/AppData/Roaming"
    key = r"HKCU\Software\Martin Prikryl\WinSCP 2\Sessions"
    host = recorded(
        "windows",
        env={"USERPROFILE": home, "APPDATA": appdata, "LOCALAPPDATA": f"{home}/AppData/Local"},
        registry={
            key: {"subkeys": ["ftp@site"]},
            f"{key}\\ftp@site": {"values": {"HostName": "x", "Password": "A35C"}},
        },
        files={f"{appdata}/discord/Local Storage/leveldb/000005.ldb": {"text": ""}},
        sqlite=[
            {
                "path": f"{home}/AppData/Local/Google/Chrome/User Data/Default/Network/Cookies",
                "sql": cookie_sql("cookies", "host_key"),
                "error": "denied",
            }
        ],
    )
    host._files[f"{home}/AppData/Local/Google/Chrome/User Data/Default"] = {"dir": []}
    e = collect_exposure(host)
    kinds = {i.kind: i for i in e.items}
    assert kinds["winscp_saved"].count == 1 and "discord_session" in kinds
    assert ("chromium", "access_denied") in e.not_looked_at
    assert "A35C" not in repr(e)


# -- end to end -------------------------------------------------------------------
def test_runner_on_a_recorded_linux_machine():
    host = recorded(
        "linux",
        files={
            "/home/alice/.bash_history": {"text": "echo aGk= | base64 -d | sh\n"},
            "/home/alice/.config/systemd/user": {"dir": []},
        },
        commands=[{"argv": ["crontab", "-l"], "returncode": 1, "stderr": "no crontab for alice"}],
        processes=[],
    )
    assessment = run_assessment(host, check_ids=["malware.infostealer", "malware.exposure"])
    by_id = {r.check_id: r for r in assessment.results}
    assert by_id["malware.infostealer"].status is Status.FAIL
    assert by_id["malware.exposure"].status is Status.PASS


def test_probes_registered_on_every_system():
    from clinicguard.probes import provider

    for platform in ("linux", "windows", "macos"):
        assert provider("infostealer_signs", platform) is not None
        assert provider("credential_exposure", platform) is not None


def test_a_failing_source_is_listed_not_hidden(monkeypatch):
    from clinicguard.infostealer import signs as signs_mod

    def broken(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("psutil exploded")

    monkeypatch.setattr(signs_mod.Triage, "_processes", broken)
    host = recorded("linux", commands=[{"argv": ["crontab", "-l"], "returncode": 1, "stderr": "no crontab"}])
    s = signs_mod.collect_signs(host, hash_list=None, skip_mounts=frozenset())
    assert ("processes", "read_error") in s.not_looked_at and "processes" in s.core_missing
    assert infostealer(CTX, s).status is Status.UNKNOWN


def test_chromium_profiles_and_opera_counted_once(tmp_path):
    local, roaming = "C:/Users/alice/AppData/Local", "C:/Users/alice/AppData/Roaming"
    for profile in (
        f"{local}/Google/Chrome/User Data/Default",
        f"{local}/Google/Chrome/User Data/Profile 1",
        f"{roaming}/Opera Software/Opera Stable",
    ):
        _cookies_db(tmp_path / profile.replace(":", "") / "Network" / "Cookies", ["outlook.live.com"])
        put(tmp_path, f"{profile}/Preferences", "{}")
    put(tmp_path, f"{local}/Google/Chrome/User Data/System Profile/x", "")
    e = collect_exposure(TreeHost(tmp_path, "windows"))
    cookies = next(i for i in e.items if i.kind == "session_cookies")
    assert cookies.count == 3
    assert exposure(CTX, e).status is Status.WARN


def test_a_line_feed_in_a_file_name_does_not_hide_a_password_file(tmp_path):
    (tmp_path / "home/alice/Desktop").mkdir(parents=True)
    (tmp_path / "home/alice/Desktop/mots de passe clinique\n.xlsx").write_bytes(b"x")
    kinds = {i.kind: i for i in collect_exposure(TreeHost(tmp_path, "linux")).items}
    assert kinds["password_file"].count == 1
