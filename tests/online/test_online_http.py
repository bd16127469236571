"""The shared HTTP helper against a real local server."""

from __future__ import annotations

import gzip
import threading
import time

import pytest
from werkzeug.wrappers import Response

from clinicguard.online.http import USER_AGENT, Client, OnlineError, check_url, retry_after_s
from tests.support.online_support import loopback_only  # noqa: F401

pytestmark = pytest.mark.usefixtures("loopback_only")


def client(httpserver, **kw) -> Client:
    kw.setdefault("read_timeout", 0.3)
    kw.setdefault("sleep", lambda s: None)
    return Client("endoflife", httpserver.url_for("/").rstrip("/"), **kw)


def test_success_sends_user_agent_and_no_cookie(httpserver):
    httpserver.expect_request("/x", headers={"User-Agent": USER_AGENT}).respond_with_json(
        {"a": 1}, headers={"Set-Cookie": "track=1; Path=/"}
    )
    httpserver.expect_request("/y").respond_with_json([])
    with client(httpserver) as c:
        assert c.get("/x").json() == {"a": 1}
        c.get("/y")
    second = httpserver.log[-1][0]
    assert "Cookie" not in second.headers
    assert USER_AGENT.startswith("clinicguard/") and "+https://" in USER_AGENT


@pytest.mark.parametrize(
    "status, kind",
    [
        (404, "not_found"),
        (401, "unauthorized"),
        (403, "unauthorized"),
        (500, "server_error"),
        (503, "server_error"),
        (400, "http_status"),
    ],
)
def test_status_errors(httpserver, status, kind):
    httpserver.expect_request("/x").respond_with_data("no", status=status)
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x")
    assert err.value.kind == kind
    assert "endoflife.date" in err.value.message("fr")


def test_429_retry_after_is_honoured_then_succeeds(httpserver):
    waits: list[float] = []
    httpserver.expect_ordered_request("/x").respond_with_data("slow down", status=429, headers={"Retry-After": "2"})
    httpserver.expect_ordered_request("/x").respond_with_json({"ok": True})
    assert client(httpserver, sleep=waits.append).get("/x").json() == {"ok": True}
    assert waits == [2.0]


def test_429_with_long_retry_after_gives_up_with_the_delay(httpserver):
    waits: list[float] = []
    httpserver.expect_request("/x").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(OnlineError) as err:
        client(httpserver, sleep=waits.append).get("/x")
    assert err.value.kind == "rate_limited" and err.value.params["seconds"] == 3600
    assert waits == []
    assert "3600" in err.value.message("fr")


def test_429_retries_are_bounded(httpserver):
    waits: list[float] = []
    httpserver.expect_request("/x").respond_with_data("", status=429, headers={"Retry-After": "1"})
    with pytest.raises(OnlineError):
        client(httpserver, sleep=waits.append, retries_429=2).get("/x")
    assert waits == [1.0, 1.0]


def test_timeout(httpserver):
    release = threading.Event()

    def slow(_request):
        release.wait(2)
        return Response("late")

    httpserver.expect_request("/x").respond_with_handler(slow)
    with pytest.raises(OnlineError) as err:
        client(httpserver, read_timeout=0.2).get("/x", expect=())
    release.set()  # free the single-threaded server for the next test
    assert err.value.kind == "timeout"


def test_connection_refused_is_a_network_error():
    with pytest.raises(OnlineError) as err:
        Client("endoflife", "http://127.0.0.1:9", connect_timeout=0.5).get("/x")
    assert err.value.kind in ("network", "timeout")


def test_truncated_body(httpserver):
    def short(_request):
        return Response(
            iter([b"only a part"]),
            headers={"Content-Length": "5000", "Content-Type": "application/json", "Connection": "close"},
        )

    httpserver.expect_request("/x").respond_with_handler(short)
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x")
    assert err.value.kind == "truncated"


def test_wrong_content_type(httpserver):
    httpserver.expect_request("/x").respond_with_data("<html>portal</html>", content_type="text/html")
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x")
    assert err.value.kind == "bad_content_type" and err.value.params["got"] == "text/html"


def test_garbage_json(httpserver):
    httpserver.expect_request("/x").respond_with_data(b"\xff\xfe{not json", content_type="application/json")
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x").json()
    assert err.value.kind == "garbage"


def test_huge_body_with_content_length(httpserver):
    httpserver.expect_request("/x").respond_with_data("x" * 5000, content_type="application/json")
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x", max_bytes=1000)
    assert err.value.kind == "too_large"


def test_huge_streamed_body_without_content_length(httpserver):
    def endless(_request):
        return Response((b"y" * 1024 for _ in range(100)), content_type="application/json")

    httpserver.expect_request("/x").respond_with_handler(endless)
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x", max_bytes=10_000)
    assert err.value.kind == "too_large"


def test_redirect_to_another_host_is_refused(httpserver):
    httpserver.expect_request("/x").respond_with_data("", status=302, headers={"Location": "https://evil.example/x"})
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x")
    assert err.value.kind == "redirect"
    assert len(httpserver.log) == 1


def test_redirect_to_another_port_is_refused(httpserver):
    httpserver.expect_request("/x").respond_with_data("", status=301, headers={"Location": "http://localhost:1/x"})
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x")
    assert err.value.kind == "redirect"


def test_redirect_on_the_same_host_is_followed(httpserver):
    httpserver.expect_request("/x").respond_with_data("", status=301, headers={"Location": "/y"})
    httpserver.expect_request("/y").respond_with_json([1])
    assert client(httpserver).get("/x").json() == [1]


def test_redirect_loop_stops(httpserver):
    httpserver.expect_request("/x").respond_with_data("", status=302, headers={"Location": "/x"})
    with pytest.raises(OnlineError) as err:
        client(httpserver).get("/x")
    assert err.value.kind == "redirect"


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://endoflife.date", True),
        ("http://127.0.0.1:8000", True),
        ("http://localhost:1", True),
        ("http://[::1]:80", True),
        ("http://endoflife.date", False),
        ("ftp://localhost", False),
        ("https://user:pw@example.org", False),
        ("file:///etc/passwd", False),
        ("https://", False),
    ],
)
def test_only_https_or_loopback_http(url, ok):
    if ok:
        assert check_url(url)
    else:
        with pytest.raises(OnlineError) as err:
            check_url(url)
        assert "pw" not in err.value.message("en")


def test_retry_after_forms():
    assert retry_after_s("7") == 7.0
    assert retry_after_s(None) is None
    assert retry_after_s("soon") is None
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0


def test_every_error_has_both_languages():
    from clinicguard.i18n import catalog

    fr = {k for k in catalog("fr") if k.startswith("online.")}
    en = {k for k in catalog("en") if k.startswith("online.")}
    assert fr == en and fr


def test_a_dribbling_server_is_cut_at_the_deadline(httpserver):
    stop = threading.Event()

    def dribble(_request):
        def body():
            for _ in range(40):
                if stop.wait(0.05):
                    return
                yield b"["

        return Response(body(), content_type="application/json")

    httpserver.expect_request("/x").respond_with_handler(dribble)
    started = time.monotonic()
    with pytest.raises(OnlineError) as err:
        client(httpserver, deadline_s=0.5).get("/x")
    stop.set()
    assert err.value.kind == "timeout" and err.value.service == "endoflife"
    assert time.monotonic() - started < 1.5


def test_gzip_is_decoded_and_the_cap_applies_to_the_decoded_size(httpserver):
    small = gzip.compress(b'{"ok": true}')
    bomb = gzip.compress(b" " * 1_000_000)
    httpserver.expect_request("/small").respond_with_data(
        small, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    c = client(httpserver)
    assert c.get("/small").json() == {"ok": True}
    with pytest.raises(OnlineError) as err:
        c.get("/bomb", max_bytes=100_000)
    assert err.value.kind == "too_large" and len(bomb) < 100_000


def test_the_test_guard_stops_any_connection_beyond_this_machine():
    with pytest.raises(AssertionError, match="192.0.2.1"):
        Client("endoflife", "https://192.0.2.1", connect_timeout=0.5).get("/x")
