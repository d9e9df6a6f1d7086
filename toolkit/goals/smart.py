"""The SMART checker: :func:`check_smart` judges what :func:`toolkit.goals.reading.read_goal` read, letter by
letter, and each verdict says what it read (offline, deterministic)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import pandas as pd

from ..errors import did_you_mean
from .dates import as_date
from .library import GoalLibrary, Theme, load_goal_library
from .reading import ACTION_VERBS, VAGUE_VERBS, GoalReading, read_goal

__all__ = ["SMART_LETTERS", "LETTER_NAMES", "LetterVerdict", "SmartCheck", "check_smart", "theme_of"]

SMART_LETTERS = ("specific", "measurable", "achievable", "relevant", "time_bound")
LETTER_NAMES = {"specific": "Specific", "measurable": "Measurable", "achievable": "Achievable",
                 "relevant": "Relevant", "time_bound": "Time-bound"}

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
        return LETTER_NAMES[self.letter]

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
    reading
        What was read in the goal (:class:`~toolkit.goals.reading.GoalReading`): its deadline and the words
        it came from, its measures and time spans, its action and its kind.
    """

    goal: str
    verdicts: Mapping[str, LetterVerdict]
    deadline: dt.date | None = None
    theme: str | None = None
    reading: GoalReading | None = None

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
        return "Missing or weak: " + ", ".join(LETTER_NAMES[m] for m in self.missing) + ". " + " ".join(
            self.suggestions)

    def _repr_html_(self) -> str:
        marks = {"ok": "✔", "weak": "⚠", "missing": "✘"}
        rows = "".join(
            f"<tr><td>{marks[v.status]} {escape(v.name)}</td><td>{escape(v.reason)}</td>"
            f"<td>{escape(v.suggestion)}</td></tr>" for v in self.verdicts.values())
        return (f"<table class='smart-check'><thead><tr><th>Letter</th><th>Why</th><th>Suggestion</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%']+", text.lower())


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def check_smart(goal: str, measure: str | None = None, target: object = None, deadline: object = None,
                theme: str | None = None, programme_start: object = None, programme_end: object = None,
                *, library: GoalLibrary | None = None) -> SmartCheck:
    """Check a goal against SMART, reading it as people write it (offline, deterministic).

    Parameters
    ----------
    goal
        The goal as written.
    measure, target
        Optional structured fields: how progress is measured, and the target value.
    deadline
        Optional deadline (date or ``YYYY-MM-DD``); otherwise read from the text: dates with or without a
        year ("by 15 May", "March 2027"), quarters ("by the end of Q3"), periods ("within seven weeks",
        "for the next 8 weeks", "next month"), holidays ("by Christmas") and the programme's own dates
        ("by the end of the programme", "by the mid-point review"), resolved against the programme's dates.
    theme
        Optional theme (library id, name or alias, e.g. "Career progression").
    programme_start, programme_end
        The programme's dates: yearless dates are the first on or after the start, periods count from it,
        and a deadline outside the programme is flagged.
    library
        The goal library (default: :func:`load_goal_library`).

    Returns
    -------
    SmartCheck
        ``.missing`` lists the letters that are missing or weak; ``.verdicts[letter]`` says why, quoting
        what was read ("deadline: 30 September 2027, from 'by the end of Q3'"), and suggests a fix;
        ``.reading`` is the :class:`~toolkit.goals.reading.GoalReading`.

    Notes
    -----
    The rules, letter by letter:

    * **Specific**: an action verb with its object ("lead two workshops", "renovate my kitchen"), or a
      promotion that names the role; direction verbs ("improve", "get better at", "work on") and vague
      wording ("more", "things") are weak unless the goal says how ("by sitting in on two reviews").
    * **Measurable**: an amount (digits or words: "seven" is 7), a before and after, a percentage, a
      frequency ("every Friday"), a measure/target field, or one deliverable that is done or not. A time
      span ("for the next 8 weeks") is how long, not how much.
    * **Achievable**: no absolute or outsized ambition ("become CEO", "fluent in", "double the revenue"),
      at most four commitments joined by "and", a deadline not before the programme starts and not
      sooner than the kind of goal plausibly takes (a promotion 3 months, a diploma 4, a degree or
      fluency a year, a book 6 months, anything a week).
    * **Relevant**: a theme is given or found in the library (by name, alias or typical words).
    * **Time-bound**: a deadline (given or in the text) that falls within the programme's dates; a cadence
      with no end ("every fortnight"), a start ("starting in November") or "this year" is not one.
    """
    if not isinstance(goal, str):
        goal = "" if goal is None or (isinstance(goal, float) and pd.isna(goal)) else str(goal)
    library = library or load_goal_library()
    start, end = as_date(programme_start), as_date(programme_end)
    text = goal.strip()
    reading = read_goal(text, start, end)
    measure_text = " ".join(str(v) for v in (measure, target) if v not in (None, "") and not
                            (isinstance(v, float) and pd.isna(v)))
    given = as_date(deadline) if deadline not in (None, "") else None
    verdicts = {"specific": _specific(text, reading), "measurable": _measurable(text, reading, measure_text)}
    verdicts["time_bound"], deadline_date = _time_bound(reading, given, start, end)
    verdicts["achievable"] = _achievable(text, reading, given, deadline_date, start)
    verdicts["relevant"], found_theme = _relevant(text, measure_text, theme, library)
    ordered = {letter: verdicts[letter] for letter in SMART_LETTERS}
    return SmartCheck(goal=text, verdicts=ordered, deadline=deadline_date,
                      theme=found_theme.id if found_theme else None, reading=reading)


def _specific(text: str, reading: GoalReading) -> LetterVerdict:
    fix = ("start with what you will do (lead, present, complete, publish...) and name the piece of work, "
           "skill or audience")
    if not text:
        return LetterVerdict("specific", "missing", "the goal is empty",
                             "write what you will do, e.g. 'Lead two client workshops by March 2027'")
    total = len(_words(text))
    if total < 4:
        return LetterVerdict("specific", "missing", f"only {total} word{'s' if total != 1 else ''}", fix)
    how = re.search(r"\bby\s+(?:not\s+)?(?!the\b)[a-z]+ing\b", text.lower())  # "... by sitting in on two reviews"
    if reading.kind == "promotion" and reading.deliverable and not reading.vague:
        if reading.names_role:
            return LetterVerdict("specific", "ok", f"names the role: '{reading.deliverable}'")
        return LetterVerdict("specific", "weak", f"a promotion, but to which role? ('{reading.deliverable}')",
                             "name the role and the step towards it, e.g. 'apply for the team-leader role in "
                             "Finance'")
    if reading.vague and not how:
        return LetterVerdict("specific", "weak", f"vague wording: {', '.join(repr(v) for v in reading.vague)}",
                             "replace the vague words with the action and its object, e.g. 'present the Q3 "
                             "results to the regional team' instead of 'be more confident'")
    if reading.words < 2:
        return LetterVerdict("specific", "missing", f"only {reading.words} word{'s' if reading.words != 1 else ''} "
                             "besides the time", fix)
    if reading.action in VAGUE_VERBS and not how:
        return LetterVerdict("specific", "weak", f"'{reading.action}' gives a direction, not an action", fix)
    if reading.action not in ACTION_VERBS and not how:
        return LetterVerdict("specific", "weak", "no action verb the checker knows"
                             + (f" ('{reading.action}')" if reading.action else ""), fix)
    if re.search(r"\b(?:to|with|for)\s+(?:people|others|everyone|someone|somebody)\s*$",
                 " ".join(_words(text))):
        return LetterVerdict("specific", "weak", "who? 'people' names no one", "say who, e.g. 'three people in "
                             "the Finance team'")
    return LetterVerdict("specific", "ok", f"names an action ('{reading.action}')" if not how
                         else f"says how: '{how.group(0)}'")


_MEASURE_WORDS = {"percent", "%", "rating", "score", "hours", "times", "sessions", "posts", "meetings",
                  "conversations", "people", "colleagues", "contacts", "pages", "presentations", "workshops",
                  "certificate", "certification", "qualification", "signed", "approved", "published",
                  "submitted", "completed", "feedback", "plan", "summary", "report", "application"}


def _measurable(text: str, reading: GoalReading, measure_text: str) -> LetterVerdict:
    spans = f" ({', '.join(repr(span) for span in reading.spans)} says how long, not how much)" \
        if reading.spans else ""
    if measure_text:
        return LetterVerdict("measurable", "ok", f"measure given: {measure_text}")
    if reading.measures and not (reading.vague and not re.search(r"\d", " ".join(reading.measures))):
        return LetterVerdict("measurable", "ok", "measure: " + ", ".join(repr(m) for m in reading.measures[:3]))
    if reading.deliverable:
        return LetterVerdict("measurable", "ok",
                             f"one deliverable ('{reading.deliverable}'): done or not done")
    countable = sorted(set(_words(text)) & _MEASURE_WORDS)
    if countable:
        return LetterVerdict("measurable", "weak", f"names an output ({', '.join(countable[:3])}) but no "
                             f"amount{spans}", "say how many or how much, e.g. 'three sessions' or 'confidence "
                             "from 4 to 7 out of 10'")
    return LetterVerdict("measurable", "missing", f"no number, amount or measure{spans}",
                         "add how you will know it is done: a count, a rating before and after, or a deliverable "
                         "someone signs off")


def _time_bound(reading: GoalReading, given: dt.date | None, start: dt.date | None,
                end: dt.date | None) -> tuple[LetterVerdict, dt.date | None]:
    found = reading.deadline
    date = given if given is not None else (found.date if found else None)
    source = "" if given is not None or found is None else f", from '{found.words}'"
    if date is None and found is not None:  # a period, but no programme dates to put it on the calendar
        return LetterVerdict("time_bound", "ok", f"deadline: '{found.words}' ({found.how})"), None
    if date is None:
        others = [phrase for phrase in reading.phrases if phrase.role in ("cadence", "start", "vague")]
        why = {"cadence": "says how often, not by when", "start": "says when it starts, not by when"}
        reason = "no deadline in the goal" + "".join(f"; '{phrase.words}' {why.get(phrase.role, phrase.how)}"
                                                    for phrase in others[:2])
        return LetterVerdict("time_bound", "missing", reason, "add a date inside the programme"
                             + (f", e.g. 'by {_day(end)}'" if end else ", e.g. 'by 30 September'")), None
    read = f"deadline: {_day(date)}{source}"
    if end is not None and date > end:
        return LetterVerdict("time_bound", "weak", f"{read}, after the programme ends ({_day(end)})",
                             f"bring the deadline forward to {_day(end)} or earlier, or split the goal into a part "
                             "that fits the programme"), date
    if start is not None and date < start:
        return LetterVerdict("time_bound", "weak", f"{read}, before the programme starts ({_day(start)})",
                             "choose a date inside the programme"), date
    return LetterVerdict("time_bound", "ok", read), date


_UNREALISTIC = ("become ceo", "become the ceo", "become chief", "become a director", "become director",
                "run the company", "never again", "always be", "perfect", "100% of the time", "master every",
                "fluent in", "world class", "world-class", "everyone in the company", "everyone in the organisation",
                "double my salary", "triple", "get promoted twice", "expert in everything", "become an expert",
                "all of them", "be the best", "become the best", "double the revenue", "double the team's revenue",
                "double our revenue", "double the sales", "double our sales", "double the profit")
_KIND_WORDS = {"promotion": "a promotion", "degree": "a degree", "qualification": "a qualification",
               "fluency": "fluency in a language", "book": "a book", "certificate": "a course or exam",
               "any": "any goal"}


def _achievable(text: str, reading: GoalReading, given: dt.date | None, date: dt.date | None,
                start: dt.date | None) -> LetterVerdict:
    lowered = " ".join(text.lower().split())
    unrealistic = [phrase for phrase in _UNREALISTIC if phrase in lowered]
    commitments = len(re.findall(r"\band\b", lowered)) + 1
    if unrealistic:
        return LetterVerdict("achievable", "weak",
                             f"outsized or absolute ambition: {', '.join(repr(u) for u in unrealistic)}",
                             "choose the next step you control within the programme, e.g. 'apply for a "
                             "team-leader role' rather than 'become a director'")
    if commitments > 4:
        return LetterVerdict("achievable", "weak", f"{commitments} separate commitments in one goal",
                             "split it into two goals and keep the one that matters most")
    source = "" if given is not None or reading.deadline is None else f" (from '{reading.deadline.words}')"
    if date is not None and start is not None and date < start:
        return LetterVerdict("achievable", "weak", f"the deadline, {_day(date)}{source}, is before the programme "
                             f"starts ({_day(start)})", "choose a date inside the programme")
    days = (date - start).days if date is not None and start is not None else \
        (reading.deadline.days if given is None and reading.deadline is not None else None)
    if days is not None and days < reading.minimum_days:
        kind = _KIND_WORDS[reading.kind or "any"]
        return LetterVerdict("achievable", "weak", f"{kind} in {days} day{'s' if days != 1 else ''}{source} is "
                             f"implausibly short: allow at least {_duration(reading.minimum_days)}",
                             "allow more time, or make this a first milestone of a longer goal")
    return LetterVerdict("achievable", "ok", "no sign of an unrealistic scope or timescale"
                         + (f" ({_KIND_WORDS[reading.kind]}, {days} days)" if reading.kind and days is not None
                            else ""))


def _duration(days: int) -> str:
    if days >= 365:
        return "a year"
    if days >= 60:
        return f"{round(days / 30)} months"
    return f"{days // 7} week{'s' if days >= 14 else ''}" if days >= 7 else f"{days} days"


# Words of private life: a goal about these and nothing at work serves no development need of the programme.
_PRIVATE = {"kitchen", "bathroom", "garden", "house", "flat", "car", "wedding", "family", "holiday", "holidays",
            "vacation", "marathon", "gym", "diet", "weight", "kg", "dog", "cat", "renovate", "redecorate",
            "mortgage", "kids", "children", "baby", "birthday", "travel", "trip", "hobby", "guitar", "piano",
            "novel", "netflix", "bake", "cook", "cooking", "golf", "football", "tennis"}
_AT_WORK = {"work", "job", "team", "colleague", "manag", "office", "client", "customer", "career", "role", "business",
            "compan", "organis", "organiz", "department", "staff", "project", "meeting", "stakeholder", "report",
            "workshop", "email", "professional", "employer", "shift", "patient", "student"}


def _relevant(text: str, measure_text: str, theme: str | None, library: GoalLibrary) -> tuple[LetterVerdict, Theme | None]:
    found_theme = library.find_theme(theme) if theme else None
    if theme and found_theme is None:
        names = [t.name for t in library.themes.values()]
        return LetterVerdict("relevant", "weak", f"theme {theme!r} is not in the goal library"
                             + did_you_mean(theme, names), f"link the goal to one of: {', '.join(names)}"), None
    words = set(_words(f"{text} {measure_text}"))
    private = sorted(words & _PRIVATE)
    at_work = _theme_hits(f"{text} {measure_text}", _AT_WORK_STEMS)
    if found_theme is None and private and not at_work:
        return LetterVerdict("relevant", "missing", f"a private goal ({', '.join(repr(word) for word in private[:3])}): "
                             "nothing links it to work or development",
                             "say which development need it serves (career, leadership, skills, network...) and why "
                             "it matters for your role"), None
    if found_theme is None:
        found_theme = theme_of(f"{text} {measure_text}", library)
    if found_theme is not None:
        how = "theme given" if theme else "words match the theme"
        return LetterVerdict("relevant", "ok", f"{how}: {found_theme.name}"), found_theme
    if not text.strip():
        return LetterVerdict("relevant", "missing", "the goal is empty", "say which development need it serves"), None
    return LetterVerdict("relevant", "ok", "a work goal, linked to no one theme of the library (say which need it "
                         "serves when you agree it)"), None


def theme_of(text: str, library: GoalLibrary | None = None) -> Theme | None:
    """The library theme a goal's words are about (the one with the most typical words), or None."""
    library = library or load_goal_library()
    return _theme_from_words(text, library)


# Typical word stems per theme, used when no theme is given: a word counts when it starts with a stem
# (stems of three letters or fewer must be the whole word: "ai", "cv").
_THEME_WORDS = {
    "skill_development": {"skill", "course", "training", "certif", "exam", "qualif", "excel", "python", "sql",
                          "data", "analys", "analyt", "writing", "module", "practis", "practic", "tool", "study",
                          "studying", "technical", "coding", "code", "software", "cipd", "diploma", "degree", "mba",
                          "spreadsheet", "modell", "accredit", "licen", "languag", "mandarin", "spanish", "french",
                          "german", "fluen", "presentation"},
    "organisation_knowledge": {"department", "organis", "organiz", "industry", "strategy", "function", "business",
                               "customer", "client", "process", "finance", "operations", "pricing", "product",
                               "market", "supplier", "sector", "regulat", "compan", "how the", "other teams",
                               "shadow", "sit in", "sitting"},
    "career": {"career", "promot", "role", "apply", "applic", "interview", "progress", "move", "job", "cv",
               "resume", "secondment", "partner", "head", "director", "title", "salary", "development plan", "ceo",
               "responsib", "opportunit", "next step", "succession", "aspiration"},
    "leadership": {"lead", "team", "manag", "delegat", "leadership", "project", "feedback", "coach", "facilitat",
                   "mentor", "report", "1:1", "one-to-one", "chair", "revenue", "decision", "graduate", "staff",
                   "supervis", "direct", "people manager", "performance", "onboard"},
    "networking": {"network", "relationship", "contact", "visib", "audience", "stakeholder", "senior",
                   "introduc", "people", "publish", "article", "intranet", "blog", "conference", "event", "coffee",
                   "lunch", "colleague", "community", "connect", "outside my"},
    "confidence": {"confiden", "speak", "idea", "volunteer", "stretch", "assertiv", "voice", "courage", "brave",
                   "nerv", "pitch"},
    "work_life_balance": {"hours", "balance", "wellbeing", "well-being", "calendar", "boundar", "workload",
                          "evening", "weekend", "breaks", "holiday", "afternoon", "morning", "stress", "email",
                          "burnout", "reflect", "overtime", "rest", "switch off", "lunch break", "plann", "prioritis",
                          "prioritiz", "routine", "time management"},
    "digital_fluency": {"digital", "teams", "social", "linkedin", "ai", "app", "online", "media", "channel",
                        "generation", "tiktok", "chatgpt", "dashboard", "power bi", "automat", "cloud", "aws",
                        "azure", "copilot", "excel"},
}


@lru_cache(maxsize=64)
def _stem_pattern(stems: frozenset[str]) -> re.Pattern:
    """One pattern for a set of stems: a long stem starts a word, a short one (3 letters or fewer) is a whole
    word, a phrase is itself."""
    parts = [re.escape(stem) + (r"\b" if len(stem) <= 3 and stem.isalpha() else r"\w*")
             for stem in sorted(stems, key=len, reverse=True)]
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + ")")


def _theme_hits(text: str, stems: frozenset[str] | set[str]) -> int:
    """How many different words of ``text`` start with one of ``stems``."""
    return len(set(_stem_pattern(frozenset(stems)).findall(" ".join(text.lower().split()))))


_AT_WORK_STEMS = frozenset(_AT_WORK.union(*(stems for theme_id, stems in _THEME_WORDS.items()
                                            if theme_id != "work_life_balance")))


def _theme_from_words(text: str, library: GoalLibrary) -> Theme | None:
    best, best_hits = None, 0
    for theme_id in sorted(_THEME_WORDS):
        hits = _theme_hits(text, frozenset(_THEME_WORDS[theme_id]))
        if hits > best_hits and theme_id in library.themes:
            best, best_hits = library.themes[theme_id], hits
    return best


# ------------------------------------------------------------------------------------------------
# Agreements
