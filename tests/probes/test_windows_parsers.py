"""Language-neutral decoders and the English/French console fallbacks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinicguard.core.errors import ProbeError
from clinicguard.probes.windows import text
from clinicguard.probes.windows.decode import (
    decode_bitlocker,
    decode_bitlocker_admin,
    decode_product_state,
    is_rid,
    machine_part,
    rid,
)
from tests.fixtures.windows_hosts import NET_ACCOUNTS_EN, NET_ACCOUNTS_FR, whoami


@pytest.mark.parametrize(
    ("template", "lockout", "expected"),
    [
        (NET_ACCOUNTS_EN, "10", (12, 10, 42)),
        (NET_ACCOUNTS_EN, "Never", (12, 0, 42)),
        (NET_ACCOUNTS_FR, "10", (12, 10, None)),  # Illimité: never expires
        (NET_ACCOUNTS_FR, "Jamais", (12, 0, None)),
    ],
)
def test_net_accounts_english_and_french(template, lockout, expected):
    parsed = text.parse_net_accounts(template.format(minlen=12, lockout=lockout))
    assert (parsed.min_length, parsed.lockout, parsed.max_age_days) == expected


def test_net_accounts_french_decoded_from_the_oem_code_page():
    raw = NET_ACCOUNTS_FR.format(minlen=8, lockout="5").encode("cp850")
    assert text.parse_net_accounts(raw.decode("cp850")).lockout == 5
    # Decoded with the wrong code page the accents break, the numbers still read.
    mangled = raw.decode("utf-8", errors="replace")
    assert text.parse_net_accounts(mangled).min_length == 8


def test_net_accounts_in_another_language_is_unknown_not_a_guess():
    german = """Erzwungene Abmeldung nach Ablauf der Zeit:        Nie
Minimales Kennwortalter (Tage):                        0
Maximales Kennwortalter (Tage):                        42
Minimale Kennwortlänge:                                0
Sperrschwelle:                                         Nie
Der Befehl wurde erfolgreich ausgeführt."""
    with pytest.raises(ProbeError) as info:
        text.parse_net_accounts(german)
    assert info.value.reason.value == "unexpected_output"


def test_net_accounts_garbage():
    with pytest.raises(ProbeError):
        text.parse_net_accounts("\x00\x01 Système error 1312\r\n")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("admin", [True, False])
def test_whoami_groups_sid_column(lang, admin):
    sids = text.parse_whoami_groups(whoami(lang, admin))
    assert ("S-1-5-32-544" in sids) is admin
    assert "S-1-1-0" in sids


def test_whoami_without_sids_is_unexpected():
    with pytest.raises(ProbeError):
        text.parse_whoami_groups("ERREUR : accès refusé.\r\n")


def test_powercfg_takes_the_last_two_numbers_in_any_language():
    fr = """Index actuel du paramètre de courant alternatif: 0x0000012c
Index actuel du paramètre de courant continu: 0x000000b4"""
    assert text.parse_powercfg("Maximum Possible Setting: 0xffffffff\n" + fr) == (300, 180)
    assert text.parse_powercfg("Le paramètre n'existe pas") is None


def test_wbadmin_version_identifier():
    assert text.parse_version_id("Identificateur de version : 10/01/2026-21:00") == datetime(
        2026, 10, 1, 21, 0, tzinfo=UTC
    )
    assert text.parse_version_id("13/45/2026-21:00") is None
    assert text.parse_version_id("nothing") is None


def test_secedit_lines():
    assert text.parse_secedit(["PasswordComplexity = 1", "MinimumPasswordLength = 14", "junk"]) == {
        "PasswordComplexity": 1,
        "MinimumPasswordLength": 14,
    }


@pytest.mark.parametrize(
    ("state", "engine", "enabled", "current"),
    [
        (397568, "on", True, True),  # 0x061100 Defender on, up to date
        (393472, "off", False, True),  # 0x060100 Defender off (third-party active)
        (266240, "on", True, True),  # 0x041000 third-party on
        (266256, "on", True, False),  # 0x041010 third-party on, signatures outdated
        (397584, "on", True, False),  # 0x061110 Defender on, outdated
        (0x042000, "snoozed", False, True),
        (0x043000, "expired", False, True),
        (0x045000, "unknown", None, True),
        (0x041020, "on", True, None),
    ],
)
def test_product_state_decoding(state, engine, enabled, current):
    decoded = decode_product_state(state)
    assert (decoded.state, decoded.enabled, decoded.up_to_date) == (engine, enabled, current)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, ("on", True)),
        (2, ("off", False)),
        (3, ("encrypting", True)),
        (4, ("decrypting", False)),
        (5, ("suspended", False)),
        (6, ("on", True)),
        (7, ("not_encryptable", False)),
        (8, ("waiting", False)),
        (0, ("unknown", None)),
        (9, ("unknown", None)),
        (None, ("unknown", None)),
        ("1", ("on", True)),
        ("x", ("unknown", None)),
        (True, ("unknown", None)),
    ],
)
def test_bitlocker_protection_decoding(value, expected):
    assert decode_bitlocker(value) == expected


@pytest.mark.parametrize(
    ("volume", "protection", "expected"),
    [
        ("FullyEncrypted", "On", ("on", True)),
        ("FullyEncrypted", "Off", ("suspended", False)),
        ("FullyDecrypted", "Off", ("off", False)),
        ("EncryptionInProgress", "Off", ("encrypting", True)),
        ("DecryptionInProgress", "On", ("decrypting", False)),
        ("FullyEncrypted", "Unknown", ("unknown", None)),
    ],
)
def test_bitlocker_admin_decoding(volume, protection, expected):
    assert decode_bitlocker_admin(volume, protection) == expected


def test_sid_relative_ids_are_anchored():
    machine = "S-1-5-21-1004336348-1177238915-682003330"
    assert is_rid(f"{machine}-500", 500)
    assert not is_rid(f"{machine}-1500", 500)
    assert not is_rid(f"{machine}-5001", 500)
    assert rid(f"{machine}-501") == 501
    assert rid("S-1-5-32-544") is None  # a well-known group, not an account
    assert machine_part(f"{machine}-1002") == machine
