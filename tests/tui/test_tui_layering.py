"""Only clinicguard/tui imports textual; the headless check never loads it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from clinicguard.catalogue import placeholders
from tests.support.paths import ROOT

PACKAGE = ROOT / "clinicguard"
IMPORT_TEXTUAL = re.compile(r"^\s*(from|import)\s+textual\b", re.MULTILINE)


def test_no_textual_import_outside_the_dashboard_package():
    offenders = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if "tui" not in path.relative_to(PACKAGE).parts and IMPORT_TEXTUAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_headless_check_does_not_load_textual(tmp_path):
    recording = tmp_path / "host.json"
    recording.write_text(
        '{"format": "clinicguard-host", "version": 1, "platform": "linux", "hostname": "pc",'
        ' "now": "2026-11-28T09:00:00+00:00", "user": {"name": "alice", "is_admin": false}}',
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from clinicguard.cli import main\n"
        f"rc = main(['check', '--format', 'json', '--replay', {str(recording)!r}, '--output', "
        f"{str(tmp_path / 'out.json')!r}])\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('LOADED', loaded, 'RC', rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "LOADED [] RC" in proc.stdout, proc.stdout + proc.stderr


def test_default_command_without_a_terminal_prints_the_checklist_without_textual(tmp_path):
    code = (
        "import sys\n"
        "from clinicguard.cli import build_parser\n"
        "from clinicguard.launcher import dashboard_or_text\n"
        "args = build_parser().parse_args(['--lang', 'en'])\n"
        "import clinicguard.engine.session as s\n"
        "s.make_host = lambda replay: __import__('clinicguard.host.replay', fromlist=['x']).RecordedHost("
        "{'format': 'clinicguard-host', 'version': 1, 'platform': 'linux', 'hostname': 'pc',"
        " 'now': '2026-11-28T09:00:00+00:00', 'user': {'name': 'a', 'is_admin': False}})\n"
        "dashboard_or_text(args)\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'NO-TEXTUAL')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().endswith("NO-TEXTUAL"), proc.stdout + proc.stderr


def _flat(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_dashboard_texts_exist_in_both_languages_with_the_same_placeholders():
    fr = _flat(tomllib.loads((PACKAGE / "i18n" / "fr" / "tui.toml").read_text(encoding="utf-8")))
    en = _flat(tomllib.loads((PACKAGE / "i18n" / "en" / "tui.toml").read_text(encoding="utf-8")))
    assert set(fr) == set(en)
    for key in fr:
        assert placeholders(fr[key]) == placeholders(en[key]), key
    assert all(k.startswith("tui.") for k in fr)


def test_every_key_has_a_bar_label_and_a_help_line():
    from clinicguard.i18n import catalog
    from clinicguard.tui.keys import MAIN_KEYS, NAVIGATION_KEYS

    for lang in ("fr", "en"):
        texts = catalog(lang)
        for key in (*MAIN_KEYS, *NAVIGATION_KEYS):
            assert f"tui.key.{key.name}" in texts
            assert f"tui.keyhelp.{key.name}" in texts
