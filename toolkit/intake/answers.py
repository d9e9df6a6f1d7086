"""What an answer to a sign-up question means, and how sure the toolkit is.

Role, meeting mode, capacity and seniority answers are read into a :class:`Reading` (value,
confidence, how). The matching rules depend on these fields, so a reading below :data:`SURE` is
never used without asking (see :mod:`toolkit.intake.questions`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import schema
from .ladders import code_level, grade_key, sector_title

__all__ = ["Reading", "SURE", "MAX_CAPACITY", "LEVEL_FIX", "read_role", "read_meeting_mode", "read_capacity",
           "read_level", "read_levels"]


SURE = 0.8  # a reading at least this sure is used; below it, loading stops and asks


@dataclass(frozen=True)
class Reading:
    """How the toolkit reads one answer: the value, how sure it is (0-1) and why.

    ``value`` is None when the answer is not understood at all. A reading with
    ``confidence`` below :data:`SURE` is never used without asking the user.
    """

    value: object
    confidence: float
    how: str

    @property
    def sure(self) -> bool:
        return self.value is not None and self.confidence >= SURE

    @property
    def missing(self) -> bool:
        """The person gave no answer: a blank cell, a non-answer ("Prefer not to say", "N/A") or an answer
        client.yaml maps to nothing. Read as a missing value, never as a question."""
        return self.value is None and self.confidence >= 1.0


_ROLE_WORDS = {
    "mentor": "mentor", "mentors": "mentor", "facilitator": "mentor", "facilitators": "mentor", "coach": "mentor",
    "mentee": "mentee", "mentees": "mentee", "protege": "mentee", "proteges": "mentee", "mentoree": "mentee",
    "learner": "mentee", "mentored": "mentee", "apprentice": "mentee", "coachee": "mentee",
    "both": "both", "either": "both", "peer": "both", "peers": "both",
}
_SEEK = (r"(?:like|love|want|wanting|need|needing|looking for|look for|seeking|seek|find|get|have|request|"
         r"matched with|paired with|assigned|hoping for)")
# Phrases that say which way someone wants to take part; checked before single words, so that
# "Mentee - I'd like a mentor" is a mentee (the word "mentor" there is what they want).
_ROLE_PHRASES = (
    ("mentee", rf"\b{_SEEK}\s+(?:to\s+(?:have|get|find)\s+)?(?:a|an|my own|some|one)?\s*(?:mentor|mentoring|coach)\b"),
    ("mentee", r"\b(?:be|being|get|getting)\s+(?:mentored|coached)\b"),
    ("mentee", r"\b(?:receive|receiving|get|getting)\s+(?:some\s+)?(?:mentoring|coaching|support|guidance)\b"),
    ("mentee", r"\blearn from\b"),
    ("mentor", r"\b(?:be|become|act as|serve as|volunteer as)\s+(?:a\s+)?(?:mentor|coach|facilitator)\b"),
    ("mentor", r"\b(?:to|can|could|will|happy to|willing to)\s+(?:mentor|coach)\b"),
    ("mentor", r"\b(?:mentor|mentoring|coach|coaching)\s+(?:someone|somebody|a colleague|colleagues|others|"
               r"people|juniors?|a junior|a mentee|mentees)\b"),
    ("mentor", r"\b(?:support|help|guide|develop)\s+(?:someone|somebody|a colleague|colleagues|others|people|"
               r"juniors?|a junior|a mentee|mentees|another)\b"),
    ("mentor", r"\b(?:share|sharing|offer|offering|pass on)\s+(?:my|some of my)\b"),
    ("mentor", r"\bgive back\b"),
    ("both", r"\b(?:either|both|any)\s+(?:role|way|is fine)\b|\bdo either\b|\bhappy with either\b|\bopen to both\b"),
    ("both", r"\bmentor\s+(?:and|&)\s+(?:a\s+)?mentee\b|\bmentee\s+(?:and|&)\s+(?:a\s+)?mentor\b"),
)
_DOUBT = {"not", "don", "dont", "no", "never", "maybe", "unsure", "perhaps", "possibly", "later", "sure", "undecided",
          "yet", "tbc", "depends", "or"}


def read_role(text: str) -> Reading:
    """Read a role answer, in words or in a sentence, both ways round, with a confidence.

    "Mentee - I'd like a mentor" -> mentee; "Mentor - I'd like to support someone" -> mentor;
    "Looking for a mentor" -> mentee; "Happy to do either" -> both; "I don't want a mentor" -> asks.
    """
    key = schema.normalise_header(text)
    if not key:
        return Reading(None, 1.0, "blank")
    if key in _ROLE_WORDS:
        return Reading(_ROLE_WORDS[key], 1.0, f'the word "{key}"')
    rest, by_phrase = f" {key} ", set()
    for role, pattern in _ROLE_PHRASES:
        if re.search(pattern, rest):
            by_phrase.add(role)
            rest = re.sub(pattern, " ", rest)
    words = rest.split()
    by_word = {_ROLE_WORDS[word] for word in words if word in _ROLE_WORDS}
    if {"reverse", "mentee"} <= set(key.split()) and "mentor" not in by_word:
        by_phrase.add("mentee")
    found = by_phrase | by_word
    doubt = sorted(set(key.split()) & _DOUBT - ({"or"} if "both" in found else set()))
    if not found:
        return Reading(None, 0.0, "no word or phrase the toolkit knows")
    directions = found - {"both"}
    if {"mentor", "mentee"} <= by_phrase or "both" in by_phrase:
        value, confidence, how = "both", 0.9, "says both ways"
    elif "both" in by_word and len(directions) == 1:
        # "Peer mentor", "Either (I'd like a mentor)": a kind of one role, or both?
        value, confidence, how = "both", 0.5, f"says both, and also {next(iter(directions))}"
    elif "both" in by_word:
        value, confidence, how = "both", 0.9, "says both ways"
    elif len(directions) == 2:
        value, confidence, how = "both", 0.5, "names both roles without saying both"
    else:
        value = next(iter(found))
        how = "from the phrase" if by_phrase else "from the word"
        confidence = 0.95 if by_phrase else 0.85
        if by_phrase and by_word and by_phrase != by_word:
            value, confidence, how = next(iter(by_phrase)), 0.4, "the words and the phrase disagree"
    if doubt:
        confidence, how = min(confidence, 0.4), f'{how}, but the answer has "{" ".join(doubt)}" in it'
    return Reading(value, confidence, how)


_MODE_EXACT = {
    "no preference": "no_preference", "no pref": "no_preference", "any": "no_preference", "either": "no_preference",
    "either is fine": "no_preference", "don t mind": "no_preference", "dont mind": "no_preference",
    "flexible": "no_preference", "whatever suits": "no_preference", "no preference either is fine": "no_preference",
    "n a": "no_preference", "na": "no_preference", "open": "no_preference", "hybrid": "hybrid",
    "in person": "in_person", "face to face": "in_person", "virtual": "virtual", "online": "virtual",
    "remote": "virtual", "virtually": "virtual", "in_person": "in_person", "no_preference": "no_preference",
}
_MODE_SIGNS = (
    ("no_preference", r"\b(?:no preference|don t mind|dont mind|either|any|flexible|whatever|happy with both)\b"),
    ("hybrid", r"\b(?:hybrid|mix|mixture|combination|both)\b"),
    ("in_person", r"\b(?:in person|face to face|f2f|onsite|on site|office|in the office|physical)\b"),
    ("virtual", r"\b(?:virtual|virtually|remote|remotely|online|video|zoom|teams|phone|call|webex|google meet)\b"),
)


def read_meeting_mode(text: str) -> Reading:
    """Read a meeting-mode answer with a confidence; "Mostly online, sometimes in person" asks."""
    key = schema.normalise_header(text)
    if not key:
        return Reading(None, 1.0, "blank")
    if key in _MODE_EXACT:
        return Reading(_MODE_EXACT[key], 1.0, f'the words "{key}"')
    found = [mode for mode, pattern in _MODE_SIGNS if re.search(pattern, key)]
    doubt = set(key.split()) & {"not", "no", "never", "mostly", "sometimes", "prefer", "ideally", "unless"}
    if not found:
        if "preference" in key:
            return Reading("no_preference", 0.5, 'mentions a "preference" but names none')
        return Reading(None, 0.0, "no word the toolkit knows")
    if len(found) == 1:
        confidence = 0.9 if not doubt - {"prefer"} else 0.5
        return Reading(found[0], confidence, "from the words" if confidence >= SURE else "the answer is hedged")
    if found[0] in ("no_preference", "hybrid") and set(found[1:]) <= {"hybrid", "in_person", "virtual"} \
            and len(found) == 3 and not doubt:
        return Reading(found[0], 0.85, "names both ways and says either or both")
    return Reading(found[0], 0.4, f"names more than one way ({', '.join(found)})")


MAX_CAPACITY = 20  # mentees per mentor; more than this is a typing slip, not a capacity

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "a couple": 2, "couple": 2, "a single": 1, "single": 1, "just one": 1,
                 "only one": 1}
_NUMBER = r"(\d{1,30}(?:[.,]\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNIT = r"(?:\s*(?:mentees?|people|persons?|max|maximum|at most|at a time|at once))*"


def _count(token: str) -> float:
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else float(token.replace(",", "."))


def read_capacity(text: str) -> Reading:
    """Read "how many mentees": 2, "two", "up to 3", "3 max" are sure; "one or two", "2-3" ask.

    Whole numbers from 1 to :data:`MAX_CAPACITY`; anything else is not a capacity.
    """
    key = re.sub(r"\s+", " ", text.strip().lower().replace("\u2013", "-").replace("\u2014", "-"))
    if not key:
        return Reading(None, 1.0, "blank")
    single = re.fullmatch(rf"(?:(?:up to|upto|max|maximum|at most|no more than|only|just)\s*:?\s*)?{_NUMBER}{_UNIT}", key)
    if single:
        number = _count(single.group(1))
        if number != int(number) or number < 1:
            return Reading(None, 0.0, "capacity must be a whole number of mentees, 1 or more")
        if number > MAX_CAPACITY:
            return Reading(None, 0.0, f"capacity must be at most {MAX_CAPACITY} mentees")
        return Reading(int(number), 1.0 if single.group(0) == single.group(1) else 0.9, "a number")
    span = re.fullmatch(rf"(?:up to\s+|between\s+)?{_NUMBER}\s*(?:-|to|or|/|and)\s*{_NUMBER}{_UNIT}", key)
    if span:
        low, high = sorted((_count(span.group(1)), _count(span.group(2))))
        if low == int(low) and 1 <= low <= MAX_CAPACITY:
            return Reading(int(low), 0.5, f"a range ({int(low)} to {high:g}); the smaller number")
    return Reading(None, 0.0, "capacity must be a whole number of mentees, 1 or more")


LEVEL_FIX = ("give the client's ladder in client.yaml (seniority: order:, most junior first, or seniority: preset: "
             "with a sector's ladder), or say what each grade is under mapping: values: seniority:")

# What the built-in reading would say for a title whose rank depends on the sector: shown as the toolkit's
# guess when it asks, never used without the client's word (see toolkit.intake.ladders.SECTOR_DEPENDENT).
_SECTOR_GUESS = {
    "associate": 2, "analyst": 2, "officer": 2, "consultant": 2, "fellow": 2, "senior associate": 3,
    "senior analyst": 3, "senior consultant": 3, "principal": 4, "assistant director": 5.5,
    "associate director": 5.5, "deputy director": 5.5, "director": 6, "avp": 6, "assistant vice president": 6,
    "senior director": 7, "vice president": 7, "vp": 7, "executive director": 7, "executive": 8, "svp": 8,
    "evp": 8, "senior vice president": 8, "executive vice president": 8, "partner": 8, "managing director": 8,
}


_ANY_SECTOR = {word: level for word, level in schema.SENIORITY_LADDER.items()
               if word in ("intern", "apprentice", "trainee", "graduate", "chief", "ceo", "cfo", "cto", "coo", "cio",
                           "chro", "c level", "c suite")}


def _on_ladder(key: str, order: Sequence[object]) -> int | None:
    for position, grades in enumerate(order, 1):
        for grade in grades if isinstance(grades, (list, tuple)) else (grades,):
            if grade_key(grade) == key:
                return position
    return None


def read_level(text: str, translations: Mapping[str, object] | None = None,
               order: Sequence[object] | None = None) -> Reading:
    """Read one seniority answer: the client's own words first, then numbers and codes, then the built-in ladder.

    Spellings of one grade read alike (``"Band 8A"`` = ``"band 8a"``, ``"VP"`` = ``"Vice President"``:
    :func:`toolkit.intake.ladders.grade_key`). A grade code on its own (``G7``, ``L5``, ``Band 8a``) reads as
    its number (8a as 8.1) but is not sure: only the client knows whether their ladder counts up or down
    (UK Civil Service Grade 6 is above Grade 7); :func:`read_levels` makes a whole column's codes sure when
    the column shows the direction. A title whose rank depends on the sector (Vice President, Director,
    Associate, ...) is never sure without the client's ladder.
    """
    normalised = schema.normalise_header(text)
    key = grade_key(text)
    if not key:
        return Reading(None, 1.0, "blank")
    for source, level in (translations or {}).items():
        if grade_key(source) == key:
            if level is None:
                return Reading(None, 1.0, "no answer, as client.yaml says (values:)")
            return Reading(level, 1.0, "as client.yaml says (values:)")
    if order:
        position = _on_ladder(key, order)
        if position is not None:
            return Reading(position, 1.0, "the client's ladder (seniority: order:)")
        return Reading(None, 0.0, "not on the client's ladder (seniority: order:)")
    if re.fullmatch(r"\d{1,2}(?: 0)?", normalised) and 1 <= int(normalised.split()[0]) <= 12:
        return Reading(int(normalised.split()[0]), 1.0, "a level number (1 = entry level)")
    code = code_level(text)
    if code and 1 <= code[1] < 16:
        prefix, level = code
        shown = (prefix.upper() if len(prefix) <= 2 else prefix.title()) + " " if prefix else ""
        return Reading(level, 0.6, f"the number in the {shown}code; some ladders count down")
    padded = f" {normalised} "
    # An entry-level word or a C-suite title places a grade whatever the sector ("Graduate Analyst", "Chief
    # Executive"); only then does a sector-dependent title make the toolkit ask.
    for word, level in _ANY_SECTOR.items():
        if f" {word} " in padded:
            return Reading(level, 0.9, f'the word "{word}" ({"entry level" if level == 1 else "the top of any ladder"})')
    title = sector_title(text)
    if title:
        return Reading(_SECTOR_GUESS.get(title[0]), 0.5, f'the title "{title[0]}" ranks differently by sector: '
                                                         f"{title[1]}")
    for phrase in sorted(schema.SENIORITY_LADDER, key=len, reverse=True):
        if f" {phrase} " in padded:
            return Reading(schema.SENIORITY_LADDER[phrase], 0.9, f'the title "{phrase}" on the built-in ladder')
    return Reading(None, 0.0, "not a seniority level the toolkit knows")


_COUNTS_UP = {"level", "lvl", "l", "band"}  # nearly every ladder of these counts up
_TRACKS = {"p", "m", "ic"}  # parallel career tracks: P3 against M2 only the client can order
_SERVICE = {"or", "of", "wo"}  # armed forces: each counts up, but OR-9 is below OF-1
# Read only when a column holds its own words (AA, AO, EO, HEO, SEO, SCS): "G7" alone could be any ladder.
_CIVIL_SERVICE = {"aa": 1, "ao": 2, "eo": 3, "heo": 4, "seo": 5, "g7": 6, "grade7": 6, "g6": 7, "grade6": 7,
                  "scs": 8, "scs1": 8, "scspb1": 8, "scs2": 9, "scspb2": 9, "scs3": 10, "scspb3": 10, "scs4": 11,
                  "administrativeassistant": 1, "administrativeofficer": 2, "executiveofficer": 3,
                  "higherexecutiveofficer": 4, "seniorexecutiveofficer": 5, "deputydirector": 8, "director": 9,
                  "directorgeneral": 10, "permanentsecretary": 11}
_CIVIL_SERVICE_WORDS = {"aa", "ao", "eo", "heo", "seo", "scs", "scs1", "scs2", "scs3", "scs4", "scspb1", "scspb2",
                        "scspb3", "administrativeassistant", "administrativeofficer", "executiveofficer",
                        "higherexecutiveofficer", "seniorexecutiveofficer"}


def read_levels(answers: Iterable[str], translations: Mapping[str, object] | None = None,
                order: Sequence[object] | None = None) -> dict[str, Reading]:
    """Read a column of seniority answers together, so that the column decides how sure a code is.

    ``L2``, ``Level 4`` and ``Band 5`` (and NHS ``Band 8a``) count up (sure); so do ``GS``, ``OR``
    and ``OF`` codes unless the column mixes OR, OF and WO codes. ``Grade``, ``G``, ``P``, ``M`` and
    ``IC`` codes are sure only when the column's codes of that kind count up from 1
    (``Grade 1 ... Grade 6``) and the column does not mix parallel tracks (``P3`` with ``M2``);
    otherwise they ask, because some ladders count down (UK Civil Service Grade 6 is above Grade 7).
    A column holding the UK Civil Service's own words (AO, EO, HEO, SEO, SCS) is read on that ladder,
    its Director titles included.
    """
    readings = {answer: read_level(answer, translations, order) for answer in dict.fromkeys(answers)}
    codes = _column_codes(readings)
    if not order:
        _civil_service(readings, codes)
    numbers: dict[str, set[int]] = {}
    for prefix, number in codes.values():
        numbers.setdefault(prefix, set()).add(int(number))
    for answer, (prefix, number) in codes.items():
        found = _code_reading(prefix, number, numbers)
        if found is not None:
            readings[answer] = Reading(readings[answer].value, *found)
    return readings


def _column_codes(readings: dict[str, Reading]) -> dict[str, tuple[str, float]]:
    """The answers read as grade codes, as (prefix, level); a bare "8c" beside "Band 8a" is a band too."""
    codes = {answer: code for answer, reading in readings.items()
             if reading.how.startswith("the number in the") and (code := code_level(answer))}
    prefixes = {prefix for prefix, _ in codes.values()} - {""}
    if len(prefixes) == 1:
        codes = {answer: (prefix or next(iter(prefixes)), number) for answer, (prefix, number) in codes.items()}
    return codes


def _civil_service(readings: dict[str, Reading], codes: dict[str, tuple[str, float]]) -> None:
    """A column holding the UK Civil Service's own words is read on that ladder (its G6, G7 and Directors too)."""
    normalised = {answer: schema.normalise_header(answer).replace(" ", "") for answer in readings}
    if not any(key in _CIVIL_SERVICE_WORDS for key in normalised.values()):
        return
    for answer, key in normalised.items():
        if key in _CIVIL_SERVICE and (readings[answer].value is None or answer in codes or not readings[answer].sure):
            readings[answer] = Reading(_CIVIL_SERVICE[key], 0.85, "the UK Civil Service ladder (Grade 6 is above "
                                                                  "Grade 7)")
            codes.pop(answer, None)


def _code_reading(prefix: str, number: float, numbers: dict[str, set[int]]) -> tuple[float, str] | None:
    """How sure a code is, given the column's other codes: (confidence, how), or None to leave it unsure."""
    shown = prefix.upper() if len(prefix) <= 2 else prefix.title()
    tracks, services = set(numbers) & _TRACKS, set(numbers) & _SERVICE
    if prefix in _COUNTS_UP:
        return 0.85, ("NHS Agenda for Change bands count up (8a < 8b < 9)" if number != int(number)
                      else f"{shown} codes count up")
    if prefix == "gs" or (prefix in _SERVICE and len(services) == 1):
        return 0.85, f"{shown} codes count up"
    if prefix in _SERVICE:
        return 0.5, ("the column mixes " + ", ".join(sorted(services)).upper() + " codes, whose order the numbers "
                     "do not give (seniority: preset: military_nato has it)")
    if 1 in numbers[prefix] and len(tracks) <= 1:
        return 0.85, f"{shown} codes, counted up from 1 in this column"
    if len(tracks) > 1 and prefix in _TRACKS:
        return 0.5, "the column mixes career tracks (" + ", ".join(sorted(tracks)) + ")"
    return None
