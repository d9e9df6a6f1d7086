"""The SMART checker: :func:`check_smart`, its word lists and rules (offline, deterministic)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from typing import Mapping

import pandas as pd

from ..errors import did_you_mean
from .dates import as_date, date_in_text
from .library import GoalLibrary, Theme, load_goal_library

__all__ = ["SMART_LETTERS", "LETTER_NAMES", "LetterVerdict", "SmartCheck", "check_smart"]

SMART_LETTERS = ("specific", "measurable", "achievable", "relevant", "time_bound")
LETTER_NAMES = {"specific": "Specific", "measurable": "Measurable", "achievable": "Achievable",
                 "relevant": "Relevant", "time_bound": "Time-bound"}

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
        return "Missing or weak: " + ", ".join(LETTER_NAMES[m] for m in self.missing) + ". " + " ".join(
            self.suggestions)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"letter": v.name, "status": v.status, "reason": v.reason, "suggestion": v.suggestion}
                             for v in self.verdicts.values()])

    def _repr_html_(self) -> str:
        marks = {"ok": "✔", "weak": "⚠", "missing": "✘"}
        rows = "".join(
            f"<tr><td>{marks[v.status]} {escape(v.name)}</td><td>{escape(v.reason)}</td>"
            f"<td>{escape(v.suggestion)}</td></tr>" for v in self.verdicts.values())
        return (f"<table class='smart-check'><thead><tr><th>Letter</th><th>Why</th><th>Suggestion</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")


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
    start, end = as_date(programme_start), as_date(programme_end)
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
    deadline_date = as_date(deadline) if deadline not in (None, "") else None
    if deadline_date is None:
        deadline_date = date_in_text(text, start=start, end=end)
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
