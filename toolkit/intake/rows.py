"""Participant rows checked on their own and across rows: names, ids and free text cleaned, duplicates
settled, references between people resolved, every row given an outcome.

:func:`toolkit.intake.load.read_participants` parses the rows into :class:`Record` objects and calls
:func:`validate_records`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Problem
from ..files import sanitise_free_text
from .answers import Reading
from .cells import CellProblem, parse_email

__all__ = ["Record", "validate_records"]


@dataclass
class Record:
    """One input row being turned into a participant."""

    source: str
    row: int
    values: dict[str, object]
    raw: dict[str, str]
    columns: dict[str, tuple[str, str]]  # field -> (header, letter) for error messages
    problems: list[Problem] = field(default_factory=list)
    outcome: str = "loaded"
    participant_id: str | None = None
    reasons: list[str] = field(default_factory=list)
    readings: dict[str, tuple[str, Reading]] = field(default_factory=dict)  # field -> (answer as typed, reading)


def _participant_id(record: Record) -> str | None:
    given = record.values.get("participant_id")
    if given:
        return str(given)
    email = record.values.get("email")
    if email:
        return "P-" + hashlib.sha1(str(email).encode("utf-8")).hexdigest()[:8].upper()
    return None


_IDENTITY_FIELDS = ("participant_id", "name", "manager_id")
_LINE_BREAKS_OR_BRACES = re.compile(r"[\r\n\t\v\f{}\u2028\u2029\x85]")
#: An email address anywhere in a text.
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def _clean_identity(record: Record, warnings: list[Problem]) -> None:
    """Ids and names become one clean line: line breaks, tabs and braces (``{{ }}`` would be read as a
    template by the kit) are removed with a warning naming the row. An email address in the id column
    is moved to the email field and replaced by a neutral ``P-XXXXXXXX`` id (also with a warning), so
    that no email reaches pairs.csv, unmatched.csv or a report when the name column is blank."""
    for name in _IDENTITY_FIELDS:
        value = record.values.get(name)
        if not isinstance(value, str):
            continue
        if _LINE_BREAKS_OR_BRACES.search(value):
            cleaned = " ".join(value.replace("{", " ").replace("}", " ").split())
            record.values[name] = cleaned
            label = {"participant_id": "id", "manager_id": "manager"}.get(name, name)
            warnings.append(_problem_at(record, name, f"line breaks, tabs or braces {{ }} were removed from the {label}",
                                        f"check the {label} reads as intended", value))
    typed_name = record.values.get("name")
    if isinstance(typed_name, str) and EMAIL_IN_TEXT.search(typed_name):
        kept = " ".join(EMAIL_IN_TEXT.sub(" ", typed_name).split()) or None
        record.values["name"] = kept
        warnings.append(_problem_at(record, "name", "the name holds an email address, which was left out so that "
                                    "no email appears in exports or reports"
                                    + ("" if kept else " (the person's id is shown instead)"),
                                    "write only the person's name in the name column", typed_name))
    given = record.values.get("participant_id")
    if isinstance(given, str) and EMAIL_IN_TEXT.search(given):
        email = given.strip() if _is_email(given.strip()) else None
        if email and not record.values.get("email"):
            record.values["email"] = parse_email(email)
        record.values["participant_id"] = None if record.values.get("email") else \
            "P-" + hashlib.sha1(given.encode("utf-8")).hexdigest()[:8].upper()
        warnings.append(_problem_at(
            record, "participant_id", "the id holds an email address; this person's id is "
            f"{_participant_id(record)} instead, so that no email appears in exports or reports"
            + ("" if record.values.get("name") else " (their name is blank, so the id is what others see)"),
            "nothing to fix; to use your own ids, fill the id column with staff numbers", given))


# Free text a person typed: what reaches a report, an agreement, the kit or a studio table from it.
_FREE_TEXT_FIELDS = ("job_title", "notes", "skills_offered", "skills_sought", "goals")
_ONLY_REMOVED = re.compile(r"(?:\[(?:email|phone|link) removed\][\s,;:/()-]*)+")


def _scrub_free_text(record: Record, warnings: list[Problem]) -> None:
    """Contact details (emails, phone numbers, links) typed into free-text answers are removed, with a
    warning naming the row and column (never the detail itself): the email column is how to reach someone."""
    changed = []
    for name in _FREE_TEXT_FIELDS:
        value = record.values.get(name)
        if isinstance(value, str):
            clean: object = sanitise_free_text(value)
            clean = None if not clean or _ONLY_REMOVED.fullmatch(str(clean)) else clean
        elif isinstance(value, tuple):
            clean = tuple(item for item in (sanitise_free_text(part) for part in value)
                          if item and not _ONLY_REMOVED.fullmatch(item))
        else:
            continue
        if clean != value:
            record.values[name] = clean
            changed.append(name)
    if changed:
        warnings.append(_problem_at(record, changed[0], "an email address, phone number or link was removed from "
                                    f"{', '.join(changed)}, so it cannot reach a report, agreement or the kit",
                                    "nothing to fix; to contact the person, use the email column"))


def _is_email(text: str) -> bool:
    try:
        return bool(parse_email(text))
    except CellProblem:
        return False


def _merge_into(kept: Record, other: Record) -> None:
    """One person's rows from a mentor file and a mentee file become one participant, role both."""
    kept.values["role"] = "both"
    for name, value in other.values.items():
        current = kept.values.get(name)
        if current in (None, (), "") and value not in (None, (), ""):
            kept.values[name] = value
        elif isinstance(current, tuple) and isinstance(value, tuple):
            kept.values[name] = tuple(dict.fromkeys(current + value))


def _problem_at(record: Record, name: str, message: str, fix: str, value: object = None) -> Problem:
    header, letter = record.columns.get(name, (None, None))
    return Problem(message, fix, record.source, record.row, header, value, letter)


def _canonical_spellings(records: list[Record], names: Sequence[str]) -> None:
    """Use one spelling per value across the roster: "python" and "Python" are the same skill."""
    counts: dict[str, Counter[str]] = {}
    for record in records:
        for name in names:
            value = record.values.get(name)
            for item in (value if isinstance(value, tuple) else (value,) if isinstance(value, str) else ()):
                counts.setdefault(item.casefold(), Counter())[item] += 1
    preferred = {key: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[0][0]
                 for key, counter in counts.items()}
    for record in records:
        for name in names:
            value = record.values.get(name)
            if isinstance(value, tuple):
                record.values[name] = tuple(dict.fromkeys(preferred[item.casefold()] for item in value))
            elif isinstance(value, str):
                record.values[name] = preferred[value.casefold()]


def validate_records(records: list[Record], on_duplicate: str, lenient: bool, warnings: list[Problem]) -> None:
    """Row checks, then checks across rows; fills in problems and outcomes."""
    for record in records:
        _check_row(record, warnings)
    _check_duplicates(records, on_duplicate, warnings)
    live = [record for record in records if record.outcome == "loaded"]
    people = _People(live)
    for record in live:
        _resolve_manager(record, people)
        for name in _REFERENCE_LABELS:
            _resolve_references(record, name, people, lenient, warnings)
    _tidy_values(live)
    _reject_rows_with_problems(records)
    _drop_dangling_references(records, warnings)


def _check_row(record: Record, warnings: list[Problem]) -> None:
    """One row's own checks: a name from first and last names, clean ids and free text, an id or an email,
    a role, and consent (a person who did not consent is set aside with a warning)."""
    values = record.values
    if not values.get("name") and (values.get("first_name") or values.get("last_name")):
        values["name"] = " ".join(str(part) for part in (values.get("first_name"), values.get("last_name")) if part)
    values.pop("first_name", None)
    values.pop("last_name", None)
    _clean_identity(record, warnings)
    _scrub_free_text(record, warnings)
    record.participant_id = _participant_id(record)
    problem_columns = {problem.column for problem in record.problems}
    if record.participant_id is None and record.columns.get("email", (None,))[0] not in problem_columns:
        record.problems.append(Problem(
            "the row has neither an id nor an email address", "fill in the person's email address",
            record.source, record.row,
        ))
    if not values.get("role") and record.columns.get("role", (None,))[0] not in problem_columns:
        record.problems.append(_problem_at(record, "role", "the role is empty",
                                           'write "Mentor", "Mentee" or "Both"'))
    if values.get("consent") is False:
        record.outcome = "rejected"
        record.reasons.append("did not consent to their answers being used for matching")
        warnings.append(_problem_at(record, "consent", "this person did not consent, so they were left out",
                                    "nothing to fix; contact them if consent was given another way"))


def _identity_keys(record: Record) -> list[tuple[str, str]]:
    """What identifies a row across rows: the id the user gave, and the email address."""
    # Ids derived from the email are checked through the email: the user never saw the derived id.
    keys = [("participant_id", str(record.participant_id))] if record.values.get("participant_id") else []
    if record.values.get("email"):
        keys.append(("email", str(record.values["email"])))
    return keys


def _check_duplicates(records: list[Record], on_duplicate: str, warnings: list[Problem]) -> None:
    """Rows with the same id or email: merged (mentor in one file, mentee in another), one set aside
    (``on_duplicate: keep_last`` or ``keep_first``), or a problem on the later row."""
    first_seen: dict[tuple[str, str], Record] = {}
    for record in records:
        if record.outcome == "rejected" or record.participant_id is None:
            continue
        for key_name, key in _identity_keys(record):
            earlier = first_seen.get((key_name, key))
            if earlier is None or earlier is record or earlier.outcome == "rejected":
                first_seen[(key_name, key)] = record
                continue
            if not _settle_duplicate(earlier, record, key_name, key, on_duplicate, warnings):
                break
            first_seen[(key_name, key)] = record


def _settle_duplicate(earlier: Record, record: Record, key_name: str, key: str, on_duplicate: str,
                      warnings: list[Problem]) -> bool:
    """Settle one pair of rows with the same key; True when the later row takes the earlier's place
    (``keep_last``), so that its other keys are checked too."""
    same_file = earlier.source == record.source
    if not same_file and {earlier.values.get("role"), record.values.get("role")} == {"mentor", "mentee"}:
        _merge_into(earlier, record)
        record.outcome, record.participant_id = "merged", earlier.participant_id
        who = record.values.get("email") or record.values.get("name") or key
        warnings.append(Problem(
            f"{who} signed up as a mentor in one file and as a mentee in another; "
            f"merged into one participant with role both (with row {earlier.row} of "
            f"{Path(earlier.source).name})",
            "nothing to fix if that is intended", record.source, record.row,
        ))
        return False
    label = "email address" if key_name == "email" else "id"
    where = f"row {earlier.row}" + ("" if same_file else f" of {Path(earlier.source).name}")
    if on_duplicate == "keep_last":
        earlier.outcome = "rejected"
        earlier.reasons.append(f"superseded by row {record.row} with the same {label} ({key})")
        return True
    if on_duplicate == "keep_first":
        record.outcome = "rejected"
        record.reasons.append(f"the same {label} ({key}) is already on {where}")
        return False
    record.problems.append(_problem_at(
        record, key_name, f"the same {label} is already on {where}",
        "delete one of the two rows (if the person re-submitted the form, keep the newer one, "
        'or add "on_duplicate: keep_last" under that file in client.yaml\'s participants:); '
        'if they want to be both mentor and mentee, '
        'keep one row with role "Both"',
        key,
    ))
    return False


class _People:
    """The loaded rows as others refer to them: by id, email or (unambiguous) name."""

    def __init__(self, live: list[Record]) -> None:
        self.index: dict[str, str | None] = {}
        for record in live:
            if record.participant_id:
                self.index[record.participant_id.casefold()] = record.participant_id
            if record.values.get("email"):
                self.index[str(record.values["email"]).casefold()] = record.participant_id
        self.names: dict[str, str] = {}
        self.ambiguous_names: set[str] = set()
        for record in live:
            name = record.values.get("name")
            if name and record.participant_id:
                key = str(name).casefold()
                if key in self.names and self.names[key] != record.participant_id:
                    self.ambiguous_names.add(key)
                self.names[key] = record.participant_id
        self.mentors = {record.participant_id for record in live
                        if record.values.get("role") in ("mentor", "both")}

    def resolve(self, token: str) -> str | None:
        """The participant id a typed id, email or name stands for, or None."""
        key = token.strip().casefold()
        if key in self.index:
            return self.index[key]
        if key in self.names and key not in self.ambiguous_names:
            return self.names[key]
        return None


def _resolve_manager(record: Record, people: _People) -> None:
    """The manager as a participant id when they are in the roster; a person is not their own manager."""
    values = record.values
    manager = values.get("manager_id")
    if not manager:
        return
    values["manager_id"] = people.resolve(str(manager)) or str(manager).strip()
    if values["manager_id"] == record.participant_id or (
        str(manager).casefold() == str(values.get("email", "")).casefold()
    ):
        record.problems.append(_problem_at(record, "manager_id", "the person is listed as their own manager",
                                           "give their line manager's id or email, or leave it blank",
                                           manager))


_REFERENCE_LABELS = {"preferences": "preferences", "exclusions": "do-not-match list",
                     "previous_partners": "previous partners"}


def _resolve_references(record: Record, name: str, people: _People, lenient: bool,
                        warnings: list[Problem]) -> None:
    """A list of people (preferences, exclusions, previous partners) as participant ids; a name that is
    not in the roster, ambiguous, the person themselves or (for preferences) not a mentor is a problem
    (a warning, and left out, when loading leniently)."""
    label = _REFERENCE_LABELS[name]
    resolved_ids: list[str] = []
    for token in _people_named(record, name):
        target = people.resolve(token)
        if target == record.participant_id:
            record.problems.append(_problem_at(
                record, name, f"the person lists themselves in their {label}",
                "remove their own name, id or email from the cell", token))
            continue
        if target is None:
            why = ("more than one participant has that name" if token.casefold() in people.ambiguous_names
                   else "no participant has that id, email or name")
            _problem_or_warning(record, _problem_at(
                record, name, f"{label}: {why}",
                "use the person's id or email exactly as in the roster, or remove it", token), lenient, warnings)
            continue
        if name == "preferences" and target not in people.mentors:
            _problem_or_warning(record, _problem_at(
                record, name, "preferences: that person is not a mentor in this roster",
                "list only people who signed up as mentors", token), lenient, warnings)
            continue
        if target not in resolved_ids:
            resolved_ids.append(target)
    record.values[name] = tuple(resolved_ids)


def _people_named(record: Record, name: str) -> tuple[str, ...]:
    """The people a list field names (ids once resolved); none when the field is empty."""
    value = record.values.get(name)
    return tuple(value) if isinstance(value, (tuple, list)) else ()


def _problem_or_warning(record: Record, problem: Problem, lenient: bool, warnings: list[Problem]) -> None:
    """A problem sets the row aside; loading leniently, it is a warning and the value is left out."""
    if lenient:
        warnings.append(replace(problem, message=problem.message + "; it was left out"))
    else:
        record.problems.append(problem)


_CANONICAL_FIELDS = ("department", "business_unit", "team", "site", "region", "cohort", "goals", "languages",
                     "gender", "age_band", "ethnicity")


def _tidy_values(live: list[Record]) -> None:
    """A mentee's capacity dropped, and one spelling per value across the roster."""
    for record in live:
        if record.values.get("role") == "mentee" and record.values.get("capacity") is not None:
            record.values["capacity"] = None  # a mentee's "capacity" answer is meaningless; not an error
    _canonical_spellings(live, ("skills_offered", "skills_sought"))
    for name in _CANONICAL_FIELDS:
        _canonical_spellings(live, (name,))


def _reject_rows_with_problems(records: list[Record]) -> None:
    """A row with a problem is set aside, its problems its reasons."""
    for record in records:
        if record.problems and record.outcome != "rejected":
            record.outcome = "rejected"
            # The row's file and number are said once, by whoever lists the row: not again in each reason.
            record.reasons += [replace(problem, path=None, row=None).describe()
                               if problem.row in (None, record.row) else replace(problem, path=None).describe()
                               for problem in record.problems]


def _drop_dangling_references(records: list[Record], warnings: list[Problem]) -> None:
    """Lenient loading: references to people whose rows were set aside would dangle; drop them, saying so."""
    kept = {record.participant_id for record in records if record.outcome == "loaded"}
    for record in records:
        if record.outcome != "loaded":
            continue
        for name in _REFERENCE_LABELS:
            targets = _people_named(record, name)
            dropped = [target for target in targets if target not in kept]
            if dropped:
                record.values[name] = tuple(target for target in targets if target in kept)
                for target in dropped:
                    warnings.append(_problem_at(
                        record, name, "refers to a person whose own row was set aside; the reference was left out",
                        "fix that person's row and load again", target))
