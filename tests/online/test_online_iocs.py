"""IOC refresh against a local server answering like the abuse.ch export and API."""

from __future__ import annotations

import hashlib
import json

import pytest

from clinicguard.cli import main
from clinicguard.online import iocs
from tests.online.test_online_eol import settings_file
from tests.support.online_support import (
    loopback_only,  # noqa: F401
    memory_keyring,  # noqa: F401
)

pytestmark = pytest.mark.usefixtures("loopback_only")

KEY = "abusech-test-key-0123456789"
FAMILIES = ["LummaStealer", "RedLineStealer", "AgentTesla", "n/a", "Vidar", "Formbook", "AMOS", "StealC"]
HEADER = """################################################################
# MalwareBazaar Recent Malware Samples (last 48 hours)         #
# Terms Of Use: https://bazaar.abuse.ch/faq/#tos               #
################################################################
#
# "first_seen_utc","sha256_hash","md5_hash","sha1_hash","reporter","file_name","file_type_guess","mime_type",\
"signature","clamav","vtpercent","imphash","ssdeep","tlsh"
"""


def digest(i: int) -> str:
    return hashlib.sha256(f"sample-{i}".encode()).hexdigest()


def bazaar_csv(rows: int = 40) -> str:
    lines = []
    for i in range(rows):
        sig = FAMILIES[i % len(FAMILIES)]
        lines.append(
            f'"2026-11-28 08:{i % 60:02d}:00", "{digest(i)}", "{"0" * 32}", "{"0" * 40}", "abuse_ch", '
            f'"invoice, {i}.exe", "exe", "application/x-dosexec", "{sig}", "n/a", "n/a", "n/a", "n/a", "n/a"'
        )
    return HEADER + "\n".join(lines) + "\n"


def stealer_digests(rows: int = 40) -> set[str]:
    keep = {"LummaStealer", "RedLineStealer", "Vidar", "AMOS", "StealC"}
    return {digest(i) for i in range(rows) if FAMILIES[i % len(FAMILIES)] in keep}


THREATFOX = {
    "query_status": "ok",
    "data": [
        {
            "id": "1",
            "ioc": digest(1000).upper(),
            "ioc_type": "sha256_hash",
            "threat_type": "payload",
            "malware": "win.stealc",
            "malware_printable": "Stealc",
            "confidence_level": 100,
        },
        {
            "id": "2",
            "ioc": digest(1001),
            "ioc_type": "sha256_hash",
            "threat_type": "payload",
            "malware": "win.agent_tesla",
            "malware_printable": "Agent Tesla",
            "confidence_level": 100,
        },
        {
            "id": "3",
            "ioc": "203.0.113.9:443",
            "ioc_type": "ip:port",
            "threat_type": "botnet_cc",
            "malware": "win.lumma",
            "malware_printable": "Lumma Stealer",
            "confidence_level": 75,
        },
    ],
}


@pytest.fixture
def abusech(httpserver, _isolated_user_dirs, memory_keyring):  # noqa: F811
    url = httpserver.url_for("/").rstrip("/")
    settings_file(_isolated_user_dirs, malwarebazaar_url=url, threatfox_url=url)
    return httpserver


def previous_list() -> tuple[bytes, bytes]:
    folder = iocs.ioc_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sha256.txt").write_text("# old\n" + digest(-1) + "\n", encoding="utf-8")
    (folder / "meta.json").write_text(
        json.dumps({"fetched_at": "2026-11-01T00:00:00Z", "source": "abuse.ch", "count": 1}), encoding="utf-8"
    )
    return (folder / "sha256.txt").read_bytes(), (folder / "meta.json").read_bytes()


def serve_bazaar(server, body: str | bytes | None = None, status: int = 200, ctype: str = "text/plain") -> None:
    server.expect_request("/export/csv/recent/").respond_with_data(
        bazaar_csv() if body is None else body, status=status, content_type=ctype
    )


def test_refresh_without_key_uses_the_public_export(abusech, capsys):
    serve_bazaar(abusech)
    assert main(["update-iocs", "--lang", "en"]) == 0
    text = (iocs.ioc_dir() / "sha256.txt").read_text(encoding="utf-8")
    listed = {line for line in text.splitlines() if line and not line.startswith("#")}
    assert listed == stealer_digests()
    meta = json.loads((iocs.ioc_dir() / "meta.json").read_text(encoding="utf-8"))
    assert meta["count"] == len(listed) and meta["source"] == "abuse.ch MalwareBazaar"
    assert meta["fetched_at"].endswith("Z")
    out = capsys.readouterr()
    assert "auth.abuse.ch" in out.err and "fingerprints" in out.out
    assert "Auth-Key" not in abusech.log[0][0].headers


def test_refresh_with_key_adds_threatfox(abusech, memory_keyring):  # noqa: F811
    memory_keyring.set_password("clinicguard", "abusech-auth-key", KEY)
    abusech.expect_request("/export/csv/recent/", headers={"Auth-Key": KEY}).respond_with_data(
        bazaar_csv(), content_type="text/plain"
    )
    abusech.expect_request(
        "/api/v1/", method="POST", headers={"Auth-Key": KEY}, json={"query": "get_iocs", "days": 7}
    ).respond_with_json(THREATFOX)
    assert main(["update-iocs"]) == 0
    text = (iocs.ioc_dir() / "sha256.txt").read_text(encoding="utf-8")
    assert digest(1000) in text and digest(1001) not in text and "203.0.113.9" not in text
    meta = json.loads((iocs.ioc_dir() / "meta.json").read_text(encoding="utf-8"))
    assert meta["source"] == "abuse.ch MalwareBazaar + ThreatFox"
    assert meta["count"] == len(stealer_digests()) + 1


BAD_ROW = '"2026-11-28 08:00:00", "not-a-hash", "x", "y", "r", "f", "exe", "m", "LummaStealer", "n/a"\n'


@pytest.mark.parametrize(
    "body, status, ctype",
    [
        ("<html><body>Hotel Wi-Fi: please log in</body></html>", 200, "text/html"),
        (bazaar_csv() + BAD_ROW, 200, "text/plain"),
        (bazaar_csv() + '"2026-11-28 08:00:00", "' + digest(99)[:20], 200, "text/plain"),  # cut mid-row
        (bazaar_csv(rows=8), 200, "text/plain"),  # too few stealer samples to be a real export
        (HEADER, 200, "text/plain"),
        ("some,thing\nelse", 200, "text/plain"),
        (b"PK\x03\x04\x00\x00binary", 200, "application/octet-stream"),
        ("maintenance", 503, "text/plain"),
        ("{}", 200, "application/json"),
    ],
)
def test_bad_downloads_keep_the_previous_list(abusech, capsys, body, status, ctype):
    before = previous_list()
    serve_bazaar(abusech, body, status, ctype)
    assert main(["update-iocs", "--lang", "fr"]) == 2
    folder = iocs.ioc_dir()
    assert ((folder / "sha256.txt").read_bytes(), (folder / "meta.json").read_bytes()) == before
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json", "sha256.txt"]  # no temporary left
    assert "liste précédente est conservée (1 empreintes, du 01/11/2026)" in capsys.readouterr().err


def test_huge_download_is_refused(abusech, monkeypatch, capsys):
    before = previous_list()
    monkeypatch.setattr(iocs, "MAX_BYTES", 2000)
    serve_bazaar(abusech)
    assert main(["update-iocs", "--lang", "en"]) == 2
    assert (iocs.ioc_dir() / "sha256.txt").read_bytes() == before[0]
    assert "larger than allowed" in capsys.readouterr().err


def test_redirect_to_another_host_is_refused(abusech, capsys):
    before = previous_list()
    abusech.expect_request("/export/csv/recent/").respond_with_data(
        "", status=302, headers={"Location": "https://mirror.example.net/recent.csv"}
    )
    assert main(["update-iocs", "--lang", "en"]) == 2
    assert (iocs.ioc_dir() / "sha256.txt").read_bytes() == before[0]
    assert "redirection to another site refused" in capsys.readouterr().err


@pytest.mark.parametrize(
    "answer, status",
    [
        ({"error": "Unauthorized"}, 401),
        ({"query_status": "illegal"}, 200),
        ({"query_status": "ok", "data": [{"ioc": "zz", "ioc_type": "sha256_hash", "malware": "win.lumma"}]}, 200),
    ],
)
def test_a_failed_second_source_keeps_the_previous_list(abusech, memory_keyring, answer, status):  # noqa: F811
    memory_keyring.set_password("clinicguard", "abusech-auth-key", KEY)
    before = previous_list()
    serve_bazaar(abusech)
    abusech.expect_request("/api/v1/", method="POST").respond_with_json(answer, status=status)
    assert main(["update-iocs"]) == 2
    assert (iocs.ioc_dir() / "sha256.txt").read_bytes() == before[0]


def test_no_previous_list_says_the_bundled_one_is_used(abusech, capsys):
    serve_bazaar(abusech, "nope", 500)
    assert main(["update-iocs", "--lang", "en"]) == 2
    assert "only the list bundled" in capsys.readouterr().err
    assert not (iocs.ioc_dir() / "sha256.txt").exists()


def test_a_second_refresh_within_the_hour_waits_unless_forced(abusech, capsys):
    serve_bazaar(abusech)
    assert main(["update-iocs", "--lang", "en"]) == 0
    assert main(["update-iocs", "--lang", "en"]) == 0
    assert len(abusech.log) == 1
    assert "--force" in capsys.readouterr().out
    assert main(["update-iocs", "--force"]) == 0
    assert len(abusech.log) == 2
