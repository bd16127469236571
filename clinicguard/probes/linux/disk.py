"""Is the system disk encrypted? Walk the block-device tree up from '/'."""

from __future__ import annotations

import json
from typing import Any

from clinicguard.core.errors import ParseError, ProbeError
from clinicguard.core.facts import DiskEncryption
from clinicguard.core.model import Reason
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.common import run_ok

LSBLK = ["lsblk", "-J", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINTS"]
LSBLK_OLD = ["lsblk", "-J", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINT"]


def _mounts(node: dict[str, Any]) -> list[str]:
    points = node.get("mountpoints")
    if isinstance(points, list):
        return [p for p in points if p]
    point = node.get("mountpoint")
    return [point] if point else []


def path_to_mount(devices: list[dict[str, Any]], target: str) -> list[dict[str, Any]] | None:
    """Chain of nodes from a top-level device down to the one mounted on ``target``."""
    for node in devices:
        if target in _mounts(node):
            return [node]
        below = path_to_mount(node.get("children") or [], target)
        if below is not None:
            return [node, *below]
    return None


def is_encrypted_chain(chain: list[dict[str, Any]]) -> bool:
    return any(n.get("type") == "crypt" or n.get("fstype") == "crypto_LUKS" for n in chain)


def parse_lsblk(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"lsblk: not JSON ({exc.msg})") from exc
    devices = data.get("blockdevices") if isinstance(data, dict) else None
    if not isinstance(devices, list):
        raise ParseError("lsblk: no 'blockdevices' list")
    return devices


def _findmnt_root(host: Host) -> dict[str, Any] | None:
    try:
        res = host.run(["findmnt", "-J", "-o", "SOURCE,TARGET,FSTYPE", "/"], timeout=5)
        fs = json.loads(res.stdout).get("filesystems") or []
        return fs[0] if fs else None
    except (HostError, ValueError, AttributeError):
        return None


@probe("disk_encryption", "linux")
def linux_disk_encryption(host: Host) -> DiskEncryption:
    root = _findmnt_root(host)
    if root and root.get("fstype") == "zfs":
        res = run_ok(host, ["zfs", "get", "-H", "-o", "value", "encryption", root.get("source", "")], timeout=5)
        value = res.stdout.strip()
        return DiskEncryption(
            system_encrypted=value not in ("off", "-", ""),
            method="zfs",
            state="on" if value not in ("off", "-", "") else "off",
            sources=(f"zfs get encryption {root.get('source', '')}",),
        )
    res = host.run(LSBLK, timeout=5)
    argv = LSBLK
    if res.returncode != 0:  # util-linux before 2.37 has no MOUNTPOINTS column
        res = run_ok(host, LSBLK_OLD, timeout=5)
        argv = LSBLK_OLD
    devices = parse_lsblk(res.stdout)
    chain = path_to_mount(devices, "/")
    if chain is None:
        src = (root or {}).get("source", "?")
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"the root filesystem ({src}) is not on a local disk")
    encrypted = is_encrypted_chain(chain)
    others = []
    home = path_to_mount(devices, "/home")
    if home is not None and not is_encrypted_chain(home):
        others.append("/home")
    names = " > ".join(f"{n.get('name')}({n.get('type')})" for n in chain)
    return DiskEncryption(
        system_encrypted=encrypted,
        method="luks" if encrypted else "",
        state="on" if encrypted else "off",
        other_volumes_unencrypted=tuple(others) if encrypted else (),
        sources=(" ".join(argv),),
        notes=(names,),
    )
