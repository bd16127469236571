"""One mapping from an error to the grey reason it shows: every host error carries its Reason."""

from __future__ import annotations

import pytest

from clinicguard.core.errors import NotEstablished, ParseError, ProbeError, reason_of, unknown_of
from clinicguard.core.facts import Unknown
from clinicguard.core.model import Reason
from clinicguard.host import AccessDenied, CommandTimeout, FileMissing, HostError, ToolMissing
from clinicguard.host.base import SpecialFile
from clinicguard.infostealer.signs import reason_word


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ToolMissing("apt-get"), Reason.TOOL_MISSING),
        (AccessDenied("/etc/shadow"), Reason.NEEDS_ADMIN),
        (CommandTimeout("ufw status"), Reason.TIMED_OUT),
        (FileMissing("/etc/os-release"), Reason.NOT_FOUND),
        (SpecialFile("/tmp/fifo"), Reason.NOT_READABLE),
        (HostError("read error"), Reason.NOT_READABLE),
    ],
)
def test_each_host_error_carries_its_reason_and_its_message_as_detail(error, reason):
    assert isinstance(error, NotEstablished)
    assert error.reason is reason
    assert reason_of(error) == (reason, str(error))
    assert unknown_of(error) == Unknown(reason, str(error))


def test_a_probe_error_gives_its_own_reason_and_detail():
    assert reason_of(ProbeError(Reason.UNSUPPORTED, "no probe")) == (Reason.UNSUPPORTED, "no probe")
    assert reason_of(ProbeError(Reason.NOT_KNOWN)) == (Reason.NOT_KNOWN, "")
    assert reason_of(ParseError("no table")) == (Reason.UNEXPECTED_OUTPUT, "no table")


def test_anything_else_is_a_check_error_except_a_timeout():
    assert reason_of(TimeoutError()) == (Reason.TIMED_OUT, "no answer in time")
    assert reason_of(KeyError("x")) == (Reason.CHECK_ERROR, "KeyError: 'x'")
    # What a fact records for a field follows the same mapping.
    assert unknown_of(KeyError("x")) == Unknown(Reason.CHECK_ERROR, "KeyError: 'x'")


@pytest.mark.parametrize(
    ("error", "word"),
    [
        (AccessDenied("x"), "access_denied"),
        (ToolMissing("x"), "tool_missing"),
        (CommandTimeout("x"), "timed_out"),
        (FileMissing("x"), "read_error"),
        (ProbeError(Reason.NEEDS_ADMIN), "read_error"),
    ],
)
def test_the_infostealer_word_for_a_source_not_examined_follows_the_host_reason(error, word):
    assert reason_word(error) == word


@pytest.mark.parametrize(
    ("error", "word"),
    [
        (ToolMissing("apt-get"), "missing"),
        (FileMissing("/etc/x"), "missing"),
        (AccessDenied("/etc/shadow"), "denied"),
        (CommandTimeout("ufw"), "timeout"),
        (SpecialFile("/tmp/fifo"), "special"),
        (HostError("disk on fire"), "disk on fire"),
        (HostError(""), "failed"),
    ],
)
def test_a_recording_keeps_the_word_of_the_reason_and_replays_the_same_reason(error, word):
    from clinicguard.host.recording import error_word
    from clinicguard.host.replay import RecordedHost

    assert error_word(error) == word
    what = ["apt-get"] if isinstance(error, ToolMissing | CommandTimeout) else None
    host = RecordedHost(
        {
            "format": "clinicguard-host",
            "platform": "linux",
            "commands": [{"argv": what, "error": word}] if what else [],
            "files": {} if what else {"/etc/x": {"error": word}},
        }
    )
    with pytest.raises(HostError) as raised:
        host.run(what) if what else host.read_text("/etc/x")
    assert raised.value.reason is error.reason
