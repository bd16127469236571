"""Where clinicguard's files live and how they are read and written safely: data folders, settings, bundled data
files, logs.
"""
