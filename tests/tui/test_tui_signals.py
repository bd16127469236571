"""SIGTERM while the dashboard runs gives the terminal back: no raw mode, mouse reporting off, main screen back."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import pytest

from tests.support.paths import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals and signals")


def _read_until(fd: int, wanted: bytes, deadline: float) -> bytes:
    out = b""
    while time.monotonic() < deadline and wanted not in out:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_termination_signal_restores_the_terminal(sig, tmp_path):
    import termios

    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "LINES": "40",
        "CLINICGUARD_DATA_DIR": str(tmp_path / "data"),
        "CLINICGUARD_LOG": str(tmp_path / "log"),
        "CLINICGUARD_CONFIG": str(tmp_path / "config.toml"),
        "CLINICGUARD_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "clinicguard", "--lang", "en"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    try:
        started = _read_until(master, b"\x1b[?1000h", time.monotonic() + 60)  # mouse reporting on: running
        assert b"\x1b[?1000h" in started, started[-500:]
        deadline = time.monotonic() + 20
        while termios.tcgetattr(slave)[3] & termios.ICANON and time.monotonic() < deadline:
            _read_until(master, b"\x00never", time.monotonic() + 0.2)
        assert termios.tcgetattr(slave)[3] & termios.ICANON == 0  # raw mode while it runs
        _read_until(master, b"\x00never", time.monotonic() + 0.5)
        proc.send_signal(sig)
        rest = b""
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            rest += _read_until(master, b"\x00never", time.monotonic() + 0.5)
        rest += _read_until(master, b"\x00never", time.monotonic() + 0.5)
        assert proc.poll() is not None, "the dashboard did not quit"
        assert proc.returncode == 0, (proc.returncode, rest[-500:])
        assert b"\x1b[?1000l" in rest and b"\x1b[?1049l" in rest  # mouse off, main screen back
        after = termios.tcgetattr(slave)
        assert after[3] == before[3]  # echo and line mode as before
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)
