"""Running an assessment: the session (settings, language, catalogue, host, reference tables), the runner, the
save-and-compare workflow, elevation.
"""
