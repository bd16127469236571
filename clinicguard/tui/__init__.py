"""The Textual dashboard: the only package of clinicguard that imports textual."""
