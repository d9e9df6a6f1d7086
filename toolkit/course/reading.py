"""Reading a learner's free text for what it says: success measures and goals, phrase by phrase.

A success measure says *what* is counted, *how much* (a target bound to its unit), *by when* (a
time phrase with its preposition) and, for at least one measure of a plan, *against what* (a
baseline or a comparison group after "than", "compared with", "from"). Each part is read as a
phrase, in its grammatical order, so the words alone earn nothing: "retention 5 by baseline"
holds every keyword of a good measure and no part of one ("5" counts nothing, "by baseline" is no
date, and "baseline" is compared with nothing). Goals are read the same way on top of the SMART
check (:func:`toolkit.goals.check_smart`): a goal starts with what the person will do, every
number counts something, and the deadline is a phrase.

Everything here is deterministic and offline: regular expressions over the text, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["MEASURE_LEVELS", "GOAL_VERBS", "MeasureReading", "GoalReading", "read_measure", "read_goal",
           "period_phrases", "jumbled_words"]

_NUMBER = (r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
           r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|half|a\s+third|a\s+quarter|a\s+half)")
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
          r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?")
_TIME_UNIT = r"(?:days?|weeks?|months?|years?|quarters?)"
_PERIOD_NOUN = (r"(?:programme|program|pilot|scheme|cohort|year|financial\s+year|quarter|first\s+year|"
                r"mentoring|relationship|contract)")
# Time phrases: each carries its preposition, so "by" or "2027" alone is not a period.
_DATE_WORDS = re.compile(rf"\b(?:[qh][1-4]\s+20\d\d|{_MONTH}(?:\s+20\d\d)?|20\d\d)\b", re.I)
_PERIODS = [re.compile(pattern, re.I) for pattern in (
    rf"\b(?:by|before|until|in|during|at|within|after|over|towards)\s+(?:the\s+)?(?:very\s+)?"
    rf"(?:end|close|start|middle|half-?way\s+point)\s+of\s+(?:the\s+|this\s+|our\s+|their\s+)?(?:\w+\s+)?{_PERIOD_NOUN}\b",
    rf"\b(?:by|before|in|after|from|until|during|at\s+the\s+end\s+of)\s+(?:the\s+)?"
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?)?20\d\d\b",
    r"\b(?:by|before|in|until|during)\s+(?:the\s+)?(?:end\s+of\s+)?(?:q[1-4]|h[12])(?:\s+20\d\d)?\b",
    rf"\b(?:within|after|over|in|for|during|across)\s+(?:the\s+)?(?:first\s+|next\s+|following\s+|last\s+)?"
    rf"{_NUMBER}[\s-]+{_TIME_UNIT}\b",
    rf"\b{_NUMBER}[\s-]+{_TIME_UNIT}\s+(?:after|from|into|of|since)\s+(?:the\s+|their\s+)?(?:\w+)",
    r"\bat\s+(?:the\s+|each\s+|every\s+)?(?:mid-?point|final|\w+-month|\w+-week|\d+-day)"
    r"(?:\s+(?:review|survey|check-?in|point|pulse))?\b",
    r"\b(?:by|at|before)\s+(?:the\s+)?(?:programme|program)'?s?\s+(?:end|close)\b",
    rf"\b(?:throughout|through|across|during|for\s+the\s+duration\s+of)\s+(?:the\s+)?(?:whole\s+)?(?:\w+-month\s+)?"
    rf"{_PERIOD_NOUN}\b",
    r"\b(?:by|before)\s+(?:the\s+)?(?:final|last|closing)\s+(?:review|meeting|session|survey)\b",
    r"\b(?:each|every|per|a)\s+(?:month|quarter|week|fortnight)\b",
    r"\bbetween\s+(?:the\s+)?[\w-]+(?:\s+survey)?\s+and\s+(?:the\s+)?[\w-]+(?:\s+(?:surveys?|reviews?|20\d\d))?\b",
)]
_COMPARATOR = (r"(?:baseline(?:\s+survey)?|non-?participants?|colleagues|peers|employees|staff|people|those|"
               r"others|the\s+rest|(?:a\s+|the\s+)?comparison\s+group|(?:a\s+|the\s+)?control\s+group|"
               r"(?:a\s+|the\s+)?matched\s+group|similar\s+\w+|last\s+year(?:'s)?|the\s+previous\s+\w+|"
               r"previous\s+\w+|the\s+(?:last|prior)\s+\w+|(?:the\s+)?20\d\d\s+\w+|pre-?programme|"
               r"before\s+the\s+programme|(?:the\s+)?(?:organisation|organization|company|national|sector|"
               r"industry)(?:'s)?(?:\s+\w+)?\s+(?:average|rate|figure)|the\s+average|their\s+(?:own\s+)?"
               r"(?:baseline|starting\s+point|first\s+survey|scores?)|the\s+start|the\s+same\s+\w+|"
               r"(?:mentees|participants|graduates|managers|leaders|women|men)\s+who\s+(?:did\s+not|didn't))")
_COMPARATIVE = (r"(?:higher|lower|more|fewer|less|better|greater|above|below|faster|slower|larger|smaller|"
                r"longer|shorter|rather)")
_COMPARISONS = [re.compile(pattern, re.I) for pattern in (
    rf"\b{_COMPARATIVE}\b(?:\s+\S+){{0,6}}?\s+than\s+(?:for\s+|among\s+|in\s+|at\s+|of\s+)?(?:the\s+|a\s+|their\s+|our\s+)?"
    rf"{_COMPARATOR}",
    rf"\b(?:compared\s+(?:with|to)|relative\s+to|against|versus|vs\.?|above|below)\s+(?:the\s+|a\s+|their\s+|our\s+)?"
    rf"{_COMPARATOR}",
    r"\bfrom\s+(?:the\s+|their\s+)?(?:baseline|pre-?programme|starting\s+(?:point|level|score)|start|first\s+survey)\b",
    rf"\bfrom\s+{_NUMBER}\s*(?:%|per\s?cent|points?|/\s*\d+|out\s+of\s+\d+)?\s+to\s+{_NUMBER}",
    rf"\b(?:compared\s+(?:with|to)|against)\s+(?:[\w/%.]+\s+){{1,5}}?(?:in|for|among|at|of)\s+(?:the\s+|a\s+|their\s+)?"
    rf"{_COMPARATOR}",
)]
_RANGE = re.compile(rf"from\s+{_NUMBER}", re.I)
# Words that cannot be what a number counts: "two by", "5 of", "three and" count nothing.
_STOP = (r"(?:a|an|the|by|of|in|on|at|to|for|from|with|and|or|than|as|per|before|after|within|over|under|into|"
         r"is|are|was|were|be|been|i|me|my|our|their|his|her|its|it|this|that|these|those|each|every|more|less|"
         r"up|down|out|so|but|if|then|when|who|which|what|will|would|should|can|could|may|must|not|no)")
_TARGETS = [re.compile(pattern, re.I) for pattern in (
    rf"\b{_NUMBER}\s*(?:%|per\s?cent|percent|percentage\s+points?|points?|pp)(?![\w-])",
    rf"\b{_NUMBER}\s*(?:/|out\s+of)\s*\d+\b",
    rf"\b(?:at\s+least|no\s+fewer\s+than|no\s+less\s+than|more\s+than|over|under|fewer\s+than|less\s+than|"
    rf"up\s+to|to|by|of|above|below)\s+{_NUMBER}\b(?!\s*(?:{_TIME_UNIT}|-))",
    rf"\b{_NUMBER}\s+(?:or\s+(?:more|fewer|higher|above|better|less))\b",
    rf"\b{_NUMBER}\s+(?:of|in)\s+(?:every\s+)?(?:the\s+)?{_NUMBER}\b",
    rf"\b{_NUMBER}\s+(?!{_STOP}\b)(?!{_TIME_UNIT}\b)(?!{_NUMBER}\b)(?!20\d\d\b)[a-z][\w'-]*",
    r"\b(?:doubles?|doubled|halves|halved|triples?|tripled)\b",
)]
_DETERMINER = r"(?:a|an|the|my|our|their|every)"  # never a pronoun ("each", "her" and "this" can be)
# Two words no sentence puts side by side: a determiner before a function word ("the to", "a by"), or the
# same function word twice. A jumble of the right words nearly always has one.
_JUMBLED = re.compile(rf"\b(?:{_DETERMINER}\s+(?:{_STOP}|\d[\d.,%]*)|({_STOP})\s+\1)\b", re.I)
_BARE_NUMBER = re.compile(rf"\b{_NUMBER}\b", re.I)
_YEAR = re.compile(r"\b20\d\d\b")

# Kirkpatrick's four levels, and the things a measure can count at each. Each entry is a phrase, so
# "goal" alone is not behaviour: "goals met" or "goals achieved" is.
MEASURE_LEVELS: dict[str, tuple[str, ...]] = {
    "reaction": (r"satisf\w*", r"enjoy\w*", r"net\s+promoter", r"nps", r"recommend\w*", r"(?:session\s+)?feedback",
                 r"ratings?\s+of\s+(?:the\s+)?(?:programme|program|sessions?|meetings?)", r"rated?\b", r"liked?",
                 r"usefulness", r"useful"),
    "learning": (r"confiden\w+", r"self-?efficacy", r"career\s+clarity", r"clarity", r"knowledge",
                 r"skills?\s+(?:rating|score|level|assessment)", r"understanding", r"learning\s+score",
                 r"skills?\b"),
    "behaviour": (r"meetings?", r"sessions?\s+(?:held|logged|attended)", r"met\b", r"meet\b",
                  r"goals?\s+(?:met|achieved|completed|reached|agreed|set)", r"(?:meet|achieve|complete)\w*\s+"
                  r"(?:\w+\s+)?goals?", r"applied\b", r"appl(?:y|ied|ications?)\s+for", r"internal\s+(?:moves?|"
                  r"applications?|mobility)", r"presentations?", r"stretch\s+assignments?", r"pairs?\s+meeting",
                  r"meeting\s+monthly", r"led\b", r"leading", r"delivered", r"using", r"used"),
    "results": (r"retention", r"retained", r"retain", r"still\s+(?:employed|in\s+post|here|with\s+(?:us|the\s+\w+))",
                r"employed", r"stay(?:ed|ing|s)?\b", r"in\s+post", r"turnover", r"attrition", r"leavers?", r"leave\b",
                r"promotion\s+rate", r"promot\w+", r"internal\s+hires?", r"engagement\s+score", r"engagement",
                r"representation", r"time\s+to\s+(?:competence|productivity|promotion)", r"absence",
                r"vacancies\s+filled", r"revenue", r"costs?\b", r"quit"),
}
_LEVEL_PATTERNS = {level: re.compile(r"\b(?:" + "|".join(words) + r")", re.I)
                   for level, words in MEASURE_LEVELS.items()}


def _spans(patterns, text: str, original: str | None = None) -> list[tuple[int, int, str]]:
    """Every phrase the patterns find in ``text`` (longest first where two overlap), with its words from
    ``original`` (the text before earlier phrases were masked out)."""
    original = text if original is None else original
    found = []
    for pattern in patterns:
        found += [(match.start(), match.end()) for match in pattern.finditer(text)]
    found.sort(key=lambda span: (-(span[1] - span[0]), span[0]))  # the longest reading of a stretch wins
    kept: list[tuple[int, int, str]] = []
    for start, end in found:
        if not any(begin < end and start < stop for begin, stop, _ in kept):
            kept.append((start, end, original[start:end]))
    return sorted(kept)


def _blank(text: str, spans) -> str:
    """The text with the spans masked by a character no pattern reads as a word or a space, so a phrase
    can never bridge a masked one ("two [by 2027] March" is not "two March")."""
    for start, end, _ in spans:
        text = text[:start] + "\x00" * (end - start) + text[end:]
    return text


def jumbled_words(text: str) -> list[str]:
    """Word pairs no sentence has ("the to", "by by"): the sign of words put in a jumble."""
    return [match.group(0) for match in _JUMBLED.finditer(" ".join(str(text or "").split()))]


def period_phrases(text: str) -> list[str]:
    """The time phrases in a text ("by March 2027", "after 12 months", "at the mid-point review")."""
    return [phrase for _, _, phrase in _spans(_PERIODS, text)]


def _bare_numbers(text: str, used) -> list[str]:
    """Numbers that are in no phrase that says what they count (dates and years aside)."""
    rest = _blank(text, used)
    rest = _YEAR.sub(" ", rest)
    return [match.group(0) for match in _BARE_NUMBER.finditer(rest)
            if not re.fullmatch(r"a\s+(?:third|quarter|half)|half", match.group(0), re.I)]


@dataclass(frozen=True)
class MeasureReading:
    """What a success measure says, part by part (None where the part is missing).

    Attributes
    ----------
    text
        The measure as written.
    counts
        What is counted (the phrase that names it), and ``level``, its Kirkpatrick level.
    target, period, comparison
        How much, by when, and against what, each as the phrase read.
    loose_numbers
        Numbers that count nothing ("5" in "retention 5 by baseline").
    jumbled
        Word pairs no sentence has ("the to"): the words are there but say nothing.
    """

    text: str
    counts: str | None
    level: str | None
    target: str | None
    period: str | None
    comparison: str | None
    loose_numbers: tuple[str, ...] = field(default_factory=tuple)
    jumbled: tuple[str, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        """Counts something, with a target and a period, no number left counting nothing, and no jumble."""
        return bool(self.counts and self.target and self.period) and not self.loose_numbers and not self.jumbled

    def describe(self) -> str:
        """How the measure was read, in plain words."""
        parts = [f"counts {self.counts} ({self.level})" if self.counts else "counts nothing I can name",
                 f"target {self.target}" if self.target else "no target",
                 f"when: {self.period}" if self.period else "no time",
                 f"compared {self.comparison}" if self.comparison else "not compared with anything"]
        return "; ".join(parts)


def _level(text: str) -> tuple[str | None, str | None]:
    """The highest Kirkpatrick level a phrase of the text names, and that phrase."""
    best: tuple[str | None, str | None] = (None, None)
    for level, pattern in _LEVEL_PATTERNS.items():
        match = pattern.search(text)
        if match:
            best = (level, match.group(0))
    return best


def read_measure(text: str) -> MeasureReading:
    """Read a success measure: what it counts, its target, its period and what it is compared with.

    Examples
    --------
    >>> read_measure("Retention 5 points higher than non-participants after 12 months").complete
    True
    >>> read_measure("retention 5 by baseline").complete
    False
    """
    text = " ".join(str(text or "").split())
    periods = _spans(_PERIODS, text)
    after_periods = _blank(text, periods)
    comparisons = _spans(_COMPARISONS, after_periods, text)
    ranges = [span for span in comparisons if _RANGE.match(span[2])]  # "from 3.2 to 3.8": target and comparison
    # a year outside a time phrase ("to 2027") is no target
    masked = _YEAR.sub(lambda match: "\x00" * len(match.group(0)), _blank(after_periods, comparisons))
    targets = sorted(_spans(_TARGETS, masked, text) + ranges)
    level, counted = _level(_blank(after_periods, comparisons))
    return MeasureReading(text=text, counts=counted, level=level,
                          target=targets[0][2] if targets else None,
                          period=periods[0][2] if periods else None,
                          comparison=comparisons[0][2] if comparisons else None,
                          loose_numbers=tuple(_bare_numbers(text, periods + comparisons + targets)),
                          jumbled=tuple(jumbled_words(text)))


# Verbs a development goal opens with: something a person could be seen doing. The SMART check judges
# whether the action is concrete enough; this list only tells a goal that opens with its action from a
# jumble that opens with a noun or a number.
GOAL_VERBS = frozenset([
    "achieve", "adopt", "agree", "analyse", "analyze", "apply", "arrange", "ask", "attend", "automate", "become",
    "block", "book", "brief", "build", "chair", "change", "check", "close", "coach", "collect", "complete", "contact",
    "contribute", "create", "cut", "decide", "delegate", "deliver", "demonstrate", "design", "develop", "document",
    "draft", "earn", "enrol", "enroll", "establish", "explore", "facilitate", "find", "finish", "gain", "get", "give",
    "grow", "have", "help", "hold", "host", "identify", "improve", "increase", "interview", "introduce", "invite",
    "join", "keep", "launch", "lead", "learn", "log", "make", "manage", "map", "meet", "mentor", "migrate", "move",
    "negotiate", "obtain", "offer", "open", "organise", "organize", "pass", "pitch", "plan", "practise", "practice",
    "prepare", "present", "produce", "publish", "put", "raise", "read", "record", "recruit", "reduce", "research",
    "review", "rewrite", "run", "schedule", "secure", "see", "send", "set", "shadow", "share", "sign", "speak", "spend",
    "start", "stop", "submit", "swap", "take", "teach", "test", "track", "train", "try", "update", "use", "visit",
    "volunteer", "win", "work", "write"
])

_OPENER = re.compile(r"^(?:(?:i\s+will|i'll|i\s+want\s+to|i\s+aim\s+to|i\s+plan\s+to|my\s+goal\s+is\s+to|to)\s+)", re.I)
_AMOUNT = [*_TARGETS, re.compile(rf"\bfrom\s+{_NUMBER}.*?\bto\s+{_NUMBER}", re.I),
           re.compile(r"\b(?:once|twice|weekly|monthly|fortnightly|daily|every\s+(?:week|month|fortnight|"
                      r"day|quarter)|each\s+(?:week|month))\b", re.I)]


@dataclass(frozen=True)
class GoalReading:
    """How a goal reads as a sentence: its opening action, its amount and its deadline phrase.

    Attributes
    ----------
    action
        The first word of the goal after "I will" or "To" (the verb it should start with).
    amount, deadline
        The phrase saying how much and the one saying by when (None when missing).
    loose_numbers
        Numbers that count nothing ("two by" in a jumble).
    jumbled
        Word pairs no sentence has ("the to").
    dates
        Every date word named anywhere in the goal ("Q3 2026", "October"), attached to a phrase or not.
    """

    text: str
    action: str | None
    amount: str | None
    deadline: str | None
    loose_numbers: tuple[str, ...] = field(default_factory=tuple)
    jumbled: tuple[str, ...] = field(default_factory=tuple)
    dates: tuple[str, ...] = field(default_factory=tuple)


def _closes_a_clause(text: str, start: int, end: int) -> bool:
    """A deadline opens the goal ("By March 2027, ...") or closes a clause: the end of the text, or a comma,
    semicolon, full stop or "and" after it. A date in the middle of a run of words is not a deadline."""
    after = text[end:].lstrip()
    if start == 0:
        return after[:1] == ","
    return not after.strip(" .") or after[:1] in ";." or bool(re.match(r",?\s*(?:and|so|then)\b", after, re.I))


def read_goal(text: str) -> GoalReading:
    """Read a goal's structure: the action it opens with, its amount and its deadline, as phrases."""
    text = " ".join(str(text or "").split())
    periods = _spans(_PERIODS, text)
    deadlines = [span for span in periods if _closes_a_clause(text, span[0], span[1])]
    # a leading deadline ("By March 2027, lead ...") moves the action after it
    body = text
    if deadlines and deadlines[0][0] == 0:
        body = text[deadlines[0][1]:].lstrip(" ,;:-")
    body = _OPENER.sub("", body)
    first = re.match(r"[A-Za-z][\w'-]*", body)
    amounts = _spans(_AMOUNT, _blank(text, periods), text)
    return GoalReading(text=text, action=first.group(0).lower() if first else None,
                       amount=amounts[0][2] if amounts else None,
                       deadline=deadlines[0][2] if deadlines else None,
                       dates=tuple(match.group(0) for match in _DATE_WORDS.finditer(text)),
                       loose_numbers=tuple(_bare_numbers(text, periods + amounts)),
                       jumbled=tuple(jumbled_words(text)))
