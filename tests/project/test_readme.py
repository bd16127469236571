"""The README says what the program does: theme ids, commands, options, the test command CI runs."""

from __future__ import annotations

import re

from clinicguard.catalogue import load_catalogue
from clinicguard.cli import COMMANDS, build_parser
from clinicguard.cli.help_text import walk
from tests.support.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_only_lists_every_theme_of_the_catalogue_in_order():
    line = README.split("`--only` takes a theme id shown by `clinicguard checks`:", 1)[1].split(".\n", 1)[0]
    listed = re.findall(r"`([a-z_]+)`", line)
    themes = load_catalogue().themes
    ids = [th.id for th in (themes.values() if isinstance(themes, dict) else themes)]
    assert listed == ids


def test_ci_runs_the_readme_test_command_verbatim():
    install, test = code_blocks("bash")[:2]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test.strip() in ci.splitlines()
    # The install line works where the system Python refuses pip (Debian 12, Ubuntu 24.04): its own environment.
    assert install.strip().startswith("python3 -m venv ") and "sudo" not in install


def test_every_command_and_option_the_readme_names_exists():
    parser = build_parser("en")
    options = {path: {o for a in node._actions for o in a.option_strings} for path, node in walk(parser)}
    for row in re.findall(r"^\| `clinicguard ([a-z-]+)([^`]*)`", README, flags=re.M):
        command, rest = row
        assert command in COMMANDS, command
        for option in re.findall(r"--[a-z-]+", rest):
            assert option in options[command], f"{command} {option}"
