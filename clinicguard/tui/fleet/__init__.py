"""The fleet view of the dashboard: every workstation of the establishment in one matrix.

``app.FleetApp`` is built from a :class:`clinicguard.fleet.service.Fleet`
opener, a clock and a language so tests and screenshots run on fixed data;
``launch.run`` builds the real one for ``clinicguard fleet [DIR]``.
"""
