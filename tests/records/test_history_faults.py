"""History under faults: parallel first saves, damage that passes quick_check, file permissions."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from clinicguard.records.history import open_history
from tests.support.paths import FIXTURES
from tests.support.reports_support import current

WORKERS = 10


def _save_once(path: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    barrier.wait()
    try:
        with open_history(Path(path)) as h:
            h.save(current())
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_parallel_first_saves_on_a_fresh_folder_all_succeed(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for trial in range(4):
        path = tmp_path / f"trial{trial}" / "history.db"
        barrier, results = ctx.Barrier(WORKERS), ctx.Queue()
        procs = [ctx.Process(target=_save_once, args=(str(path), barrier, results)) for _ in range(WORKERS)]
        for p in procs:
            p.start()
        outcomes = [results.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert outcomes == ["ok"] * WORKERS, outcomes
        with open_history(path) as h:
            assert h.notice == "" and len(h.entries()) == WORKERS


@pytest.mark.slow
def test_parallel_check_save_commands_on_a_fresh_folder(tmp_path):
    rec = FIXTURES / "hosts" / "windows11-en-home-user.json"
    data = tmp_path / "data"
    env = {**os.environ, "CLINICGUARD_DATA_DIR": str(data), "CLINICGUARD_LOG": str(tmp_path / "log")}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "clinicguard",
                "check",
                "--replay",
                str(rec),
                "--save",
                "--format",
                "json",
                "--offline",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode in (0, 1) for p in procs), errors
    with sqlite3.connect(data / "history.db") as db:
        assert db.execute("SELECT count(*) FROM assessments").fetchone()[0] == WORKERS


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_history_and_log_are_owner_only(tmp_path, monkeypatch, capsys):
    import logging

    from clinicguard.cli import main
    from clinicguard.files.logsetup import LOGGER_NAME, setup_logging

    monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLINICGUARD_LOG", str(tmp_path / "logs" / "clinicguard.log"))
    old_umask = os.umask(0o022)
    logger = logging.getLogger(LOGGER_NAME)
    kept = logger.handlers[:]
    logger.handlers.clear()
    try:
        setup_logging()
        logger.info("created")
        assert main(["history"]) == 0
    finally:
        for handler in logger.handlers:
            handler.close()
        logger.handlers[:] = kept
        os.umask(old_umask)
    for path, mode in (
        (tmp_path / "data" / "history.db", 0o600),
        (tmp_path / "logs" / "clinicguard.log", 0o600),
        (tmp_path / "data", 0o700),
        (tmp_path / "logs", 0o700),
    ):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_an_existing_world_readable_history_is_made_owner_only(tmp_path):
    path = tmp_path / "history.db"
    with open_history(path) as h:
        h.save(current())
    path.chmod(0o644)
    with open_history(path) as h:
        assert len(h.entries()) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE assessments SET started_at = 'garbage' WHERE id = 1",
        "UPDATE assessments SET score = 'abc' WHERE id = 2",
        "UPDATE assessments SET document = '{not json' WHERE id = 1",
        "UPDATE assessments SET document = '[1, 2]' WHERE id = 2",
        "ALTER TABLE assessments DROP COLUMN fail_count",
    ],
)
def test_damage_that_passes_quick_check_is_set_aside(damage, capsys):
    from clinicguard.cli import main
    from clinicguard.records.history import history_path
    from tests.support.reports_support import previous

    with open_history() as h:
        h.save(previous())
        h.save(current())
    with sqlite3.connect(history_path()) as db:
        db.execute(damage)
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    before = history_path().read_bytes()
    assert main(["history"]) == 0
    err = capsys.readouterr().err
    assert "endommagé" in err and "mis de côté" in err and "erreur interne" not in err
    kept = [p for p in history_path().parent.iterdir() if p.name.startswith("history.db.corrupt-")]
    assert len(kept) == 1 and kept[0].read_bytes() == before  # nothing lost
    for argv in (["diff"], ["report", "--assessment", "1", "--format", "md", "--output", "-"]):
        assert "internal error" not in (main(argv), capsys.readouterr().err)[1]
