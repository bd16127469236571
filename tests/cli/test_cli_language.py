"""French first: the checklist, --help and usage errors are French unless English is explicitly asked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinicguard.cli import build_parser, main
from clinicguard.cli.help_text import help_key, option_name, walk
from clinicguard.i18n import catalog
from tests.support.paths import FIXTURES, ROOT

LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "CLINICGUARD_LANG")


def run_cli(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    base.update(
        PYTHONPATH=str(ROOT),
        CLINICGUARD_CONFIG=str(tmp_path / "none.toml"),
        CLINICGUARD_DATA_DIR=str(tmp_path / "data"),
        CLINICGUARD_LOG=str(tmp_path / "log"),
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "clinicguard", *args], env=base, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("env", [{"LANG": "C.UTF-8"}, {"LANG": "POSIX"}, {}, {"LC_ALL": "C"}, {"LANG": "de_DE.UTF-8"}])
def test_help_is_french_without_an_explicit_language(env, tmp_path):
    out = run_cli("--help", env=env, tmp_path=tmp_path)
    assert out.returncode == 0
    assert out.stdout.startswith("utilisation : clinicguard")
    assert "affiche cette aide et quitte" in out.stdout
    assert "options\u202f:" in out.stdout and "commandes\u202f:" in out.stdout  # French spacing
    assert "show this help" not in out.stdout and "usage:" not in out.stdout


def test_help_follows_an_english_locale_and_settings(tmp_path):
    assert run_cli("--help", env={"LANG": "en_GB.UTF-8"}, tmp_path=tmp_path).stdout.startswith("usage: clinicguard")
    settings = tmp_path / "en.toml"
    settings.write_text('[interface]\nlanguage = "en"\n')
    out = run_cli("--config", str(settings), "check", "--help", env={"LANG": "C.UTF-8"}, tmp_path=tmp_path)
    assert out.stdout.startswith("usage: clinicguard check")
    assert "run the assessment without the dashboard" in out.stdout
    # --lang anywhere on the line wins over the locale.
    out = run_cli("report", "--lang", "fr", "--help", env={"LANG": "en_US.UTF-8"}, tmp_path=tmp_path)
    assert "écrit un rapport pour la direction" in out.stdout and "--output FICHIER" in out.stdout


def test_usage_errors_are_french_by_default(tmp_path):
    out = run_cli("check", "--format", "xml", env={"LANG": "C.UTF-8"}, tmp_path=tmp_path)
    assert out.returncode == 2
    assert "clinicguard check : erreur : argument --format : choix non valable : 'xml'" in out.stderr


def test_check_output_is_french_under_the_c_locale(tmp_path):
    host = FIXTURES / "hosts" / "windows11-fr-user.json"
    out = run_cli("check", "--replay", str(host), env={"LANG": "C.UTF-8"}, tmp_path=tmp_path)
    assert "Score :" in out.stdout and "Légende" in out.stdout


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_option_of_every_command_is_described_in_the_catalogue(lang):
    parser = build_parser(lang)
    table = catalog(lang)
    missing = []
    for path, node in walk(parser):
        if path and f"cli_help.{path}.summary" not in table:
            missing.append(f"{path}: summary")
        for action in node._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                continue
            if help_key(path, option_name(action), lang) is None:
                missing.append(f"{path or 'main'}: {option_name(action)}")
            if isinstance(action.metavar, str) and action.metavar == action.metavar.upper():
                assert action.metavar in table.values() or action.metavar.startswith("{"), action.metavar
    assert not missing


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "--help"])
    out = capsys.readouterr().out
    from clinicguard.cli import COMMANDS

    assert all(f"    {name}" in out for name in COMMANDS)
