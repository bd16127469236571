"""Headless renderings of an assessment (terminal text, JSON)."""
