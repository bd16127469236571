"""Where the test data lives: the one place that knows the layout of the repository.

Test modules sit at different depths under tests/; they import these constants instead of
computing paths from their own location.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
