"""Loading of the TOML/JSON data files shipped in the package."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from clinicguard.core.errors import DataFileError


def package_file(*parts: str) -> Traversable:
    node = resources.files("clinicguard")
    for part in parts:
        node = node / part
    return node


def load_toml(node: Traversable, label: str | None = None) -> dict[str, Any]:
    name = label or str(node)
    try:
        return tomllib.loads(node.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFileError(name, "file_not_found") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(name, "not_utf8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(name, "invalid_toml", problem=str(exc)) from exc


def load_json(node: Traversable, label: str | None = None) -> Any:
    name = label or str(node)
    try:
        return json.loads(node.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFileError(name, "file_not_found") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(name, "invalid_json", problem=str(exc)) from exc
