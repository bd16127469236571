"""Linux "backups" probe: parsers and RecordedHost machines, with faults."""

from __future__ import annotations

import pytest

from clinicguard.i18n import note_text
from clinicguard.probes.linux import backups as bk
from clinicguard.probes.linux.backups import archivers, collector, desktop, schedulers
from tests.support.linux_hosts import ago, cmd, err, fixture, host, root_user, utc

GSETTINGS = ["gsettings", "list-recursively", "org.gnome.DejaDup"]
HOME = "/home/alice"
SHOW = ["systemctl", *schedulers.SHOW_RESULT]


def tools(status) -> dict:
    return {t.name: t for t in status.tools}


def machine(files=None, commands=None, **kw):
    return host({"files": files or {}, "commands": commands or []}, **kw)


# -- parsers -----------------------------------------------------------------------------


def test_find_tools_ignores_comments_and_substrings():
    text = "# 0 3 * * * restic backup\n30 2 * * * /usr/bin/borgmatic --verbosity -1\nrun_borg_later=1\n"
    assert collector.find_tools(text) == {"borgmatic"}
    assert collector.find_tools("0 1 * * * rsync -a /home /media/usb\n") == {"rsync"}
    assert collector.find_tools("ExecStart=/usr/bin/restic backup /srv") == {"restic"}
    assert collector.find_tools("") == set()


def test_dejadup_settings():
    tool = desktop.dejadup_tool(desktop.parse_gsettings_list(fixture("backups/dejadup_gsettings.txt")))
    assert tool.configured
    assert tool.last_success == utc(2026, 11, 24, 18, 2, 11, 412775)
    assert tool.target == "Sauvegardes/pc-accueil"


def test_dejadup_never_used():
    tool = desktop.dejadup_tool(desktop.parse_gsettings_list(fixture("backups/dejadup_gsettings_unused.txt")))
    assert not tool.configured
    assert tool.last_success is None


def test_dejadup_flatpak_keyfile():
    settings = desktop.parse_dejadup_keyfile(fixture("backups/dejadup_keyfile"))
    assert settings["org.gnome.DejaDup.Remote uri"] == "'sftp://nas.local/sauvegardes'"
    tool = desktop.dejadup_tool(settings)
    assert (tool.configured, tool.target) == (True, "remote sftp")
    assert tool.last_success == utc(2026, 10, 30, 20, 15)


def test_timeshift_config():
    assert desktop.parse_timeshift(fixture("backups/timeshift.json")) == (True, "rsync")
    assert desktop.parse_timeshift(fixture("backups/timeshift_unscheduled.json")) == (False, "rsync")
    with pytest.raises(ValueError):
        desktop.parse_timeshift("{broken")
    with pytest.raises(ValueError):
        desktop.parse_timeshift("[1, 2]")


def test_snapshot_and_manifest_names():
    assert desktop.newest_timeshift_snapshot(["2026-11-20_10-00-01", "2026-11-27_10-00-01", "junk"]) == utc(
        2026, 11, 27, 10, 0, 1
    )
    names = [
        "duplicity-full.20261001T200000Z.manifest.gpg",
        "duplicity-inc.20261001T200000Z.to.20261121T200012Z.manifest.gpg",
        "duplicity-full-signatures.20261001T200000Z.sigtar.gpg",
    ]
    assert archivers.newest_duplicity_manifest(names) == utc(2026, 11, 21, 20, 0, 12)
    assert archivers.newest_duplicity_manifest(["random.txt"]) is None


def test_systemctl_show_blocks_and_times():
    blocks = schedulers.parse_systemctl_show(fixture("backups/systemctl_show.txt"))
    assert [b["Id"] for b in blocks] == ["borgmatic.service", "restic-backup.service"]
    assert schedulers.systemd_time("@1795740012") == utc(2026, 11, 27, 0, 40, 12)
    assert schedulers.systemd_time("Sat 2026-11-28 03:00:12 CET") == utc(2026, 11, 28, 3, 0, 12)
    assert schedulers.systemd_time("n/a") is None
    assert schedulers.systemd_time("@garbage") is None


# -- probe --------------------------------------------------------------------------------


def test_nothing_found():
    status = bk.linux_backups(machine())
    assert status.tools == ()
    assert "Déjà Dup" in status.searched and "cron" in status.searched


def test_dejadup_configured():
    status = bk.linux_backups(machine(commands=[cmd(GSETTINGS, fixture("backups/dejadup_gsettings.txt"))]))
    dd = tools(status)["Déjà Dup"]
    assert dd.configured and dd.last_success == utc(2026, 11, 24, 18, 2, 11, 412775)


def test_dejadup_installed_never_used_is_not_a_backup():
    status = bk.linux_backups(machine(commands=[cmd(GSETTINGS, fixture("backups/dejadup_gsettings_unused.txt"))]))
    assert status.tools == ()
    assert any("never used" in note_text(n, "en") for n in status.notes)


@pytest.mark.parametrize(
    "entry",
    [
        err(GSETTINGS, "missing"),
        err(GSETTINGS, "timeout"),
        cmd(GSETTINGS, "", 1, "No such schema “org.gnome.DejaDup”\n"),
        cmd(GSETTINGS, "\xff\xfe garbage", 0),
    ],
)
def test_dejadup_faults(entry):
    assert bk.linux_backups(machine(commands=[entry])).tools == ()


def test_gsettings_memory_backend_is_not_trusted():
    entry = cmd(
        GSETTINGS,
        fixture("backups/dejadup_gsettings_unused.txt"),
        0,
        "GLib-GIO-Message: 09:00:00.000: Using the 'memory' GSettings backend.  Your settings will not be saved\n",
    )
    status = bk.linux_backups(machine(commands=[entry]))
    assert status.tools == ()
    assert any("memory" in note_text(n, "en") for n in status.notes)


def test_gsettings_run_as_root_reads_the_users_settings():
    user = {"name": "alice", "uid": 1000, "groups": ["alice"], "home": HOME, "is_admin": True}
    entry = cmd(GSETTINGS, fixture("backups/dejadup_gsettings.txt"))
    status = bk.linux_backups(machine(commands=[entry], user=user))
    assert "Déjà Dup" in tools(status)


def test_flatpak_dejadup():
    files = {
        f"{HOME}/.var/app/org.gnome.DejaDup/config/glib-2.0/settings/keyfile": {
            "text": fixture("backups/dejadup_keyfile")
        }
    }
    assert tools(bk.linux_backups(machine(files)))["Déjà Dup"].last_success == utc(2026, 10, 30, 20, 15)


def test_timeshift_scheduled_with_snapshots():
    files = {
        "/etc/timeshift/timeshift.json": {"text": fixture("backups/timeshift.json")},
        "/timeshift/snapshots": {"dir": ["2026-11-25_10-00-01", "2026-11-26_10-00-01"]},
    }
    ts = tools(bk.linux_backups(machine(files)))["Timeshift"]
    assert (ts.configured, ts.last_success) == (True, utc(2026, 11, 26, 10, 0, 1))


@pytest.mark.parametrize("text", [fixture("backups/timeshift_unscheduled.json"), "{oops"])
def test_timeshift_not_scheduled_or_broken(text):
    status = bk.linux_backups(machine({"/etc/timeshift/timeshift.json": {"text": text}}))
    assert "Timeshift" not in tools(status)


def test_borgmatic_timer_with_last_successful_run():
    files = {
        "/etc/systemd/system/timers.target.wants": {"dir": ["apt-daily.timer", "borgmatic.timer"]},
        "/lib/systemd/system/borgmatic.timer": {"text": fixture("backups/borgmatic.timer")},
        "/etc/borgmatic/config.yaml": {"text": "repositories:\n  - path: ssh://nas/./borg\n"},
    }
    show = cmd(SHOW + ["borgmatic.service"], fixture("backups/systemctl_show.txt"))
    b = tools(bk.linux_backups(machine(files, [show])))["borgmatic"]
    assert b.configured and b.last_success == utc(2026, 11, 27, 0, 40, 12)


def test_custom_timer_running_restic_that_failed():
    files = {
        "/etc/systemd/system/timers.target.wants": {"dir": ["nightly.timer"]},
        "/etc/systemd/system/nightly.service": {"text": fixture("backups/nightly.service")},
    }
    show = cmd(
        SHOW + ["nightly.service"],
        "Id=nightly.service\nResult=exit-code\nExecMainExitTimestamp=@1795683600\nExecMainStatus=1\n",
    )
    status = bk.linux_backups(machine(files, [show]))
    r = tools(status)["restic"]
    assert r.configured and r.last_success is None
    assert any("exit-code" in n for n in status.notes)


@pytest.mark.parametrize(
    "entry",
    [
        err(SHOW + ["borgmatic.service"], "timeout"),
        cmd(
            SHOW + ["borgmatic.service"],
            "",
            1,
            "System has not been booted with systemd as init system (PID 1). Can't operate.\n",
        ),
        cmd(SHOW + ["borgmatic.service"], "\x00\x01 nonsense"),
    ],
)
def test_systemctl_faults_leave_date_unknown(entry):
    files = {"/etc/systemd/system/timers.target.wants": {"dir": ["borgmatic.timer"]}}
    b = tools(bk.linux_backups(machine(files, [entry])))["borgmatic"]
    assert b.configured and b.last_success is None


def test_user_crontab_and_borg_security_state():
    files = {
        f"{HOME}/.config/borg/security": {"dir": ["5f3c0a"]},
        f"{HOME}/.config/borg/security/5f3c0a/manifest-timestamp": {"text": "2026-11-26T12:30:04.118212"},
    }
    status = bk.linux_backups(machine(files, [cmd(["crontab", "-l"], fixture("backups/crontab_user.txt"))]))
    borg = tools(status)["BorgBackup"]
    assert borg.last_success == utc(2026, 11, 26, 12, 30, 4, 118212)
    assert "rsync" not in tools(status)  # commented out


def test_borg_security_unreadable_timestamp_uses_mtime():
    files = {
        f"{HOME}/.config/borg/security": {"dir": ["5f3c0a"]},
        f"{HOME}/.config/borg/security/5f3c0a/manifest-timestamp": {"text": "garbage", "mtime": ago(3)},
    }
    assert tools(bk.linux_backups(machine(files)))["BorgBackup"].last_success == utc(2026, 11, 25, 9, 0)


def test_system_cron_scripts():
    files = {
        "/etc/cron.daily": {"dir": ["apt-compat", "dpkg", "sauvegarde"]},
        "/etc/cron.daily/apt-compat": {"text": "#!/bin/sh\nexec /usr/lib/apt/apt.systemd.daily\n"},
        "/etc/cron.daily/dpkg": {"text": "#!/bin/sh\ndpkg --audit\n"},
        "/etc/cron.daily/sauvegarde": {"text": "#!/bin/sh\nduplicity /home file:///media/usb\n"},
        "/etc/cron.d": {"dir": ["rsnapshot"]},
        "/etc/cron.d/rsnapshot": {"text": "# 0 */4 * * * root /usr/bin/rsnapshot alpha\n"},
        "/etc/crontab": {"error": "denied"},
    }
    status = bk.linux_backups(machine(files))
    assert set(tools(status)) == {"duplicity"}


def test_rsnapshot_snapshot_folder():
    files = {
        "/etc/cron.d": {"dir": ["rsnapshot"]},
        "/etc/cron.d/rsnapshot": {"text": "0 3 * * * root /usr/bin/rsnapshot daily\n"},
        "/etc/rsnapshot.conf": {"text": "config_version\t1.2\nsnapshot_root\t/var/cache/rsnapshot/\n"},
        "/var/cache/rsnapshot": {"dir": ["daily.0", "daily.1"]},
        "/var/cache/rsnapshot/daily.0": {"dir": [], "mtime": ago(1)},
    }
    r = tools(bk.linux_backups(machine(files)))["rsnapshot"]
    assert (r.target, r.last_success) == ("/var/cache/rsnapshot/", utc(2026, 11, 27, 9, 0))


def test_restic_and_duplicity_caches():
    files = {
        f"{HOME}/.cache/restic": {"dir": ["a1b2"]},
        f"{HOME}/.cache/restic/a1b2/snapshots": {"dir": ["e3f4", "c5d6"]},
        f"{HOME}/.cache/restic/a1b2/snapshots/e3f4": {"text": "", "mtime": ago(12)},
        f"{HOME}/.cache/restic/a1b2/snapshots/c5d6": {"text": "", "mtime": ago(2)},
        f"{HOME}/.cache/duplicity": {"dir": ["abcd"]},
        f"{HOME}/.cache/duplicity/abcd": {"dir": ["duplicity-full.20260901T200000Z.manifest"]},
    }
    found = tools(bk.linux_backups(machine(files)))
    assert found["restic"].last_success == utc(2026, 11, 26, 9, 0)
    assert found["duplicity"].last_success == utc(2026, 9, 1, 20, 0)


def test_back_in_time_profile():
    files = {
        f"{HOME}/.config/backintime/config": {
            "text": "profile1.schedule.mode=20\nprofile1.snapshots.path=/media/alice/usb\n"
        },
        "/media/alice/usb/backintime/pc/alice/1": {
            "dir": ["20261120-220001-123", "20261125-220002-456", "last_snapshot"]
        },
    }
    bit = tools(bk.linux_backups(machine(files)))["Back In Time"]
    assert bit.last_success == utc(2026, 11, 25, 22, 0, 2)


def test_agents_and_sync_clients():
    files = {
        "/usr/bin/veeamconfig": {"text": ""},
        f"{HOME}/.config/Nextcloud/nextcloud.cfg": {"text": "[General]\n"},
        f"{HOME}/.dropbox/info.json": {"text": "{}"},
    }
    found = tools(bk.linux_backups(machine(files)))
    assert found["Veeam Agent"].configured and not found["Veeam Agent"].sync_only
    assert found["Nextcloud"].sync_only and found["Dropbox"].sync_only


def test_root_also_looks_in_roots_home():
    files = {
        "/root/.config/borg/security": {"dir": ["r1"]},
        "/root/.config/borg/security/r1/manifest-timestamp": {"text": "2026-11-27T01:00:00"},
    }
    user = dict(root_user(), name="alice", home=HOME)
    status = bk.linux_backups(machine(files, user=user))
    assert tools(status)["BorgBackup"].last_success == utc(2026, 11, 27, 1, 0)
    status = bk.linux_backups(machine(files))
    assert "BorgBackup" not in tools(status)
    assert any("root" in n for n in status.notes)


def test_unreadable_folders_are_skipped():
    files = {
        f"{HOME}/.config/borg/security": {"error": "denied"},
        "/etc/cron.d": {"error": "denied"},
        "/etc/timeshift/timeshift.json": {"error": "denied"},
    }
    status = bk.linux_backups(machine(files))
    assert status.tools == ()
    assert any("timeshift" in n for n in status.notes)
