"""The dashboard's assessment in a child process: progress, final result, cancellation."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from clinicguard.catalogue import load_catalogue
from clinicguard.tui.scanproc import ChildFailed, assess_in_child
from tests.support.paths import FIXTURES, ROOT

RECORDING = str(FIXTURES / "hosts" / "windows11-fr-user.json")


def test_child_streams_every_result_then_the_assessment():
    events = []
    outcome = assess_in_child(events.append, threading.Event(), catalogue=load_catalogue(), replay=RECORDING)
    assert events and events[-1].done == events[-1].total == len(events)
    assert {e.result.check_id for e in events} <= {r.check_id for r in outcome.assessment.results}
    assert outcome.assessment.host.platform == "windows"


def test_cancelling_ends_the_child_at_once():
    cancel = threading.Event()
    cancel.set()
    started = time.monotonic()
    with pytest.raises(ChildFailed):
        assess_in_child(lambda p: None, cancel, catalogue=load_catalogue(), replay=RECORDING)
    assert time.monotonic() - started < 2.0


def test_the_child_never_loads_textual():
    code = "import sys, clinicguard.tui.scanproc; print('textual' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr
