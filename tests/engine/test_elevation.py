"""--elevate and the dashboard key: every elevation path through fakes (nothing is ever escalated)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from clinicguard.core.model import Status
from clinicguard.engine import elevation
from clinicguard.engine.elevation import BASELINE_FLAG, Plan, child_arguments, launch, mark_changes, plan
from clinicguard.engine.runner import run_assessment
from tests.support.profile_hosts import linux_profiles_host, windows_profiles_host

EXE = "/usr/bin/python3"


def which(*present: str):  # type: ignore[no-untyped-def]
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_child_arguments_drop_elevate_and_carry_the_baseline():
    assert child_arguments(["--lang", "en", "--elevate", "check", "-v"], "/tmp/b.json") == [
        BASELINE_FLAG,
        "/tmp/b.json",
        "--lang",
        "en",
        "check",
        "-v",
    ]


def test_windows_uses_the_uac_prompt():
    p = plan("windows", ["--elevate"], is_admin=False, baseline="C:/Temp/b.json", executable="C:/Python/python.exe")
    assert p == Plan(
        "runas", ("C:/Python/python.exe", "-m", "clinicguard", BASELINE_FLAG, "C:/Temp/b.json"), "elevation.runas"
    )
    calls: list[tuple[str, str]] = []
    assert launch(p, shell_execute=lambda prog, params: calls.append((prog, params)) or 42) == 0
    assert calls == [("C:/Python/python.exe", f"-m clinicguard {BASELINE_FLAG} C:/Temp/b.json")]


def test_windows_uac_refused_is_an_error_not_a_crash():
    p = plan("windows", ["check"], is_admin=False, executable="python.exe")
    # ShellExecuteW returns SE_ERR_ACCESSDENIED (5) when the person answers "No" to the prompt.
    assert launch(p, shell_execute=lambda prog, params: 5) == 2


def test_linux_terminal_uses_sudo_keeping_what_is_needed():
    env = {"PYTHONPATH": "/opt/cg", "LANG": "fr_FR.UTF-8", "SECRET_TOKEN": "x"}
    p = plan(
        "linux",
        ["--elevate", "check"],
        is_admin=False,
        baseline="/tmp/b.json",
        which=which("sudo", "pkexec"),
        environ=env,
        executable=EXE,
    )
    assert p.method == "sudo"
    assert p.argv == (
        "sudo",
        "--preserve-env=PYTHONPATH,LANG",
        "--",
        EXE,
        "-m",
        "clinicguard",
        BASELINE_FLAG,
        "/tmp/b.json",
        "check",
    )
    run: list[tuple[str, list[str]]] = []
    launch(p, execvp=lambda f, a: run.append((f, a)))
    assert run == [("sudo", list(p.argv))]


def test_linux_desktop_without_terminal_uses_pkexec():
    env = {"DISPLAY": ":0", "PYTHONPATH": "/opt/cg"}
    p = plan("linux", [], is_admin=False, which=which("sudo", "pkexec"), environ=env, executable=EXE, interactive=False)
    assert p.argv == ("pkexec", "env", "PYTHONPATH=/opt/cg", EXE, "-m", "clinicguard")


@pytest.mark.parametrize(
    ("present", "env", "interactive"), [((), {}, True), (("pkexec",), {}, True), (("sudo",), {"DISPLAY": ":0"}, False)]
)
def test_linux_no_way_to_elevate_is_said(present, env, interactive):
    p = plan("linux", [], is_admin=False, which=which(*present), environ=env, interactive=interactive)
    assert (p.method, p.message_key) == ("unavailable", "elevation.unavailable")
    assert launch(p, execvp=lambda f, a: pytest.fail("must not run")) == 2


def test_macos_explains_instead():
    p = plan("macos", ["--elevate"], is_admin=False, which=which("sudo"))
    assert (p.method, p.message_key, p.argv) == ("explain", "elevation.macos", ())
    assert launch(p, execvp=lambda f, a: pytest.fail("must not run")) == 2


def test_already_administrator_runs_as_is():
    assert plan("linux", ["--elevate"], is_admin=True, which=which("sudo")).method == "already"


# -- baseline and what elevation changed ---------------------------------------------------


def test_elevation_through_recorded_hosts_marks_what_changed():
    ids = ["malware.infostealer", "malware.exposure"]
    before = run_assessment(windows_profiles_host(admin=False), check_ids=ids)
    after = run_assessment(windows_profiles_host(admin=True), check_ids=ids)
    path = elevation.write_baseline(before)
    statuses = elevation.read_baseline(path)
    assert not os.path.exists(path)  # read once, then removed
    marked, changes = mark_changes(after, statuses)
    assert {(c.check_id, c.before, c.after) for c in changes} == {
        ("malware.infostealer", Status.UNKNOWN, Status.FAIL),
        ("malware.exposure", Status.UNKNOWN, Status.FAIL),
    }
    r = {x.check_id: x for x in marked.results}
    assert ("elevation.before", "UNKNOWN") in [(e.label, e.value) for e in r["malware.infostealer"].evidence]


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": "other"}',
        '{"format": "clinicguard-elevation-baseline"}',
        '{"format": "clinicguard-elevation-baseline", "results": [{"id": 1}]}',
    ],
)
def test_damaged_baseline_is_ignored(tmp_path, content):
    path = tmp_path / "b.json"
    path.write_text(content)
    assert elevation.read_baseline(str(path)) is None


def test_cli_elevate_runs_the_standard_assessment_then_restarts(monkeypatch, capsys):
    from clinicguard import cli
    from clinicguard.cli import elevated

    host = linux_profiles_host(admin=False)
    monkeypatch.setattr("clinicguard.host.local.LocalHost", lambda *a, **k: host)
    monkeypatch.setattr(
        elevated, "standard_assessment", lambda args, h: run_assessment(h, check_ids=["malware.infostealer"])
    )
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr(elevation.shutil, "which", which("sudo"))
    launched: list[Plan] = []
    monkeypatch.setattr(elevation, "launch", lambda p: launched.append(p) or 0)
    assert cli.main(["--lang", "fr", "--elevate", "check", "--format", "json"]) == 0
    (p,) = launched
    i = p.argv.index(BASELINE_FLAG)
    baseline = p.argv[i + 1]
    assert p.argv[0] == "sudo" and "--elevate" not in p.argv and p.argv[-3:] == ("check", "--format", "json")
    assert json.loads(Path(baseline).read_text())["results"] == [{"id": "malware.infostealer", "status": "UNKNOWN"}]
    os.unlink(baseline)
    assert "sudo" in capsys.readouterr().err


def test_cli_elevated_run_says_what_changed(tmp_path, monkeypatch, capsys):
    from clinicguard import cli

    baseline = tmp_path / "b.json"
    baseline.write_text(
        json.dumps(
            {
                "format": "clinicguard-elevation-baseline",
                "results": [{"id": "malware.infostealer", "status": "UNKNOWN"}],
            }
        )
    )
    host = linux_profiles_host(admin=True)
    monkeypatch.setattr("clinicguard.engine.session.make_host", lambda replay: host)
    out = tmp_path / "out.json"
    code = cli.main(
        [
            "--lang",
            "en",
            BASELINE_FLAG,
            str(baseline),
            "check",
            "--only",
            "malware",
            "--format",
            "json",
            "--output",
            str(out),
        ]
    )
    assert code in (0, 1)
    doc = json.loads(out.read_text())
    item = next(r for r in doc["results"] if r["id"] == "malware.infostealer")
    assert item["status"] == "FAIL"
    assert any(e["label"] == "elevation.before" and e["value"] == "UNKNOWN" for e in item["evidence"])
    assert "1 item changed" in capsys.readouterr().err and not baseline.exists()


async def test_dashboard_key_asks_for_elevation_with_the_results_as_baseline():
    from tests.support.tui_demo import demo_app

    app = demo_app("fr")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
    kind, path = app.return_value
    assert kind == "elevate"
    statuses = elevation.read_baseline(path)
    assert statuses and all(isinstance(s, Status) for s in statuses.values())


async def test_dashboard_shows_which_profile_is_being_examined():
    """Steps from inside the triage (one profile after another) reach the status line while the scan runs."""
    import threading
    from pathlib import Path

    from textual.widgets import Static

    from clinicguard.tui.app import ClinicGuardApp
    from tests.support.tui_demo import FakeAssessment, frozen_clock, load_demo

    catalogue, results, host, settings = load_demo()
    steps = threading.Semaphore(0)
    fake = FakeAssessment(results, host, catalogue, steps=steps)
    shown = threading.Event()

    def assess(on_progress, cancel):  # type: ignore[no-untyped-def]
        on_progress({"step": "profile", "profile": "marie.d", "index": 3, "total": 10, "files": 4096})
        shown.wait(5)
        return fake(on_progress, cancel)

    app = ClinicGuardApp(
        assess,
        catalogue=catalogue,
        platform=host.platform,
        hostname=host.hostname,
        clock=frozen_clock,
        settings=settings,
        lang="fr",
        log_file=Path("/tmp/x.log"),
    )
    async with app.run_test(size=(120, 30)) as pilot:
        text = ""
        for _ in range(100):
            await pilot.pause(0.02)
            text = str(app.main.query_one("#status", Static).render())
            if "marie.d" in text:
                break
        assert "profil 3/10 : marie.d (4096 fichiers)" in text
        shown.set()
        for _ in range(len(results)):
            steps.release()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "marie.d" not in str(app.main.query_one("#status", Static).render())
