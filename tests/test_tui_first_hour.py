"""The volunteer's first hour in the dashboard: where to start, keys, dialogs, readable without colour."""

from __future__ import annotations

import sys

import pytest

from clinicguard.cli import can_draw_dashboard


@pytest.mark.parametrize(("term", "expected"), [("xterm-256color", True), ("dumb", False), ("", True)])
def test_term_dumb_gets_the_text_checklist(monkeypatch, term, expected):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert can_draw_dashboard({"TERM": term}) is expected


def test_a_pipe_gets_the_text_checklist(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert can_draw_dashboard({"TERM": "xterm"}) is False
