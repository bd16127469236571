"""Run the assessment again with administrator rights, and say what that changed.

``clinicguard --elevate`` (and the dashboard's key) restarts the same command
with administrator rights: the UAC prompt on Windows (ShellExecute "runas"),
``sudo`` in a terminal or ``pkexec`` on a Linux desktop. On macOS it explains
how instead (``sudo`` from the Terminal, Full Disk Access for protected
folders). A standard-user run stays the default.

The standard run's results travel to the elevated one in a file (the
"baseline", a serialised assessment); the elevated run marks every item whose
status changed, so the results say which items the rights unlocked.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from clinicguard.core.errors import DataFileError
from clinicguard.core.model import Assessment, CheckResult, Evidence, Status
from clinicguard.files.fsutil import MAX_STORE_BYTES, read_capped

log = logging.getLogger("clinicguard.engine.elevation")

ELEVATE_FLAG = "--elevate"
BASELINE_FLAG = "--elevation-baseline"
# Environment the elevated process needs to find this copy of clinicguard and speak the same language.
KEPT_ENV = ("PYTHONPATH", "CLINICGUARD_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "TERM")
SW_SHOWNORMAL = 1
SHELL_EXECUTE_OK = 32  # ShellExecuteW returns a value above 32 on success


@dataclass(frozen=True)
class Plan:
    """How to restart with administrator rights on this machine."""

    method: str  # already, runas, sudo, pkexec, explain, unavailable
    argv: tuple[str, ...] = ()  # sudo / pkexec: the whole command; runas: the program then its parameters
    message_key: str = ""  # i18n key shown to the person


def child_arguments(argv: Sequence[str], baseline: str | None) -> list[str]:
    """The command line of the elevated run: the same one, without --elevate, with the baseline."""
    out = [a for a in argv if a != ELEVATE_FLAG]
    if baseline:
        out = [BASELINE_FLAG, baseline, *out]
    return out


def plan(
    platform: str,
    argv: Sequence[str],
    *,
    is_admin: bool,
    baseline: str | None = None,
    which: Callable[[str], str | None] | None = None,
    environ: dict[str, str] | None = None,
    executable: str = sys.executable,
    interactive: bool = True,
) -> Plan:
    """What ``--elevate`` does here; pure, so every path is tested without escalating."""
    env = os.environ if environ is None else environ
    which = which or shutil.which
    rest = child_arguments(argv, baseline)
    program = [executable, "-m", "clinicguard", *rest]
    if is_admin:
        return Plan("already", tuple(program), "elevation.already")
    if platform == "windows":
        return Plan("runas", tuple(program), "elevation.runas")
    if platform == "macos":
        return Plan("explain", (), "elevation.macos")
    kept = [f"{k}={env[k]}" for k in KEPT_ENV if env.get(k)]
    if which("sudo") and interactive:
        names = ",".join(k for k in KEPT_ENV if env.get(k))
        preserve = [f"--preserve-env={names}"] if names else []
        return Plan("sudo", ("sudo", *preserve, "--", *program), "elevation.sudo")
    if which("pkexec") and (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        # pkexec clears the environment: give back what is needed; PKEXEC_UID names the person.
        return Plan("pkexec", ("pkexec", "env", *kept, *program), "elevation.pkexec")
    return Plan("unavailable", (), "elevation.unavailable")


def launch(
    p: Plan,
    *,
    execvp: Callable[[str, list[str]], object] = os.execvp,
    shell_execute: Callable[[str, str], int] | None = None,
) -> int:
    """Start the elevated run. sudo and pkexec replace this process; runas opens an elevated window."""
    if p.method in ("sudo", "pkexec"):
        execvp(p.argv[0], list(p.argv))
        return 0  # only reached with a fake execvp
    if p.method == "runas":
        run = shell_execute or _shell_execute_runas
        code = run(p.argv[0], subprocess.list2cmdline(p.argv[1:]))
        return 0 if code > SHELL_EXECUTE_OK else 2
    return 2


def _shell_execute_runas(program: str, parameters: str) -> int:
    """The UAC prompt: ShellExecuteW(NULL, "runas", program, parameters, NULL, SW_SHOWNORMAL)."""
    import ctypes

    shell32 = ctypes.windll.shell32  # type: ignore[attr-defined]
    return int(shell32.ShellExecuteW(None, "runas", program, parameters, None, SW_SHOWNORMAL))


def shown_command(p: Plan) -> str:
    return shlex.join(p.argv) if p.argv else ""


# -- the baseline: what the standard run found -------------------------------------------


def write_baseline(assessment: Assessment) -> str:
    """Save the standard run's statuses to a private temporary file; returns its path."""
    fd, path = tempfile.mkstemp(prefix="clinicguard-baseline-", suffix=".json")
    data = {
        "format": "clinicguard-elevation-baseline",
        "is_admin": assessment.host.is_admin,
        "results": [{"id": r.check_id, "status": r.status.value} for r in assessment.results],
    }
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    return path


def read_baseline(path: str) -> dict[str, Status] | None:
    """check id -> status of the standard run; None (and a log line) when the file is unusable.

    The file is removed once read: it served its one purpose.
    """
    try:
        data = json.loads(read_capped(path, MAX_STORE_BYTES).decode("utf-8"))
        if data.get("format") != "clinicguard-elevation-baseline":
            raise ValueError("not a baseline file")
        return {str(r["id"]): Status(r["status"]) for r in data["results"]}
    except (DataFileError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        log.warning("elevation baseline %s unusable: %s", path, exc)
        return None
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


@dataclass(frozen=True)
class Change:
    check_id: str
    before: Status
    after: Status


def mark_changes(assessment: Assessment, before: dict[str, Status]) -> tuple[Assessment, list[Change]]:
    """Add to each item whose status changed its status without the rights; list the changes."""
    changes: list[Change] = []
    results: list[CheckResult] = []
    for r in assessment.results:
        was = before.get(r.check_id)
        if was is not None and was is not r.status:
            changes.append(Change(r.check_id, was, r.status))
            r = replace(r, evidence=(*r.evidence, Evidence("elevation.before", was.value)))
        results.append(r)
    return replace(assessment, results=tuple(results)), changes
