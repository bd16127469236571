"""The establishment's fleet: every workstation's assessments gathered in one folder or one database.

| module | role |
|---|---|
| ``identity`` | stable machine identity: a hash of the OS machine id, never the id itself |
| ``visit`` | one visit file (one machine, one assessment): build, content hash, atomic write, read and validate |
| ``store`` | the index (SQLite in the fleet folder, or PostgreSQL) through SQLAlchemy Core |
| ``importer`` | idempotent import of a fleet folder, every skipped file listed with its reason |
| ``establishment`` | organisational answers and accepted exceptions kept at establishment level |
| ``aggregate`` | the establishment picture: matrix, score, coverage, actions, trend, overdue machines |
"""
