"""The checklist catalogue: themes, recommendations and checks, as data.

Everything a person reads about a check (title, why it matters, how to fix
it on each system, one-line summaries) lives in ``checks/<id>.toml`` in
French and English. Code only decides the status.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from clinicguard.core.errors import DataFileError
from clinicguard.core.model import Status
from clinicguard.files.datafiles import load_toml, package_file
from clinicguard.i18n import LANGUAGES, render, t
from clinicguard.i18n.numbers import AGREEMENT
from clinicguard.i18n.typography import french_spacing

PLATFORMS = ("windows", "linux", "macos")


@dataclass(frozen=True)
class Theme:
    id: str
    order: int
    titles: dict[str, str]
    link: str = ""

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["en"]


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    url: str = ""


@dataclass(frozen=True)
class Recommendation:
    id: str
    titles: dict[str, str]
    sources: tuple[Source, ...]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["en"]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    theme: str
    weight: int
    platforms: tuple[str, ...]
    needs_admin: bool
    recommendations: tuple[str, ...]
    texts: dict[str, dict[str, Any]] = field(repr=False)
    priority: int = 2  # 1 = most urgent when red or amber
    kind: str = "auto"  # "auto": judged by a check function; "ask": answered in the questionnaire

    def text(self, name: str, lang: str) -> str:
        return french_spacing(str(self.texts.get(lang, {}).get(name) or self.texts["en"].get(name, "")), lang)

    def title(self, lang: str) -> str:
        return self.text("title", lang)

    def why(self, lang: str) -> str:
        return self.text("why", lang)

    def fix(self, lang: str, platform: str, status: Status | None = None) -> str:
        """What to do on ``platform``; for a red or amber item, the steps for that colour when they differ."""
        by_colour = {Status.FAIL: "fix_red", Status.WARN: "fix_amber"}
        if status in by_colour:
            text = self._platform_text(by_colour[status], lang, platform)
            if text:
                return text
        text = self._platform_text("fix", lang, platform)
        if text or not self._platform_text("fix_red", lang, platform):
            return text
        # No common text: both colours' steps, each under its heading.
        return "\n".join(
            (
                t("common.fix_if_red", lang),
                self._platform_text("fix_red", lang, platform),
                t("common.fix_if_amber", lang),
                self._platform_text("fix_amber", lang, platform),
            )
        )

    def _platform_text(self, name: str, lang: str, platform: str) -> str:
        texts = self.texts.get(lang, {}).get(name) or self.texts["en"].get(name, {})
        return french_spacing(str(texts.get(platform) or texts.get("default") or ""), lang)

    def verify(self, lang: str, platform: str) -> str:
        """How to check this item by hand when it could not be verified ("" when the catalogue says nothing)."""
        texts = self.texts.get(lang, {}).get("verify") or self.texts["en"].get("verify", {})
        return french_spacing(str(texts.get(platform) or texts.get("default") or ""), lang)

    def summary(self, key: str, lang: str, params: dict[str, Any] | None = None) -> str:
        """One-line summary for a result; keys with a dot are interface keys."""
        if "." in key:
            return t(key, lang, **(params or {}))
        table = self.texts.get(lang, {}).get("summary", {})
        template = table.get(key) or self.texts["en"].get("summary", {}).get(key) or key
        # A table of plural variants ({ one = ..., other = ... }) is chosen from by i18n.render.
        return render(template if isinstance(template, dict) else str(template), params, lang)


@dataclass(frozen=True)
class Catalogue:
    themes: dict[str, Theme]
    recommendations: dict[str, Recommendation]
    checks: dict[str, CheckSpec]

    def theme_order(self, theme_id: str) -> int:
        theme = self.themes.get(theme_id)
        return theme.order if theme else 99

    def for_platform(self, platform: str) -> list[CheckSpec]:
        return [c for c in self.checks.values() if platform in c.platforms]


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise DataFileError(where, f"missing '{key}'")
    if not isinstance(data[key], kind):
        raise DataFileError(where, f"'{key}' has the wrong type")
    return data[key]


def parse_check(data: dict[str, Any], where: str) -> CheckSpec:
    cid = _require(data, "id", str, where)
    platforms = tuple(_require(data, "platforms", list, where))
    bad = [p for p in platforms if p not in PLATFORMS]
    if bad:
        raise DataFileError(where, f"unknown platform {bad[0]!r}")
    weight = _require(data, "weight", int, where)
    if not 1 <= weight <= 5:
        raise DataFileError(where, "'weight' must be between 1 and 5")
    kind = data.get("kind", "auto")
    if kind not in ("auto", "ask"):
        raise DataFileError(where, "'kind' must be 'auto' or 'ask'")
    texts = {}
    for lang in LANGUAGES:
        block = _require(data, lang, dict, where)
        for key in ("title", "why"):
            _require(block, key, str, f"{where} [{lang}]")
        if not isinstance(block.get("fix_red"), dict) or not isinstance(block.get("fix_amber"), dict):
            # One "fix" for every colour, or one per colour (fix_red and fix_amber) when the steps differ.
            _require(block, "fix", dict, f"{where} [{lang}]")
        texts[lang] = block
    return CheckSpec(
        id=cid,
        theme=_require(data, "theme", str, where),
        weight=weight,
        platforms=platforms,
        needs_admin=bool(data.get("needs_admin", False)),
        recommendations=tuple(data.get("recommendations", ())),
        texts=texts,
        priority=int(data.get("priority", 2)),
        kind=kind,
    )


@cache
def load_catalogue() -> Catalogue:
    themes_raw = load_toml(package_file("catalogue", "themes.toml"), "catalogue/themes.toml")
    themes = {
        t_["id"]: Theme(id=t_["id"], order=int(t_["order"]), titles=dict(t_["title"]), link=t_.get("link", ""))
        for t_ in themes_raw.get("theme", [])
    }
    recs_raw = load_toml(package_file("catalogue", "recommendations.toml"), "catalogue/recommendations.toml")
    recommendations = {}
    for r in recs_raw.get("recommendation", []):
        recommendations[r["id"]] = Recommendation(
            id=r["id"],
            titles=dict(r["title"]),
            sources=tuple(Source(s["code"], s["label"], s.get("url", "")) for s in r.get("sources", [])),
        )
    checks: dict[str, CheckSpec] = {}
    folder = package_file("catalogue", "checks")
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if not node.name.endswith(".toml"):
            continue
        where = f"catalogue/checks/{node.name}"
        spec = parse_check(load_toml(node, where), where)
        if spec.theme not in themes:
            raise DataFileError(where, f"unknown theme {spec.theme!r}")
        for rec in spec.recommendations:
            if rec not in recommendations:
                raise DataFileError(where, f"unknown recommendation {rec!r}")
        if spec.id in checks:
            raise DataFileError(where, f"duplicate check id {spec.id!r}")
        checks[spec.id] = spec
    return Catalogue(themes=themes, recommendations=recommendations, checks=checks)


def placeholders(text: str | dict[str, str]) -> set[str]:
    """The {names} a text uses; for a table of plural variants, those of all its variants."""
    if isinstance(text, dict):
        return set().union(*(placeholders(v) for k, v in text.items() if k != "by"))
    text = AGREEMENT.sub(lambda m: "{" + m.group(1) + "}", text)  # {days|jour|jours} uses {days}
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
