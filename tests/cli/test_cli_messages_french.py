"""Every message the command line shows is in the reader's language: French by default, English on request.

Errors and notices are raised as catalogue keys (``ClinicGuardError("unknown_item", item=...)``,
``core.errors.message``) and worded by the front end; the static tests keep a bare English sentence from
coming back into a ``say(...)`` or an error.
"""

from __future__ import annotations

import ast
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from clinicguard.core.errors import ClinicGuardError, DataFileError, message
from clinicguard.i18n import catalog, message_text, plural_table

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = ROOT / "clinicguard"

# English that has no business in a French message (what the acceptance test found: "unknown item", "give the",
# "cannot", "needs", "must", "kept aside"...).
ENGLISH = re.compile(
    r"\b(unknown|give|cannot|could not|needs?|must|invalid|expected|kept aside|written by|not a|"
    r"the|is|are|no saved|two saved|assessment|folder|error|see)\b",
    re.IGNORECASE,
)


# What a message quotes: «…», a path, (a tool's own words), a setting name, an option, a file name.
QUOTED = re.compile(r"«[^»]*»|/\S+|\([^)]*\)|\[[^]]*\] \w+|--\S+|\S+\.(?:toml|json|pdf)\b")


def _run(tmp_path: Path, *argv: str, lang_env: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "CLINICGUARD_"))}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(
        LANG=lang_env,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "-m", "clinicguard", *argv], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def _error_paths(tmp_path: Path) -> list[list[str]]:
    bad_settings = tmp_path / "bad.toml"
    bad_settings.write_text("[interface]\nlanguage = 'de'\n", encoding="utf-8")
    unknown_setting = tmp_path / "unknown.toml"
    unknown_setting.write_text("[interface]\ncolour = 1\n", encoding="utf-8")
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\nno_such_question = 'oui'\n", encoding="utf-8")
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    return [
        ["accept", "no.such_item", "--reason", "x", "--until", "2099-01-01"],
        ["accept", "access.password_policy"],
        ["accept", "access.password_policy", "--reason", "x", "--until", "31/13/2099"],
        ["accept", "access.password_policy", "--reason", "x", "--until", "2000-01-01"],
        ["accept", "access.password_policy", "--reason", "x" * 5000, "--until", "2099-01-01"],
        ["check", "--only", "no_such_theme"],
        ["check", "--to", str(tmp_path)],
        ["check", "--replay", str(tmp_path / "missing.json")],
        ["check", "--config", str(bad_settings)],
        ["check", "--config", str(unknown_setting)],
        ["diff"],
        ["questionnaire", "--import", str(answers)],
        ["fleet"],
        ["fleet", "--format", "pdf", str(tmp_path)],
        ["fleet", str(not_a_folder)],
        ["fleet", "accept", "no.such_item", str(tmp_path)],
    ]


def test_every_error_path_speaks_french_under_a_c_locale(tmp_path):
    failures = []
    for argv in _error_paths(tmp_path):
        res = _run(tmp_path, *argv)
        lines = [line for line in res.stderr.splitlines() if line.startswith("clinicguard:")]
        if res.returncode == 0 or not lines:
            failures.append(f"{argv}: exit {res.returncode}, no message: {res.stderr!r}")
            continue
        for line in lines:
            # What the message quotes (a path, an argument, a tool's own words) is not ours to translate.
            ours = QUOTED.sub("", line[len("clinicguard:") :])
            if ENGLISH.search(ours) or "Traceback" in res.stderr:
                failures.append(f"{argv}: {line}")
    assert not failures, "\n".join(failures)


def test_the_same_error_paths_speak_english_on_request(tmp_path):
    res = _run(tmp_path, "accept", "no.such_item", "--reason", "x", "--until", "2099-01-01", lang_env="en_GB.UTF-8")
    assert res.stderr == "clinicguard: unknown item 'no.such_item' (see 'clinicguard checks')\n"
    res = _run(tmp_path, "--lang", "en", "diff")
    assert "two saved assessments are needed" in res.stderr
    res = _run(tmp_path, "diff")
    assert res.stderr.startswith("clinicguard: il faut deux évaluations enregistrées")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _messages(lang: str) -> dict[str, str]:
    return {k: v for k, v in catalog(lang).items() if k.startswith("message.")}


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    fr, en = _messages("fr"), _messages("en")
    assert fr.keys() == en.keys()
    assert {k: _fields(v) for k, v in fr.items()} == {k: _fields(v) for k, v in en.items()}


def _calls(tree: ast.AST, names: set[str]):  # type: ignore[no-untyped-def]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in names:
                yield name, node


def _is_prose(node: ast.AST) -> bool:
    """A literal sentence: a string or f-string whose own text holds a space (a key never does)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return " " in node.value.strip()
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and re.search(r"[A-Za-z]{2,} [A-Za-z]", str(v.value)) for v in node.values
        )
    return False


SHOWN_BY_THE_COMMAND_LINE = ("cli", "records", "fleet", "files", "engine", "collect", "online", "references")


def test_no_message_of_the_command_line_or_its_stores_is_a_bare_english_literal():
    offenders = []
    for folder in SHOWN_BY_THE_COMMAND_LINE:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            where = path.relative_to(ROOT)
            for name, call in _calls(tree, {"say", "ClinicGuardError", "DataFileError", "MissingFile"}):
                args = list(call.args)
                shown = args[1:2] if name in ("DataFileError", "MissingFile") else args[:1]
                if any(_is_prose(a) for a in shown):
                    offenders.append(f"{where}:{call.lineno}: {name}({ast.unparse(shown[0])[:60]})")
            for _, call in _calls(tree, {"print"}):
                text = ast.unparse(call.args[0]) if call.args else ""
                if "clinicguard:" in text and "t(" not in text and "message" not in text:
                    offenders.append(f"{where}:{call.lineno}: print({text[:60]})")
    assert not offenders, "\n".join(offenders)


def test_every_message_key_raised_in_the_code_is_in_the_catalogue():
    known = _messages("en")
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, call in _calls(tree, {"ClinicGuardError", "DataFileError", "MissingFile", "message", "tell"}):
            index = 1 if name in ("DataFileError", "MissingFile") else 0
            if len(call.args) <= index or not isinstance(call.args[index], ast.Constant):
                continue
            key = str(call.args[index].value)
            if not all(part.isidentifier() for part in key.split(".")):
                continue
            full = f"message.{key}"
            if full not in known and plural_table(full, "en") is None:
                missing.append(f"{path.relative_to(ROOT)}:{call.lineno}: {key}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "fr",
            "/x/answers.json : ce n'est pas un fichier de clinicguard ; mis de côté sous le nom a.bak, "
            "on repart sans réponses enregistrées",
        ),
        ("en", "/x/answers.json: not a clinicguard file; kept aside as a.bak, starting with no saved answers"),
    ],
)
def test_a_stored_notice_is_worded_in_the_readers_language_with_nested_messages(lang, expected):
    notice = message("store_damaged.answers", path="/x/answers.json", problem=message("not_our_file"), kept="a.bak")
    assert message_text(notice, lang).replace("\u00a0", " ") == expected


def test_errors_read_in_english_in_logs_and_keep_their_parameters():
    err = ClinicGuardError("unknown_item", item="x.y")
    assert str(err) == "unknown item 'x.y' (see 'clinicguard checks')"
    assert message_text(err, "fr").replace("\u00a0", " ") == "point inconnu « x.y » (voir « clinicguard checks »)"
    data = DataFileError(
        "réglages.toml", "setting_range.days", name="assessment.interval_days", low=1, high=3650, value="0"
    )
    assert data.problem == "'assessment.interval_days' must be between 1 and 3650 days, not 0"
    assert message_text(data, "fr").replace("\u00a0", " ").replace("\u202f", " ") == (
        "réglages.toml : « assessment.interval_days » doit être entre 1 et 3650 jours, pas 0"
    )
    # A text already worded (t(...)) is shown as it is.
    assert message_text(ClinicGuardError("Aucune évaluation enregistrée."), "en") == "Aucune évaluation enregistrée."
