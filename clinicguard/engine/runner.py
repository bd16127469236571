"""Runs every applicable check concurrently and reports progress.

Facts are gathered once each (two checks that need the same fact share one
probe run), in daemon threads so that a probe stuck in a system call can
never keep the program from exiting. Each check gets a deadline; a check
that raises, hangs or meets unexpected input is reported UNKNOWN with the
reason, never PASS, and the run goes on.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from clinicguard import __version__
from clinicguard.catalogue import Catalogue, CheckSpec, load_catalogue
from clinicguard.checks import CheckContext, CheckImpl, Verdict, implementations
from clinicguard.core.errors import ProbeError, reason_of
from clinicguard.core.model import Assessment, CheckResult, HostInfo, Reason, Status
from clinicguard.core.score import compute_score
from clinicguard.host import Host
from clinicguard.probes import provider
from clinicguard.references.tables import References, load_references

DEFAULT_CHECK_TIMEOUT_S = 30.0
MAX_PARALLEL_PROBES = 8


@dataclass(frozen=True)
class Progress:
    """One event per finished check."""

    done: int
    total: int
    result: CheckResult


ProgressFn = Callable[[Progress], None]


def grey(check_id: str, reason: Reason, detail: str = "", duration: float = 0.0) -> CheckResult:
    return CheckResult(
        check_id=check_id,
        status=Status.UNKNOWN,
        summary_key=f"common.reason.{reason.value}",
        reason=reason,
        detail=detail,
        duration_s=duration,
    )


class _FactPool:
    """Gathers each fact at most once, in bounded parallel daemon threads."""

    def __init__(self, host: Host, platform: str) -> None:
        self.host = host
        self.platform = platform
        self._futures: dict[str, Future[Any]] = {}
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(MAX_PARALLEL_PROBES)

    def get(self, fact: str) -> Future[Any]:
        with self._lock:
            fut: Future[Any] | None = self._futures.get(fact)
            if fut is None:
                fut = Future()
                self._futures[fact] = fut
                threading.Thread(target=self._gather, args=(fact, fut), daemon=True, name=f"fact-{fact}").start()
            return fut

    def _gather(self, fact: str, fut: Future[Any]) -> None:
        fn = provider(fact, self.platform)
        if fn is None:
            fut.set_exception(ProbeError(Reason.UNSUPPORTED, f"no probe for '{fact}' on {self.platform}"))
            return
        with self._slots:
            try:
                fut.set_result(fn(self.host))
            except BaseException as exc:  # noqa: BLE001 - every failure becomes a grey result
                fut.set_exception(exc)


def _evaluate(
    impl: CheckImpl, pool: _FactPool, ctx: CheckContext, deadline: float, out: queue.Queue[CheckResult], started: float
) -> None:
    try:
        facts: list[Any] = []
        for fact in impl.facts:
            facts.append(pool.get(fact).result(timeout=max(0.0, deadline - time.monotonic())))
        optional: dict[str, Any] = {}
        for fact in impl.optional_facts:
            try:
                optional[fact] = pool.get(fact).result(timeout=max(0.0, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - optional facts simply stay unknown
                optional[fact] = None
        verdict = impl.fn(ctx, *facts, **optional)
        if not isinstance(verdict, Verdict):
            raise TypeError(f"check returned {type(verdict).__name__}, not a Verdict")
        if verdict.status is Status.UNKNOWN and verdict.reason is None:
            verdict = Verdict(verdict.status, verdict.key, verdict.params, verdict.evidence, Reason.CHECK_ERROR)
        result = CheckResult(
            check_id=impl.id,
            status=verdict.status,
            summary_key=verdict.key,
            params=dict(verdict.params),
            evidence=verdict.evidence,
            reason=verdict.reason,
            detail=verdict.detail,
            duration_s=time.monotonic() - started,
        )
    except BaseException as exc:  # noqa: BLE001
        reason, detail = reason_of(exc)
        result = grey(impl.id, reason, detail, time.monotonic() - started)
    out.put(result)


def host_info(host: Host, pool: _FactPool | None = None) -> HostInfo:
    """Machine identity for headers; never fails."""
    os_name, os_version = host.platform, ""
    try:
        fut = (pool or _FactPool(host, host.platform)).get("system")
        system = fut.result(timeout=5)
        os_name, os_version = system.os_name, system.os_version
    except Exception:  # noqa: BLE001 - identity is best effort
        pass
    try:
        user = host.user()
        name, admin = user.name, user.is_admin
    except Exception:  # noqa: BLE001
        name, admin = "", False
    try:
        hostname = host.hostname()
    except Exception:  # noqa: BLE001
        hostname = ""
    return HostInfo(
        hostname=hostname, platform=host.platform, os_name=os_name, os_version=os_version, user=name, is_admin=admin
    )


def select_checks(catalogue: Catalogue, platform: str, only_theme: str | None = None) -> list[CheckSpec]:
    specs = [s for s in catalogue.for_platform(platform) if only_theme is None or s.theme == only_theme]
    return sorted(specs, key=lambda s: (catalogue.theme_order(s.theme), s.id))


def run_assessment(
    host: Host,
    *,
    catalogue: Catalogue | None = None,
    settings: dict[str, Any] | None = None,
    only_theme: str | None = None,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    check_timeout: float = DEFAULT_CHECK_TIMEOUT_S,
    extra_results: Iterable[CheckResult] = (),
    check_ids: Iterable[str] | None = None,
    references: References | None = None,
) -> Assessment:
    """Assess ``host``. Never raises for a failing check; returns every result."""
    catalogue = catalogue or load_catalogue()
    impls = implementations()
    started_at = host.now()
    platform = host.platform
    pool = _FactPool(host, platform)
    specs = select_checks(catalogue, platform, only_theme)
    if check_ids is not None:
        wanted = set(check_ids)
        specs = [s for s in specs if s.id in wanted]
    try:
        user = host.user()
    except Exception:  # noqa: BLE001
        from clinicguard.host import UserInfo

        user = UserInfo(name="")
    ctx = CheckContext(
        platform=platform,
        now=started_at,
        user=user,
        settings=settings or {},
        references=references or load_references(),
    )

    results: dict[str, CheckResult] = {}
    total = len(specs)
    done = 0

    def report(result: CheckResult) -> None:
        nonlocal done
        results[result.check_id] = result
        done += 1
        if on_progress is not None:
            try:
                on_progress(Progress(done=done, total=total, result=result))
            except Exception:  # noqa: BLE001 - a broken listener must not stop the run
                pass

    out: queue.Queue[CheckResult] = queue.Queue()
    deadlines: dict[str, float] = {}
    t0 = time.monotonic()
    extras = {r.check_id: r for r in extra_results}
    for spec in specs:
        if spec.kind == "ask":
            # Questionnaire items are answered by a person, never computed.
            answered = extras.pop(spec.id, None)
            report(answered or grey(spec.id, Reason.NOT_ANSWERED))
            continue
        impl = impls.get(spec.id)
        if impl is None:
            # Catalogued but handled elsewhere (questionnaire) or not yet written.
            report(grey(spec.id, Reason.UNSUPPORTED, "no implementation"))
            continue
        deadline = t0 + check_timeout
        deadlines[spec.id] = deadline
        threading.Thread(
            target=_evaluate,
            args=(impl, pool, ctx, deadline, out, time.monotonic()),
            daemon=True,
            name=f"check-{spec.id}",
        ).start()

    cancelled = False
    while deadlines:
        if cancel is not None and cancel.is_set():
            cancelled = True
            for cid in list(deadlines):
                report(grey(cid, Reason.CANCELLED))
            deadlines.clear()
            break
        wait = min(min(deadlines.values()) - time.monotonic(), 0.1)
        try:
            result = out.get(timeout=max(wait, 0.0))
        except queue.Empty:
            now = time.monotonic()
            for cid, deadline in list(deadlines.items()):
                if now >= deadline:
                    del deadlines[cid]
                    report(grey(cid, Reason.TIMED_OUT, f"no answer after {check_timeout:g} s", now - t0))
            continue
        if result.check_id in deadlines:
            del deadlines[result.check_id]
            report(result)

    selected = only_theme is not None or check_ids is not None
    for extra in extras.values():
        # A selection (one theme, some checks) holds only its own items: answers
        # to questions of other themes stay out of its list, score and exit code.
        if not selected:
            results[extra.check_id] = extra
    order = {s.id: i for i, s in enumerate(specs)}
    ordered = tuple(sorted(results.values(), key=lambda r: order.get(r.check_id, len(order))))
    weights = {cid: spec.weight for cid, spec in catalogue.checks.items()}
    return Assessment(
        host=host_info(host, pool),
        started_at=started_at,
        finished_at=host.now(),
        tool_version=__version__,
        results=ordered,
        score=compute_score(ordered, weights),
        cancelled=cancelled,
    )
