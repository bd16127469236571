"""The test tree mirrors the package: no test module at the top of tests/."""

from tests.support.paths import TESTS


def test_no_test_module_at_the_top_of_tests() -> None:
    stray = sorted(p.name for p in TESTS.glob("test_*.py"))
    assert stray == [], f"move {stray} into tests/<package>/ (the package it tests), see docs/architecture.md"
