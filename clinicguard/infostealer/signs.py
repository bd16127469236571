"""Signs of infection: applies the indicator rules to one machine."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from clinicguard.core.model import Reason
from clinicguard.core.notes import note
from clinicguard.host import CommandTimeout, Host, HostError
from clinicguard.infostealer import sources
from clinicguard.infostealer.hashing import HASH_SIZE_CAP, Hasher, HashList, load_hash_list
from clinicguard.infostealer.model import InfostealerHit, InfostealerSigns, ScanSummary
from clinicguard.infostealer.profiles import Profile
from clinicguard.infostealer.rules import Rule, rules_for
from clinicguard.infostealer.walk import DirMarkers, FileEntry, ScanProgress, ScanStats, Walker, elapsed_since

DEFAULT_TIME_BUDGET_S = 20.0
DEFENDER_WINDOW_S = 90 * 86400
ZIP_MAX_NAMES = 5000

# Files worth hashing: programs, scripts, libraries and archives.
CANDIDATE_EXT = frozenset(
    {
        "exe",
        "dll",
        "scr",
        "pif",
        "com",
        "bat",
        "cmd",
        "vbs",
        "vbe",
        "js",
        "jse",
        "hta",
        "ps1",
        "a3x",
        "msi",
        "wsf",
        "jar",
        "zip",
        "rar",
        "7z",
        "iso",
        "img",
        "cab",
        "sh",
        "py",
        "pl",
        "elf",
        "so",
        "dylib",
        "bin",
        "appimage",
        "dmg",
        "pkg",
        "command",
        "deb",
        "rpm",
    }
)


# The word shown for a source not examined, from the reason its host error carries.
_WORDS = {Reason.NEEDS_ADMIN: "access_denied", Reason.TOOL_MISSING: "tool_missing", Reason.TIMED_OUT: "timed_out"}


def reason_word(exc: BaseException) -> str:
    """A one-word, translatable reason for a source that was not examined."""
    if isinstance(exc, HostError) and exc.reason in _WORDS:
        return _WORDS[exc.reason]
    return getattr(exc, "word", None) or "read_error"


class Triage:
    """One run of the signs-of-infection scan."""

    def __init__(
        self,
        host: Host,
        *,
        cancel: threading.Event | None = None,
        on_progress: Callable[[ScanProgress], None] | None = None,
        time_budget: float = DEFAULT_TIME_BUDGET_S,
        hash_list: HashList | None = None,
        skip_mounts: frozenset[str] | None = None,
        hash_cap: int = HASH_SIZE_CAP,
        profile: Profile | None = None,
    ) -> None:
        self.host = host
        self.platform = host.platform
        self.cancel = cancel or threading.Event()
        self.on_progress = on_progress
        self.time_budget = time_budget
        self.hash_list = hash_list
        self.skip_mounts = skip_mounts
        self.hash_cap = hash_cap
        # Another account's profile: only its own folders and sources; the machine's are examined once.
        self.profile = profile
        self.hits: list[InfostealerHit] = []
        self.looked_at: list[str] = []
        self.not_looked_at: list[tuple[str, str]] = []
        self.core_missing: list[str] = []
        self._lock = threading.Lock()

    def _hit(self, rule: Rule, where: str, detail: str = "", strength: str | None = None) -> None:
        with self._lock:
            self.hits.append(
                InfostealerHit(
                    rule=rule.id, strength=strength or rule.strength, category=rule.category, where=where, detail=detail
                )
            )

    def _skip(self, source: str, exc: BaseException, core: bool) -> None:
        with self._lock:
            self.not_looked_at.append((source, reason_word(exc)))
            if core:
                self.core_missing.append(source)

    def _seen(self, source: str) -> None:
        with self._lock:
            self.looked_at.append(source)

    # -- run -------------------------------------------------------------
    def run(self) -> InfostealerSigns:
        t0 = time.monotonic()
        deadline = t0 + self.time_budget
        lay = sources.layout(self.host) if self.profile is None else sources.profile_layout(self.host, self.profile)
        stats = ScanStats()
        hash_list = self.hash_list or load_hash_list()
        with ThreadPoolExecutor(max_workers=3, thread_name_prefix="triage") as pool:
            # Commands and registry reads run while the folders are walked.
            futures: list[tuple[Future, str, bool]] = []
            for source_id, rule_source, reader, core in sources.TEXT_SOURCES.get(self.platform, ()):
                if lay.machine or source_id in sources.PROFILE_SOURCES:
                    # Another account's registry is read only when its hive is loaded: reported, not core.
                    core = core and (lay.machine or source_id not in sources.HIVE_SOURCES)
                    fut = pool.submit(self._text_source, source_id, rule_source, reader, core, lay)
                    futures.append((fut, source_id, core))
            if lay.machine:
                futures.append((pool.submit(self._processes), "processes", True))
            if self.platform == "windows" and lay.machine:
                futures.append((pool.submit(self._defender), "defender", False))
            self._paths(lay)
            complete = self._walk(lay, stats, hash_list, deadline)
            for fut, source_id, core in futures:
                remaining = max(0.5, deadline - time.monotonic())
                try:
                    fut.result(timeout=remaining)
                except TimeoutError as exc:
                    self._skip(source_id, CommandTimeout(str(exc)), core)
                except Exception as exc:  # noqa: BLE001 - an unexpected failure leaves the source unexamined
                    self._skip(source_id, exc, core)
        stats.elapsed_s = elapsed_since(t0)
        summary = ScanSummary(
            files=stats.files,
            dirs=stats.dirs,
            hashed=stats.hashed,
            bytes_hashed=stats.bytes_hashed,
            skipped=stats.skipped(),
            hash_list_size=len(hash_list.digests),
            elapsed_s=stats.elapsed_s,
            complete=complete,
        )
        if not complete:
            self.core_missing.append("files")
        order = {"S": 0, "M": 1, "W": 2}
        hits = tuple(sorted(self.hits, key=lambda h: (order[h.strength], h.rule, h.where)))
        return InfostealerSigns(
            hits=hits,
            looked_at=tuple(sorted(set(self.looked_at))),
            not_looked_at=tuple(sorted(set(self.not_looked_at))),
            core_missing=tuple(sorted(set(self.core_missing))),
            scan=summary,
            sources=tuple(r.path for r in lay.roots),
        )

    # -- text sources ------------------------------------------------------
    def _text_source(self, source_id: str, rule_source: str, reader, core: bool, lay) -> None:  # type: ignore[no-untyped-def]
        rules = rules_for(self.platform, "text", rule_source)
        try:
            lines = reader(self.host, lay)
        except sources.PartlyRead as exc:
            # What was read counts; a file that exists but could not be read keeps the item from green.
            lines = exc.lines
            self._skip(source_id, exc.failures[0], True)
        except (HostError, OSError) as exc:
            self._skip(source_id, exc, core)
            return
        else:
            self._seen(source_id)
        for line in lines:
            for rule in rules:
                if rule.text_hit(line.text):
                    self._hit(rule, line.where, line.detail)

    def _processes(self) -> None:
        rules = rules_for(self.platform, "process")
        try:
            procs = self.host.processes()
        except (HostError, OSError) as exc:
            self._skip("processes", exc, True)
            return
        self._seen("processes")
        for p in procs:
            exe = (p.exe or "").lower()
            name = (p.name or "").lower()
            cmd = " ".join(p.cmdline)
            for rule in rules:
                if rule.name is not None and not rule.name.search(name):
                    continue
                if rule.exe and not (exe and all(r.search(exe) for r in rule.exe)):
                    continue
                if rule.match and not all(r.search(cmd) for r in rule.match):
                    continue
                self._hit(rule, p.exe or p.name, note("evidence.pid", pid=p.pid))

    def _defender(self) -> None:
        rules = rules_for(self.platform, "defender")
        try:
            detections = sources.defender_detections(self.host)
        except (HostError, OSError) as exc:
            self._skip("defender", exc, False)
            return
        self._seen("defender")
        now = self.host.now().timestamp()
        for d in detections:
            if d["when"] is not None and now - d["when"] > DEFENDER_WINDOW_S:
                continue
            for rule in rules:
                if rule.name is not None and rule.name.search(d["name"]):
                    strength = rule.remediated_strength if d["remediated"] and rule.remediated_strength else None
                    self._hit(rule, "Microsoft Defender", d["name"], strength)

    def _paths(self, lay) -> None:  # type: ignore[no-untyped-def]
        rules = rules_for(self.platform, "path")
        if not rules:
            return

        def expand(p: str) -> str:
            return lay.home + p[1:] if p.startswith("~") else p

        for rule in rules:
            own = [p for p in rule.paths if lay.machine or p.startswith("~")]  # machine paths: looked at once
            if not own or rule.all_paths and len(own) < len(rule.paths):
                continue
            paths = [expand(p) for p in own]
            present = [p for p in paths if self.host.exists(p)]
            if rule.all_paths and len(present) == len(paths) or not rule.all_paths and present:
                self._hit(rule, present[0], ", ".join(present[1:4]))
        self._seen("known_paths")

    # -- file walk ---------------------------------------------------------
    def _walk(self, lay, stats: ScanStats, hash_list: HashList, deadline: float) -> bool:  # type: ignore[no-untyped-def]
        file_rules = rules_for(self.platform, "file")
        dll_rules = rules_for(self.platform, "dll_set")
        log_rules = rules_for(self.platform, "stealer_log")
        hash_rules = rules_for(self.platform, "hash")
        markers = frozenset().union(*(r.names for r in dll_rules), *(r.strong | r.weak for r in log_rules))
        by_kind: dict[str, list[Rule]] = {}
        for rule in file_rules:
            for kind in rule.roots:
                by_kind.setdefault(kind, []).append(rule)
        walker = Walker(
            self.host,
            stats,
            cancel=self.cancel,
            on_progress=self.on_progress,
            markers=markers,
            skip_mounts=self.skip_mounts,
            deadline=deadline,
            wants_stat=_wants_stat,
        )
        hasher = Hasher(self.host, stats, hash_list.digests, cap=self.hash_cap) if hash_rules else None
        posix = self.platform != "windows"
        try:
            for root in lay.roots:
                rules = by_kind.get(root.kind, ())
                for item in walker.walk(root):
                    if isinstance(item, DirMarkers):
                        self._dir_markers(item, dll_rules, log_rules)
                        continue
                    name = item.name
                    for rule in rules:
                        if item.depth <= rule.max_depth and rule.name is not None and rule.name.search(name):
                            self._file_rule(item, rule)
                    low = name.lower()
                    dot = low.rfind(".")
                    ext = low[dot + 1 :] if dot >= 0 else ""
                    if ext == "zip":
                        self._zip(item, log_rules)
                    if (
                        hasher is not None
                        and root.kind != "home"
                        and (ext in CANDIDATE_EXT or posix and item.executable)
                    ):
                        hasher.submit(item)
                if walker.stopped():
                    break
        finally:
            matches = hasher.close(cancel=walker.stopped()) if hasher is not None else []
        for entry, digest in matches:
            self._hit(hash_rules[0], entry.path, f"sha256 {digest}")
        if walker.stopped():
            self.not_looked_at.append(("files", "timed_out" if walker.out_of_time else "scan_cancelled"))
        else:
            self._seen("files")
        return not walker.stopped()

    def _file_rule(self, e: FileEntry, rule: Rule) -> None:
        if rule.executable and not e.executable:
            return
        if rule.min_size and (e.size is None or e.size < rule.min_size):
            return
        if any(u.search(e.path.lower()) for u in rule.unless):
            return
        self._hit(rule, e.path)

    def _zip(self, e: FileEntry, log_rules: list[Rule]) -> None:
        for rule in log_rules:
            if e.root.kind in rule.roots and (e.size is None or e.size <= rule.zip_max_bytes):
                found = self._zip_markers(e, rule)
                if found and _log_match(rule, found):
                    self._hit(rule, e.path, ", ".join(sorted(found)))

    def _zip_markers(self, e: FileEntry, rule: Rule) -> set[str]:
        """Marker names in an archive's table of contents (nothing is extracted)."""
        wanted = rule.strong | rule.weak
        try:
            if e.real is not None:
                zf = zipfile.ZipFile(e.real)
            else:
                zf = zipfile.ZipFile(io.BytesIO(self.host.read_bytes(e.path, rule.zip_max_bytes + 1)))
        except (OSError, zipfile.BadZipFile, HostError, ValueError, EOFError):
            return set()
        found: set[str] = set()
        with zf:
            for i, info in enumerate(zf.infolist()):
                if i >= ZIP_MAX_NAMES:
                    break
                parts = info.filename.replace("\\", "/").lower().split("/")
                for j, part in enumerate(parts):
                    key = part + "/" if j < len(parts) - 1 else part
                    if key in wanted:
                        found.add(key)
        return found

    def _dir_markers(self, d: DirMarkers, dll_rules: list[Rule], log_rules: list[Rule]) -> None:
        for rule in dll_rules:
            if d.depth == 0 and d.root.kind in rule.roots:
                present = d.found & rule.names
                if len(present) >= rule.min_count:
                    self._hit(rule, d.path, ", ".join(sorted(present)))
        for rule in log_rules:
            if d.root.kind in rule.roots and _log_match(rule, set(d.found)):
                self._hit(rule, d.path, ", ".join(sorted(d.found & (rule.strong | rule.weak))))


def _log_match(rule: Rule, found: set[str]) -> bool:
    strong = len(found & rule.strong)
    total = len(found & (rule.strong | rule.weak))
    return strong >= rule.min_strong and total >= rule.min_total


def _wants_stat(low_name: str, root_kind: str) -> bool:
    """Size and mode are needed for candidates, hidden or extension-less files, and in temporary folders."""
    if root_kind in ("tmp", "home") or low_name.startswith("."):
        return True
    dot = low_name.rfind(".")
    return dot < 0 or low_name[dot + 1 :] in CANDIDATE_EXT


def collect_signs(host: Host, **kwargs) -> InfostealerSigns:  # type: ignore[no-untyped-def]
    return Triage(host, **kwargs).run()


__all__ = ["Triage", "collect_signs"]
