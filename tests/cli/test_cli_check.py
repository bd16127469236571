"""The headless `clinicguard check`: formats, schema, exit codes and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from clinicguard.cli import main
from clinicguard.files.datafiles import load_json, package_file
from clinicguard.host.recording import FORMAT

SCHEMA = load_json(package_file("schema", "assessment.schema.json"))


def write_recording(path: Path, **parts) -> Path:
    data = {
        "format": FORMAT,
        "version": 1,
        "platform": "linux",
        "hostname": "poste-accueil",
        "now": "2026-11-28T09:00:00+00:00",
        "user": {"name": "alice", "uid": 1000, "groups": ["alice"], "home": "/home/alice", "is_admin": False},
    }
    data.update(parts)
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def weak_host(tmp_path):
    return write_recording(
        tmp_path / "host.json",
        files={
            "/etc/pam.d/common-password": {"text": "password [success=1 default=ignore] pam_unix.so obscure\n"},
            "/etc/pam.d/common-auth": {"text": "auth [success=1 default=ignore] pam_unix.so nullok\n"},
            "/etc/os-release": {"text": 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12"\n'},
        },
    )


def test_json_output_follows_schema(weak_host, capsys):
    code = main(["check", "--replay", str(weak_host), "--format", "json", "--lang", "fr"])
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, SCHEMA)
    assert code == 1  # the 6-character minimum is red
    pw = next(r for r in doc["results"] if r["id"] == "access.password_policy")
    assert (pw["status"], pw["colour"], pw["label"]) == ("FAIL", "red", "Critique")
    assert doc["host"]["hostname"] == "poste-accueil"
    assert all(r["reason"] for r in doc["results"] if r["status"] == "UNKNOWN")


def test_text_output_in_both_languages(weak_host, capsys):
    main(["check", "--replay", str(weak_host), "--lang", "fr"])
    fr = capsys.readouterr().out
    main(["check", "--replay", str(weak_host), "--lang", "en"])
    en = capsys.readouterr().out
    assert "Critique" in fr and "Règles de mot de passe du poste" in fr
    assert "Critical" in en and "Password rules of the computer" in en
    assert "\x1b[" not in fr  # no colour codes when not a terminal


def test_exit_zero_when_nothing_is_red(tmp_path, capsys):
    host = write_recording(
        tmp_path / "ok.json",
        files={
            "/etc/pam.d/common-password": {"text": "password requisite pam_pwquality.so minlen=14\n"},
            "/etc/pam.d/common-auth": {"text": "auth required pam_faillock.so preauth deny=5\n"},
        },
    )
    assert main(["check", "--replay", str(host), "--only", "access"]) == 0
    out = capsys.readouterr().out
    assert "✖ Critical " not in out.split("Legend")[0]


def test_output_file_written_whole(weak_host, tmp_path, capsys):
    target = tmp_path / "out.json"
    main(["check", "--replay", str(weak_host), "--format", "json", "--output", str(target)])
    assert capsys.readouterr().out == ""
    jsonschema.validate(json.loads(target.read_text()), SCHEMA)
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unwritable_output_is_one_line_exit_2(weak_host, tmp_path, capsys):
    code = main(["check", "--replay", str(weak_host), "--output", str(tmp_path / "no" / "such" / "dir" / "x")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "clinicguard:" in err


def test_malformed_config_is_named_and_nothing_written(weak_host, tmp_path, monkeypatch, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[machine]\nshared = 'perhaps'\n")
    target = tmp_path / "out.txt"
    code = main(["check", "--config", str(cfg), "--replay", str(weak_host), "--output", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and str(cfg) in err and "machine.shared" in err and err.count("\n") == 1
    assert not target.exists()
    cfg.write_text("[machine\n")
    assert main(["check", "--config", str(cfg), "--replay", str(weak_host)]) == 2
    assert "invalid TOML" in capsys.readouterr().err


def test_usage_errors_exit_2(weak_host, capsys):
    assert main(["check", "--only", "nonsense", "--replay", str(weak_host)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "yaml"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_corrupt_recording_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe not json")
    assert main(["check", "--replay", str(bad)]) == 2
    assert "cannot replay" in capsys.readouterr().err


def test_checks_lists_catalogue(capsys):
    assert main(["checks", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "access.password_policy" in out and "Règles de mot de passe du poste" in out


def test_headless_check_runs_on_this_machine_without_textual():
    """`clinicguard check` works for real here and never imports the dashboard toolkit."""
    code = (
        "import sys, json, io, contextlib\n"
        "from clinicguard.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    rc = main(['check', '--format', 'json'])\n"
        "doc = json.loads(buf.getvalue())\n"
        "assert rc in (0, 1), rc\n"
        "assert 'textual' not in sys.modules\n"
        "print(len(doc['results']))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert int(res.stdout.strip()) >= 8


def test_corrupt_shipped_data_file_is_named_exit_2(tmp_path):
    """A broken catalogue file stops with one line naming it, and writes nothing."""
    import shutil

    import clinicguard

    pkg = tmp_path / "clinicguard"
    shutil.copytree(Path(clinicguard.__file__).parent, pkg)
    (pkg / "catalogue" / "checks" / "access.autologin.toml").write_text("id = 'access.autologin'\n[fr\n")
    out = tmp_path / "out.json"
    res = subprocess.run(
        [sys.executable, "-m", "clinicguard", "check", "--format", "json", "--output", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2
    assert "access.autologin.toml" in res.stderr and "TOML invalide" in res.stderr
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert not out.exists()


def test_only_one_theme_keeps_answers_of_other_themes_out(weak_host, capsys):
    from datetime import date

    from clinicguard.records.questionnaire import Answer, AnswerStore

    today = date(2026, 11, 28)

    def run(mfa: str) -> tuple[int, dict]:
        AnswerStore(
            {
                "ask.mfa_mail_admin": Answer("ask.mfa_mail_admin", mfa, today),
                "ask.offline_backup": Answer("ask.offline_backup", "yes", today),
                "ask.restore_test": Answer("ask.restore_test", "yes", today),
            }
        ).save()
        code = main(["check", "--replay", str(weak_host), "--only", "backups", "--format", "json", "--lang", "en"])
        return code, json.loads(capsys.readouterr().out)

    code, doc = run("no")
    ids = {r["id"] for r in doc["results"]}
    assert ids == {"ask.offline_backup", "ask.restore_test", "backups.backup"}
    assert {r["theme"] for r in doc["results"]} == {"backups"}
    # The red 2FA answer belongs to another theme: neither the score nor the exit code move with it.
    code_yes, doc_yes = run("yes")
    assert (code, doc["score"]) == (code_yes, doc_yes["score"])


def test_global_options_work_before_or_after_the_command(weak_host, tmp_path, capsys):
    main(["--lang", "en", "check", "--replay", str(weak_host)])
    assert "Critical" in capsys.readouterr().out
    main(["--lang", "en", "check", "--replay", str(weak_host), "--lang", "fr"])  # the later one wins
    assert "Critique" in capsys.readouterr().out
    shared = tmp_path / "shared.toml"
    shared.write_text('[interface]\nlanguage = "en"\n')
    main(["--config", str(shared), "check", "--replay", str(weak_host)])
    assert "Critical" in capsys.readouterr().out
    missing = tmp_path / "missing.toml"
    assert main(["--config", str(missing), "check", "--replay", str(weak_host)]) == 2
    assert "missing.toml" in capsys.readouterr().err
    for command in (["history"], ["accept", "--list"], ["checks"]):
        assert main(["--config", str(missing), *command]) == 2, command


@pytest.mark.parametrize(
    "setting",
    [
        "check_timeout_s = 0",
        "check_timeout_s = -1",
        "check_timeout_s = nan",
        "check_timeout_s = inf",
        "check_timeout_s = 0.001",
        "interval_days = 99999999999",
        "interval_days = 0",
        "interval_days = -5",
        "interval_days = 99999999999999999",
    ],
)
def test_settings_out_of_range_are_named_with_file_and_key(setting, weak_host, tmp_path, capsys):
    cfg = tmp_path / "réglages.toml"
    cfg.write_text(f"[assessment]\n{setting}\n", encoding="utf-8")
    for argv in (["check", "--replay", str(weak_host), "--save"], ["history"]):
        assert main(["--config", str(cfg), *argv]) == 2
        err = capsys.readouterr().err
        assert str(cfg) in err and "assessment." + setting.split()[0] in err and "internal error" not in err


def test_settings_at_the_edges_of_their_range_are_accepted(weak_host, tmp_path, capsys):
    cfg = tmp_path / "config.toml"
    for setting in (
        "check_timeout_s = 1\ninterval_days = 3650",
        "check_timeout_s = 3600\ninterval_days = 1",
        "check_timeout_s = 2.5",
    ):
        cfg.write_text(f"[assessment]\n{setting}\n")
        assert main(["--config", str(cfg), "check", "--replay", str(weak_host), "--save"]) == 1
        assert "internal error" not in capsys.readouterr().err


def test_settings_saved_by_notepad_with_a_bom_are_read(weak_host, tmp_path, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_bytes('\ufeff[interface]\r\nlanguage = "en"\r\n'.encode())
    assert main(["--config", str(cfg), "check", "--replay", str(weak_host)]) == 1
    assert "Critical" in capsys.readouterr().out


@pytest.mark.parametrize("platform", ["freebsd", "", "Windows", 3])
def test_replaying_an_unknown_platform_is_refused(platform, tmp_path, capsys):
    rec = write_recording(tmp_path / "host.json", platform=platform)
    for argv in (["check", "--replay", str(rec)], ["report", "--replay", str(rec), "--output", "-"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "unknown platform" in err and "host.json" in err
