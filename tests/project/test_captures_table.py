"""docs/real-captures.md follows the provenance sidecars; every real capture has one and is used by a test."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.support.paths import FIXTURES, ROOT

REAL = FIXTURES / "real"
SPEC = importlib.util.spec_from_file_location("captures_table", ROOT / "scripts" / "captures_table.py")
assert SPEC and SPEC.loader
table = importlib.util.module_from_spec(SPEC)
sys.modules["captures_table"] = table  # dataclasses look their module up while the class is built
SPEC.loader.exec_module(table)


def test_doc_is_up_to_date_with_the_sidecars():
    expected = table.render(table.read_sidecars(), table.catalogue_checks())
    assert (ROOT / "docs" / "real-captures.md").read_text(encoding="utf-8") == expected, (
        "docs/real-captures.md is out of date: run python scripts/captures_table.py"
    )


def test_every_real_capture_has_a_sidecar_and_names_catalogue_checks():
    checks = table.catalogue_checks()
    described = {c.path for c in table.read_sidecars()}
    for path in sorted(REAL.rglob("*")):
        if path.is_dir() or path.name.endswith(table.SUFFIX) or path.name == "README.md":
            continue
        rel = path.relative_to(REAL.parent).as_posix()
        assert rel in described, f"{rel} has no {table.SUFFIX} sidecar"
    for cap in table.read_sidecars():
        assert cap.checks and set(cap.checks) <= set(checks), cap.path
        if cap.path.startswith("real/") and not cap.hand_written:  # real-shaped ones say hand_written = true
            assert cap.url.startswith("https://"), cap.path


@pytest.mark.parametrize("family", ["linux", "macos"])
def test_every_linux_and_macos_capture_is_used_by_a_test(family):
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    unused = [
        p.name for p in sorted((REAL / family).iterdir()) if not p.name.endswith(table.SUFFIX) and p.name not in sources
    ]
    assert not unused, f"real captures no test reads: {unused}"


def test_a_malformed_or_orphan_sidecar_is_named(tmp_path):
    (tmp_path / "real" / "linux").mkdir(parents=True)
    orphan = tmp_path / "real" / "linux" / "gone.txt.source.toml"
    orphan.write_text(
        'url = "https://x"\ntitle = "t"\nos = "Debian 12"\nchecks = []\nchanges = ""\nhand_written = false\n'
    )
    with pytest.raises(ValueError, match="does not exist"):
        table.read_sidecars(tmp_path)
    (tmp_path / "real" / "linux" / "gone.txt").write_text("x")
    orphan.write_text('url = "https://x"\n')
    with pytest.raises(ValueError, match="'title' missing"):
        table.read_sidecars(tmp_path)


def test_unknown_check_ids_are_refused():
    cap = table.Capture("real/linux/x", "linux", "Debian 12", "https://x", "t", ("no.such_check",), False)
    with pytest.raises(ValueError, match="no.such_check"):
        table.render([cap], table.catalogue_checks())
