"""The standard output goes away (closed pipe) or fills up (/dev/full): a quiet exit or one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import FIXTURES, ROOT

REPLAY = str(FIXTURES / "hosts" / "windows10-en-admin.json")


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CLINICGUARD_DATA_DIR": str(tmp_path / "data"),
        "CLINICGUARD_LOG": str(tmp_path / "log"),
        "CLINICGUARD_CONFIG": str(tmp_path / "config.toml"),
    }


@pytest.mark.parametrize("argv", [["checks"], ["check", "--replay", REPLAY, "--format", "json"]])
def test_a_closed_pipe_ends_quietly(argv, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "clinicguard", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(tmp_path)
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait(timeout=120) == 2
    assert err == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["checks"], ["check", "--replay", REPLAY]])
def test_a_full_output_is_one_clear_line(argv, tmp_path):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "clinicguard", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            env=_env(tmp_path),
            timeout=120,
        )
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err == "clinicguard: impossible d'écrire la sortie (No space left on device)\n"
