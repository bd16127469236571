"""Key table shared by the bindings, the key bar and the help screen.

Descriptions are i18n keys (``tui.key.<name>`` short, ``tui.keyhelp.<name>``
long) so a language switch re-labels every key hint.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    keys: str  # textual key names, comma separated
    shown: str  # what the person reads; "" means the translated tui.keyname.<name>
    action: str
    name: str  # i18n suffix
    in_bar: bool = True  # shown in the key bar at the bottom (all keys are in the help)
    rank: int = 2  # when the bar is too narrow, higher ranks are left out first (they stay in the help)


MAIN_KEYS: tuple[Key, ...] = (
    Key("r", "r", "scan", "scan", rank=1),
    Key("f", "f", "cycle_filter", "filter", rank=1),
    Key("slash", "/", "search", "search", rank=2),
    Key("t", "t", "next_theme", "next_theme", rank=4),
    Key("T", "T", "prev_theme", "prev_theme", in_bar=False),
    Key("p", "p", "todo", "todo", rank=1),
    Key("u", "u", "questionnaire", "questionnaire", rank=2),
    Key("x", "x", "accept", "accept", rank=3),
    Key("h", "h", "history", "history", rank=3),
    Key("e", "e", "export", "export", rank=2),
    Key("m", "m", "password_test", "password_test", rank=4),
    Key("E", "E", "elevate", "elevate", rank=3),
    Key("l", "l", "switch_language", "language", rank=1),
    Key("question_mark,f1", "?", "help", "help", rank=0),
    Key("q", "q", "quit", "quit", rank=0),
)

# Keys handled by the list and the detail pane themselves, listed in the help only.
NAVIGATION_KEYS: tuple[Key, ...] = (
    Key("up,down", "↑ ↓", "", "up_down", in_bar=False),
    Key("enter", "", "", "detail", in_bar=False),
)


def shown(key: Key, lang: str) -> str:
    from clinicguard.i18n import t

    return key.shown or t(f"tui.keyname.{key.name}", lang)


def bindings(keys: tuple[Key, ...]) -> list[Binding]:
    # The key bar draws the hints itself, in the current language.
    return [Binding(k.keys, k.action, k.name, show=False) for k in keys if k.action]
