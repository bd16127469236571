"""Optional online services. Nothing here runs unless the user asks.

Every request goes through :mod:`clinicguard.online.http` (timeouts, TLS
verification, a clear User-Agent, a size cap, content-type checks, no
cookies, redirects only to the same host). Services:

- :mod:`.eol_refresh`: end-of-support dates from endoflife.date;
- :mod:`.iocs`: recent infostealer SHA-256 digests from abuse.ch;
- :mod:`.pwned`: Pwned Passwords range search (k-anonymity);
- :mod:`.hibp`: Have I Been Pwned breached-account search (paid key);
- :mod:`.secrets`: API keys, kept in the OS keyring only.
"""

from __future__ import annotations

from typing import Any


def online_allowed(flag: bool | None, settings: dict[str, Any] | None) -> bool:
    """``--online``/``--offline`` win; otherwise the ``[online] enabled`` setting (off by default)."""
    if flag is not None:
        return flag
    return bool((settings or {}).get("online", {}).get("enabled", False))
