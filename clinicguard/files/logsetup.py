"""Technical details go to a log file, never to the user's screen."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from clinicguard.files.fsutil import make_private

LOGGER_NAME = "clinicguard"


def log_path() -> Path:
    env = os.environ.get("CLINICGUARD_LOG")
    if env:
        return Path(env)
    from platformdirs import user_log_path

    return user_log_path("clinicguard", appauthor=False) / "clinicguard.log"


def setup_logging() -> Path | None:
    """Log to the user's log folder; silently do without when it is not writable."""
    logger = logging.getLogger(LOGGER_NAME)
    if logger.handlers:
        return log_path()
    path = log_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        make_private(path)  # the log names files and machines: owner-only, like the history
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        logger.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path
