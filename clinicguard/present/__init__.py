"""How results are shown to people, whatever the front end.

Status words and marks, dates, the order of urgency and the texts of a
result in a language for a platform. The text output, every report format,
the dashboard and ``diff`` take them from here so they cannot disagree.
Nothing here writes to a screen or a file, and nothing imports a front end.
"""
