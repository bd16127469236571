"""Probes that work the same way on every OS (registered before the OS-specific ones,
which may override them)."""

from clinicguard.probes import browsers, listeners  # noqa: F401
