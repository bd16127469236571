"""Where clinicguard keeps its files.

| what | default | override |
|---|---|---|
| history, answers, downloaded indicator lists | platformdirs user data folder | ``CLINICGUARD_DATA_DIR`` |
| refreshed online data (end-of-life table) | platformdirs user cache folder | ``CLINICGUARD_CACHE_DIR`` |
| settings | see :mod:`clinicguard.files.config` | ``CLINICGUARD_CONFIG`` |
| log | see :mod:`clinicguard.files.logsetup` | ``CLINICGUARD_LOG`` |
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    env = os.environ.get("CLINICGUARD_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("clinicguard", appauthor=False)


def cache_dir() -> Path:
    env = os.environ.get("CLINICGUARD_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_path

    return user_cache_path("clinicguard", appauthor=False)
