"""What a goal says, read as people write it: its action, its measures, its deadline and its kind.

:func:`read_goal` gives a :class:`GoalReading`, which :func:`toolkit.goals.smart.check_smart` judges
letter by letter and quotes in its verdicts ("deadline: 30 September 2027, from 'by the end of Q3'").

* **Time** comes from :func:`toolkit.goals.dates.read_time` (dateparser and text2num underneath).
* **Measures** are amounts: counts ("3 workshops", "seven" read as 7), before and after ("from 50 to
  42 hours"), percentages, ratings ("4 out of 5"), frequencies ("every Friday", "twice a month"), or
  one deliverable that is done or not ("pass the CIPD Level 5 exam"). A time span ("for the next 8
  weeks") says how long, not how much, and is never a measure; nor is a number in a name ("Level 5").
* **The action** is the goal's main verb once lead-ins ("I want to", "By 15 May,") are set aside;
  direction verbs ("improve", "get better at", "work on") are vague unless the goal says how ("by
  sitting in on two reviews").
* **The kind** (a promotion, a qualification, fluency in a language, a book) sets the least time it
  plausibly takes: a deadline sooner than that is not achievable.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import TimePhrase, deadline_of, numbers_as_digits, read_time

__all__ = ["GoalReading", "read_goal", "KIND_MINIMUM_DAYS", "ACTION_VERBS", "VAGUE_VERBS"]

# Verbs that name something someone could watch being done.
ACTION_VERBS = frozenset({
    "lead", "complete", "present", "deliver", "publish", "write", "run", "hold", "meet", "agree", "apply", "launch",
    "build", "create", "design", "draft", "facilitate", "teach", "train", "mentor", "coach", "submit", "obtain",
    "pass", "finish", "shadow", "interview", "organise", "organize", "host", "chair", "map", "produce", "reduce",
    "increase", "cut", "raise", "use", "adopt", "volunteer", "attend", "speak", "put", "share", "keep", "introduce",
    "set", "close", "prepare", "record", "log", "ask", "give", "plan", "research", "join", "enrol", "enroll", "gain",
    "achieve", "migrate", "move", "automate", "document", "schedule", "block", "negotiate", "recruit", "review",
    "demonstrate", "post", "swap", "contact", "have", "stop", "change", "open", "spend", "update", "delegate",
    "visit", "sign", "secure", "double", "halve", "triple", "renovate", "read", "talk", "book", "take", "win",
    "earn", "send", "collect", "survey", "test", "reach", "hire", "sit", "call", "email", "invite",
    "nominate", "make", "become", "cover", "fix", "ship", "release", "redesign", "rewrite", "streamline",
    "standardise", "standardize", "onboard", "pilot", "propose", "pitch", "sell", "study",
    "practise", "practice", "rehearse", "observe", "arrange", "moderate", "audit",
    "analyse", "analyze", "measure", "track", "file", "certify", "qualify", "register", "respond",
})
# Verbs (and phrases) that give a direction rather than an action.
VAGUE_VERBS = frozenset({"improve", "understand", "develop", "learn", "grow", "explore", "know", "get", "be", "feel",
                         "work", "try", "enhance", "better", "think", "network", "do", "focus", "continue",
                         "strengthen", "boost", "expand", "increase my knowledge", "deepen", "broaden"})
# Vague wherever they are ...
_VAGUE_PHRASES = ("more confident", "in general", "generally", "somehow", "stuff", "things", "etc", "more often",
                  "a bit", "as much as possible", "more about", "understand more", "know more")
# ... and vague as the goal's verb ("work on my skills", not "our community work on LinkedIn").
_VAGUE_STARTS = ("get better", "be better", "become a better", "be a better", "learn more", "work on", "improve my",
                 "be more", "network more", "read more", "talk more", "speak up more", "attend more", "take on more",
                 "do more", "learn about", "get involved", "try")
_VAGUE_ANYWHERE = re.compile(r"\b(" + "|".join(map(re.escape, _VAGUE_PHRASES)) + r")\b")
_VAGUE_START = re.compile(r"(?:try\s+to\s+)?(" + "|".join(map(re.escape, sorted(_VAGUE_STARTS, key=len, reverse=True)))
                          + r")\b")
_GENERIC_OBJECTS = {"people", "others", "everyone", "someone", "somebody", "things", "stuff", "it", "them",
                    "everything", "anything", "something"}
_LEAD_INS = re.compile(
    r"^\s*(?:(?:goal|objective|aim)\s*[:\-]\s*)?(?:i\s+(?:want|would\s+like|'d\s+like|d\s+like|need|hope|plan|aim|"
    r"intend|wish|am\s+going)\s+to\s+|i\s+will\s+|i'll\s+|i\s+am\s+going\s+to\s+|to\s+|my\s+goal\s+is\s+to\s+)?",
    re.IGNORECASE)
_TITLES = (r"(?:head|director|manager|partner|lead|leader|chief|ceo|cfo|coo|cto|vp|vice\s+president|principal|"
           r"senior|supervisor|executive|team\s+leader|team\s+lead|associate|consultant|analyst|officer|chair)")
_PROMOTION = re.compile(rf"\b(?:be(?:ing)?\s+promoted|get(?:ting)?\s+promoted|promotion|make\s+partner|made\s+partner|"
                        rf"become\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+){{0,2}}{_TITLES}\b|step\s+up\s+to)", re.IGNORECASE)
_PROMOTION_NAMES_ROLE = re.compile(rf"\b(?:promoted\s+to|promotion\s+to|become|make|step\s+up\s+to)\s+(?:a\s+|an\s+|the\s+)?"
                                   rf"(?:[\w']+\s+){{0,3}}?{_TITLES}", re.IGNORECASE)
# The least time a kind of goal plausibly takes, in days (a deadline sooner than this is not achievable).
KIND_MINIMUM_DAYS = {"promotion": 90, "degree": 365, "qualification": 120, "fluency": 365, "book": 180,
                     "certificate": 14, "any": 7}
_KINDS = (
    ("degree", re.compile(r"\b(?:mba|degree|master'?s|msc|phd|doctorate)\b", re.IGNORECASE)),
    ("qualification", re.compile(r"\b(?:diploma|chartered|chartership|apprenticeship|green\s+belt|black\s+belt|"
                                 r"qualification|qualified)\b", re.IGNORECASE)),
    ("fluency", re.compile(r"\bfluen(?:t|cy|tly)\b", re.IGNORECASE)),
    ("book", re.compile(r"\b(?:write|writing|finish|publish)\w*\s+(?:\w+\s+){0,2}book\b", re.IGNORECASE)),
    ("promotion", _PROMOTION),
    ("certificate", re.compile(r"\b(?:certificat\w*|certified|exam|course|module)\b", re.IGNORECASE)),
)
_UNIT = r"(?:minute|min|hour|hr|day|week|fortnight|month|quarter|year)s?"
_LABEL_BEFORE = re.compile(r"(?:level|band|grade|stage|step|phase|version|tier|q|l|p|gs|year|cohort|sprint|section|"
                           r"chapter|room|floor|no|number|#|page|iso|windows|office|python|web|industry)\s*[-.]?\s*$")
_EFFORT_BEFORE = re.compile(r"(?:spend|spending|save|saving|free\s+up|dedicate|invest|block|give|keep|work|limit\w*|"
                            r"under|no\s+more\s+than|at\s+least|at\s+most|reduce\s+\w+\s+\w+\s+to|to)\s*$")
_CADENCE_AFTER = re.compile(r"^\s*(?:a|an|per|every|each|/)\s+\w+")
_FREQUENCY = re.compile(r"\b(?:once|twice|thrice|every|each|weekly|fortnightly|monthly|quarterly|daily|annually|"
                        r"double|halve|triple)\b|\b(?:a|per)\s+(?:day|week|fortnight|month)\b", re.IGNORECASE)
_DETERMINER = r"(?:a|an|the|my|our|their|his|her|this|these|those|one|\d+)"


_ACTION_ON_OBJECT = re.compile(rf"\b({'|'.join(sorted(ACTION_VERBS))})\s+(?:up\s+|out\s+|for\s+|off\s+)?"
                               rf"({_DETERMINER})\s+([\w'-]+(?:\s+[\w'-]+){{0,3}})")


@dataclass(frozen=True)
class GoalReading:
    """What :func:`read_goal` read in a goal.

    Attributes
    ----------
    text
        The goal as written.
    phrases
        Every time phrase (:class:`toolkit.goals.dates.TimePhrase`), in order.
    deadline
        The time phrase taken as the deadline (the latest dated one), or None.
    measures
        Amounts read as measures, as they read with numbers in digits ("2 workshops", "from 50 to 42").
    spans
        Time spans read as time, not as measures ("8 weeks").
    deliverable
        One piece of work that is done or not ("pass the CIPD Level 5 exam"), or "".
    action
        The main verb ("lead"), or "".
    vague
        The vague wording found ("get better", "more"), if any.
    kind
        The kind of goal when it has a plausible minimum duration ("promotion", "qualification", ...), or None.
    names_role
        For a promotion: whether it names the role ("promoted to senior manager").
    """

    text: str
    phrases: tuple[TimePhrase, ...]
    deadline: TimePhrase | None
    measures: tuple[str, ...]
    spans: tuple[str, ...]
    deliverable: str
    action: str
    vague: tuple[str, ...]
    kind: str | None
    names_role: bool = False
    words: int = 0

    @property
    def deadline_date(self) -> dt.date | None:
        return self.deadline.date if self.deadline else None

    @property
    def deadline_from(self) -> str:
        return self.deadline.words if self.deadline else ""

    @property
    def minimum_days(self) -> int:
        return KIND_MINIMUM_DAYS[self.kind or "any"]


@lru_cache(maxsize=4096)
def read_goal(text: str, programme_start: dt.date | None = None, programme_end: dt.date | None = None) -> GoalReading:
    """Read a goal's time, measures, action and kind (see the module docstring); the same words and dates give
    the same reading (kept, so that a report reading each check-in row reads each goal once)."""
    phrases = tuple(read_time(text, start=programme_start, end=programme_end))
    digits = numbers_as_digits(text)[0] if text else ""
    lowered = digits.lower()
    # Time phrases are blanked before measures are read: "by 15 May" holds no measure.
    masked = list(lowered)
    for phrase in phrases:
        if phrase.role != "cadence":
            masked[phrase.at[0]:phrase.at[1]] = " " * (phrase.at[1] - phrase.at[0])
    rest = "".join(masked)
    measures, spans = _amounts(rest)
    spans = tuple(dict.fromkeys(spans + tuple(_span_words(lowered[phrase.at[0]:phrase.at[1]], phrase.words)
                                              for phrase in phrases if phrase.span)))
    measures += tuple(phrase.words for phrase in phrases if phrase.role == "cadence")
    measures += tuple(match.group(0) for match in _FREQUENCY.finditer(rest)
                      if match.group(0) not in " ".join(measures))
    action, clause = _action(rest)
    vague = tuple(dict.fromkeys(_VAGUE_ANYWHERE.findall(rest)))
    start = _VAGUE_START.match(clause)
    vague += (start.group(1),) if start else ()
    if re.search(r"(?<!\bor )(?<!\d )\bmore\s*$", " ".join(clause.strip(" .!").split())):  # "speak up more", not "4 or more"
        vague += ("more",)
    kind = next((name for name, pattern in _KINDS if pattern.search(lowered)), None)
    return GoalReading(text=text, phrases=phrases, deadline=deadline_of(list(phrases)),
                       measures=tuple(dict.fromkeys(measures)), spans=spans,
                       deliverable=_deliverable(action, clause, vague), action=action, vague=vague, kind=kind,
                       names_role=bool(_PROMOTION_NAMES_ROLE.search(lowered)),
                       words=len(re.findall(r"[\w']+", " ".join(clause.split()))))


def _span_words(digits: str, words: str) -> str:
    """The length a span phrase gives, with its number in digits: "for the next eight weeks" -> "8 weeks"."""
    found = re.search(rf"\b(\d+(?:\.\d)?|an?)\s+({_UNIT})", digits)
    return f"{'1' if found.group(1) in ('a', 'an') else found.group(1)} {found.group(2)}" if found else words


def _amounts(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(measures, spans) among the numbers left once time phrases are blanked."""
    measures: list[str] = []
    spans: list[str] = []
    for match in re.finditer(r"\bfrom\s+(\d+(?:[.,]\d+)?)\s*\S*\s+to\s+(\d+(?:[.,]\d+)?)", text):
        measures.append(" ".join([*match.group(0).split(), *_object(text[match.end():])]))
    for match in re.finditer(r"(?<![\w.:/])(\d+(?:[.,]\d+)?)(?![:/]\d)(\s*(?:%|per\s*cent|percent))?", text):
        before, after = text[:match.start()], text[match.end():]
        if _LABEL_BEFORE.search(before) or re.match(r"^-?(?:st|nd|rd|th)\b", after):
            continue
        unit = re.match(rf"^[\s-]*({_UNIT})\b", after)
        words = " ".join([match.group(0).strip(), *_object(after)])
        if unit and not (_EFFORT_BEFORE.search(before) or _CADENCE_AFTER.match(after[unit.end():])
                         or re.search(r"from\s+[\d.,]+\s*$|from\s*$", before)):
            spans.append(f"{match.group(1)} {unit.group(1)}")
            continue
        if re.search(r"\bout\s+of\s+\d+|/\s*\d+", after[:12]) or match.group(2):
            measures.append(words)
            continue
        if not any(match.group(1) in measure for measure in measures):
            measures.append(words)
    return tuple(measures), tuple(spans)


_STOPWORDS = {"on", "the", "by", "for", "to", "in", "at", "of", "a", "an", "and", "or", "with", "from", "before",
              "until", "my", "our", "their", "per", "every", "each", "about", "into", "so", "that", "than"}


def _object(after: str) -> list[str]:
    """Up to two words naming what a number counts ("3 client workshops"), stopping at small words."""
    words = []
    for word in re.findall(r"[\w%'-]+", after)[:2]:
        if word in _STOPWORDS:
            break
        words.append(word)
    return words


def _action(text: str) -> tuple[str, str]:
    """The main verb and the clause it starts, with lead-ins ("I want to", "By 15 May,") set aside."""
    clause = _LEAD_INS.sub("", " ".join(text.replace(",", " , ").split())).strip(" ,")
    clause = re.sub(r"^(?:learn|learning)\s+(?:how\s+)?to\s+", "", clause)  # "learn to speak": the act is to speak
    clause = re.sub(r"^try\s+(?:and|to)\s+", "try ", clause)
    words = clause.split()
    return (words[0] if words else ""), clause


def _deliverable(action: str, clause: str, vague: tuple[str, ...]) -> str:
    """One piece of work that is done or not: an action on a definite object ("pass the CIPD Level 5 exam"),
    or a promotion ("be promoted", "make partner")."""
    promotion = _PROMOTION.search(clause)
    if promotion and not re.search(r"\b(?:better|more)\b", clause):
        return promotion.group(0)
    if vague:
        return ""
    match = _ACTION_ON_OBJECT.search(clause)  # the first action on a definite object: "prepare for and pass the exam"
    if not match or (action not in ACTION_VERBS and match.start() > 0):
        return ""
    words = match.group(3).split()
    if words[0] in _GENERIC_OBJECTS or (len(words) == 1 and words[0] in {"course", "training", "thing", "project"}):
        return ""
    return " ".join(match.group(0).split())
