"""Goals and agreements: the SMART goal library, the SMART checker, agreements, goal progress.

Four pieces, all pure functions over plain data:

* the goal library in ``templates/goals/*.yaml`` (:func:`load_goal_library`, :func:`fill_template`);
* :func:`check_smart`, transparent offline rules that say which SMART letters a goal misses
  and how to fix each one;
* :func:`agreement` / :func:`agreement_bundle`, a mentoring agreement per pair or circle rendered
  from the Jinja2 templates in ``templates/agreements/`` (Markdown and printable HTML);
* :func:`goal_progress`, progress per goal and pair from check-in records, the programme's
  goal-attainment rate and the stalled goals.

Example
-------
>>> check = check_smart("Lead two client workshops by March 2027", programme_end="2027-06-30")
>>> check.missing
[]
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Mapping, Sequence

import pandas as pd
import yaml

from .errors import (
    ConfigError,
    DesignError,
    Problem,
    ToolkitError,
    check_option,
    did_you_mean,
)
from .resources import templates_dir

__all__ = [
    "GoalTemplate",
    "Theme",
    "GoalLibrary",
    "load_goal_library",
    "fill_template",
    "SMART_LETTERS",
    "LetterVerdict",
    "SmartCheck",
    "check_smart",
    "agreement_variant",
    "agreement_context",
    "agreement",
    "agreement_bundle",
    "match_as_run",
    "read_checkins",
    "GoalProgress",
    "goal_progress",
]

SMART_LETTERS = ("specific", "measurable", "achievable", "relevant", "time_bound")
_LETTER_NAMES = {"specific": "Specific", "measurable": "Measurable", "achievable": "Achievable",
                 "relevant": "Relevant", "time_bound": "Time-bound"}
_KINDS_ALL = ("formal", "informal", "peer", "reverse", "group", "virtual")


def _templates_dir() -> Path:

    return templates_dir()


# ------------------------------------------------------------------------------------------------
# Goal library
# ------------------------------------------------------------------------------------------------


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
    folder = Path(folder) if folder is not None else _templates_dir() / "goals"
    key = str(folder.resolve())
    if key in _LIBRARY_CACHE:
        return _LIBRARY_CACHE[key]
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DesignError(f"No goal themes (*.yaml) found in {folder}.", fix="point to the templates/goals folder")
    problems: list[Problem] = []
    themes: dict[str, Theme] = {}
    seen_ids: dict[str, str] = {}
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            problems.append(Problem(f"not valid YAML ({error})", "fix the indentation or quoting", str(path)))
            continue
        if not isinstance(data, dict):
            problems.append(Problem("a theme file must be a mapping of keys", "see skill_development.yaml", str(path)))
            continue
        for required in ("theme", "name", "templates"):
            if required not in data:
                problems.append(Problem(f'missing key "{required}"', "add it (see skill_development.yaml)", str(path)))
        if any(p.path == str(path) for p in problems):
            continue
        theme_kinds = _kinds(data.get("kinds", ["all"]), path, problems, data["theme"])
        templates = []
        for index, raw in enumerate(data["templates"] or []):
            where = f"templates[{index}]"
            missing = [k for k in ("id", "title", "text", "measure", "placeholders") if k not in raw]
            if missing:
                problems.append(Problem(f"{where} misses {', '.join(missing)}", "add the missing keys", str(path)))
                continue
            template_id = str(raw["id"])
            if template_id in seen_ids:
                problems.append(Problem(f"template id {template_id!r} is also used in {seen_ids[template_id]}",
                                        "give every template a unique id", str(path)))
            seen_ids[template_id] = path.name
            declared = dict(raw.get("placeholders") or {})
            milestones = []
            for milestone in raw.get("milestones") or []:
                share = milestone.get("at")
                if not isinstance(share, (int, float)) or not 0 < share <= 1:
                    problems.append(Problem(f"{template_id}: milestone share {share!r} is not between 0 and 1",
                                            "write at: 0.5 for half-way", str(path)))
                    share = 1.0
                milestones.append((float(share), str(milestone.get("text", ""))))
            texts = [raw["text"], raw["measure"], *(text for _, text in milestones)]
            used: set[str] = set()
            for text in texts:
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
            kinds = _kinds(raw.get("kinds"), path, problems, template_id) if raw.get("kinds") else theme_kinds
            templates.append(GoalTemplate(
                id=template_id, title=str(raw["title"]), theme=str(data["theme"]), text=str(raw["text"]),
                measure=str(raw["measure"]), placeholders=declared, milestones=tuple(milestones),
                mentor_questions=tuple(str(q) for q in raw.get("mentor_questions") or ()), kinds=kinds))
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
    start, end = _as_date(programme_start), _as_date(programme_end)
    milestones = []
    for share, text in template.milestones:
        due = None
        if start and end:
            due = start + dt.timedelta(days=round((end - start).days * share))
        milestones.append({"share": share, "due": due, "text": text.format(**filled)})
    return {"goal": template.text.format(**filled), "measure": template.measure.format(**filled),
            "milestones": milestones, "theme": template.theme,
            "mentor_questions": [q.format(**filled) for q in template.mentor_questions]}


# ------------------------------------------------------------------------------------------------
# SMART checker
# ------------------------------------------------------------------------------------------------

# Concrete action verbs: a goal built on one of these names something someone could watch being done.
_ACTION_VERBS = {
    "lead", "complete", "present", "deliver", "publish", "write", "run", "hold", "meet", "agree", "apply",
    "launch", "build", "create", "design", "draft", "facilitate", "teach", "train", "mentor", "coach",
    "submit", "obtain", "pass", "finish", "shadow", "interview", "organise", "organize", "host", "chair",
    "map", "produce", "reduce", "increase", "cut", "raise", "use", "adopt", "volunteer", "attend", "speak",
    "put", "share", "keep", "introduce", "set", "close", "prepare", "record", "log", "ask", "give", "plan",
    "research", "join", "enrol", "enroll", "gain", "achieve", "migrate", "move", "automate", "document",
    "schedule", "block", "negotiate", "recruit", "review", "demonstrate", "post", "swap", "contact",
    "have", "stop", "change", "open", "spend", "update", "delegate", "visit", "complete", "sign",
}
# Verbs that describe a direction rather than an action; alone they make a goal vague.
_VAGUE_VERBS = {"improve", "understand", "develop", "learn", "grow", "explore", "know", "get", "become",
                "be", "feel", "work", "try", "enhance", "better", "increase my knowledge", "think"}
_VAGUE_PHRASES = ("get better", "be better", "more confident", "learn more", "know more", "work on",
                  "improve my", "understand more", "be more", "in general", "generally", "somehow", "stuff",
                  "things", "etc")
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "fifteen", "twenty", "dozen", "half", "once", "twice", "every", "each", "weekly",
                 "monthly", "fortnightly", "daily"}
_MEASURE_WORDS = {"percent", "%", "rating", "score", "hours", "times", "sessions", "posts", "meetings",
                  "conversations", "people", "colleagues", "contacts", "pages", "presentations", "workshops",
                  "certificate", "certification", "qualification", "signed", "approved", "published",
                  "submitted", "completed", "feedback", "plan", "summary", "report", "application"}
_UNREALISTIC = ("become ceo", "become the ceo", "become chief", "become a director", "become director",
                "run the company", "never again", "always be", "perfect", "100% of the time", "master every",
                "fluent in", "world class", "world-class", "everyone in the company", "everyone in the organisation",
                "double my salary", "triple", "get promoted twice", "expert in everything", "become an expert",
                "all of them", "be the best")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS.pop("may", None)
_MONTHS["may"] = 5
_DATE_PATTERNS = [
    re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b"),
    re.compile(r"\b(\d{1,2})/(\d{1,2})/(20\d\d)\b"),
    re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\s+(20\d\d)\b", re.I),
    re.compile(r"\b([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(20\d\d)\b", re.I),
    re.compile(r"\b([a-z]+)\.?\s+(20\d\d)\b", re.I),
    re.compile(r"\bq([1-4])\s*(20\d\d)\b", re.I),
]
_RELATIVE_TIME = re.compile(r"\b(?:within|in|over the next|for)\s+(\d+|one|two|three|four|five|six|eight|nine|twelve)"
                            r"\s+(week|month)s?\b", re.I)
_PROGRAMME_END_WORDS = ("end of the programme", "end of the program", "by the final review", "end of programme",
                        "before the programme ends", "by the end of the mentoring")
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "nine": 9,
                 "twelve": 12}


@dataclass(frozen=True)
class LetterVerdict:
    """The verdict on one SMART letter.

    Attributes
    ----------
    letter
        ``specific``, ``measurable``, ``achievable``, ``relevant`` or ``time_bound``.
    status
        ``ok``, ``weak`` or ``missing``.
    reason
        The rule that decided it, in plain words.
    suggestion
        What to change (empty when ``ok``).
    """

    letter: str
    status: str
    reason: str
    suggestion: str = ""

    @property
    def name(self) -> str:
        return _LETTER_NAMES[self.letter]

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class SmartCheck:
    """What :func:`check_smart` found: one :class:`LetterVerdict` per SMART letter.

    Attributes
    ----------
    goal
        The goal text checked.
    verdicts
        Letter -> verdict, in SMART order.
    deadline
        The deadline used (given, or read from the text), or None.
    theme
        The library theme the goal was linked to, or None.
    """

    goal: str
    verdicts: Mapping[str, LetterVerdict]
    deadline: dt.date | None = None
    theme: str | None = None

    @property
    def missing(self) -> list[str]:
        """The letters that are missing or weak, in SMART order."""
        return [letter for letter in SMART_LETTERS if not self.verdicts[letter].ok]

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def suggestions(self) -> list[str]:
        """One concrete suggestion per letter that is missing or weak."""
        return [f"{self.verdicts[letter].name}: {self.verdicts[letter].suggestion}" for letter in self.missing]

    def __getattr__(self, name: str) -> LetterVerdict:
        verdicts = self.__dict__.get("verdicts") or {}
        if name in verdicts:
            return verdicts[name]
        raise AttributeError(name)

    def summary(self) -> str:
        if self.ok:
            return "SMART: all five letters met."
        return "Missing or weak: " + ", ".join(_LETTER_NAMES[m] for m in self.missing) + ". " + " ".join(
            self.suggestions)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"letter": v.name, "status": v.status, "reason": v.reason, "suggestion": v.suggestion}
                             for v in self.verdicts.values()])

    def _repr_html_(self) -> str:
        from html import escape

        marks = {"ok": "✔", "weak": "⚠", "missing": "✘"}
        rows = "".join(
            f"<tr><td>{marks[v.status]} {escape(v.name)}</td><td>{escape(v.reason)}</td>"
            f"<td>{escape(v.suggestion)}</td></tr>" for v in self.verdicts.values())
        return (f"<table class='smart-check'><thead><tr><th>Letter</th><th>Why</th><th>Suggestion</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")


def _as_date(value: object) -> dt.date | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        found = _date_in_text(str(value))
        if found is None:
            raise ToolkitError(f"{value!r} is not a date I can read.", fix="write it as YYYY-MM-DD") from None
        return found


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date_in_text(text: str, *, start: dt.date | None = None, end: dt.date | None = None) -> dt.date | None:
    """The latest date the text names (a month alone means its last day), or None."""
    found: list[dt.date] = []
    lowered = text.lower()
    for match in _DATE_PATTERNS[0].finditer(lowered):
        try:
            found.append(dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            pass
    for match in _DATE_PATTERNS[1].finditer(lowered):  # day/month/year, the UK reading
        try:
            found.append(dt.date(int(match[3]), int(match[2]), int(match[1])))
        except ValueError:
            pass
    for match in _DATE_PATTERNS[2].finditer(lowered):
        month = _MONTHS.get(match[2])
        if month:
            try:
                found.append(dt.date(int(match[3]), month, int(match[1])))
            except ValueError:
                pass
    for match in _DATE_PATTERNS[3].finditer(lowered):
        month = _MONTHS.get(match[1])
        if month:
            try:
                found.append(dt.date(int(match[3]), month, int(match[2])))
            except ValueError:
                pass
    # A full date also contains "month year"; blank full dates out before reading month-only ones.
    for pattern in _DATE_PATTERNS[:4]:
        lowered = pattern.sub(lambda m: " " * len(m[0]) if _MONTHS.get(str(m[2])) or _MONTHS.get(str(m[1]))
                              or m[0][:1].isdigit() else m[0], lowered)
    for match in _DATE_PATTERNS[4].finditer(lowered):
        month = _MONTHS.get(match[1])
        if month:
            found.append(_month_end(int(match[2]), month))
    for match in _DATE_PATTERNS[5].finditer(lowered):
        found.append(_month_end(int(match[2]), int(match[1]) * 3))
    if not found and start is not None:
        relative = _RELATIVE_TIME.search(lowered)
        if relative:
            amount = int(relative[1]) if relative[1].isdigit() else _WORD_NUMBERS[relative[1].lower()]
            days = amount * (7 if relative[2].lower() == "week" else 30)
            found.append(start + dt.timedelta(days=days))
    if not found and end is not None and any(words in lowered for words in _PROGRAMME_END_WORDS):
        found.append(end)
    return max(found) if found else None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%']+", text.lower())


def check_smart(goal: str, measure: str | None = None, target: object = None, deadline: object = None,
                theme: str | None = None, programme_start: object = None, programme_end: object = None,
                *, library: GoalLibrary | None = None) -> SmartCheck:
    """Check a goal against SMART with transparent rules (offline, deterministic).

    Parameters
    ----------
    goal
        The goal as written.
    measure, target
        Optional structured fields: how progress is measured, and the target value.
    deadline
        Optional deadline (date or ``YYYY-MM-DD``); otherwise read from the text ("by March 2027",
        "2027-03-31", "Q3 2026", "within three months", "by the end of the programme").
    theme
        Optional theme (library id, name or alias, e.g. "Career progression").
    programme_start, programme_end
        The programme's dates; a deadline outside them is flagged.
    library
        The goal library (default: :func:`load_goal_library`).

    Returns
    -------
    SmartCheck
        ``.missing`` lists the letters that are missing or weak; ``.verdicts[letter]`` says why
        and suggests a fix.

    Notes
    -----
    The rules, letter by letter:

    * **Specific**: at least six words and a concrete action verb ("lead", "present", "complete"...);
      a goal built only on direction verbs ("improve", "understand", "get better") or vague
      phrases ("more confident", "things") is weak.
    * **Measurable**: a number (digits or words such as "three", "every", "twice"), a countable
      noun (sessions, posts, hours, rating...) or a measure/target field.
    * **Achievable**: no absolute or outsized ambition ("become CEO", "perfect", "fluent in"),
      at most three separate commitments joined by "and", and at least two weeks between the
      programme start and the deadline.
    * **Relevant**: a theme is given or found in the library (by name, alias or typical words).
    * **Time-bound**: a deadline (given or in the text) that falls within the programme's dates.
    """
    if not isinstance(goal, str):
        goal = "" if goal is None or (isinstance(goal, float) and pd.isna(goal)) else str(goal)
    library = library or load_goal_library()
    start, end = _as_date(programme_start), _as_date(programme_end)
    text = goal.strip()
    lowered = text.lower()
    words = _words(text)
    word_set = set(words)
    measure_text = " ".join(str(v) for v in (measure, target) if v not in (None, "") and not
                            (isinstance(v, float) and pd.isna(v)))
    verdicts: dict[str, LetterVerdict] = {}

    # S: an action someone could watch being done, described in enough words.
    actions = sorted(word_set & _ACTION_VERBS)
    vague = [phrase for phrase in _VAGUE_PHRASES if re.search(rf"\b{re.escape(phrase)}\b", lowered)]
    if not text:
        verdicts["specific"] = LetterVerdict("specific", "missing", "the goal is empty",
                                             "write what you will do, e.g. 'Lead two client workshops by March 2027'")
    elif len(words) < 6 or not actions:
        reason = f"only {len(words)} words" if len(words) < 6 else "no concrete action verb"
        verdicts["specific"] = LetterVerdict(
            "specific", "missing" if len(words) < 4 else "weak", reason,
            "start with what you will do (lead, present, complete, publish...) and name the piece of work, "
            "skill or audience")
    elif vague and len(actions) < 2:
        verdicts["specific"] = LetterVerdict(
            "specific", "weak", f"vague wording: {', '.join(repr(v) for v in vague)}",
            "replace the vague words with the action and its object, e.g. 'present the Q3 results to the "
            "regional team' instead of 'be more confident'")
    else:
        verdicts["specific"] = LetterVerdict("specific", "ok", f"names an action ({', '.join(actions[:3])})")

    # M: a count, a quantity or an explicit measure.
    goal_without_dates = re.sub(r"\b20\d\d\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?=[a-z]+\s+20\d\d)", " ", lowered)
    has_number = bool(re.search(r"\d", goal_without_dates)) or bool(word_set & _NUMBER_WORDS)
    countable = sorted(word_set & _MEASURE_WORDS)
    # "present a ...", "update my CV": one concrete deliverable, which is either done or not
    deliverable = next(((verb, article) for verb, article in re.findall(r"\b([a-z]+) (a|an|my|our)\b", lowered)
                        if verb in _ACTION_VERBS), None)
    if vague:
        deliverable = None
    if measure_text:
        verdicts["measurable"] = LetterVerdict("measurable", "ok", "a measure or target is given")
    elif re.search(r"\bfrom\b.+\bto\b", goal_without_dates):
        verdicts["measurable"] = LetterVerdict("measurable", "ok", "states a before and after (from ... to ...)")
    elif has_number:
        verdicts["measurable"] = LetterVerdict("measurable", "ok", "states a number or frequency")
    elif deliverable:
        verdicts["measurable"] = LetterVerdict(
            "measurable", "ok", f"a single deliverable ('{deliverable[0]} {deliverable[1]} ...'): done or not done")
    elif countable:
        verdicts["measurable"] = LetterVerdict(
            "measurable", "weak", f"names an output ({', '.join(countable[:3])}) but no amount",
            "say how many or how much, e.g. 'three sessions' or 'confidence from 4 to 7 out of 10'")
    else:
        verdicts["measurable"] = LetterVerdict(
            "measurable", "missing", "no number, amount or measure",
            "add how you will know it is done: a count, a rating before and after, or a deliverable "
            "someone signs off")

    # T first (A needs the deadline).
    deadline_date = _as_date(deadline) if deadline not in (None, "") else None
    if deadline_date is None:
        deadline_date = _date_in_text(text, start=start, end=end)
    if deadline_date is None:
        verdicts["time_bound"] = LetterVerdict(
            "time_bound", "missing", "no deadline in the goal",
            "add a date inside the programme" + (f", e.g. 'by {end:%d %B %Y}'" if end else ", e.g. 'by 30 September'"))
    elif end is not None and deadline_date > end:
        verdicts["time_bound"] = LetterVerdict(
            "time_bound", "weak", f"deadline {deadline_date:%d %b %Y} is after the programme ends ({end:%d %b %Y})",
            f"bring the deadline forward to {end:%d %B %Y} or earlier, or split the goal into a part "
            "that fits the programme")
    elif start is not None and deadline_date < start:
        verdicts["time_bound"] = LetterVerdict(
            "time_bound", "weak", f"deadline {deadline_date:%d %b %Y} is before the programme starts "
                                  f"({start:%d %b %Y})", "choose a date inside the programme")
    else:
        verdicts["time_bound"] = LetterVerdict("time_bound", "ok", f"deadline {deadline_date:%d %b %Y}")

    # A: realistic in scope and time.
    unrealistic = [phrase for phrase in _UNREALISTIC if phrase in lowered]
    commitments = len(re.findall(r"\band\b", lowered)) + 1
    if unrealistic:
        verdicts["achievable"] = LetterVerdict(
            "achievable", "weak", f"outsized or absolute ambition: {', '.join(repr(u) for u in unrealistic)}",
            "choose the next step you control within the programme, e.g. 'apply for a team-leader role' "
            "rather than 'become a director'")
    elif commitments > 4:
        verdicts["achievable"] = LetterVerdict(
            "achievable", "weak", f"{commitments} separate commitments in one goal",
            "split it into two goals and keep the one that matters most")
    elif deadline_date is not None and start is not None and start <= deadline_date < start + dt.timedelta(days=14):
        verdicts["achievable"] = LetterVerdict(
            "achievable", "weak", "less than two weeks between the programme start and the deadline",
            "allow at least a month, or make this a first milestone of a longer goal")
    else:
        verdicts["achievable"] = LetterVerdict("achievable", "ok", "no sign of an unrealistic scope or timescale")

    # R: linked to a theme of the programme.
    found_theme = library.find_theme(theme) if theme else None
    if found_theme is None:
        found_theme = _theme_from_words(word_set | set(_words(measure_text)), library)
    if found_theme is not None:
        how = "theme given" if theme and library.find_theme(theme) else "words match the theme"
        verdicts["relevant"] = LetterVerdict("relevant", "ok", f"{how}: {found_theme.name}")
    elif theme:
        names = [t.name for t in library.themes.values()]
        verdicts["relevant"] = LetterVerdict(
            "relevant", "weak", f"theme {theme!r} is not in the goal library" + did_you_mean(theme, names),
            f"link the goal to one of: {', '.join(names)}")
    else:
        verdicts["relevant"] = LetterVerdict(
            "relevant", "missing", "no theme given and no link to a development theme found",
            "say which development need it serves (career, leadership, skills, network...) and why it matters "
            "for your role")
    ordered = {letter: verdicts[letter] for letter in SMART_LETTERS}
    return SmartCheck(goal=text, verdicts=ordered, deadline=deadline_date,
                      theme=found_theme.id if found_theme else None)


# Typical words per theme, used when no theme is given.
_THEME_WORDS = {
    "skill_development": {"skill", "skills", "course", "training", "certificate", "certification", "excel", "python",
                          "sql", "qualification", "practise", "practice", "tool", "data", "analysis", "writing",
                          "presenting", "presentation", "presentations", "speaking"},
    "organisation_knowledge": {"department", "departments", "organisation", "organization", "industry", "strategy",
                               "function", "functions", "business", "customers", "process", "finance", "operations"},
    "career": {"career", "promotion", "role", "apply", "application", "interview", "progression", "move", "job",
               "cv", "resume", "secondment"},
    "leadership": {"lead", "team", "manage", "delegate", "leadership", "project", "feedback", "coach", "facilitate"},
    "networking": {"network", "networking", "relationships", "contacts", "visibility", "present", "audience",
                   "stakeholders", "senior", "introductions", "people", "publish", "articles",
                   "intranet", "blog"},
    "confidence": {"confidence", "confident", "speak", "idea", "ideas", "volunteer", "stretch", "assertive"},
    "work_life_balance": {"hours", "balance", "wellbeing", "calendar", "boundaries", "workload", "evenings",
                          "weekends", "breaks", "holiday", "afternoons", "mornings", "stress",
                          "stressed"},
    "digital_fluency": {"digital", "teams", "social", "linkedin", "ai", "app", "online", "media", "channel",
                        "generation", "tiktok", "chatgpt", "dashboard"},
}


def _theme_from_words(word_set: set[str], library: GoalLibrary) -> Theme | None:
    best, best_hits = None, 0
    for theme_id in sorted(_THEME_WORDS):
        hits = len(word_set & _THEME_WORDS[theme_id])
        if hits > best_hits and theme_id in library.themes:
            best, best_hits = library.themes[theme_id], hits
    return best


# ------------------------------------------------------------------------------------------------
# Agreements
# ------------------------------------------------------------------------------------------------

AGREEMENT_FORMATS = ("markdown", "html")
_SUFFIX = {"markdown": ".md", "html": ".html"}
_VARIANT_OF_KIND = {"reverse": "reverse", "peer": "peer", "group": "circle"}
_VARIANT_OF_SHAPE = {"peer_pairs": "peer", "circles": "circle", "one_to_one": "one_to_one"}


def agreement_variant(design) -> str:
    """Which agreement wording a design gets: ``one_to_one``, ``reverse``, ``peer`` or ``circle``."""
    if design.kind in _VARIANT_OF_KIND:
        return _VARIANT_OF_KIND[design.kind]
    return _VARIANT_OF_SHAPE.get(design.shape, "one_to_one")


def _agreements_dir() -> Path:
    return _templates_dir() / "agreements"


def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_agreements_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=False,
    )
    environment.filters["md"] = _markdown_escape
    return environment


def _markdown_escape(value: object) -> str:
    """Plain text safe inside Markdown: no raw HTML, no accidental emphasis, links or tables."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\")
    for character in "`*_[]<>|#":
        text = text.replace(character, "\\" + character)
    return " ".join(text.split())


def _roles_wording() -> dict:
    return yaml.safe_load((_agreements_dir() / "roles.yaml").read_text(encoding="utf-8"))


def _add_months(day: dt.date, months: float) -> dt.date:
    whole = int(months)
    month_index = day.month - 1 + whole
    year, month = day.year + month_index // 12, month_index % 12 + 1
    moved = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return moved + dt.timedelta(days=round((months - whole) * 30))


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _person(roster, participant_id: str, role_label: str) -> dict:
    record = {"id": participant_id, "role": role_label, "name": participant_id, "job_title": None, "department": None}
    if roster is not None and participant_id in roster:
        row = roster.get(participant_id)
        record.update(name=roster.display_name(participant_id), job_title=_text(row.get("job_title")),
                      department=_text(row.get("department")))
    return record


def _unit_members(result, pair_or_circle, variant: str) -> tuple[str, list[tuple[str, str]], dict]:
    """(unit id, [(participant_id, role label)], pair row as dict) for a pair or a circle."""
    if variant == "circle":
        circles = result.circles
        circle_id = str(pair_or_circle)
        members = circles[circles["circle_id"].astype(str) == circle_id]
        if members.empty:
            known = sorted(circles["circle_id"].astype(str).unique())
            raise ToolkitError(f"There is no circle {circle_id!r} in this match." + did_you_mean(circle_id, known),
                               fix=f"use one of: {', '.join(known[:20])}")
        members = members.assign(_order=(members["circle_role"] != "facilitator").astype(int)).sort_values(
            ["_order", "participant_id"])
        people = [(str(row.participant_id), "Facilitator" if row.circle_role == "facilitator" else "Member")
                  for row in members.itertuples()]
        row = {"status": _text(members["status"].iloc[0]) if "status" in members else None}
        return circle_id, people, row
    pairs = result.pairs
    if isinstance(pair_or_circle, pd.Series):
        row = pair_or_circle.to_dict()
    elif isinstance(pair_or_circle, tuple) and len(pair_or_circle) == 2:
        mentee_id, mentor_id = pair_or_circle
        chosen = pairs[(pairs["mentee_id"] == mentee_id) & (pairs["mentor_id"] == mentor_id)]
        if chosen.empty:
            raise ToolkitError(f"There is no pair of mentee {mentee_id!r} with mentor {mentor_id!r} in this match.",
                               fix="pass a row of result.pairs, a (mentee_id, mentor_id) tuple or a pair id")
        row = chosen.iloc[0].to_dict()
    else:
        key = str(pair_or_circle)
        chosen = pairs[pairs["pair_id"].astype(str) == key] if "pair_id" in pairs else pairs.iloc[0:0]
        if chosen.empty:
            known = sorted(pairs["pair_id"].astype(str)) if "pair_id" in pairs else []
            raise ToolkitError(f"There is no pair {key!r} in this match." + did_you_mean(key, known),
                               fix="pass a row of result.pairs, a (mentee_id, mentor_id) tuple or a pair id")
        row = chosen.iloc[0].to_dict()
    mentee_id, mentor_id = str(row["mentee_id"]), str(row["mentor_id"])
    unit_id = _text(row.get("pair_id")) or f"{mentee_id}-{mentor_id}"
    labels = {"one_to_one": ("Mentee", "Mentor"), "reverse": ("Senior colleague (mentee)", "Reverse mentor"),
              "peer": ("Peer", "Peer")}[variant]
    return unit_id, [(mentee_id, labels[0]), (mentor_id, labels[1])], row


def _goals_for(participant_id: str, goals, roster, library: GoalLibrary, kind: str, start, end) -> list[dict]:
    """A participant's goals: from check-ins / a mapping when given, else suggested from their intake themes."""
    found: list[dict] = []
    if isinstance(goals, pd.DataFrame) and not goals.empty:
        mine = goals[goals["participant_id"] == participant_id]
        if not mine.empty:
            latest = mine.sort_values(["goal_id", "checkin_date"]).groupby("goal_id", sort=True).tail(1)
            for row in latest.itertuples():
                found.append({"text": row.goal, "theme": _text(getattr(row, "theme", None))})
    elif isinstance(goals, Mapping) and participant_id in goals:
        for item in goals[participant_id]:
            found.append(item if isinstance(item, dict) else {"text": str(item), "theme": None})
    for item in found:
        check = check_smart(item["text"], theme=item.get("theme"), programme_start=start, programme_end=end,
                            library=library)
        item["smart_missing"] = [_LETTER_NAMES[m] for m in check.missing]
        item["smart_hint"] = check.verdicts[check.missing[0]].suggestion if check.missing else ""
        item["questions"] = _mentor_questions(library.themes.get(check.theme) if check.theme else None, kind)
    if found or roster is None or participant_id not in roster:
        return found
    themes = roster.get(participant_id).get("goals") or ()
    for label in themes if isinstance(themes, (list, tuple)) else [themes]:
        theme = library.find_theme(label)
        suited = [t for t in (theme.templates if theme else ()) if kind in t.kinds]
        suggestion = f" (suggested: {suited[0].title.lower()})" if suited else ""
        found.append({"text": f"To agree at the first meeting: a goal on {str(label).lower()}{suggestion}.",
                      "theme": theme.name if theme else str(label), "smart_missing": [], "smart_hint": "",
                      "questions": _mentor_questions(theme, kind)})
    return found


def _mentor_questions(theme: Theme | None, kind: str, limit: int = 2) -> list[str]:
    """The first questions of the theme's templates for this kind that need no placeholder filled."""
    if theme is None:
        return []
    questions = [q for t in theme.templates if kind in t.kinds for q in t.mentor_questions if "{" not in q]
    return questions[:limit]


def agreement_context(result, pair_or_circle, design=None, *, goals=None, library: GoalLibrary | None = None,
                      organisation: str | None = None) -> dict:
    """Everything an agreement shows, as plain data (the templates only lay it out).

    Parameters
    ----------
    result
        A MatchResult (or :func:`match_as_run`): ``pairs``, ``circles``, ``roster``, ``design``, ``shape``.
    pair_or_circle
        A circle id (circles), or a pair: a row of ``result.pairs``, a ``(mentee_id, mentor_id)``
        tuple, or a ``pair_id`` when the pairs carry one.
    design
        The programme design (default: ``result.design``).
    goals
        Check-in records (:func:`read_checkins`) or a mapping participant id -> goal texts; without
        them, each person's intake themes become goals to agree at the first meeting.
    """
    design = design or result.design
    library = library or load_goal_library()
    variant = agreement_variant(design)
    wording = _roles_wording()[variant]
    roster = getattr(result, "roster", None)
    unit_id, people, row = _unit_members(result, pair_or_circle, variant)
    start, end = design.start_date, getattr(design, "planned_end_date", design.end_date)
    first = _as_date(row.get("first_meeting")) if row.get("first_meeting") is not None else None
    anchor = first or start
    participants = [_person(roster, pid, label) for pid, label in people]
    goal_owners = participants if variant in ("peer", "circle") else participants[:1]
    goal_sections = [{"name": person["name"], "goals": _goals_for(person["id"], goals, roster, library, design.kind,
                                                                   start, end)} for person in goal_owners]
    per_month = design.cadence.meetings_per_month
    cadence = (f"{per_month:g} meeting{'s' if per_month != 1 else ''} a month" if per_month >= 1 else
               f"one meeting every {round(1 / per_month):d} months") + f" of {design.cadence.meeting_minutes} minutes"
    reviews = []
    for months in design.cadence.review_points_months:
        label = "Final review" if months >= design.duration_months else f"Review after {months:g} month" + (
            "s" if months != 1 else "")
        due = _add_months(anchor, months) if anchor else None
        if due and end and due > end:
            due = end
        reviews.append({"label": label, "date": f"{due:%d %B %Y}" if due else f"month {months:g}"})
    hours = design.cadence.response_time_hours
    response = f"{hours / 24:g} working day{'s' if hours != 24 else ''}" if hours % 24 == 0 else f"{hours:g} hours"
    return {
        "variant": variant, "title": wording["title"], "roles": wording["roles"],
        "confidentiality": wording["confidentiality"].strip(),
        "unit_label": "Circle" if variant == "circle" else "Pair", "unit_id": unit_id,
        "status": _text(row.get("status")),
        "programme_name": design.name, "organisation": organisation,
        "programme_dates": (f"{start:%d %B %Y} to {end:%d %B %Y}" if start and end else
                            f"{design.duration_months} months"),
        "participants": participants, "purpose": " ".join(design.agreement.purpose.split()),
        "cadence": cadence, "channel": design.agreement.channel, "response_time": response,
        "first_meeting": f"{first:%d %B %Y}" if first else "to be booked in the first two weeks",
        "goals": goal_sections,
        "goals_range": f"{design.agreement.goals_per_mentee.min} to {design.agreement.goals_per_mentee.max}",
        "review_points": reviews, "exit": " ".join(design.agreement.exit.split()),
    }


def agreement(result, pair_or_circle, design=None, format: str = "markdown", *, goals=None,
              organisation: str | None = None) -> str:
    """A mentoring agreement for one pair or circle, as Markdown or printable standalone HTML.

    Parameters
    ----------
    result, pair_or_circle, design, goals
        See :func:`agreement_context`.
    format
        ``"markdown"`` or ``"html"`` (standalone, inline CSS, no external resources; text escaped).

    Returns
    -------
    str
    """
    check_option("format", format, AGREEMENT_FORMATS)
    context = agreement_context(result, pair_or_circle, design, goals=goals, organisation=organisation)
    name = "agreement.html.j2" if format == "html" else "agreement.md.j2"
    return _environment().get_template(name).render(**context)


def _units(result, design) -> list:
    if agreement_variant(design) == "circle":
        return sorted(result.circles["circle_id"].astype(str).unique())
    pairs = result.pairs
    if "pair_id" in pairs:
        return [row for _, row in pairs.sort_values("pair_id").iterrows()]
    return [row for _, row in pairs.sort_values(["mentee_id", "mentor_id"]).iterrows()]


def _file_stem(unit_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", unit_id).strip("._") or "unit"


def agreement_bundle(result, design=None, out_dir: str | Path = "agreements", *,
                     formats: Sequence[str] = ("html", "markdown"), goals=None,
                     organisation: str | None = None) -> list[Path]:
    """Write one agreement per pair or circle (in each format) plus ``index.html`` / ``index.md``.

    Returns
    -------
    list of pathlib.Path
        Every file written, agreements first (sorted by pair or circle id), then the indexes.
    """
    from .files import write_text

    design = design or result.design
    for format in formats:
        check_option("format", format, AGREEMENT_FORMATS)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    environment = _environment()
    written: list[Path] = []
    entries = []
    context = None
    used_stems: set[str] = set()
    for unit in _units(result, design):
        context = agreement_context(result, unit, design, goals=goals, organisation=organisation)
        stem = _file_stem(context["unit_id"])
        while stem in used_stems:  # re-matched pairs without ids can repeat a stem
            stem += "_2"
        used_stems.add(stem)
        files = []
        for format in formats:
            name = "agreement.html.j2" if format == "html" else "agreement.md.j2"
            path = out / f"{stem}{_SUFFIX[format]}"
            written.append(write_text(environment.get_template(name).render(**context), path))
            files.append(path.name)
        entries.append({"unit_id": context["unit_id"], "status": context["status"], "files": files,
                        "names": ", ".join(p["name"] for p in context["participants"])})
    variant_wording = _roles_wording()[agreement_variant(design)]
    index_context = {"title": variant_wording["title"], "programme_name": design.name, "organisation": organisation,
                     "unit_label": "Circle" if agreement_variant(design) == "circle" else "Pair", "entries": entries}
    for format in formats:
        name = "index.html.j2" if format == "html" else "index.md.j2"
        written.append(write_text(environment.get_template(name).render(**index_context),
                                  out / f"index{_SUFFIX[format]}"))
    return written


def match_as_run(config) -> SimpleNamespace:
    """The match a client actually ran, from its ``pairs.csv`` / ``circles.csv``, shaped like a MatchResult.

    Use it mid-programme, when the pairs already exist. Pairs keep their ``pair_id``, ``status``
    and ``first_meeting``; every row is used (people missing from the roster appear by id and are
    listed in ``unmatched`` with the reason).
    """
    from .intake.tables import read_table

    design = config.design()
    roster = config.roster(lenient=True)
    source = config.get("circles") if design.shape == "circles" else config.get("pairs")
    if source is None:
        key = "circles" if design.shape == "circles" else "pairs"
        raise ConfigError(f"{config.path} names no {key} file, so there is no match to write agreements for.",
                          fix=f"add '{key}: {key}.csv' to client.yaml, or run the matching first", path=config.path)
    table = read_table(source)
    columns = [_column_name(h) for h in table.headers]
    frame = pd.DataFrame(table.rows, columns=columns, dtype=object).replace({"": None})
    frame["source_row"] = table.row_numbers
    needed = ("circle_id", "participant_id", "circle_role") if design.shape == "circles" else ("mentee_id", "mentor_id")
    absent = [c for c in needed if c not in frame]
    if absent:
        raise ConfigError(f"{Path(source).name} has no column {', '.join(absent)}.",
                          fix=f"the file needs the columns {', '.join(needed)}", path=source)
    ids = ["participant_id"] if design.shape == "circles" else ["mentee_id", "mentor_id"]
    aliases = roster_id_aliases(roster)
    for column in ids:
        frame[column] = [aliases.get(str(value).strip().lower(), value) for value in frame[column]]
    unknown = sorted({str(v) for c in ids for v in frame[c] if str(v) not in roster})
    unmatched = pd.DataFrame({"participant_id": unknown, "role": None,
                              "reason": f"in {Path(source).name} but not in the participant files",
                              "suggestion": "check the id, or add the person to the sign-up export"})
    empty = pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"])
    return SimpleNamespace(
        roster=roster, design=design, shape=design.shape,
        pairs=frame if design.shape != "circles" else pd.DataFrame(columns=["mentee_id", "mentor_id", "score"]),
        circles=frame if design.shape == "circles" else empty,
        unmatched=unmatched, status="as_run", objective=float("nan"), id_aliases=aliases)


def roster_id_aliases(roster) -> dict[str, str]:
    """Lower-cased email -> participant id, for client files that identify people by email."""
    people = roster.participants
    return {str(email).strip().lower(): str(participant_id)
            for participant_id, email in zip(people["participant_id"], people["email"])
            if isinstance(email, str) and email.strip()}


# ------------------------------------------------------------------------------------------------
# Goal progress
# ------------------------------------------------------------------------------------------------

_COLUMN_ALIASES = {"check_in_date": "checkin_date", "date": "checkin_date", "percent": "percent_complete",
                   "percent_complete_": "percent_complete", "progress": "percent_complete"}


def _column_name(header: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", str(header).lower()).strip("_")
    return _COLUMN_ALIASES.get(name, name)


CHECKIN_STATUSES = ("not_started", "on_track", "at_risk", "stalled", "achieved")
_CHECKIN_COLUMNS = ("participant_id", "partner_id", "goal_id", "goal", "checkin_date", "status")


def read_checkins(path: str | Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read goal check-in records (CSV or Excel); bad rows are set aside with a reason, never dropped.

    Returns
    -------
    (DataFrame, list of Problem)
        The usable rows (participant_id, partner_id, goal_id, goal, theme, checkin_date,
        status, percent_complete, note, source_row) and one problem per row set aside.

    Raises
    ------
    ToolkitError
        When a required column is missing.
    """
    from .intake.tables import read_table

    table = read_table(path)
    columns = [_column_name(h) for h in table.headers]
    absent = [c for c in _CHECKIN_COLUMNS if c not in columns]
    if absent:
        raise ToolkitError(f"{Path(path).name} has no column {', '.join(absent)}.",
                           fix="the check-in file needs: " + ", ".join(_CHECKIN_COLUMNS), path=path)
    frame = pd.DataFrame(table.rows, columns=columns, dtype=object)
    frame["source_row"] = table.row_numbers
    problems: list[Problem] = []
    keep = []
    dates, percents = [], []
    for index, row in frame.iterrows():
        reasons = []
        try:
            day = dt.date.fromisoformat(str(row["checkin_date"]).strip()[:10])
        except ValueError:
            day = None
            reasons.append(("checkin_date", row["checkin_date"], "not a date", "write it as YYYY-MM-DD"))
        status = str(row["status"]).strip().lower().replace(" ", "_")
        if status not in CHECKIN_STATUSES:
            reasons.append(("status", row["status"], "unknown status" + did_you_mean(status, CHECKIN_STATUSES),
                            "use one of: " + ", ".join(CHECKIN_STATUSES)))
        percent_text = str(row.get("percent_complete", "") or "").strip().rstrip("%")
        percent = None
        if percent_text:
            try:
                percent = float(percent_text)
                if not 0 <= percent <= 100:
                    raise ValueError
            except ValueError:
                reasons.append(("percent_complete", row["percent_complete"], "not a percentage from 0 to 100",
                                "write a number such as 40"))
        if not str(row["participant_id"]).strip() or not str(row["goal_id"]).strip():
            reasons.append(("participant_id", row["participant_id"], "participant or goal id is empty",
                            "fill in both ids"))
        for column, value, message, fix in reasons:
            problems.append(Problem(message, fix, str(path), int(row["source_row"]), column, value))
        if not reasons:
            keep.append(index)
            dates.append(day)
            percents.append(100.0 if percent is None and status == "achieved" else percent)
            frame.at[index, "status"] = status
    frame = frame.loc[keep].copy()
    frame["checkin_date"] = dates
    frame["percent_complete"] = pd.array(percents, dtype="Float64")
    if "theme" not in frame:
        frame["theme"] = None
    return frame.reset_index(drop=True), problems


@dataclass
class GoalProgress:
    """Goal progress across a programme (see :func:`goal_progress`).

    Attributes
    ----------
    goals
        One row per participant and goal: partner_id, theme, goal, checkins, first_checkin,
        last_checkin, status (latest), percent_complete (latest), change (percentage points
        since the first check-in), stalled, stalled_reason, smart_missing.
    pairs
        One row per participant and partner: goals, achieved, attainment_rate, mean_percent, stalled.
    attainment_rate
        Share of all goals whose latest status is ``achieved``.
    stalled
        The stalled goals, with the reason.
    problems
        Check-in rows set aside, each with its row number and reason.
    """

    goals: pd.DataFrame
    pairs: pd.DataFrame
    attainment_rate: float
    stalled: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.goals)} goals across {len(self.pairs)} pairs/circle places: "
                f"{self.attainment_rate:.0%} achieved, {len(self.stalled)} stalled"
                + (f"; {len(self.problems)} check-in rows set aside" if self.problems else "") + ".")


def goal_progress(checkins, *, stall_checkins: int = 3, programme_start=None, programme_end=None,
                  library: GoalLibrary | None = None) -> GoalProgress:
    """Progress per goal and pair, the goal-attainment rate and the stalled goals.

    Parameters
    ----------
    checkins
        A path to a check-in file, or a DataFrame as returned by :func:`read_checkins`.
    stall_checkins
        A goal is stalled when its latest status is ``stalled``, or when it is not achieved and
        its percentage has not moved over its last ``stall_checkins`` check-ins.
    programme_start, programme_end
        Passed to :func:`check_smart` for each goal's latest wording.

    Returns
    -------
    GoalProgress
    """
    problems: list[Problem] = []
    if not isinstance(checkins, pd.DataFrame):
        checkins, problems = read_checkins(checkins)
    library = library or load_goal_library()
    ordered = checkins.sort_values(["participant_id", "goal_id", "checkin_date", "source_row"]
                                   if "source_row" in checkins else ["participant_id", "goal_id", "checkin_date"])
    rows = []
    for (participant_id, goal_id), history in ordered.groupby(["participant_id", "goal_id"], sort=True):
        latest = history.iloc[-1]
        percents = history["percent_complete"].astype("Float64")
        first_percent = percents.dropna().iloc[0] if percents.notna().any() else pd.NA
        last_percent = latest["percent_complete"]
        recent = percents.tail(stall_checkins).dropna()
        reason = ""
        if latest["status"] == "stalled":
            reason = "marked stalled at the last check-in"
        elif latest["status"] != "achieved" and len(history) >= stall_checkins and len(recent) == stall_checkins \
                and recent.nunique() == 1:
            reason = f"no progress over the last {stall_checkins} check-ins (stuck at {recent.iloc[-1]:g}%)"
        check = check_smart(latest["goal"], theme=_text(latest.get("theme")), programme_start=programme_start,
                            programme_end=programme_end, library=library)
        rows.append({
            "participant_id": participant_id, "goal_id": goal_id, "partner_id": latest["partner_id"],
            "theme": _text(latest.get("theme")), "goal": latest["goal"], "checkins": len(history),
            "first_checkin": history["checkin_date"].iloc[0], "last_checkin": latest["checkin_date"],
            "status": latest["status"], "percent_complete": last_percent,
            "change": (last_percent - first_percent) if not (pd.isna(last_percent) or pd.isna(first_percent))
            else pd.NA,
            "stalled": bool(reason), "stalled_reason": reason, "smart_missing": ", ".join(check.missing),
        })
    columns = ["participant_id", "goal_id", "partner_id", "theme", "goal", "checkins", "first_checkin",
               "last_checkin", "status", "percent_complete", "change", "stalled", "stalled_reason", "smart_missing"]
    goals_frame = pd.DataFrame(rows, columns=columns)
    if goals_frame.empty:
        pairs = pd.DataFrame(columns=["participant_id", "partner_id", "goals", "achieved", "attainment_rate",
                                      "mean_percent", "stalled"])
        return GoalProgress(goals_frame, pairs, float("nan"), goals_frame, problems)
    achieved = goals_frame["status"] == "achieved"
    pairs = (goals_frame.assign(achieved=achieved, percent=goals_frame["percent_complete"].astype("Float64"))
             .groupby(["participant_id", "partner_id"], sort=True)
             .agg(goals=("goal_id", "size"), achieved=("achieved", "sum"), mean_percent=("percent", "mean"),
                  stalled=("stalled", "sum"))
             .reset_index())
    pairs["attainment_rate"] = pairs["achieved"] / pairs["goals"]
    pairs = pairs[["participant_id", "partner_id", "goals", "achieved", "attainment_rate", "mean_percent", "stalled"]]
    stalled = goals_frame[goals_frame["stalled"]].reset_index(drop=True)
    return GoalProgress(goals_frame, pairs, float(achieved.mean()), stalled, problems)


# ------------------------------------------------------------------------------------------------
# Command line: mentoring-toolkit agreements
# ------------------------------------------------------------------------------------------------


def write_client_agreements(client_path: str | Path, out_dir: str | Path, *,
                            formats: Sequence[str] = ("html", "markdown"), use_matching: bool = False) -> list[Path]:
    """Agreements for every pair or circle of a client, plus goal-progress tables when check-ins exist.

    Parameters
    ----------
    client_path
        The client's ``client.yaml``.
    out_dir
        Where to write (``agreements/`` and ``goal_progress/`` are created inside).
    use_matching
        Run :func:`toolkit.match` instead of using the client's ``pairs.csv`` / ``circles.csv``.
    """
    from .client import load_client
    from .files import write_csv

    config = load_client(client_path)
    if use_matching:
        from .matching.engine import match

        design = config.design()
        result = match(config.roster(lenient=True), design)
    else:
        result = match_as_run(config)
        design = result.design
    out = Path(out_dir)
    checkins = None
    written: list[Path] = []
    progress_path = config.get("goal_checkins")
    if progress_path is not None:
        checkins, problems = read_checkins(progress_path)
        aliases = getattr(result, "id_aliases", None) or roster_id_aliases(result.roster)
        # Files keyed by email (Google Forms clients) are moved onto roster ids, so no email reaches the output.
        for column in ("participant_id", "partner_id"):
            checkins[column] = [aliases.get(str(value).strip().lower(), value) for value in checkins[column]]
        progress = goal_progress(checkins, programme_start=design.start_date,
                                 programme_end=getattr(design, "planned_end_date", design.end_date))
        progress.problems = problems
        folder = out / "goal_progress"
        written.append(write_csv(progress.goals, folder / "goals.csv"))
        written.append(write_csv(progress.pairs, folder / "pairs.csv"))
        written.append(write_csv(progress.stalled, folder / "stalled_goals.csv"))
        if problems:
            written.append(write_csv(pd.DataFrame([p.as_dict() for p in problems]), folder / "rows_set_aside.csv"))
        print(f"   goal progress: {progress.summary()}", flush=True)
    written += agreement_bundle(result, design, out / "agreements", formats=formats, goals=checkins,
                                organisation=config.name)
    if len(result.unmatched):
        print(f"   {len(result.unmatched)} people in the match are not in the roster: "
              + ", ".join(result.unmatched["participant_id"].astype(str)[:10]), flush=True)
    return written
