"""Presentation helpers shared by every renderer (terminal, reports, dashboard)."""
