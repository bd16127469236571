"""One session: what every front end sets up before it assesses or shows anything.

settings → language → catalogue → data paths → host → reference tables, built
once by :func:`open_session` and used by the command line, the dashboard and
the dashboard's background scan, so neither front end imports the other and
the steps cannot drift apart.

The host and the reference tables are made on first use: commands that only
read the history never touch the machine or the cache folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinicguard.catalogue import Catalogue, load_catalogue
from clinicguard.core.errors import ClinicGuardError
from clinicguard.files.config import load_config
from clinicguard.host import Host
from clinicguard.i18n import detect_language
from clinicguard.present.wording import Wording
from clinicguard.references.tables import References, load_references

if TYPE_CHECKING:
    from clinicguard.engine.workflow import Outcome


def resolve_language(requested: str | None, settings: dict[str, Any] | None = None, fallback: str | None = None) -> str:
    """The language asked for, else the one in the settings, else ``fallback`` or the system's."""
    if requested:
        return requested
    configured = ((settings or {}).get("interface") or {}).get("language")
    return str(configured or fallback or detect_language())


def make_host(replay: str | None = None) -> Host:
    """This machine, or the machine recorded in ``replay``."""
    if replay:
        from clinicguard.host.recording import RecordingError
        from clinicguard.host.replay import RecordedHost

        try:
            return RecordedHost.load(replay)
        except RecordingError as exc:
            raise ClinicGuardError("replay_failed", problem=str(exc)) from exc
        except (OSError, ValueError) as exc:
            raise ClinicGuardError("replay_file_failed", path=str(replay), problem=str(exc)) from exc
    from clinicguard.host.local import LocalHost

    return LocalHost()


@dataclass(frozen=True)
class DataPaths:
    """Where this session reads and writes (see :mod:`clinicguard.files.paths`)."""

    config: Path
    data: Path
    cache: Path
    log: Path

    @classmethod
    def current(cls, config_override: str | None = None) -> DataPaths:
        from clinicguard.files.config import config_path
        from clinicguard.files.logsetup import log_path
        from clinicguard.files.paths import cache_dir, data_dir

        return cls(config=config_path(config_override), data=data_dir(), cache=cache_dir(), log=log_path())


@dataclass
class Session:
    settings: dict[str, Any]
    lang: str
    catalogue: Catalogue
    paths: DataPaths
    config_file: str | None = None  # the --config given, passed on to a background scan
    replay: str | None = None  # a recording assessed instead of this machine
    _host: Host | None = field(default=None, repr=False)
    _references: References | None = field(default=None, repr=False)

    @property
    def host(self) -> Host:
        if self._host is None:
            self._host = make_host(self.replay)
        return self._host

    @property
    def references(self) -> References:
        if self._references is None:
            self._references = load_references()
        return self._references

    @property
    def platform(self) -> str:
        return self.host.platform

    @property
    def check_timeout(self) -> float:
        return float(self.settings["assessment"]["check_timeout_s"])

    def wording(self, lang: str | None = None) -> Wording:
        return Wording(self.catalogue, lang or self.lang, self.platform)

    def hostname(self) -> str:
        """The machine's name for display; empty when it cannot be read."""
        try:
            return self.host.hostname()
        except Exception:  # noqa: BLE001 - the name is only shown
            return ""

    def assess(self, **run_options: Any) -> Outcome:
        """Checks, saved answers and accepted exceptions, with this session's settings and tables."""
        from clinicguard.engine.workflow import assess

        run_options.setdefault("check_timeout", self.check_timeout)
        return assess(
            self.host, catalogue=self.catalogue, settings=self.settings, references=self.references, **run_options
        )

    def save(self, outcome: Outcome) -> tuple[int, str]:
        """Store an assessment in the history; its number and any recovery notice."""
        from clinicguard.engine.workflow import save

        return save(outcome)

    def record(self, outcome: Outcome) -> int | None:
        """Store a dashboard run when it says something new (see :func:`clinicguard.engine.workflow.record`)."""
        from clinicguard.engine.workflow import record

        return record(outcome)


def open_session(
    *,
    config: str | None = None,
    lang: str | None = None,
    replay: str | None = None,
    data_dir: str | None = None,
    fallback_lang: str | None = None,
    host: Host | None = None,
    catalogue: Catalogue | None = None,
) -> Session:
    """Read the settings once and derive everything else from them.

    ``data_dir`` overrides the data folder for this process and the processes
    it starts; ``fallback_lang`` is the language when neither ``lang`` nor the
    settings choose one (the system's otherwise).
    """
    if data_dir:
        # paths.data_dir() reads the environment: a background scan started later inherits it.
        os.environ["CLINICGUARD_DATA_DIR"] = data_dir
    settings = load_config(config)
    return Session(
        settings=settings,
        lang=resolve_language(lang, settings, fallback_lang),
        catalogue=catalogue or load_catalogue(),
        paths=DataPaths.current(config),
        config_file=config,
        replay=replay,
        _host=host,
    )
