"""clinicguard: a plain-language security checklist for small clinic workstations."""

__version__ = "0.1.0"
