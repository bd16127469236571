"""End-of-support refresh from a local server answering like endoflife.date (API v0)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from clinicguard.cli import main
from clinicguard.online.eol_refresh import PRODUCTS, cache_path, parse_product
from tests.support.online_support import loopback_only  # noqa: F401
from tests.support.paths import FIXTURES

pytestmark = pytest.mark.usefixtures("loopback_only")

RESPONSES = FIXTURES / "online" / "endoflife"


def settings_file(base: Path, **online: object) -> None:
    lines = ["[online]"] + [f"{k} = {json.dumps(v)}" for k, v in online.items()]
    (base / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def eol_server(httpserver, _isolated_user_dirs):
    settings_file(_isolated_user_dirs, endoflife_url=httpserver.url_for("/").rstrip("/"))
    return httpserver


def serve_all(server, **override: tuple[str | bytes, int, str]) -> None:
    for product in PRODUCTS:
        body, status, ctype = override.get(product) or (
            (RESPONSES / f"{product}.json").read_text(encoding="utf-8"),
            200,
            "application/json",
        )
        server.expect_request(f"/api/{product}.json").respond_with_data(body, status=status, content_type=ctype)


def old_cache() -> bytes:
    path = cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "fetched_at": "2026-01-01T00:00:00Z",
        "source": "endoflife.date",
        "releases": [{"os": "debian", "cycle": "12", "label": "12", "eol": "2026-06-10", "extended": None}],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path.read_bytes()


def test_update_eol_writes_the_shared_cache(eol_server, capsys):
    serve_all(eol_server)
    assert main(["update-eol", "--lang", "en"]) == 0
    doc = json.loads(cache_path().read_text(encoding="utf-8"))
    assert doc["source"] == "endoflife.date" and doc["fetched_at"].endswith("Z")
    rel = {(r["os"], r["cycle"]): r for r in doc["releases"]}
    assert set(rel[("windows", "11-24h2-w")]) == {"os", "cycle", "label", "eol", "extended"}
    assert rel[("windows", "11-24h2-w")]["eol"] == "2026-10-13"
    assert rel[("windows", "10-22h2")]["extended"] == "2028-10-10"
    assert ("windows", "xp") not in rel  # eol: true has no date to give
    assert rel[("macos", "26")] == {"os": "macos", "cycle": "26", "label": "26 (Tahoe)", "eol": None, "extended": None}
    assert rel[("ubuntu", "25.10")]["extended"] is None
    assert {os for os, _ in rel} == set(PRODUCTS)
    assert "updated" in capsys.readouterr().out


@pytest.mark.parametrize(
    "override",
    [
        {"macos": ("oops", 503, "text/plain")},
        {"debian": ("<html>Wi-Fi login</html>", 200, "text/html")},
        {"fedora": ('{"error": "x"}', 200, "application/json")},
        {"fedora": ("[]", 200, "application/json")},
        {"ubuntu": ('[{"cycle": "24.04", "eol": "2029-31-05"}]', 200, "application/json")},
        {"ubuntu": ('[{"cycle": "../../etc", "eol": "2029-05-31"}]', 200, "application/json")},
        {"windows": ('[{"cycle": "11", "eol": "2029-05-31"}, 42]', 200, "application/json")},
        {"windows": ('[{"cycle": "11", "eol": "2029-05-31"', 200, "application/json")},
        {"debian": (b"\x00\x01garbage", 200, "application/json")},
        {"macos": ("[" + ",".join(['{"cycle": "1", "eol": false}'] * 600) + "]", 200, "application/json")},
    ],
)
def test_bad_answers_change_nothing_on_disk(eol_server, capsys, override):
    before = old_cache()
    serve_all(eol_server, **override)
    assert main(["update-eol", "--lang", "fr"]) == 2
    assert cache_path().read_bytes() == before
    err = capsys.readouterr().err
    assert "endoflife.date" in err and "hors ligne" in err and "01/01/2026" in err


def test_parse_product_accepts_numeric_cycles():
    assert parse_product("fedora", [{"cycle": 44, "eol": "2027-06-02"}])[0]["cycle"] == "44"


def test_check_online_refreshes_before_assessing(eol_server, capsys):
    serve_all(eol_server)
    assert main(["check", "--online", "--lang", "en"]) in (0, 1)
    assert cache_path().exists()
    assert "End-of-support dates updated" in capsys.readouterr().err


def test_check_online_does_not_refetch_a_fresh_cache(eol_server, capsys):
    serve_all(eol_server)
    main(["update-eol"])
    count = len(eol_server.log)
    capsys.readouterr()
    main(["check", "--online", "--lang", "en"])
    assert len(eol_server.log) == count
    assert "already up to date" in capsys.readouterr().err


def test_check_online_says_when_it_falls_back(_isolated_user_dirs, capsys):
    settings_file(_isolated_user_dirs, endoflife_url="http://127.0.0.1:9")
    assert main(["check", "--online", "--lang", "fr", "--format", "json"]) in (0, 1)
    out = capsys.readouterr()
    assert "hors ligne intégrées" in out.err
    json.loads(out.out)  # the report itself stays clean


def test_settings_enable_online_and_offline_flag_wins(eol_server, _isolated_user_dirs):
    serve_all(eol_server)
    settings_file(_isolated_user_dirs, enabled=True, endoflife_url=eol_server.url_for("/").rstrip("/"))
    main(["check", "--offline"])
    assert not cache_path().exists()
    main(["check"])
    assert cache_path().exists()


def test_plain_http_to_a_real_host_is_refused(_isolated_user_dirs, capsys):
    settings_file(_isolated_user_dirs, endoflife_url="http://endoflife.date")
    assert main(["update-eol", "--lang", "en"]) == 2
    assert "only an https address" in capsys.readouterr().err


def test_default_run_opens_no_network_connection(monkeypatch, capsys):
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):  # probes run in threads: record, then fail the call
        attempts.append(args)
        raise OSError("network connection attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for argv in ([], ["check"], ["check", "--format", "json"], ["checks"]):
        assert main(argv) in (0, 1)
    assert attempts == []
    assert "network connection attempted" not in capsys.readouterr().err
    assert not cache_path().exists()


def test_refresh_if_stale_refetches_a_day_old_cache(eol_server):
    from datetime import timedelta

    from clinicguard.files.config import load_config
    from clinicguard.online.eol_refresh import cached_fetched_at, refresh_if_stale

    serve_all(eol_server)
    settings = load_config()
    assert refresh_if_stale(settings, "en")[0]
    first = cached_fetched_at()
    ok, lines = refresh_if_stale(settings, "en", now=first + timedelta(hours=23))
    assert ok and lines[0].startswith("End-of-support dates already")
    assert len(eol_server.log) == len(PRODUCTS)
    ok, lines = refresh_if_stale(settings, "en", now=first + timedelta(hours=25))
    assert ok and lines[0].startswith("End-of-support dates updated")
    assert len(eol_server.log) == 2 * len(PRODUCTS)
