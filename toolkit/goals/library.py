"""The goal library: themes and SMART goal templates loaded from ``templates/goals/*.yaml``."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DesignError, Problem, ToolkitError, did_you_mean
from ..resources import templates_dir
from ..safe_yaml import parse_yaml
from .dates import as_date

__all__ = ["GoalTemplate", "Theme", "GoalLibrary", "load_goal_library", "fill_template"]

_KINDS_ALL = ("formal", "informal", "peer", "reverse", "group", "virtual")


@dataclass(frozen=True)
class GoalTemplate:
    """One SMART goal template of the library.

    Attributes
    ----------
    id, title, theme
        Stable id (unique across the library), short title, and the theme id it belongs to.
    text, measure
        The goal and its suggested measure, with ``{placeholder}`` fields.
    placeholders
        Placeholder name -> hint shown to the person filling it in.
    milestones
        ``(share_of_programme, text)`` pairs, share between 0 and 1.
    mentor_questions
        Questions a mentor can ask about this goal.
    kinds
        Programme kinds the template suits.
    """

    id: str
    title: str
    theme: str
    text: str
    measure: str
    placeholders: Mapping[str, str]
    milestones: tuple[tuple[float, str], ...]
    mentor_questions: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def fields(self) -> list[str]:
        """Placeholder names in the order they appear in the goal text."""
        return list(self.placeholders)


@dataclass(frozen=True)
class Theme:
    """A goal theme: id, display name, aliases clients use, description, kinds and templates."""

    id: str
    name: str
    aliases: tuple[str, ...]
    description: str
    kinds: tuple[str, ...]
    templates: tuple[GoalTemplate, ...]


@dataclass(frozen=True)
class GoalLibrary:
    """The validated goal library (see :func:`load_goal_library`)."""

    themes: Mapping[str, Theme]

    def template(self, template_id: str) -> GoalTemplate:
        """The template with this id (ToolkitError with a did-you-mean if unknown)."""
        for theme in self.themes.values():
            for template in theme.templates:
                if template.id == template_id:
                    return template
        ids = [t.id for theme in self.themes.values() for t in theme.templates]
        raise ToolkitError(f"There is no goal template {template_id!r}." + did_you_mean(template_id, ids),
                           fix=f"use one of: {', '.join(ids)}")

    @property
    def templates(self) -> list[GoalTemplate]:
        return [template for theme in self.themes.values() for template in theme.templates]

    def for_kind(self, kind: str) -> dict[str, list[GoalTemplate]]:
        """Theme id -> templates suited to a programme kind (themes without any are left out)."""
        suited: dict[str, list[GoalTemplate]] = {}
        for theme in self.themes.values():
            chosen = [t for t in theme.templates if kind in t.kinds]
            if chosen:
                suited[theme.id] = chosen
        return suited

    def find_theme(self, name: object) -> Theme | None:
        """The theme a client's label means (id, name or alias, any case), or None."""
        if not isinstance(name, str) or not name.strip():
            return None
        wanted = _normal(name)
        for theme in self.themes.values():
            if wanted in {_normal(theme.id), _normal(theme.name), *(_normal(a) for a in theme.aliases)}:
                return theme
        return None


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _fields_in(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


_LIBRARY_CACHE: dict[str, GoalLibrary] = {}


def load_goal_library(folder: str | Path | None = None) -> GoalLibrary:
    """Load and validate every theme in ``templates/goals/*.yaml``.

    Parameters
    ----------
    folder
        Another folder of theme files (default: the toolkit's ``templates/goals``).

    Returns
    -------
    GoalLibrary

    Raises
    ------
    DesignError
        Listing every problem: unreadable YAML, missing keys, duplicate template ids, unknown
        programme kinds, placeholders used but not declared (or declared but never used),
        milestones outside 0-1.
    """
    folder = Path(folder) if folder is not None else templates_dir() / "goals"
    key = str(folder.resolve())
    if key in _LIBRARY_CACHE:
        return _LIBRARY_CACHE[key]
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DesignError(f"No goal themes (*.yaml) found in {folder}.", fix="point to the templates/goals folder")
    problems: list[Problem] = []
    themes: dict[str, Theme] = {}
    seen_ids: dict[str, str] = {}  # template id -> the file that first used it
    for path in files:
        data = _theme_data(path, problems)
        if data is None:
            continue
        theme_kinds = _kinds(data.get("kinds", ["all"]), path, problems, data["theme"])
        templates = []
        for index, raw in enumerate(data["templates"] or []):
            template = _template(raw, f"templates[{index}]", str(data["theme"]), theme_kinds, path, problems, seen_ids)
            if template is not None:
                templates.append(template)
        if not templates:
            problems.append(Problem("theme has no templates", "add at least one template", str(path)))
        themes[str(data["theme"])] = Theme(
            id=str(data["theme"]), name=str(data["name"]), aliases=tuple(str(a) for a in data.get("aliases") or ()),
            description=str(data.get("description", "")), kinds=theme_kinds, templates=tuple(templates))
    if problems:
        raise DesignError(f"The goal library in {folder} has {len(problems)} problem(s):", problems=problems)
    library = GoalLibrary(themes=themes)
    _LIBRARY_CACHE[key] = library
    return library


def _theme_data(path: Path, problems: list[Problem]) -> dict | None:
    """A theme file's content, or None (with the problems) when it is not YAML, not a mapping or lacks a key."""
    try:
        data = parse_yaml(path, error=DesignError, what="goal theme file")
    except DesignError as error:
        problems.append(Problem(error.headline, error.fix or "fix the indentation or quoting", str(path)))
        return None
    if not isinstance(data, dict):
        problems.append(Problem("a theme file must be a mapping of keys", "see skill_development.yaml", str(path)))
        return None
    missing = [required for required in ("theme", "name", "templates") if required not in data]
    for required in missing:
        problems.append(Problem(f'missing key "{required}"', "add it (see skill_development.yaml)", str(path)))
    return None if missing else data


def _template(raw: Mapping, where: str, theme: str, theme_kinds: tuple[str, ...], path: Path,
              problems: list[Problem], seen_ids: dict[str, str]) -> GoalTemplate | None:
    """One template of a theme file, checked (None when a key is missing); its problems go to ``problems``."""
    missing = [k for k in ("id", "title", "text", "measure", "placeholders") if k not in raw]
    if missing:
        problems.append(Problem(f"{where} misses {', '.join(missing)}", "add the missing keys", str(path)))
        return None
    template_id = str(raw["id"])
    if template_id in seen_ids:
        problems.append(Problem(f"template id {template_id!r} is also used in {seen_ids[template_id]}",
                                "give every template a unique id", str(path)))
    seen_ids[template_id] = path.name
    declared = dict(raw.get("placeholders") or {})
    milestones = _milestones(raw.get("milestones") or [], template_id, path, problems)
    problems += _placeholder_problems(raw, declared, milestones, template_id, path)
    kinds = _kinds(raw.get("kinds"), path, problems, template_id) if raw.get("kinds") else theme_kinds
    return GoalTemplate(
        id=template_id, title=str(raw["title"]), theme=theme, text=str(raw["text"]),
        measure=str(raw["measure"]), placeholders=declared, milestones=tuple(milestones),
        mentor_questions=tuple(str(q) for q in raw.get("mentor_questions") or ()), kinds=kinds)


def _milestones(entries: list, template_id: str, path: Path, problems: list[Problem]) -> list[tuple[float, str]]:
    """A template's milestones as (share of the programme, text); a share outside 0-1 is a problem."""
    milestones = []
    for milestone in entries:
        share = milestone.get("at")
        if not isinstance(share, (int, float)) or not 0 < share <= 1:
            problems.append(Problem(f"{template_id}: milestone share {share!r} is not between 0 and 1",
                                    "write at: 0.5 for half-way", str(path)))
            share = 1.0
        milestones.append((float(share), str(milestone.get("text", ""))))
    return milestones


def _placeholder_problems(raw: Mapping, declared: dict, milestones: list[tuple[float, str]], template_id: str,
                          path: Path) -> list[Problem]:
    """Placeholders with bad braces, used but not declared, or declared but not in the goal text."""
    problems = []
    used: set[str] = set()
    for text in [raw["text"], raw["measure"], *(text for _, text in milestones)]:
        try:
            used.update(_fields_in(text))
        except ValueError as error:
            problems.append(Problem(f"{template_id}: bad placeholder braces in {text!r} ({error})",
                                    "write placeholders as {name}", str(path)))
    for name in sorted(used - set(declared)):
        problems.append(Problem(f"{template_id}: placeholder {{{name}}} is used but not declared",
                                "add it under placeholders with a hint", str(path), value=name))
    for name in sorted(set(declared) - set(_fields_in(raw["text"]))):
        problems.append(Problem(f"{template_id}: placeholder {{{name}}} is declared but not in the goal text",
                                "use it in text or remove it", str(path), value=name))
    return problems


def _kinds(value: Any, path: Path, problems: list[Problem], owner: str) -> tuple[str, ...]:
    values = [str(v) for v in (value if isinstance(value, list) else [value])]
    if values == ["all"]:
        return _KINDS_ALL
    for kind in values:
        if kind not in _KINDS_ALL:
            problems.append(Problem(f"{owner}: unknown programme kind {kind!r}" + did_you_mean(kind, _KINDS_ALL),
                                    f"use one of: all, {', '.join(_KINDS_ALL)}", str(path)))
    return tuple(v for v in values if v in _KINDS_ALL)


def fill_template(template: GoalTemplate, values: Mapping[str, object], *, programme_start=None,
                  programme_end=None) -> dict:
    """Fill a template's placeholders; returns goal, measure, milestones (dated when the programme's
    dates are known), theme and mentor questions.

    Raises
    ------
    ToolkitError
        Naming every placeholder left empty, with its hint.
    """
    empty = [name for name in template.placeholders if not str(values.get(name, "") or "").strip()]
    if empty:
        raise ToolkitError(
            f"Goal template {template.id!r} needs: " + "; ".join(f"{{{n}}} ({template.placeholders[n]})" for n in empty),
            fix="fill in every field")
    filled = {name: str(values[name]).strip() for name in template.placeholders}
    start, end = as_date(programme_start), as_date(programme_end)
    milestones = []
    for share, text in template.milestones:
        due = None
        if start and end:
            due = start + dt.timedelta(days=round((end - start).days * share))
        milestones.append({"share": share, "due": due, "text": text.format(**filled)})
    return {"goal": template.text.format(**filled), "measure": template.measure.format(**filled),
            "milestones": milestones, "theme": template.theme,
            "mentor_questions": [q.format(**filled) for q in template.mentor_questions]}
