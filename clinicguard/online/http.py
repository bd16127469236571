"""The one HTTP helper every online service uses.

Guarantees: https only (plain http is accepted for loopback test servers
only), TLS verified, connect and read timeouts plus an overall deadline, a
clear User-Agent, no cookies kept or sent, redirects followed only to the
same scheme, host and port, the body streamed under a size cap, the
content type checked, 429 answers honoured with a bounded wait. Every
failure becomes an :class:`OnlineError` with a French and English message.
Nothing but the service name, status and size is logged: URLs can carry
an e-mail address or a hash prefix.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from clinicguard import __version__
from clinicguard.core.errors import ClinicGuardError

log = logging.getLogger("clinicguard.online")

PROJECT_URL = "https://pypi.org/project/clinicguard/"
USER_AGENT = f"clinicguard/{__version__} (+{PROJECT_URL})"

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0
MAX_REDIRECTS = 3
CHUNK = 64 * 1024

# Service id -> (display name, production base URL). Overridable with
# ``[online] <id>_url`` in the settings (see base_url()).
SERVICES: dict[str, tuple[str, str]] = {
    "endoflife": ("endoflife.date", "https://endoflife.date"),
    "pwnedpasswords": ("Pwned Passwords", "https://api.pwnedpasswords.com"),
    "hibp": ("Have I Been Pwned", "https://haveibeenpwned.com"),
    "malwarebazaar": ("MalwareBazaar (abuse.ch)", "https://bazaar.abuse.ch"),
    "threatfox": ("ThreatFox (abuse.ch)", "https://threatfox-api.abuse.ch"),
}


class OnlineError(ClinicGuardError):
    """An online service could not be used; ``kind`` names the message."""

    prefix = "online.error."

    def __init__(self, kind: str, service: str = "", **params: Any) -> None:
        self.kind = kind
        self.service = service
        super().__init__(self._english(kind, service, params))
        self.params = params

    def message(self, lang: str) -> str:
        from clinicguard.i18n import t

        name = SERVICES.get(self.service, (self.service or "?",))[0]
        return t(f"{self.prefix}{self.kind}", lang, service=name, **self.params)

    @classmethod
    def _english(cls, kind: str, service: str, params: dict[str, Any]) -> str:
        from clinicguard.i18n import t

        name = SERVICES.get(service, (service or "?",))[0]
        return t(f"{cls.prefix}{kind}", "en", service=name, **params)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, service: str = "") -> str:
    """Refuse anything but https (or http to this machine), and credentials in URLs."""
    parts = urlsplit(url)
    ok_scheme = parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))
    if not ok_scheme or not parts.hostname or parts.username or parts.password:
        raise OnlineError("bad_url", service, url=_shown(url))
    return url.rstrip("/")


def _shown(url: str) -> str:
    """Scheme and host only: never echo a path or credentials."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}"


def base_url(service: str, settings: Mapping[str, Any] | None = None) -> str:
    configured = str((settings or {}).get("online", {}).get(f"{service}_url", "") or "")
    return check_url(configured or SERVICES[service][1], service)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes
    service: str

    def text(self) -> str:
        try:
            return self.body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise OnlineError("garbage", self.service) from None

    def json(self) -> Any:
        try:
            return json.loads(self.text())
        except (json.JSONDecodeError, RecursionError):
            raise OnlineError("garbage", self.service) from None


def retry_after_s(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.now(UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


class Client:
    """A polite, suspicious HTTP client for one service."""

    def __init__(
        self,
        service: str,
        base: str,
        *,
        connect_timeout: float = CONNECT_TIMEOUT_S,
        read_timeout: float = READ_TIMEOUT_S,
        deadline_s: float = 60.0,
        max_wait_429: float = 30.0,
        retries_429: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from http.cookiejar import DefaultCookiePolicy  # lazy: pulls in urllib.request

        import requests

        self.service = service
        self.base = check_url(base, service)
        self.timeout = (connect_timeout, read_timeout)
        self.deadline_s = deadline_s
        self.max_wait_429 = max_wait_429
        self.retries_429 = retries_429
        self.sleep = sleep
        self._session = requests.Session()
        # Proxies are read below by hand: trust_env would also pull in
        # ~/.netrc credentials and CA settings we do not control.
        self._session.trust_env = False
        self._session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self._session.headers.clear()
        self._session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Reply:
        return self.request("POST", path, **kw)

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        data: Any = None,
        json_body: Any = None,
        expect: Iterable[str] = ("application/json",),
        max_bytes: int = 1 << 20,
        ok: Iterable[int] = (200,),
    ) -> Reply:
        url = self.base + path
        ok_statuses = set(ok)
        expected = {e.lower() for e in expect}
        started = time.monotonic()
        redirects = waits = 0
        while True:
            status, resp_headers, body = self._once(method, url, headers, params, data, json_body, max_bytes, started)
            if status in (301, 302, 303, 307, 308) and status not in ok_statuses:
                url = self._follow(url, resp_headers.get("Location"))
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise OnlineError("redirect", self.service)
                if status in (301, 302, 303):
                    method, data, json_body = "GET", None, None
                params = None  # already part of the Location
                continue
            if status == 429 and status not in ok_statuses:
                wait = retry_after_s(resp_headers.get("Retry-After"))
                wait = 1.0 if wait is None else wait
                if waits >= self.retries_429 or wait > self.max_wait_429:
                    raise OnlineError("rate_limited", self.service, seconds=int(wait + 0.999))
                waits += 1
                log.info("%s: rate limited, waiting %.1f s", self.service, wait)
                self.sleep(wait)
                started = time.monotonic()  # the deadline is per attempt, not counting the announced wait
                continue
            break
        if status not in ok_statuses:
            raise self._status_error(status)
        reply = Reply(status, resp_headers, body, self.service)
        if status == 200 and expected:
            media = resp_headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media not in expected:
                raise OnlineError("bad_content_type", self.service, got=media or "-")
        return reply

    def _once(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
        data: Any,
        json_body: Any,
        max_bytes: int,
        started: float,
    ) -> tuple[int, Mapping[str, str], bytes]:
        import requests

        host = urlsplit(url).hostname
        proxies = {} if is_loopback(host) else requests.utils.get_environ_proxies(url)
        verify: bool | str = os.environ.get("REQUESTS_CA_BUNDLE") or True
        try:
            with self._session.request(
                method,
                url,
                headers=dict(headers or {}),
                params=params,
                data=data,
                json=json_body,
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
                verify=verify,
                proxies=proxies,
            ) as resp:
                declared = resp.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise OnlineError("too_large", self.service, limit=_size(max_bytes))
                body = bytearray()
                for chunk in _chunks(resp):
                    body += chunk
                    if len(body) > max_bytes:
                        raise OnlineError("too_large", self.service, limit=_size(max_bytes))
                    if time.monotonic() - started > self.deadline_s:
                        raise OnlineError("timeout", self.service)
                log.info("%s: HTTP %s, %d bytes", self.service, resp.status_code, len(body))
                return resp.status_code, resp.headers, bytes(body)
        except OnlineError as exc:
            if not exc.service:
                raise OnlineError(exc.kind, self.service, **exc.params) from None
            raise
        except requests.exceptions.SSLError:
            raise OnlineError("tls", self.service) from None
        except requests.exceptions.Timeout:
            raise OnlineError("timeout", self.service) from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise OnlineError("truncated", self.service) from None
        except requests.exceptions.RequestException as exc:
            log.info("%s: network error %s", self.service, type(exc).__name__)
            raise OnlineError("network", self.service) from None

    def _follow(self, current: str, location: str | None) -> str:
        if not location:
            raise OnlineError("redirect", self.service)
        target = urljoin(current, location)
        a, b = urlsplit(current), urlsplit(target)
        if (a.scheme, a.hostname, a.port) != (b.scheme, b.hostname, b.port):
            raise OnlineError("redirect", self.service)
        return target

    def _status_error(self, status: int) -> OnlineError:
        if status in (401, 403):
            return OnlineError("unauthorized", self.service, status=status)
        if status == 404:
            return OnlineError("not_found", self.service)
        if status >= 500:
            return OnlineError("server_error", self.service, status=status)
        return OnlineError("http_status", self.service, status=status)


def _chunks(resp: Any) -> Iterator[bytes]:
    """Body pieces as they arrive, so the overall deadline is checked after every read.

    ``iter_content`` waits for a full chunk: a server sending one byte at a
    time would outlast the deadline. urllib3 2's ``read1`` returns whatever
    has arrived.
    """
    read1 = getattr(resp.raw, "read1", None)
    if read1 is None:  # urllib3 1.x
        yield from resp.iter_content(CHUNK)
        return
    import urllib3.exceptions

    try:
        while chunk := read1(CHUNK, decode_content=True):
            yield chunk
    except urllib3.exceptions.ReadTimeoutError:
        raise OnlineError("timeout", "") from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError):
        raise OnlineError("truncated", "") from None


def _size(n: int) -> str:
    return f"{n // 1024} KiB" if n < (1 << 20) else f"{n // (1 << 20)} MiB"
