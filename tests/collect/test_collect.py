"""`clinicguard collect`: anonymised recordings that replay to the same verdicts."""

from __future__ import annotations

import json

import pytest

from clinicguard.cli import main
from clinicguard.cli.collect import collect
from clinicguard.collect.masking import HOSTNAME_MASK, anonymize, personal_names
from clinicguard.core.model import Reason
from clinicguard.engine.runner import run_assessment
from clinicguard.host.capture import RecordingHost
from clinicguard.host.local import LocalHost
from clinicguard.host.replay import RecordedHost
from clinicguard.probes.windows.ps import PS_ARGV, PS_ARGV_UPDATES
from tests.fixtures import windows_hosts as wh
from tests.support.windows_support import host


def statuses(h) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.check_id: r.status.value for r in run_assessment(h, check_timeout=20).results}


@pytest.mark.parametrize("case", wh.CASES, ids=lambda c: c()["_name"])
def test_windows_round_trip_same_statuses_nothing_personal(case):
    original = host(case)
    data = collect(host(case))
    text = json.dumps(data, ensure_ascii=False)
    user = original.data["user"]["name"]
    for secret in (user, "POSTE\\\\", '"POSTE"', wh.MACHINE.split("-", 4)[-1], "Accueil2024!", "Tilleuls"):
        assert secret.lower() not in text.lower(), secret
    assert data["hostname"] == HOSTNAME_MASK
    assert statuses(RecordedHost(data)) == statuses(original)


def test_stored_password_keeps_presence_only():
    data = collect(host(wh.windows10_en_admin))
    winlogon = next(v for k, v in data["registry"].items() if k.lower().endswith("\\winlogon"))
    assert winlogon["values"]["DefaultPassword"] == "********"
    replay = RecordedHost(data)
    from clinicguard.probes import provider

    assert provider("autologin", "windows")(replay).password_stored is True


def test_powershell_scripts_recorded_as_prefixes():
    data = collect(host())
    entries = [c for c in data["commands"] if c["argv"][0] == "powershell.exe"]
    assert sorted(tuple(c["argv"]) for c in entries) == sorted([PS_ARGV, PS_ARGV_UPDATES])
    assert all(c["match"] == "prefix" for c in entries)


def test_sid_machine_part_masked_consistently_rid_kept():
    data = anonymize(
        {
            "format": "clinicguard-host",
            "hostname": "PC-SOINS-2",
            "user": {"name": "soignant"},
            "registry": {
                "HKU\\S-1-5-21-11-22-33-1001\\Software": {
                    "values": {
                        "a": "S-1-5-21-11-22-33-500",
                        "b": "S-1-5-21-44-55-66-500",
                        "c": "pc-soins-2\\soignant",
                        "d": "marie.dupont@ehpad-tilleuls.fr",
                    }
                }
            },
        }
    )
    (key,) = data["registry"]
    values = data["registry"][key]["values"]
    assert key.startswith("HKU\\S-1-5-21-1000000000-2000000000-") and key.endswith("-1001\\Software")
    assert values["a"].endswith("-500") and values["a"] != values["b"]
    assert values["a"].rsplit("-", 1)[0] == key.split("\\")[1].rsplit("-", 1)[0]
    assert values["c"] == "POSTE-ANONYME\\user1"
    assert values["d"] == "person1@example.invalid"


def test_builtin_names_and_short_words_kept():
    data = {
        "user": {"name": "Administrateur", "home": "/root"},
        "env": {"USER": "jo"},
        "files": {
            "/etc/passwd": {
                "text": "root:x:0:0::/root:/bin/bash\n"
                "camille:x:1000:1000::/home/camille:/bin/sh\n"
                "sshd:x:105:65534::/run/sshd:/usr/sbin/nologin\n"
            }
        },
    }
    assert personal_names(data) == ["camille"]


# Checks whose probes read files and settings only (no package manager run), so the live pass stays quick.
QUICK_CHECKS = (
    "access.password_policy",
    "access.autologin",
    "access.admin_user",
    "access.local_accounts",
    "access.browser_passwords",
    "network.remote_tools",
    "data.secure_boot",
    "data.autorun",
    "data.disk_encryption",
)


def test_local_machine_round_trip():
    """This machine, recorded during one live assessment, anonymised and replayed: same lights."""
    recorder = RecordingHost(LocalHost())
    live = run_assessment(recorder, check_timeout=60, check_ids=QUICK_CHECKS)
    assert live.results
    data = anonymize(recorder.to_dict())
    name = LocalHost().user().name
    if len(name) >= 3 and name not in ("root", "nobody"):
        assert name not in json.dumps(data)
    replay = run_assessment(RecordedHost(data), check_timeout=60, check_ids=QUICK_CHECKS)
    replayed = {r.check_id: r.status for r in replay.results}
    for r in live.results:
        if r.reason not in (Reason.TIMED_OUT, Reason.CANCELLED):  # a slow live probe is not a replay difference
            assert replayed[r.check_id] is r.status, (r.check_id, r.status, replayed[r.check_id])


def test_collect_command_writes_a_replayable_file(tmp_path, capsys):
    out = tmp_path / "poste.json"
    assert (
        main(["collect", "--replay", str(wh.HOSTS / "windows11-fr-user.json"), "--output", str(out), "--lang", "fr"])
        == 0
    )
    said = capsys.readouterr().out
    assert "Enregistrement écrit" in said and "masqués" in said
    assert "infirmiere" not in out.read_text(encoding="utf-8")
    assert main(["check", "--replay", str(out), "--format", "json"]) in (0, 1)


def test_secret_files_keep_only_what_is_counted():
    shadow = (
        "root:$y$j9T$abc$def:19000:0:99999:7:::\nsoins::19000:0:99999:7:::\nsvc:!$6$x$y:19000::::::\nbin:*:1::::::\n"
    )
    logins = json.dumps(
        {
            "nextId": 3,
            "logins": [{"hostname": "https://dpi.ehpad.fr", "encryptedUsername": "MDo", "encryptedPassword": "MEIE"}]
            * 2,
            "version": 3,
        }
    )
    state = json.dumps(
        {"profile": {"info_cache": {"Default": {"gaia_name": "Marie Dupont", "user_name": "marie@ehpad.fr"}}}}
    )
    data = anonymize(
        {
            "format": "clinicguard-host",
            "hostname": "pc",
            "user": {"name": "soins"},
            "files": {
                "/etc/shadow": {"text": shadow},
                "/home/soins/.mozilla/firefox/ab.default/logins.json": {"text": logins},
                "C:\\Users\\soins\\AppData\\Local\\Google\\Chrome\\User Data\\Local State": {"text": state},
            },
            "processes": [
                {
                    "pid": 1,
                    "name": "firefox",
                    "exe": "/usr/lib/firefox/firefox",
                    "cmdline": ["firefox", "/home/soins/Documents/dossier-patient-dupont.pdf"],
                }
            ],
        }
    )
    text = json.dumps(data)
    for secret in ("$y$j9T$abc$def", "dpi.ehpad.fr", "MEIE", "Marie Dupont", "marie@ehpad.fr", "dupont", "soins"):
        assert secret not in text, secret
    files = data["files"]
    shadow_out = files["/etc/shadow"]["text"].splitlines()
    assert [line.split(":")[1] for line in shadow_out] == ["$masked$", "", "!", "*"]
    (logins_key,) = [k for k in files if k.endswith("logins.json")]
    assert len(json.loads(files[logins_key]["text"])["logins"]) == 2
    (state_key,) = [k for k in files if k.endswith("Local State")]
    assert json.loads(files[state_key]["text"]) == {"profile": {"info_cache": {"Default": {}}}}
    assert data["processes"] == [{"pid": 1, "name": "firefox"}]
