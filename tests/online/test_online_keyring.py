"""API keys: OS keyring only; insecure or failing backends refused."""

from __future__ import annotations

import io

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest

from clinicguard.cli import main
from clinicguard.online import secrets
from tests.support.online_support import (  # noqa: F401
    MemoryKeyring,
    PlaintextKeyring,
    loopback_only,  # noqa: F401
    memory_keyring,
)

pytestmark = pytest.mark.usefixtures("loopback_only")

SECRET = "k3y-SECRET-0123456789abcdef"


def test_set_and_delete_key_through_the_cli(memory_keyring, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setattr("getpass.getpass", lambda prompt="": SECRET)
    assert main(["config", "set-key", "hibp", "--lang", "en"]) == 0
    assert memory_keyring.store[("clinicguard", "hibp-api-key")] == SECRET
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    assert "stored" in out.out
    assert secrets.get_key("hibp") == SECRET
    assert main(["config", "delete-key", "hibp", "--lang", "en"]) == 0
    assert "removed" in capsys.readouterr().out
    assert secrets.get_key("hibp") is None
    assert main(["config", "delete-key", "hibp", "--lang", "fr"]) == 0
    assert "Aucune clé" in capsys.readouterr().out


def test_set_key_from_stdin(memory_keyring, monkeypatch):  # noqa: F811
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    assert main(["config", "set-key", "abusech", "--stdin"]) == 0
    assert secrets.get_key("abusech") == SECRET


def test_key_never_in_the_log(memory_keyring, monkeypatch, _isolated_user_dirs):  # noqa: F811
    monkeypatch.setattr("getpass.getpass", lambda prompt="": SECRET)
    main(["config", "set-key", "hibp"])
    log = _isolated_user_dirs / "clinicguard.log"
    assert not log.exists() or SECRET not in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", ["", "   ", "with space inside", "x" * 300, "accentué"])
def test_bad_keys_are_refused(memory_keyring, monkeypatch, capsys, bad):  # noqa: F811
    monkeypatch.setattr("getpass.getpass", lambda prompt="": bad)
    assert main(["config", "set-key", "hibp", "--lang", "en"]) == 2
    assert memory_keyring.store == {}
    assert "Key refused" in capsys.readouterr().err


@pytest.mark.parametrize(
    "backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring(), PlaintextKeyring()]
)
def test_insecure_backends_are_refused_before_prompting(backend, monkeypatch, capsys):
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("prompted"))
        assert main(["config", "set-key", "hibp", "--lang", "fr"]) == 2
        err = capsys.readouterr().err
        assert "trousseau" in err and type(backend).__name__ in err
        assert secrets.get_key("hibp") is None
        assert main(["config", "delete-key", "hibp"]) == 2
    finally:
        keyring.set_keyring(previous)


def test_chainer_with_a_plaintext_member_is_refused():
    class Chain:
        backends = [MemoryKeyring(), PlaintextKeyring()]

    assert secrets.refused(Chain())
    assert not secrets.refused(MemoryKeyring())


def test_unknown_name_is_a_usage_error(memory_keyring):  # noqa: F811
    with pytest.raises(SystemExit) as exc:
        main(["config", "set-key", "github"])
    assert exc.value.code == 2
