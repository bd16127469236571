"""User settings: ``config.toml`` in the user configuration folder.

Location: ``--config FILE``, else ``$CLINICGUARD_CONFIG``, else
``<user config dir>/clinicguard/files/config.toml``. A missing file means defaults;
a malformed one is reported with its path and the problem, and nothing is
written.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from clinicguard.core.errors import DataFileError
from clinicguard.files.fsutil import MissingFile, read_capped

MAX_CONFIG_BYTES = 1024 * 1024  # a settings file is a few hundred bytes

# Known settings: section -> key -> (type, default)
SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], Any]]] = {
    "establishment": {"name": (str, "")},
    "machine": {"shared": (bool, False), "label": (str, "")},
    "fleet": {"folder": (str, "")},
    "interface": {"language": (str, "")},
    "assessment": {"interval_days": (int, 90), "check_timeout_s": ((int, float), 30)},
    "online": {
        "enabled": (bool, False),
        # Base URLs of the online services; empty means the public service.
        **{
            f"{service}_url": (str, "")
            for service in ("endoflife", "pwnedpasswords", "hibp", "malwarebazaar", "threatfox")
        },
    },
}


# Numeric settings and the values that make sense: (lowest, highest, unit).
RANGES: dict[str, tuple[int, int, str]] = {
    "assessment.interval_days": (1, 3650, "days"),  # at most ten years between two assessments
    "assessment.check_timeout_s": (1, 3600, "seconds"),  # 0 or less turns every item grey
}


def config_path(override: str | None = None) -> Path:
    if override:
        return Path(override)
    env = os.environ.get("CLINICGUARD_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path("clinicguard", appauthor=False) / "config.toml"


def defaults() -> dict[str, dict[str, Any]]:
    return {sec: {k: d for k, (_, d) in keys.items()} for sec, keys in SCHEMA.items()}


def validate(data: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    merged = defaults()
    for section, values in data.items():
        if section not in SCHEMA:
            # Sections owned by other parts of the program are kept as they are.
            merged[section] = values
            continue
        if not isinstance(values, dict):
            raise DataFileError(where, "setting_not_table", section=section)
        for key, value in values.items():
            if key not in SCHEMA[section]:
                raise DataFileError(where, "unknown_setting", name=f"{section}.{key}")
            kind, _ = SCHEMA[section][key]
            if isinstance(value, bool) and kind in (int, (int, float)):
                raise DataFileError(where, "setting_not_number", name=f"{section}.{key}", value=repr(value))
            if not isinstance(value, kind):
                raise DataFileError(where, "setting_invalid", name=f"{section}.{key}", value=repr(value))
            merged[section][key] = value
    lang = merged["interface"]["language"]
    if lang and lang not in ("fr", "en"):
        raise DataFileError(where, "setting_language", value=repr(lang))
    for key, (low, high, unit) in RANGES.items():
        section, name = key.split(".")
        value = merged[section][name]
        # "not low <= value <= high" is also true for nan; inf and huge integers are above high.
        if not low <= value <= high:
            raise DataFileError(where, f"setting_range.{unit}", name=key, low=low, high=high, value=repr(value))
    return merged


def load_config(override: str | None = None) -> dict[str, dict[str, Any]]:
    path = config_path(override)
    try:
        raw = read_capped(path, MAX_CONFIG_BYTES)  # a FIFO or a huge file there never hangs the start
    except MissingFile:
        if override:
            raise
        return defaults()
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # Notepad may start the file with a BOM
    except UnicodeDecodeError as exc:
        raise DataFileError(str(path), "not_utf8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(str(path), "invalid_toml", problem=str(exc)) from exc
    return validate(data, str(path))
