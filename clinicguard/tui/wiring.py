"""Opening the questionnaire, history, export, acceptance and password-test screens.

Each function reads what its screen needs (saved answers, history,
accepted items) and returns the screen; a damaged or unreadable file raises
ClinicGuardError, which the checklist shows as a one-line message.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.screen import Screen

from clinicguard.catalogue import Catalogue
from clinicguard.core.model import Assessment, CheckResult


def questionnaire(catalogue: Catalogue, lang: str, today: date) -> Screen:
    from clinicguard.records.questionnaire import AnswerStore
    from clinicguard.tui.screens.questionnaire import QuestionnaireScreen

    return QuestionnaireScreen(catalogue, AnswerStore.load(), lang, today)


def history(catalogue: Catalogue, lang: str, settings: dict[str, Any]) -> Screen:
    from clinicguard.tui.screens.history import HistoryScreen

    return HistoryScreen.from_history(catalogue, lang, settings)


def export(assessment: Assessment, catalogue: Catalogue, lang: str, settings: dict[str, Any]) -> Screen:
    from clinicguard.tui.screens.export import ExportScreen

    def to_fleet(folder: Path) -> Path:
        # The same file as "clinicguard check --save --to DIR", with this machine's saved answers.
        from clinicguard.fleet.export import export_visit
        from clinicguard.host.local import LocalHost
        from clinicguard.records.questionnaire import AnswerStore

        return export_visit(
            assessment, folder, LocalHost(), settings=settings, answers=AnswerStore.load().to_dict()["answers"]
        )

    # Compared with the last saved assessment before this one, for the "what changed" part of the report.
    return ExportScreen.with_history(assessment, lang, settings=settings, catalogue=catalogue, fleet_export=to_fleet)


def accept(result: CheckResult, title: str, lang: str, today: date) -> Screen:
    from clinicguard.records.acceptance import ExceptionStore
    from clinicguard.tui.screens.accept import AcceptScreen

    return AcceptScreen(result.check_id, title, result.status, ExceptionStore.load(), lang, today)


def reapply_acceptances(results: tuple[CheckResult, ...], today: date) -> tuple[CheckResult, ...]:
    from dataclasses import replace

    from clinicguard.records.acceptance import ExceptionStore, apply_to_results

    plain = tuple(replace(r, accepted=None) for r in results)
    return apply_to_results(plain, ExceptionStore.load(), today)


def password_test(lang: str, settings: dict[str, Any]) -> Screen:
    from clinicguard.online import online_allowed
    from clinicguard.online.password_test import PasswordTester
    from clinicguard.tui.screens.password_test import PasswordTestScreen

    return PasswordTestScreen(lang, PasswordTester(settings, online=online_allowed(None, settings)))
