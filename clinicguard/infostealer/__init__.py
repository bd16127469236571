"""Infostealer triage: signs of infection and how much a stealer would take.

``rules`` loads the indicators (data), ``walk`` and ``hashing`` are the scan
engine, ``sources`` knows where to look on each system, ``signs`` and
``exposure`` gather the facts, ``scoring`` turns hits into a verdict.
"""
