"""Screens pushed over the main checklist (help, what to do first, and those of other parts)."""
