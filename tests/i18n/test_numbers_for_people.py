"""Numbers, sizes and decimals shown to people follow the reader's language (Babel): "1,4 Mo", "0,1" in French."""

from __future__ import annotations

import pytest

from clinicguard.checks.infostealer import _scan_evidence
from clinicguard.core.notes import note
from clinicguard.i18n import evidence_value, t
from clinicguard.i18n.numbers import format_size
from clinicguard.infostealer.model import InfostealerSigns, ScanSummary

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("n", "fr", "en"),
    [
        (0, f"0{NBSP}octet", "0 bytes"),
        (1, f"1{NBSP}octet", "1 byte"),
        (999, f"999{NBSP}octets", "999 bytes"),
        (1000, f"1{NNBSP}ko", "1 kB"),
        (1_400_000, f"1,4{NNBSP}Mo", "1.4 MB"),
        (3_000_000_000, f"3{NNBSP}Go", "3 GB"),
    ],
)
def test_sizes_are_written_as_each_language_writes_them(n, fr, en):
    assert format_size(n, "fr") == fr
    assert format_size(n, "en") == en


def test_a_size_or_decimal_parameter_of_a_catalogue_text_follows_the_reader():
    assert t("message.too_big", "fr", limit_bytes=1_048_576).startswith(f"plus de 1{NNBSP}Mo")
    assert t("message.too_big", "en", limit_bytes=1_048_576) == "larger than 1 MB: not a file clinicguard reads"


def _summary() -> ScanSummary:
    return ScanSummary(
        files=12,
        dirs=3,
        hashed=1234,
        bytes_hashed=1_400_000,
        skipped={},
        hash_list_size=3,
        elapsed_s=0.0625,
        complete=True,
    )


def test_infostealer_evidence_reads_in_french_and_in_english():
    signs = InfostealerSigns(hits=(), looked_at=(), not_looked_at=(), scan=_summary())
    shown = {
        e.label: (evidence_value(e.value, "fr", e.label), evidence_value(e.value, "en", e.label))
        for e in _scan_evidence(signs)
    }
    assert shown["infostealer_files_hashed"] == (f"1{NNBSP}234 fichiers (1,4{NNBSP}Mo)", "1,234 files (1.4 MB)")
    assert shown["infostealer_duration_s"] == ("0,1", "0.1")


@pytest.mark.parametrize(
    ("stored", "fr", "en"),
    [
        (note("evidence.line", line=4), "ligne 4", "line 4"),
        (note("evidence.pid", pid=3517), "processus n° 3517", "process 3517"),
        ("cron, " + note("evidence.line", line=12), "cron, ligne 12", "cron, line 12"),
        (note("evidence.files_hashed", count=1, size_bytes=10), f"1 fichier (10{NBSP}octets)", "1 file (10 bytes)"),
    ],
)
def test_hit_details_are_worded_in_the_readers_language(stored, fr, en):
    assert evidence_value(stored, "fr") == fr
    assert evidence_value(stored, "en") == en
