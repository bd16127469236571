"""Helpers shared by the test packages (fake hosts, demo apps, report builders, paths)."""
