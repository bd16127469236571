"""A fixed fictitious workstation for the dashboard's tests, screenshots and benchmark.

``tests/fixtures/tui/demo.toml`` holds a small catalogue and one result per
check; :class:`FakeAssessment` replays them through the same progress
callback as the real runner, optionally slowly, blocked or failing.
"""

from __future__ import annotations

import threading
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from clinicguard.catalogue import Catalogue, Recommendation, Source, Theme, parse_check
from clinicguard.core.model import Assessment, CheckResult, Evidence, HostInfo, Reason, Status
from clinicguard.core.score import compute_score
from clinicguard.engine.runner import Progress
from clinicguard.tui.contract import ScanOutcome
from tests.support.paths import FIXTURES

DEMO_FILE = FIXTURES / "tui" / "demo.toml"
FROZEN = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def frozen_clock() -> datetime:
    return FROZEN


def load_demo() -> tuple[Catalogue, list[CheckResult], HostInfo, dict]:
    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    themes = {t["id"]: Theme(t["id"], int(t["order"]), dict(t["title"]), t.get("link", "")) for t in data["theme"]}
    recs = {
        r["id"]: Recommendation(
            r["id"], dict(r["title"]), tuple(Source(s["code"], s["label"], s.get("url", "")) for s in r["sources"])
        )
        for r in data["recommendation"]
    }
    checks = {}
    results = []
    for raw in data["check"]:
        spec = parse_check(raw, "demo")
        checks[spec.id] = spec
        res = raw["result"]
        results.append(
            CheckResult(
                check_id=spec.id,
                status=Status(res["status"]),
                summary_key=res["key"],
                params=dict(res.get("params", {})),
                evidence=tuple(Evidence(*e) for e in res.get("evidence", [])),
                reason=Reason(res["reason"]) if "reason" in res else None,
                detail=res.get("detail", ""),
            )
        )
    h = data["host"]
    host = HostInfo(h["hostname"], h["platform"], h["os_name"], h["os_version"], h["user"], h["is_admin"])
    settings = {"establishment": {"name": h["establishment"]}}
    return Catalogue(themes, recs, checks), results, host, settings


class FakeAssessment:
    """Replays the demo results.

    ``steps``: each check waits for one release of this semaphore (or for
    cancellation), so a test decides when rows arrive.
    """

    def __init__(
        self,
        results: list[CheckResult],
        host: HostInfo,
        catalogue: Catalogue,
        *,
        delay: float = 0.0,
        steps: threading.Semaphore | None = None,
        fail_after: int | None = None,
    ) -> None:
        self.results = results
        self.host = host
        self.catalogue = catalogue
        self.delay = delay
        self.steps = steps
        self.fail_after = fail_after
        self.calls = 0
        self.running = threading.Event()
        self.finished = threading.Event()

    def __call__(self, on_progress, cancel: threading.Event) -> ScanOutcome:  # type: ignore[no-untyped-def]
        self.calls += 1
        self.running.set()
        self.finished.clear()
        try:
            done: list[CheckResult] = []
            total = len(self.results)
            cancelled = False
            for i, result in enumerate(self.results):
                if self.fail_after is not None and i == self.fail_after:
                    raise RuntimeError("probe exploded")
                while self.steps is not None and not cancel.is_set() and not self.steps.acquire(timeout=0.01):
                    pass
                if cancel.is_set():
                    cancelled = True
                    break
                if self.delay:
                    time.sleep(self.delay)
                done.append(result)
                on_progress(Progress(len(done), total, result))
            weights = {cid: s.weight for cid, s in self.catalogue.checks.items()}
            return ScanOutcome(
                Assessment(
                    self.host, FROZEN, FROZEN, "test", tuple(done), compute_score(done, weights), cancelled=cancelled
                )
            )
        finally:
            self.running.clear()
            self.finished.set()


def demo_app(lang: str = "fr", **fake_options):  # type: ignore[no-untyped-def]
    """The dashboard on the demo workstation, frozen clock, fixed host name."""
    from clinicguard.tui.app import ClinicGuardApp

    catalogue, results, host, settings = load_demo()
    fake = FakeAssessment(results, host, catalogue, **fake_options)
    app = ClinicGuardApp(
        fake,
        catalogue=catalogue,
        platform=host.platform,
        hostname=host.hostname,
        clock=frozen_clock,
        settings=settings,
        lang=lang,
        log_file=Path("/var/log/clinicguard/clinicguard.log"),
    )
    app.fake = fake  # type: ignore[attr-defined]
    return app
