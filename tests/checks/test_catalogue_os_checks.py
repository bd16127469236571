"""Catalogue texts of the updates, antivirus, firewall and backup checks: every summary the
checks can return exists in French and English with its placeholders filled, and every
evidence label has a translation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinicguard.catalogue import load_catalogue, placeholders
from clinicguard.checks import CheckContext, implementations
from clinicguard.checks.backups import backup
from clinicguard.checks.malware import antivirus
from clinicguard.checks.network import firewall
from clinicguard.checks.updates import automatic, os_support, pending, reboot
from clinicguard.core.facts import (
    AntivirusProduct,
    AntivirusStatus,
    BackupStatus,
    BackupTool,
    ExposedServices,
    FirewallStatus,
    RestartNeeded,
    StaleProgram,
    SystemFacts,
    Unknown,
    UpdateStatus,
)
from clinicguard.core.model import Reason
from clinicguard.host import UserInfo
from clinicguard.i18n import catalog

CHECK_IDS = (
    "updates.os_support",
    "updates.pending",
    "updates.automatic",
    "updates.reboot",
    "malware.antivirus",
    "network.firewall",
    "backups.backup",
)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def ctx(platform="linux", day=None):
    now = datetime.fromisoformat(day + "T12:00:00+00:00") if day else NOW
    return CheckContext(platform=platform, now=now, user=UserInfo(name="alice"))


def sysf(os_id, version="", build=None, edition=""):
    return SystemFacts(os_id=os_id, os_version=version, os_name=os_id, build=build, edition=edition)


def upd(**kw):
    base = {"manager": "apt", "pending": 0, "pending_security": 0}
    base.update(kw)
    return UpdateStatus(**base)


def ago(days):
    return NOW - timedelta(days=days)


def P(**kw):  # noqa: N802 - short product builder
    return AntivirusProduct(**{"name": "Defender", "enabled": True, **kw})


def AV(*p):  # noqa: N802
    return AntivirusStatus(products=p)


def FW(enabled, **kw):  # noqa: N802
    return FirewallStatus(enabled=enabled, **kw)


def B(*t):  # noqa: N802
    return BackupStatus(tools=t, searched=("x",))


LISTEN = ExposedServices(listeners=(("0.0.0.0", 22, "tcp", "sshd"),))
QUIET = ExposedServices(listeners=())


def scenarios():
    win10 = sysf("windows", "", 19045, "Professional")
    yield (
        "updates.os_support",
        [
            os_support(ctx(), sysf("debian", "13")),
            os_support(ctx("macos"), sysf("macos", "15.1")),
            os_support(ctx(day="2026-12-01"), sysf("fedora", "43")),
            os_support(ctx(), sysf("fedora", "41")),
            os_support(ctx(), sysf("debian", "11")),
            os_support(ctx(), sysf("debian", "12")),
            os_support(ctx(day="2027-05-01"), sysf("ubuntu", "22.04"), upd(extended_support=True)),
            os_support(ctx(day="2027-05-01"), sysf("ubuntu", "22.04"), upd(extended_support=False)),
            os_support(ctx(day="2027-05-01"), sysf("ubuntu", "22.04"), None),
            os_support(ctx(day="2026-05-01"), win10, upd(extended_support=True)),
            os_support(ctx(day="2026-05-01"), win10, upd(extended_support=False)),
            os_support(ctx(day="2026-05-01"), win10, None),
            os_support(ctx(), sysf("linuxmint", "22")),
        ],
    )
    yield (
        "updates.pending",
        [
            pending(ctx(), upd(last_install=ago(1), metadata_age_days=1)),
            pending(ctx(), upd(metadata_age_days=1)),
            pending(ctx(), upd()),
            pending(ctx(), upd(pending=3, pending_security=1, last_install=ago(1))),
            pending(ctx(), upd(pending=3, pending_security=1, last_install=ago(20))),
            pending(ctx(), upd(pending=3, pending_security=1, last_install=ago(1), metadata_age_days=20)),
            pending(ctx(), upd(last_install=ago(90))),
            pending(ctx(), upd(last_install=ago(40))),
            pending(ctx(), upd(pending=3, last_install=ago(1))),
            pending(ctx(), upd(pending=3, pending_security=None, last_install=ago(1))),
            pending(ctx(), upd(last_install=ago(1), metadata_age_days=9)),
            pending(ctx(), upd(pending=None, pending_security=None, last_install=ago(1))),
            pending(ctx(), upd(pending=None, pending_security=None)),
            pending(ctx(), upd(last_install=ago(1), metadata_age_days=20)),
            pending(ctx(), upd(pending=3, pending_security=1, no_upgrade_since=ago(100))),
            pending(ctx(), upd(no_upgrade_since=ago(100))),
        ],
    )
    yield (
        "updates.automatic",
        [
            automatic(ctx(), upd(automatic=True)),
            automatic(ctx(), upd(automatic=False)),
            automatic(ctx(), upd(automatic=True, paused_until=NOW + timedelta(days=2))),
            automatic(ctx(), upd(automatic=None)),
        ],
    )
    yield (
        "updates.reboot",
        [
            reboot(ctx(), upd(reboot_required=False)),
            reboot(ctx(), upd(reboot_required=True)),
            reboot(ctx(), upd(reboot_required=True, reboot_required_since=ago(2))),
            reboot(ctx(), upd(reboot_required=True, reboot_required_since=ago(20))),
            reboot(ctx(), upd(reboot_required=None)),
            reboot(
                ctx(),
                upd(reboot_required=False),
                RestartNeeded(
                    flags=(), stale_programs=(StaleProgram(name="sshd", pids=(812,), files=("/usr/sbin/sshd",)),)
                ),
            ),
            reboot(
                ctx(), upd(reboot_required=False), RestartNeeded(flags=(), stale_programs=(), processes_unreadable=3)
            ),
        ],
    )
    yield (
        "malware.antivirus",
        [
            antivirus(ctx("windows"), AV(P(realtime=True, up_to_date=True))),
            antivirus(ctx("windows"), AV(P(realtime=True, signature_age_days=1))),
            antivirus(ctx("windows"), AV(P(signature_age_days=5))),
            antivirus(ctx("windows"), AV(P(signature_age_days=9))),
            antivirus(ctx("windows"), AV(P(up_to_date=False))),
            antivirus(ctx("windows"), AV(P())),
            antivirus(ctx("windows"), AV(P(up_to_date=True, tamper_protected=False))),
            antivirus(ctx("windows"), AV(P(realtime=False))),
            antivirus(ctx("windows"), AV()),
            antivirus(ctx("windows"), AV(P(passive=True))),
            antivirus(ctx("windows"), AV(P(enabled=None))),
            antivirus(
                ctx("windows"),
                AntivirusStatus(
                    products=(P(enabled=False),), why_unknown={"third_party": Unknown(Reason.UNSUPPORTED, "x")}
                ),
            ),
            antivirus(ctx("macos"), AV()),
            antivirus(ctx("linux"), AV()),
            antivirus(ctx("linux"), AV(), upd(automatic=True, last_install=ago(1))),
            antivirus(ctx("linux"), AV(), upd(automatic=False)),
            antivirus(ctx("linux"), AV(), upd(automatic=True, pending=2, pending_security=2, last_install=ago(30))),
            antivirus(
                ctx("linux"), AntivirusStatus(products=(), why_unknown={"processes": Unknown(Reason.NEEDS_ADMIN, "x")})
            ),
            antivirus(ctx("linux"), AV(P(name="ClamAV", signature_age_days=1))),
            antivirus(ctx("linux"), AV(P(name="ClamAV", signature_age_days=10))),
            antivirus(ctx("linux"), AV(P(name="ClamAV"))),
            antivirus(ctx("linux"), AV(P(name="ESET"))),
            antivirus(ctx("linux"), AV(P(name="ESET", enabled=False))),
            antivirus(ctx("linux"), AV(P(name="ESET", enabled=None))),
        ],
    )
    win = {"Private": True, "Public": True}
    yield (
        "network.firewall",
        [
            firewall(ctx("windows"), FW(win, default_inbound_block=True)),
            firewall(ctx("windows"), FW({"Private": False, "Public": False, "Norton": True})),
            firewall(ctx("windows"), FW({"Private": False, "Public": True})),
            firewall(ctx("windows"), FW({"Private": True, "Public": False})),
            firewall(ctx("windows"), FW({"Private": False, "Public": False})),
            firewall(ctx("windows"), FW(win, default_inbound_block=False)),
            firewall(ctx("windows"), FW(win)),
            firewall(ctx("windows"), FW({"Private": None, "Public": True})),
            firewall(ctx("linux"), FW({"ufw": True}, backend="ufw")),
            firewall(ctx("linux"), FW({"firewalld": True}, backend="firewalld", permissive_zone=True)),
            firewall(ctx("linux"), FW({"ufw": False}), exposed_services=LISTEN),
            firewall(ctx("linux"), FW({"ufw": False}), exposed_services=QUIET),
            firewall(ctx("linux"), FW({"ufw": False})),
            firewall(ctx("linux"), FW({}, rules_readable=False)),
        ],
    )
    yield (
        "backups.backup",
        [
            backup(ctx(), B(BackupTool(name="Déjà Dup", configured=True, last_success=ago(1)))),
            backup(ctx(), B(BackupTool(name="Déjà Dup", configured=True, last_success=ago(10)))),
            backup(ctx(), B(BackupTool(name="Déjà Dup", configured=True, last_success=ago(40)))),
            backup(ctx(), B(BackupTool(name="borgmatic", configured=True))),
            backup(ctx(), B(BackupTool(name="OneDrive", configured=True, sync_only=True))),
            backup(ctx(), B()),
        ],
    )


ALL = dict(scenarios())


def test_checks_are_registered():
    impls = implementations()
    for cid in CHECK_IDS:
        assert cid in impls, cid


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_catalogue_entry(check_id):
    spec = load_catalogue().checks[check_id]
    assert set(spec.platforms) == {"windows", "linux", "macos"}
    for lang in ("fr", "en"):
        assert spec.title(lang) and spec.why(lang)
        for platform in ("windows", "linux", "macos"):
            assert spec.fix(lang, platform)


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_summaries_match_between_languages(check_id):
    spec = load_catalogue().checks[check_id]
    fr, en = spec.texts["fr"]["summary"], spec.texts["en"]["summary"]
    assert set(fr) == set(en)
    for key in fr:
        assert placeholders(fr[key]) == placeholders(en[key]), key


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_every_summary_is_reachable_and_renders(check_id):
    spec = load_catalogue().checks[check_id]
    produced = set()
    for v in ALL[check_id]:
        if v.key.startswith("common."):
            continue
        produced.add(v.key)
        for lang in ("fr", "en"):
            template = spec.texts[lang]["summary"].get(v.key)
            assert template is not None, (check_id, v.key, lang)
            assert placeholders(template) <= set(v.params), (check_id, v.key, v.params)
            text = spec.summary(v.key, lang, v.params)
            assert "{" not in text, text
    assert produced == set(spec.texts["en"]["summary"]), set(spec.texts["en"]["summary"]) ^ produced


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_evidence_labels_are_translated(check_id):
    fr, en = catalog("fr"), catalog("en")
    for v in ALL[check_id]:
        for e in v.evidence:
            if e.label in ("Norton",):  # third-party product names are shown as they are
                continue
            assert f"evidence.{e.label}" in fr, e.label
            assert f"evidence.{e.label}" in en, e.label
            word = e.value
            if word in ("on", "off", "yes", "no", "unknown", "passive", "none"):
                assert f"value.{word}" in fr and f"value.{word}" in en, word
