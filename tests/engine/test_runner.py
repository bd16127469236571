"""Runner: concurrency, progress, and every failure turning grey — never green."""

from __future__ import annotations

import threading
import time

import pytest

from clinicguard.catalogue import Catalogue, CheckSpec, Theme, load_catalogue
from clinicguard.checks import check, verdict
from clinicguard.core.errors import ParseError
from clinicguard.core.model import Reason, Status
from clinicguard.core.score import compute_score
from clinicguard.engine.runner import run_assessment
from clinicguard.host import AccessDenied, CommandTimeout, ToolMissing
from clinicguard.probes import probe
from tests.conftest import recorded

RELEASE = threading.Event()
# Test probes live on a platform of their own so that nothing else ever runs them.
TEST_OS = "testos"


def _spec(cid: str, weight: int = 1, kind: str = "auto") -> CheckSpec:
    text = {"title": cid, "why": "w", "fix": {"default": "f"}, "summary": {"ok": "ok"}}
    return CheckSpec(
        id=cid,
        theme="access",
        weight=weight,
        platforms=(TEST_OS,),
        needs_admin=False,
        recommendations=(),
        texts={"fr": text, "en": text},
        kind=kind,
    )


def _catalogue(*ids: str) -> Catalogue:
    theme = Theme("access", 1, {"fr": "A", "en": "A"})
    return Catalogue(themes={"access": theme}, recommendations={}, checks={i: _spec(i) for i in ids})


@probe("test_ok", TEST_OS)
def _p_ok(host):
    return 42


@probe("test_hang", TEST_OS)
def _p_hang(host):
    RELEASE.wait(30)
    return 1


@probe("test_raise", TEST_OS)
def _p_raise(host):
    raise RuntimeError("boom")


@probe("test_missing", TEST_OS)
def _p_missing(host):
    raise ToolMissing("ufw: not installed")


@probe("test_denied", TEST_OS)
def _p_denied(host):
    raise AccessDenied("/etc/shadow")


@probe("test_timeout", TEST_OS)
def _p_timeout(host):
    raise CommandTimeout("apt-get: no answer after 10 s")


@probe("test_garbage", TEST_OS)
def _p_garbage(host):
    raise ParseError("lsblk: not JSON")


@probe("test_cmd", TEST_OS)
def _p_cmd(host):
    return host.run(["fake-tool", "--json"]).stdout


for name in ("ok", "hang", "raise", "missing", "denied", "timeout", "garbage"):
    check(f"test.{name}", facts=(f"test_{name}",))(lambda ctx, value: verdict(Status.PASS, "ok"))


@check("test.check_raises", facts=("test_ok",))
def _c_raises(ctx, value):
    raise KeyError("surprise")


@check("test.bad_return", facts=("test_ok",))
def _c_bad(ctx, value):
    return "green"


@check("test.check_hangs", facts=("test_ok",))
def _c_hangs(ctx, value):
    RELEASE.wait(30)
    return verdict(Status.PASS, "ok")


@check("test.optional", facts=("test_ok",), optional=("test_raise",))
def _c_optional(ctx, value, test_raise=None):
    return verdict(Status.PASS if test_raise is None else Status.FAIL, "ok")


@check("test.cmd", facts=("test_cmd",))
def _c_cmd(ctx, text):
    return verdict(Status.PASS if text.startswith("{") else Status.FAIL, "ok")


@pytest.fixture(autouse=True)
def _release_hangs():
    RELEASE.clear()
    yield
    RELEASE.set()


def run(*ids: str, **kw):
    return run_assessment(recorded(platform=TEST_OS), catalogue=_catalogue(*ids), **kw)


@pytest.mark.parametrize(
    ("cid", "reason"),
    [
        ("test.raise", Reason.CHECK_ERROR),
        ("test.missing", Reason.TOOL_MISSING),
        ("test.denied", Reason.NEEDS_ADMIN),
        ("test.timeout", Reason.TIMED_OUT),
        ("test.garbage", Reason.UNEXPECTED_OUTPUT),
        ("test.check_raises", Reason.CHECK_ERROR),
        ("test.bad_return", Reason.CHECK_ERROR),
    ],
)
def test_faults_become_grey_with_reason(cid, reason):
    result = run(cid).results[0]
    assert result.status is Status.UNKNOWN
    assert result.reason is reason
    assert result.summary_key == f"common.reason.{reason.value}"


def test_hanging_probe_and_check_time_out_without_blocking_the_rest():
    started = time.monotonic()
    a = run("test.hang", "test.check_hangs", "test.ok", check_timeout=0.5)
    elapsed = time.monotonic() - started
    by_id = {r.check_id: r for r in a.results}
    assert elapsed < 3
    assert by_id["test.hang"].reason is Reason.TIMED_OUT
    assert by_id["test.check_hangs"].reason is Reason.TIMED_OUT
    assert by_id["test.ok"].status is Status.PASS


def test_missing_binary_from_recorded_host_is_tool_missing():
    result = run("test.cmd").results[0]
    assert (result.status, result.reason) == (Status.UNKNOWN, Reason.TOOL_MISSING)


def test_optional_fact_failure_passes_none():
    assert run("test.optional").results[0].status is Status.PASS


def test_probe_without_implementation_on_platform_is_unsupported():
    cat = _catalogue("test.ok")
    host = recorded(platform="macos")
    spec = cat.checks["test.ok"]
    cat.checks["test.ok"] = CheckSpec(**{**spec.__dict__, "platforms": ("macos",)})
    result = run_assessment(host, catalogue=cat).results[0]
    assert (result.status, result.reason) == (Status.UNKNOWN, Reason.UNSUPPORTED)


def test_progress_one_event_per_check():
    events = []
    a = run("test.ok", "test.raise", "test.missing", on_progress=events.append)
    assert [e.done for e in events] == [1, 2, 3]
    assert {e.total for e in events} == {3}
    assert {e.result.check_id for e in events} == {r.check_id for r in a.results}


def test_broken_progress_listener_does_not_stop_the_run():
    def listener(_):
        raise ValueError("ui gone")

    assert len(run("test.ok", "test.raise", on_progress=listener).results) == 2


def test_cancel_marks_the_rest_cancelled():
    cancel = threading.Event()
    cancel.set()
    a = run("test.hang", cancel=cancel)
    assert a.cancelled
    assert a.results[0].reason is Reason.CANCELLED


def test_unanswered_question_is_grey_and_answer_is_used():
    cat = _catalogue()
    cat.checks["ask.q"] = _spec("ask.q", kind="ask")
    assert run_assessment(recorded(platform=TEST_OS), catalogue=cat).results[0].reason is Reason.NOT_ANSWERED
    from clinicguard.core.model import CheckResult

    answer = CheckResult("ask.q", Status.PASS, "ok")
    assert (
        run_assessment(recorded(platform=TEST_OS), catalogue=cat, extra_results=[answer]).results[0].status
        is Status.PASS
    )


def test_real_catalogue_on_empty_host_never_passes_on_missing_data():
    """A machine that answers nothing yields no green where data was needed."""
    a = run_assessment(
        recorded(files={"/etc/passwd": {"text": "root:x:0:0:root:/root:/bin/bash\n"}}), catalogue=load_catalogue()
    )
    for r in a.results:
        if r.status is Status.PASS:
            # Only checks whose evidence is "nothing found" may pass on an empty machine.
            assert r.check_id in {
                "access.browser_passwords",
                "access.autologin",
                "network.exposed_services",
                "malware.exposure",
                "malware.infostealer",
            }, r


def test_score_unknown_never_raises_score():
    from clinicguard.core.model import CheckResult

    weights = {"a": 2, "b": 1}
    fail = compute_score([CheckResult("a", Status.FAIL, "k"), CheckResult("b", Status.PASS, "k")], weights)
    grey = compute_score([CheckResult("a", Status.UNKNOWN, "k"), CheckResult("b", Status.PASS, "k")], weights)
    assert grey.value <= fail.value
    assert (fail.value, fail.coverage) == (33, 100)
    assert (grey.value, grey.coverage) == (33, 33)
    na = compute_score([CheckResult("a", Status.NOT_APPLICABLE, "k"), CheckResult("b", Status.WARN, "k")], weights)
    assert (na.value, na.coverage) == (50, 100)
    assert compute_score([], weights).value == 0
