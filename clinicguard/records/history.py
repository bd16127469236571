"""Assessment history in SQLite (standard library), in the user data folder.

Every saved assessment keeps its full JSON document (``serialize``), the
questionnaire answers given at the time, its score and the tool version.
The database layout is versioned with ``PRAGMA user_version`` and migrated
forward on opening. A damaged database, or one written by a newer
clinicguard, is renamed (never deleted), a fresh one is created and
``History.notice`` says what happened, so the assessment still runs.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from clinicguard.core.errors import ClinicGuardError, message
from clinicguard.core.jsontext import dumps
from clinicguard.core.model import Assessment
from clinicguard.files.fsutil import keep_aside
from clinicguard.files.paths import data_dir

DB_NAME = "history.db"
SCHEMA_VERSION = 2
HISTORY_LANG = "en"  # texts in stored documents; reports re-render in the reader's language
LOCK_TIMEOUT_S = 10.0  # another clinicguard (a scheduled run) may be writing


def history_path() -> Path:
    return data_dir() / DB_NAME


# Migrations: MIGRATIONS[v] turns a version-v database into version v+1.
def _create_v1(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE assessments ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " started_at TEXT NOT NULL, finished_at TEXT NOT NULL,"
        " hostname TEXT NOT NULL DEFAULT '', score INTEGER NOT NULL, coverage INTEGER NOT NULL,"
        " document TEXT NOT NULL)"
    )


def _v1_to_v2(db: sqlite3.Connection) -> None:
    # v2 keeps the tool and document versions, red/amber counts and the answers given.
    for column in (
        "tool_version TEXT NOT NULL DEFAULT ''",
        "document_version INTEGER NOT NULL DEFAULT 1",
        "fail_count INTEGER NOT NULL DEFAULT 0",
        "warn_count INTEGER NOT NULL DEFAULT 0",
        "answers TEXT NOT NULL DEFAULT '{}'",
    ):
        db.execute(f"ALTER TABLE assessments ADD COLUMN {column}")
    rows = db.execute("SELECT id, document FROM assessments").fetchall()
    for row_id, document in rows:
        doc = json.loads(document)
        counts = (doc.get("score") or {}).get("counts") or {}
        db.execute(
            "UPDATE assessments SET tool_version = ?, document_version = ?, fail_count = ?, warn_count = ?"
            " WHERE id = ?",
            (
                doc.get("tool_version", ""),
                int(doc.get("schema_version", 1)),
                int(counts.get("FAIL", 0)),
                int(counts.get("WARN", 0)),
                row_id,
            ),
        )
    db.execute("CREATE INDEX IF NOT EXISTS assessments_started ON assessments(started_at)")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1, 1: _v1_to_v2}


class NewerDatabase(Exception):
    pass


@dataclass(frozen=True)
class Entry:
    """One line of the history list."""

    id: int
    started_at: datetime
    finished_at: datetime
    hostname: str
    score: int
    coverage: int
    fail_count: int
    warn_count: int
    tool_version: str


def _check_layout(db: sqlite3.Connection) -> int:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise NewerDatabase(version)
    if (
        version > 0
        and not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessments'").fetchone()
    ):
        raise sqlite3.DatabaseError("no assessments table")
    return version


def _migrate(db: sqlite3.Connection) -> None:
    """Create or upgrade the layout in one exclusive transaction.

    Several clinicguard runs may open a fresh history at once (a scheduled run
    and the dashboard): the first takes the write lock and migrates, the others
    wait, then read the new version inside their own lock and find nothing to do.
    """
    if _check_layout(db) == SCHEMA_VERSION:
        return
    db.isolation_level = None  # explicit transaction: DDL included, nothing committed half-way
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = _check_layout(db)
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](db)
                version += 1
            db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    finally:
        db.isolation_level = ""  # type: ignore[assignment]  # "" is sqlite3's documented default (DEFERRED)


def _open_checked(path: Path) -> sqlite3.Connection:
    _create_private(path)
    db = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S)
    try:
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        _migrate(db)
        _check_rows(db)
        return db
    except BaseException:
        db.close()
        raise


def _create_private(path: Path) -> None:
    """Create the database file owner-only (0600) before SQLite does; its journals take the same mode."""
    from clinicguard.files.fsutil import make_private

    make_private(path)


def _entry(row: tuple[Any, ...]) -> Entry:
    """One row as an Entry; ValueError when a value has the wrong type or shape."""
    ident, started, finished, hostname, score, coverage, fail_count, warn_count, tool_version = row
    numbers = (score, coverage, fail_count, warn_count)
    if (
        not all(isinstance(n, int) for n in (ident, *numbers))
        or not isinstance(hostname, str)
        or not isinstance(tool_version, str)
        or not isinstance(started, str)
        or not isinstance(finished, str)
    ):
        raise ValueError(f"assessment {ident!r} has values of the wrong type")
    return Entry(
        ident,
        datetime.fromisoformat(started),
        datetime.fromisoformat(finished),
        hostname,
        score,
        coverage,
        fail_count,
        warn_count,
        tool_version,
    )


def _entries(db: sqlite3.Connection) -> list[Entry]:
    rows = db.execute(
        "SELECT id, started_at, finished_at, hostname, score, coverage, fail_count, warn_count, tool_version"
        " FROM assessments ORDER BY started_at, id"
    ).fetchall()
    return [_entry(r) for r in rows]


def _check_rows(db: sqlite3.Connection) -> None:
    """Damage that quick_check does not see (a column gone, a date or a document that cannot be read) is damage."""
    try:
        _entries(db)
        bad = db.execute(
            "SELECT id FROM assessments WHERE NOT json_valid(document) OR json_type(document) != 'object' LIMIT 1"
        ).fetchone()
        if bad:
            raise ValueError(f"assessment {bad[0]} is not a readable document")
    except sqlite3.OperationalError as exc:
        if any(word in str(exc) for word in ("locked", "busy")):
            raise  # another run is writing: not damage
        raise sqlite3.DatabaseError(f"unreadable content: {exc}") from exc
    except (sqlite3.Error, ValueError, TypeError) as exc:
        raise sqlite3.DatabaseError(f"unreadable content: {exc}") from exc


class History:
    """Saved assessments. Open with :func:`open_history`."""

    def __init__(self, db: sqlite3.Connection, path: Path, notice: str = "") -> None:
        self.db = db
        self.path = path
        self.notice = notice

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self, assessment: Assessment, answers: dict[str, Any] | None = None) -> int:
        from clinicguard.records.serialize import SCHEMA_VERSION as DOC_VERSION
        from clinicguard.records.serialize import assessment_to_dict

        document = dumps(assessment_to_dict(assessment, HISTORY_LANG))
        counts = assessment.score.counts
        try:
            cur = self._insert(assessment, document, counts, answers, DOC_VERSION)
        except sqlite3.Error as exc:
            raise ClinicGuardError("history_save_failed", path=str(self.path), problem=str(exc)) from exc
        return int(cur.lastrowid or 0)

    def _insert(
        self,
        assessment: Assessment,
        document: str,
        counts: dict[str, int],
        answers: dict[str, Any] | None,
        doc_version: int,
    ) -> sqlite3.Cursor:
        with self.db:
            return self.db.execute(
                "INSERT INTO assessments (started_at, finished_at, hostname, score, coverage, document,"
                " tool_version, document_version, fail_count, warn_count, answers)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    assessment.started_at.isoformat(),
                    assessment.finished_at.isoformat(),
                    assessment.host.hostname,
                    assessment.score.value,
                    assessment.score.coverage,
                    document,
                    assessment.tool_version,
                    doc_version,
                    counts.get("FAIL", 0),
                    counts.get("WARN", 0),
                    dumps(answers or {}),
                ),
            )

    def entries(self) -> list[Entry]:
        return _entries(self.db)

    def _row(self, assessment_id: int) -> tuple[str, str]:
        row = self.db.execute("SELECT document, answers FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        if row is None:
            raise ClinicGuardError("no_saved_assessment_number", number=str(assessment_id))
        return row

    def load(self, assessment_id: int) -> Assessment:
        from clinicguard.records.serialize import assessment_from_dict

        document, _ = self._row(assessment_id)
        try:
            return assessment_from_dict(json.loads(document))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ClinicGuardError(
                "assessment_unreadable", path=str(self.path), number=str(assessment_id), problem=str(exc)
            ) from exc

    def answers(self, assessment_id: int) -> dict[str, Any]:
        try:
            return dict(json.loads(self._row(assessment_id)[1]))
        except (ValueError, TypeError):
            return {}

    def latest_id(self) -> int | None:
        entries = self.entries()
        return entries[-1].id if entries else None

    def previous_id(self, assessment_id: int) -> int | None:
        """The assessment saved just before ``assessment_id``."""
        ids = [e.id for e in self.entries()]
        if assessment_id not in ids:
            return ids[-1] if ids else None
        i = ids.index(assessment_id)
        return ids[i - 1] if i > 0 else None


def open_history(path: Path | None = None) -> History:
    """Open (or create) the history database, recovering from a damaged or newer file."""
    path = path or history_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ClinicGuardError("data_folder_failed", path=str(path.parent), problem=str(exc.strerror or exc)) from exc
    notice = ""
    try:
        db = _open_checked(path)
    except NewerDatabase as exc:
        kept = _set_aside(path, "newer")
        notice = message("history_newer", path=str(path), version=str(exc.args[0]), kept=kept.name)
        db = _open_checked(path)
    except sqlite3.OperationalError as exc:
        # Locked by another run or not openable: not damage, so the file is left alone.
        raise ClinicGuardError("history_open_failed", path=str(path), problem=str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        with contextlib.suppress(FileNotFoundError):
            for suffix in ("-journal", "-wal", "-shm"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    _set_aside(side, "corrupt")
        kept = _set_aside(path, "corrupt")
        notice = message("history_damaged", path=str(path), problem=str(exc), kept=kept.name)
        db = _open_checked(path)
    except sqlite3.Error as exc:
        raise ClinicGuardError("history_open_failed", path=str(path), problem=str(exc)) from exc
    return History(db, path, notice)


def _set_aside(path: Path, why: str) -> Path:
    try:
        return keep_aside(path, why)
    except OSError as exc:
        raise ClinicGuardError("history_set_aside_failed", path=str(path), problem=str(exc.strerror or exc)) from exc
