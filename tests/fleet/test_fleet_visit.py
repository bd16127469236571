"""Fleet visit files and machine identity: content hash, atomic write, reading hostile or damaged files."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest

from clinicguard.core.model import Status
from clinicguard.fleet import identity
from clinicguard.fleet.visit import (
    SUFFIX,
    VisitError,
    content_hash,
    parse_visit,
    read_visit,
    slug,
    visit_file_name,
    write_visit,
)
from tests.support.fleet_support import machine_id, make_assessment, visit_document
from tests.support.paths import ROOT

SCHEMA = ROOT / "clinicguard" / "schema" / "fleet-visit.schema.json"


class FakeHost:
    def __init__(self, platform, files=None, registry=None, commands=None):
        self.platform = platform
        self.files = files or {}
        self.registry = registry or {}
        self.commands = commands or {}

    def read_text(self, path, limit=0):
        from clinicguard.host import FileMissing

        if path not in self.files:
            raise FileMissing(path)
        value = self.files[path]
        if isinstance(value, Exception):
            raise value
        return value

    def registry_values(self, key):
        from clinicguard.host import FileMissing

        if key not in self.registry:
            raise FileMissing(key)
        return self.registry[key]

    def run(self, argv, timeout=10):
        from clinicguard.host import ToolMissing
        from clinicguard.host.base import CommandResult

        if argv[0] not in self.commands:
            raise ToolMissing(argv[0])
        return CommandResult(tuple(argv), 0, self.commands[argv[0]], "")


class TestIdentity:
    LINUX_ID = "4c4c4544004d3510804bc4c04f4b3233"

    def test_linux_id_is_hashed_never_raw(self):
        host = FakeHost("linux", {"/etc/machine-id": self.LINUX_ID + "\n"})
        ident = identity.machine_identity(host)
        assert len(ident) == 64 and self.LINUX_ID not in ident
        assert ident == identity.hash_machine_id(self.LINUX_ID.upper())

    def test_linux_falls_back_to_dbus_and_rejects_uninitialized(self):
        host = FakeHost("linux", {"/etc/machine-id": "uninitialized\n", "/var/lib/dbus/machine-id": self.LINUX_ID})
        assert identity.machine_identity(host) == identity.hash_machine_id(self.LINUX_ID)
        with pytest.raises(identity.NoMachineId):
            identity.machine_identity(FakeHost("linux", {"/etc/machine-id": "0" * 32}))

    def test_windows_machine_guid(self):
        guid = "6F1B1E0C-7E4A-4A5D-9C1E-2B3C4D5E6F70"
        host = FakeHost("windows", registry={identity.WINDOWS_KEY: {"MachineGuid": guid}})
        assert identity.machine_identity(host) == identity.hash_machine_id(guid.lower())
        with pytest.raises(identity.NoMachineId):
            identity.machine_identity(FakeHost("windows", registry={identity.WINDOWS_KEY: {"MachineGuid": "junk"}}))
        with pytest.raises(identity.NoMachineId, match="FileMissing"):
            identity.machine_identity(FakeHost("windows"))

    def test_mac_platform_uuid(self):
        # Output shape of `ioreg -rd1 -c IOPlatformExpertDevice` (hand-written, values invented).
        out = (
            "+-o J314sAP  <class IOPlatformExpertDevice, id 0x100000218, registered, matched, active>\n"
            '  {\n    "IOPlatformSerialNumber" = "C02XXXXXXX"\n'
            '    "IOPlatformUUID" = "A1B2C3D4-E5F6-7081-92A3-B4C5D6E7F809"\n  }\n'
        )
        host = FakeHost("macos", commands={"ioreg": out})
        assert identity.machine_identity(host) == identity.hash_machine_id("a1b2c3d4-e5f6-7081-92a3-b4c5d6e7f809")
        with pytest.raises(identity.NoMachineId):
            identity.machine_identity(FakeHost("macos"))

    def test_unknown_platform(self):
        with pytest.raises(identity.NoMachineId, match="unsupported"):
            identity.machine_identity(FakeHost("plan9"))


class TestVisitFile:
    def test_round_trip_schema_and_hash(self, tmp_path):
        doc = visit_document(1, "Infirmerie 1", make_assessment({"network.firewall": Status.FAIL}))
        jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
        path = write_visit(tmp_path, doc)
        assert path.name.endswith(SUFFIX) and path.name.startswith("infirmerie-1_")
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        visit = read_visit(path)
        assert visit.machine_id == machine_id(1) and visit.label == "Infirmerie 1"
        assert visit.content_hash == content_hash(doc)
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file left"

    def test_same_visit_twice_is_one_file(self, tmp_path):
        doc = visit_document(1, "Accueil", make_assessment())
        assert write_visit(tmp_path, doc) == write_visit(tmp_path, doc)
        assert len(list(tmp_path.iterdir())) == 1

    def test_write_failure_leaves_nothing(self, tmp_path, monkeypatch):
        from clinicguard.core.errors import ClinicGuardError

        doc = visit_document(1, "Accueil", make_assessment())

        def unplugged(*_a, **_k):
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(os, "replace", unplugged)
        with pytest.raises(ClinicGuardError, match="Input/output"):
            write_visit(tmp_path, doc)
        assert list(tmp_path.iterdir()) == []

    def test_hostile_label_file_name(self):
        assert slug("\x1b[31mÉcran\x00/../../etc") == "31mecran-etc"
        assert slug("***") == "poste"
        doc = visit_document(2, "\x1b]0;pwn\x07Bureau Directrice", make_assessment())
        name = visit_file_name(doc)
        assert "/" not in name and "\x1b" not in name and name.startswith("0-pwn-bureau-directrice_")

    def test_tampered(self):
        doc = visit_document(1, "Accueil", make_assessment())
        doc["assessment"]["results"][0]["status"] = (
            "PASS" if doc["assessment"]["results"][0]["status"] != "PASS" else "FAIL"
        )
        with pytest.raises(VisitError) as err:
            parse_visit(json.dumps(doc).encode(), "x.json")
        assert err.value.reason == "tampered"

    def test_newer_file_and_newer_assessment(self):
        doc = visit_document(1, "Accueil", make_assessment())
        doc["version"] = 99
        with pytest.raises(VisitError) as err:
            parse_visit(json.dumps(doc).encode(), "x.json")
        assert err.value.reason == "newer"
        doc = visit_document(1, "Accueil", make_assessment())
        doc["assessment"]["schema_version"] = 99
        with pytest.raises(VisitError) as err:
            parse_visit(json.dumps(doc).encode(), "x.json")
        assert err.value.reason == "newer"

    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            (b"\xff\xfe not utf-8", "unreadable"),
            (b'{"format": "clinicguard-fleet-visit", "version": 1', "unreadable"),
            (b"[" * 100000 + b"]" * 100000, "unreadable"),
            (b'{"format": "something-else"}', "invalid"),
            (b'{"format": "clinicguard-fleet-visit", "version": "1"}', "invalid"),
        ],
    )
    def test_unreadable_or_invalid(self, data, reason):
        with pytest.raises(VisitError) as err:
            parse_visit(data, "x.json")
        assert err.value.reason == reason

    def test_invalid_identity_even_with_matching_hash(self):
        from clinicguard.fleet.visit import content_hash as ch

        doc = visit_document(1, "Accueil", make_assessment())
        doc["machine"]["id"] = "/etc/machine-id raw"
        doc["content_hash"] = ch(doc)
        with pytest.raises(VisitError) as err:
            parse_visit(json.dumps(doc).encode(), "x.json")
        assert err.value.reason == "invalid"

    def test_fifo_symlink_and_huge_file_are_not_followed(self, tmp_path):
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        with pytest.raises(VisitError, match="not a regular file"):
            read_visit(fifo)
        target = tmp_path / "real.json"
        target.write_text("{}")
        (tmp_path / "link.json").symlink_to(target)
        with pytest.raises(VisitError) as err:
            read_visit(tmp_path / "link.json")
        assert err.value.reason == "unreadable"
        big = tmp_path / "big.json"
        with big.open("wb") as fh:
            fh.truncate(17 * 1024 * 1024)
        with pytest.raises(VisitError, match="larger than"):
            read_visit(big)


def test_reindented_file_still_checks_out_and_edit_does_not(tmp_path):
    doc = visit_document(1, "Accueil", make_assessment())
    path = write_visit(tmp_path, doc)
    pretty = json.dumps(json.loads(path.read_bytes()), indent=4, ensure_ascii=False)
    assert read_visit_bytes(pretty.encode()).content_hash == doc["content_hash"]
    edited = pretty.replace('"Accueil"', '"Accueil 2"', 1)
    with pytest.raises(VisitError) as err:
        read_visit_bytes(edited.encode())
    assert err.value.reason == "tampered"
    # Bytes appended after the hash are an edit too.
    with pytest.raises(VisitError):
        read_visit_bytes(path.read_bytes().replace(b'"Accueil"', b'"Accuei1"', 1))


def read_visit_bytes(data: bytes):  # type: ignore[no-untyped-def]
    return parse_visit(data, "x.json")
