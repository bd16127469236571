"""The pure core: results model, facts, score, errors, comparison of two assessments. No machine, no file."""
