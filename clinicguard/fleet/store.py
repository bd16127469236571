"""The fleet index: SQLite in the fleet folder by default, PostgreSQL for a group of establishments.

One set of SQLAlchemy Core tables serves both databases. Each visit keeps
its compressed document and a compact summary (score, counts, and per item
its status, weight, theme and acceptance) so the establishment picture is
built without reopening every document. A content hash is unique: the same
visit imported twice is one visit. ``fleet_files`` remembers which file
(name, size, modification time) gave which outcome, so re-opening a folder
of thousands of visits only reads the new or changed files.

The PostgreSQL password comes from the OS keyring (service
``clinicguard-fleet``, entry ``user@host``) and the server certificate is
verified (``sslmode=verify-full``) unless the address says otherwise.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clinicguard.core.errors import ClinicGuardError, message
from clinicguard.core.jsontext import dumps, loads

INDEX_NAME = "clinicguard-fleet.db"
LAYOUT_VERSION = 1
KEYRING_SERVICE = "clinicguard-fleet"
LOCK_TIMEOUT_S = 15.0
BATCH = 500  # visits inserted per statement


def _tables():  # type: ignore[no-untyped-def]
    from sqlalchemy import Column, Index, Integer, LargeBinary, MetaData, String, Table, Text

    md = MetaData()
    meta = Table("fleet_meta", md, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
    machines = Table(
        "fleet_machines",
        md,
        Column("machine_id", String(64), primary_key=True),
        Column("site", String(200), nullable=False, default=""),
        Column("label", String(200), nullable=False),
        Column("hostname", Text, nullable=False, default=""),
        Column("platform", String(16), nullable=False, default=""),
        Column("os", Text, nullable=False, default=""),
        Column("first_seen", String(40), nullable=False),
    )
    visits = Table(
        "fleet_visits",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("content_hash", String(80), nullable=False, unique=True),
        Column("machine_id", String(64), nullable=False),
        Column("site", String(200), nullable=False, default=""),
        Column("label", String(200), nullable=False),
        Column("finished_at", String(40), nullable=False),  # ISO 8601 in UTC: sorts as text on both databases
        Column("tool_version", String(40), nullable=False, default=""),
        Column("score", Integer, nullable=False),
        Column("coverage", Integer, nullable=False),
        Column("fail_count", Integer, nullable=False),
        Column("warn_count", Integer, nullable=False),
        Column("unknown_count", Integer, nullable=False),
        Column("statuses", Text, nullable=False),  # {check_id: [status, weight, theme, accepted until or ""]}
        Column("user_name", Text, nullable=False, default=""),
        Column("document", LargeBinary, nullable=False),  # zlib-compressed visit document
        Column("source", Text, nullable=False, default=""),
        Column("imported_at", String(40), nullable=False),
        Index("fleet_visits_machine", "machine_id", "finished_at"),
    )
    files = Table(
        "fleet_files",
        md,
        Column("site", String(200), primary_key=True),
        Column("name", String(400), primary_key=True),
        Column("size", Integer, nullable=False),
        Column("mtime_ns", String(32), nullable=False),
        Column("outcome", String(32), nullable=False),  # imported | reason of a skip
        Column("detail", Text, nullable=False, default=""),
    )
    site_docs = Table(
        "fleet_site_documents",
        md,
        Column("site", String(200), primary_key=True),
        Column("kind", String(32), primary_key=True),  # answers | exceptions
        Column("document", Text, nullable=False),
    )
    return md, meta, machines, visits, files, site_docs


@dataclass(frozen=True)
class VisitSummary:
    """A visit without its document: enough for the matrix, the score and the trend."""

    id: int
    machine_id: str
    site: str
    label: str
    finished_at: datetime
    tool_version: str
    score: int
    coverage: int
    fail_count: int
    warn_count: int
    unknown_count: int
    statuses: dict[str, list[Any]]
    user: str = ""


@dataclass(frozen=True)
class MachineRecord:
    machine_id: str
    site: str
    label: str
    hostname: str
    platform: str
    os: str
    first_seen: str


@dataclass(frozen=True)
class NewVisit:
    content_hash: str
    machine_id: str
    site: str
    label: str
    hostname: str
    platform: str
    os: str
    finished_at: str
    tool_version: str
    score: int
    coverage: int
    counts: dict[str, int]
    statuses: dict[str, list[Any]]
    user: str
    blob: bytes  # the visit file, zlib-compressed
    source: str


@dataclass(frozen=True)
class SeenFile:
    size: int
    mtime_ns: int
    outcome: str
    detail: str


def _utc_text(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def is_server_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def describe(target: str) -> str:
    """The database named for messages: the URL without any password."""
    if not is_server_url(target):
        return target
    from sqlalchemy.engine import make_url

    return make_url(target).render_as_string(hide_password=True)


def server_engine_url(target: str, *, password: str | None = None):  # type: ignore[no-untyped-def]
    """The SQLAlchemy URL for a PostgreSQL address: psycopg 3, TLS verified unless the address opts out."""
    from sqlalchemy.engine import make_url

    url = make_url(target).set(drivername="postgresql+psycopg")
    query = dict(url.query)
    query.setdefault("sslmode", "verify-full")
    query.setdefault("connect_timeout", "10")
    query.setdefault("application_name", "clinicguard")
    url = url.set(query=query)
    if url.password is None and password is not None:
        url = url.set(password=password)
    return url


def keyring_entry(target: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(target)
    return f"{url.username or ''}@{url.host or 'localhost'}"


def keyring_password(target: str) -> str | None:
    """The server password stored in the OS keyring for this user and host, or None."""
    from clinicguard.online.secrets import KeyringError, usable_keyring

    try:
        backend = usable_keyring()
    except KeyringError:
        return None
    try:
        return backend.get_password(KEYRING_SERVICE, keyring_entry(target))
    except Exception:  # noqa: BLE001 - a broken keyring means "no stored password"
        return None


def store_password(target: str, password: str) -> str:
    """Keep the server password in the OS keyring (refusing backends that store it in clear)."""
    from clinicguard.online.secrets import backend_name, usable_keyring

    backend = usable_keyring()
    backend.set_password(KEYRING_SERVICE, keyring_entry(target), password)
    return backend_name(backend)


class FleetStore:
    """The fleet index. Open with :func:`open_store`."""

    def __init__(self, engine: Any, where: str) -> None:
        self.engine = engine
        self.where = where
        (self._md, self.meta, self.machines_t, self.visits_t, self.files_t, self.site_docs_t) = _tables()
        self.dialect = engine.dialect.name

    # ----- life cycle

    def prepare(self) -> None:
        from sqlalchemy import select

        with self.engine.begin() as conn:
            self._md.create_all(conn)
            row = conn.execute(select(self.meta.c.value).where(self.meta.c.key == "layout_version")).first()
            if row is None:
                conn.execute(self._insert_ignore(self.meta).values(key="layout_version", value=str(LAYOUT_VERSION)))
            elif int(row[0]) > LAYOUT_VERSION:
                raise ClinicGuardError("fleet_index_newer", path=str(self.where), version=str(row[0]))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> FleetStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _conn(self) -> Iterator[Any]:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise ClinicGuardError("fleet_database_error", path=str(self.where), problem=_short(exc)) from exc

    def _insert(self, table: Any) -> Any:
        """INSERT in this database's dialect (both know ON CONFLICT)."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(table)
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)

    def _insert_ignore(self, table: Any) -> Any:
        return self._insert(table).on_conflict_do_nothing()

    def _upsert(self, table: Any, keys: tuple[str, ...], values: dict[str, Any]) -> Any:
        stmt = self._insert(table).values(**values)
        return stmt.on_conflict_do_update(
            index_elements=list(keys), set_={k: stmt.excluded[k] for k in values if k not in keys}
        )

    def _upsert_many(self, table: Any, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
        """One INSERT … ON CONFLICT DO UPDATE run with many rows at once."""
        stmt = self._insert(table)
        return stmt.on_conflict_do_update(index_elements=list(keys), set_={c: stmt.excluded[c] for c in columns})

    # ----- import side

    def known_hashes(self) -> set[str]:
        from sqlalchemy import select

        with self._conn() as conn:
            return {r[0] for r in conn.execute(select(self.visits_t.c.content_hash))}

    def labels(self) -> dict[tuple[str, str], str]:
        """(site, label folded) -> machine id, for the duplicate-label rule."""
        from sqlalchemy import select

        m = self.machines_t
        with self._conn() as conn:
            return {
                (r.site, r.label.casefold()): r.machine_id
                for r in conn.execute(select(m.c.site, m.c.label, m.c.machine_id))
            }

    def seen_files(self, site: str) -> dict[str, SeenFile]:
        from sqlalchemy import select

        f = self.files_t
        with self._conn() as conn:
            return {
                r.name: SeenFile(r.size, int(r.mtime_ns), r.outcome, r.detail)
                for r in conn.execute(select(f).where(f.c.site == site))
            }

    def remember_files(self, site: str, entries: Iterable[tuple[str, int, int, str, str]]) -> None:
        rows = [
            {"site": site, "name": n, "size": s, "mtime_ns": str(m), "outcome": o, "detail": d}
            for n, s, m, o, d in entries
        ]
        if not rows:
            return
        stmt = self._upsert_many(self.files_t, ("site", "name"), ("size", "mtime_ns", "outcome", "detail"))
        with self._conn() as conn:
            for start in range(0, len(rows), BATCH):
                conn.execute(stmt, rows[start : start + BATCH])

    def add_visits(self, new: list[NewVisit], now: datetime) -> int:
        """Insert visits (one transaction); returns how many were new. Labels follow the latest visit."""
        from sqlalchemy import func, select

        if not new:
            return 0
        imported_at = _utc_text(now)
        v, m = self.visits_t, self.machines_t
        inserted = 0
        with self._conn() as conn:
            for start in range(0, len(new), BATCH):
                chunk = new[start : start + BATCH]
                rows = [
                    {
                        "content_hash": n.content_hash,
                        "machine_id": n.machine_id,
                        "site": n.site,
                        "label": n.label,
                        "finished_at": n.finished_at,
                        "tool_version": n.tool_version,
                        "score": n.score,
                        "coverage": n.coverage,
                        "fail_count": n.counts.get("FAIL", 0),
                        "warn_count": n.counts.get("WARN", 0),
                        "unknown_count": n.counts.get("UNKNOWN", 0),
                        "statuses": dumps(n.statuses, separators=(",", ":")),
                        "user_name": n.user,
                        "document": n.blob,
                        "source": n.source,
                        "imported_at": imported_at,
                    }
                    for n in chunk
                ]
                if self.dialect == "postgresql":
                    # psycopg sends plain executemany in one pipeline; RETURNING would build one huge statement.
                    before = conn.execute(select(func.count()).select_from(v)).scalar_one()
                    conn.execute(self._insert_ignore(v), rows)
                    inserted += conn.execute(select(func.count()).select_from(v)).scalar_one() - before
                else:
                    inserted += len(conn.execute(self._insert_ignore(v).returning(v.c.id), rows).all())
            latest: dict[str, NewVisit] = {}
            for n in new:
                if n.machine_id not in latest or n.finished_at > latest[n.machine_id].finished_at:
                    latest[n.machine_id] = n
            last_seen = dict(
                conn.execute(
                    select(v.c.machine_id, func.max(v.c.finished_at))
                    .where(v.c.machine_id.in_(list(latest)))
                    .group_by(v.c.machine_id)
                ).all()
            )
            for mid, n in latest.items():
                conn.execute(
                    self._insert_ignore(m).values(
                        machine_id=mid,
                        site=n.site,
                        label=n.label,
                        hostname=n.hostname,
                        platform=n.platform,
                        os=n.os,
                        first_seen=imported_at,
                    )
                )
                if last_seen.get(mid) == n.finished_at:
                    conn.execute(
                        m.update()
                        .where(m.c.machine_id == mid)
                        .values(site=n.site, label=n.label, hostname=n.hostname, platform=n.platform, os=n.os)
                    )
        return inserted

    def set_site_document(self, site: str, kind: str, document: dict[str, Any] | None) -> None:
        from sqlalchemy import select

        d = self.site_docs_t
        text = None if document is None else dumps(document)
        with self._conn() as conn:
            current = conn.execute(select(d.c.document).where(d.c.site == site, d.c.kind == kind)).scalar()
            if current == text:
                return  # unchanged: no write (a USB key is slow to commit)
            if document is None:
                conn.execute(d.delete().where(d.c.site == site, d.c.kind == kind))
            else:
                conn.execute(self._upsert(d, ("site", "kind"), {"site": site, "kind": kind, "document": text}))

    # ----- reading side

    def site_documents(self) -> dict[str, dict[str, dict[str, Any]]]:
        from sqlalchemy import select

        out: dict[str, dict[str, dict[str, Any]]] = {}
        with self._conn() as conn:
            for r in conn.execute(select(self.site_docs_t)):
                try:
                    out.setdefault(r.site, {})[r.kind] = loads(r.document)
                except ValueError:
                    continue
        return out

    def machines(self) -> list[MachineRecord]:
        from sqlalchemy import select

        m = self.machines_t
        with self._conn() as conn:
            return [
                MachineRecord(r.machine_id, r.site, r.label, r.hostname, r.platform, r.os, r.first_seen)
                for r in conn.execute(select(m).order_by(m.c.site, m.c.label))
            ]

    def _summary_columns(self) -> list[Any]:
        v = self.visits_t
        return [
            v.c.id,
            v.c.machine_id,
            v.c.site,
            v.c.label,
            v.c.finished_at,
            v.c.tool_version,
            v.c.score,
            v.c.coverage,
            v.c.fail_count,
            v.c.warn_count,
            v.c.unknown_count,
            v.c.statuses,
            v.c.user_name,
        ]

    @staticmethod
    def _summary(r: Any) -> VisitSummary:
        return VisitSummary(
            r.id,
            r.machine_id,
            r.site,
            r.label,
            datetime.fromisoformat(r.finished_at),
            r.tool_version,
            r.score,
            r.coverage,
            r.fail_count,
            r.warn_count,
            r.unknown_count,
            loads(r.statuses),
            r.user_name,
        )

    def latest_visits(self, site: str | None = None) -> list[VisitSummary]:
        """Each machine's most recent visit."""
        from sqlalchemy import and_, func, select

        v = self.visits_t
        last = select(v.c.machine_id, func.max(v.c.finished_at).label("last")).group_by(v.c.machine_id)
        if site is not None:
            last = last.where(v.c.site == site)
        sub = last.subquery()
        stmt = (
            select(*self._summary_columns())
            .join(sub, and_(v.c.machine_id == sub.c.machine_id, v.c.finished_at == sub.c.last))
            .order_by(v.c.id)
        )
        with self._conn() as conn:
            rows = {r.machine_id: self._summary(r) for r in conn.execute(stmt)}  # a tie keeps the last imported
        return list(rows.values())

    def all_visits(self, machine_id: str | None = None, site: str | None = None) -> list[VisitSummary]:
        from sqlalchemy import select

        v = self.visits_t
        stmt = select(*self._summary_columns()).order_by(v.c.finished_at, v.c.id)
        if machine_id is not None:
            stmt = stmt.where(v.c.machine_id == machine_id)
        if site is not None:
            stmt = stmt.where(v.c.site == site)
        with self._conn() as conn:
            return [self._summary(r) for r in conn.execute(stmt)]

    def iter_statuses(self, site: str | None = None) -> Iterator[tuple[int, str, str, datetime, dict[str, list[Any]]]]:
        """Every visit's (id, machine, site, date, statuses), oldest first, streamed: memory stays flat."""
        from sqlalchemy import select

        v = self.visits_t
        stmt = select(v.c.id, v.c.machine_id, v.c.site, v.c.finished_at, v.c.statuses).order_by(v.c.finished_at, v.c.id)
        if site is not None:
            stmt = stmt.where(v.c.site == site)
        with self._conn() as conn:
            for r in conn.execution_options(yield_per=500).execute(stmt):
                yield r[0], r[1], r[2], datetime.fromisoformat(r[3]), loads(r[4])

    def all_visits_counts(self, site: str | None = None) -> list[tuple[str, int]]:
        """Number of visits of each machine."""
        from sqlalchemy import func, select

        v = self.visits_t
        stmt = select(v.c.machine_id, func.count()).group_by(v.c.machine_id)
        if site is not None:
            stmt = stmt.where(v.c.site == site)
        with self._conn() as conn:
            return [(r[0], int(r[1])) for r in conn.execute(stmt)]

    def visit_document(self, visit_id: int) -> dict[str, Any]:
        from sqlalchemy import select

        v = self.visits_t
        with self._conn() as conn:
            row = conn.execute(select(v.c.document).where(v.c.id == visit_id)).first()
        if row is None:
            raise ClinicGuardError("no_visit_number", path=str(self.where), number=str(visit_id))
        try:
            return dict(loads(zlib.decompress(bytes(row[0]))))
        except (zlib.error, ValueError) as exc:
            raise ClinicGuardError(
                "visit_unreadable", path=str(self.where), number=str(visit_id), problem=str(exc)
            ) from exc

    def sites(self) -> list[str]:
        from sqlalchemy import select

        m = self.machines_t
        with self._conn() as conn:
            return [r[0] for r in conn.execute(select(m.c.site).distinct().order_by(m.c.site))]


def _short(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _open_sqlite(path: Path) -> FleetStore:
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import SQLAlchemyError

    # The dashboard reads the index from worker threads, one at a time.
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": LOCK_TIMEOUT_S, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # A USB key may be pulled out: the default rollback journal is the most forgiving there.
        dbapi_conn.execute("PRAGMA foreign_keys = ON")

    store = FleetStore(engine, str(path))
    try:
        # No full integrity scan on each opening (the index of a large fleet is tens of megabytes): a damaged
        # header or schema fails here, deeper damage as a database error naming the file.
        store.prepare()
    except SQLAlchemyError as exc:
        engine.dispose()
        raise _Damaged(_short(exc)) from exc
    except ClinicGuardError:
        engine.dispose()
        raise
    return store


class _Damaged(Exception):
    pass


def open_store(target: str | Path, *, password: str | None = None) -> tuple[FleetStore, str]:
    """Open the fleet index: a fleet folder (its SQLite index) or a ``postgresql://`` address.

    Returns the store and a notice (a damaged SQLite index is kept aside and
    rebuilt from the folder's visit files, which are the reference).
    """
    target_text = str(target)
    if is_server_url(target_text):
        return _open_server(target_text, password), ""
    folder = Path(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClinicGuardError(
            "fleet_folder_create_failed", path=str(folder), problem=str(exc.strerror or exc)
        ) from exc
    path = folder / INDEX_NAME
    try:
        return _open_sqlite(path), ""
    except _Damaged as exc:
        from clinicguard.records.history import keep_aside

        for suffix in ("-journal", "-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                keep_aside(side, "corrupt")
        kept = keep_aside(path, "corrupt") if path.exists() else path
        notice = message("fleet_index_damaged", path=str(path), problem=str(exc), kept=kept.name)
        return _open_sqlite(path), notice


def _open_server(target: str, password: str | None) -> FleetStore:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    try:
        given = make_url(target)
    except Exception as exc:  # noqa: BLE001 - any malformed address gets one message
        raise ClinicGuardError("invalid_database_address", problem=str(exc)) from None
    if password is None and given.password is None:
        password = keyring_password(target)
    url = server_engine_url(target, password=password)
    engine = create_engine(url, pool_pre_ping=True)
    store = FleetStore(engine, describe(target))
    try:
        store.prepare()
    except SQLAlchemyError as exc:
        engine.dispose()
        text = _short(exc)
        key = "fleet_database_password" if "password" in text.lower() and password is None else "fleet_database_open"
        raise ClinicGuardError(key, path=describe(target), problem=text) from exc
    return store
