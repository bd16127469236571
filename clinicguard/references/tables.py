"""Reference tables the checks judge against: end-of-support dates and well-known ports.

They are read here, once per session (the end-of-support table with the
refreshed cache laid over it), and reach the checks through the check
context, so a check itself never reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from clinicguard.files.datafiles import load_toml, package_file
from clinicguard.references.eol import EolTable, bundled_table, load_table

# Windows opens these dynamic RPC ports on every machine.
WINDOWS_DYNAMIC_RPC = range(49664, 49700)


@cache
def port_levels() -> Mapping[int, tuple[str, str]]:
    """port -> (level, name) from clinicguard/data/ports.toml."""
    data = load_toml(package_file("data", "ports.toml"), "clinicguard/data/ports.toml")
    out: dict[int, tuple[str, str]] = {}
    for entry in data.get("port", []):
        for port in entry["ports"]:
            out[int(port)] = (entry["level"], entry["name"])
    return out


@dataclass(frozen=True)
class References:
    eol: EolTable
    ports: Mapping[int, tuple[str, str]]  # port -> (level, name)


def bundled_references() -> References:
    """The tables shipped with clinicguard, without the refreshed cache (for checks judged in tests)."""
    return References(eol=bundled_table(), ports=port_levels())


def load_references() -> References:
    """The tables for an assessment: the bundled ones, the end-of-support dates refreshed when a cache exists."""
    return References(eol=load_table(), ports=port_levels())
