"""API keys live in the OS keyring and nowhere else.

Keys are never written to the settings, logged or printed. A keyring
backend that does not really protect them (keyring's ``fail`` and ``null``
backends, the plaintext or file backends of ``keyrings.alt``) is refused
with a clear message rather than used.
"""

from __future__ import annotations

from typing import Any

from clinicguard.online.http import OnlineError

KEYRING_SERVICE = "clinicguard"
# Name used on the command line -> (entry name in the keyring, online service it unlocks).
KEYS: dict[str, tuple[str, str]] = {
    "hibp": ("hibp-api-key", "hibp"),
    "abusech": ("abusech-auth-key", "malwarebazaar"),
}
MAX_KEY_LENGTH = 256

_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class KeyringError(OnlineError):
    prefix = "online.keyring."


def backend_name(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def refused(backend: Any) -> bool:
    """True for backends that fail, drop or store keys in clear."""
    chained = getattr(backend, "backends", None)
    if isinstance(chained, list | tuple):
        return not chained or any(refused(b) for b in chained)
    module = type(backend).__module__
    name = type(backend).__name__.lower()
    return module.startswith(_REFUSED_MODULES) or "plaintext" in name or "uncrypted" in name


def usable_keyring() -> Any:
    """The keyring backend, or KeyringError("insecure") naming it."""
    import keyring

    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring install must not crash the program
        raise KeyringError("insecure", backend="?") from None
    if refused(backend):
        raise KeyringError("insecure", backend=backend_name(backend))
    return backend


def _entry(name: str) -> str:
    if name not in KEYS:
        raise KeyringError("unknown_name", name=name, known=", ".join(sorted(KEYS)))
    return KEYS[name][0]


def validate_key(value: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_KEY_LENGTH or not all(33 <= ord(c) < 127 for c in value):
        raise KeyringError("bad_key", limit=MAX_KEY_LENGTH)
    return value


def get_key(name: str) -> str | None:
    """The stored key, or None when there is none or no usable keyring."""
    import keyring.errors

    entry = _entry(name)
    try:
        backend = usable_keyring()
    except KeyringError:
        return None
    try:
        return backend.get_password(KEYRING_SERVICE, entry)
    except keyring.errors.KeyringError:
        return None


def set_key(name: str, value: str) -> str:
    """Store a key; returns the backend's name for the confirmation message."""
    import keyring.errors

    entry = _entry(name)
    backend = usable_keyring()
    value = validate_key(value)
    try:
        backend.set_password(KEYRING_SERVICE, entry, value)
    except keyring.errors.KeyringError:
        raise KeyringError("failed", backend=backend_name(backend)) from None
    return backend_name(backend)


def delete_key(name: str) -> bool:
    """Remove a key; False when none was stored."""
    import keyring.errors

    entry = _entry(name)
    backend = usable_keyring()
    try:
        backend.delete_password(KEYRING_SERVICE, entry)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError:
        raise KeyringError("failed", backend=backend_name(backend)) from None
    return True
