"""The Textual dashboard: the only package of clinicguard that imports textual."""

from clinicguard.tui.linebreaks import keep_no_break_spaces

keep_no_break_spaces()  # « Accepté » and "mot :" never split across lines on any screen
