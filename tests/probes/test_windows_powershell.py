"""The batched PowerShell run: once per host, robust to blocking and garbage."""

from __future__ import annotations

import json
import threading

import pytest

from clinicguard.core.errors import ProbeError
from clinicguard.core.model import Reason
from clinicguard.probes.windows import ps
from tests.support.windows_support import host, with_ps_output


def test_scripts_are_shipped_and_complete():
    for which in (ps.BATCH, ps.UPDATES):
        script = ps.script(which)
        assert "ConvertTo-Json -InputObject $out" in script and "[Console]::OutputEncoding" in script
        assert '"' not in script  # travels on the command line: no double quotes to escape
    assert "'TeamViewer'" in ps.script() and "__SERVICE_NAMES__" not in ps.script()
    sections = ps.LIST_SECTIONS | ps.UPDATE_SECTIONS | {"defender", "secpol", "wbadmin", "chassis", "power"}
    for name in sections:
        which = ps.UPDATES if name in ps.UPDATE_SECTIONS else ps.BATCH
        assert f"Section '{name}'" in ps.script(which), name
    argv = ps.argv(host())
    assert argv[:6] == list(ps.PS_ARGV) and argv[-1] == ps.script()
    assert ps.argv(host(), ps.UPDATES)[:7] == list(ps.PS_ARGV_UPDATES)


def test_one_powershell_start_shared_by_concurrent_probes():
    h = host()
    results = []
    threads = [threading.Thread(target=lambda: results.append(ps.section(h, "firewall"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert h.powershell_starts == 1
    assert all(r == results[0] for r in results)


def test_failure_is_remembered_not_retried():
    h = with_ps_output(host(), error="timeout")
    for _ in range(3):
        with pytest.raises(ProbeError) as info:
            ps.section(h, "firewall")
        assert info.value.reason is Reason.TIMED_OUT
    assert h.powershell_starts == 1


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"error": "missing"}, Reason.TOOL_MISSING),
        ({"error": "timeout"}, Reason.TIMED_OUT),
        ({"error": "denied"}, Reason.NOT_READABLE),
        ({"returncode": 0, "stdout": "\x00\x13garbage ####"}, Reason.UNEXPECTED_OUTPUT),
        ({"returncode": 0, "stdout": '{"clinicguard":1,"meta":{"ps"'}, Reason.UNEXPECTED_OUTPUT),
        (
            {
                "returncode": 1,
                "stdout": "",
                "stderr": "Ce programme est bloqué par une stratégie de groupe. "
                "Pour plus d'informations, contactez votre administrateur système.",
            },
            Reason.NOT_READABLE,
        ),
        ({"returncode": 1, "stdout": "", "stderr": "This program is blocked by group policy."}, Reason.NOT_READABLE),
    ],
)
def test_powershell_faults_give_a_reason(entry, reason):
    h = with_ps_output(host(), **entry)
    with pytest.raises(ProbeError) as info:
        ps.batch(h)
    assert info.value.reason is reason


def test_noise_before_the_document_and_bom_are_ignored():
    doc = {"clinicguard": 1, "meta": {"language_mode": "FullLanguage"}, "chassis": [{"types": [9]}]}
    out = "\ufeffAVERTISSEMENT : module chargé\r\n" + json.dumps(doc) + "\r\n"
    assert ps.parse_output(out)["chassis"] == [{"types": [9]}]


def test_section_shapes_and_errors():
    h = host(
        ps_firewall={"name": "Public", "enabled": "True", "inbound": "Block"},  # one item, unwrapped
        ps_defender={"error": "Échec de l'opération 0x800106ba", "id": "HRESULT 0x800106ba"},
        ps_av_products=[{"error": "Espace de noms non valide", "id": "x"}],
        ps_admins=[{"error": "Accès refusé. (Exception de HRESULT : 0x80070005 (E_ACCESSDENIED))"}],
    )
    assert ps.section(h, "firewall") == [{"name": "Public", "enabled": "True", "inbound": "Block"}]
    with pytest.raises(ProbeError) as info:
        ps.section(h, "defender")
    assert info.value.reason is Reason.NOT_READABLE and "0x800106ba" in info.value.detail
    with pytest.raises(ProbeError) as info:
        ps.section(h, "av_products")
    assert info.value.reason is Reason.UNSUPPORTED
    with pytest.raises(ProbeError) as info:
        ps.section(h, "admins")
    assert info.value.reason is Reason.NEEDS_ADMIN
    with pytest.raises(ProbeError) as info:
        ps.section(h, "secpol")
    assert info.value.reason is Reason.NEEDS_ADMIN


def test_missing_section_is_unexpected():
    h = host()
    data = ps.batch(h)
    del data["chassis"]
    with pytest.raises(ProbeError) as info:
        ps.section(h, "chassis")
    assert info.value.reason is Reason.UNEXPECTED_OUTPUT


def test_constrained_language_mode_named_in_the_reason():
    from tests.fixtures.windows_hosts import windows11_fr_constrained

    h = host(windows11_fr_constrained)
    with pytest.raises(ProbeError) as info:
        ps.section(h, "wu_history")
    assert "ConstrainedLanguage" in info.value.detail
    assert ps.section(h, "firewall")  # what CIM cmdlets give still comes through


def test_pwsh7_module_path_is_stripped():
    h = host(
        env={
            "PSModulePath": r"C:\Users\a\Documents\PowerShell\Modules;C:\Program Files\PowerShell\7\Modules;"
            r"C:\Windows\system32\WindowsPowerShell\v1.0\Modules"
        }
    )
    env = ps._child_env(h)
    assert env == {"PSModulePath": r"C:\Windows\system32\WindowsPowerShell\v1.0\Modules"}
    assert ps._child_env(host()) is None


def test_64_bit_powershell_from_a_32_bit_python(monkeypatch):
    import struct

    from clinicguard.probes.windows import native

    h = host(env={"SystemRoot": "C:\\Windows", "PROCESSOR_ARCHITEW6432": "AMD64"})
    assert ps.argv(h)[0] == "powershell.exe"  # a recording is never the local machine
    monkeypatch.setattr(native, "is_native", lambda _host: True)
    monkeypatch.setattr(struct, "calcsize", lambda _fmt: 4)
    assert ps.argv(h)[0] == "C:\\Windows\\Sysnative\\WindowsPowerShell\\v1.0\\powershell.exe"


def test_scripts_parse_as_powershell():
    """Syntax check with a PowerShell grammar when one is installed (tree-sitter-language-pack < 0.10)."""
    pack = pytest.importorskip("tree_sitter_language_pack")
    try:
        parser = pack.get_parser("powershell")
    except Exception as exc:  # noqa: BLE001 - newer packs download grammars: offline here
        pytest.skip(f"no PowerShell grammar available ({exc})")
    assert parser.parse(b"$x = @{ a = (1 }").root_node.has_error
    for which in (ps.BATCH, ps.UPDATES):
        assert not parser.parse(ps.script(which).encode()).root_node.has_error, which
