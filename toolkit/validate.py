"""The ``validate`` command's workflow: a client's files read back in words, before anything is matched.

For each client: the intake summary, how every column was read (client column -> toolkit field, with
examples), the columns not used, how role answers and grades were read (with the client.yaml lines that
would change a reading), warnings and rows set aside, readiness, then the programme's collected files
(:func:`toolkit.running.collected_file_lines`). ``cli.py`` parses the command line and calls these; the
demo validates each sample client the same way.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .client import load_client, missing_seniority_warning
from .design.model import ProgramDesign
from .errors import ToolkitError
from .intake.questions import ladder_order, ladder_yaml
from .matching.readiness import readiness as compute_readiness
from .roster import load_roster
from .running import collected_file_lines
from .text import plural

if TYPE_CHECKING:
    from .roster import Roster

__all__ = ["validate_client", "validate_file", "roster_report"]

Say = Callable[[str], None]


def _say(text: str = "") -> None:
    print(text, flush=True)


def validate_client(client_path: str | Path, *, lenient: bool = False, all_warnings: bool = False,
                    say: Say = _say) -> tuple[Roster, ProgramDesign]:
    """Load one client's roster and design, say how its files were read and its readiness, and check every
    collected file it names.

    Raises
    ------
    ToolkitError
        When the participant files cannot be loaded (``lenient`` loads the good rows instead), or when a
        collected file cannot be read (each is listed first, with its problems).
    """
    config = load_client(client_path)
    design = config.design()
    roster = config.roster(lenient=lenient)
    roster_report(config.name, roster, design, all_warnings=all_warnings, say=say)
    lines = collected_file_lines(config)
    if lines:
        say("   Collected files (the programme's record while it runs):")
    for line in lines:
        say(textwrap.indent(line, "     "))
    unread = sum(": NOT READ: " in line for line in lines)
    if unread:
        raise ToolkitError(f"{unread} collected files of {config.name} could not be read (listed above).",
                           fix="correct the rows named, then run validate again")
    return roster, design


def validate_file(path: str | Path, mapping: str | Path | None = None, *, template: str = "formal",
                  lenient: bool = False, all_warnings: bool = False, say: Say = _say) -> Roster:
    """Check one participant file on its own (no client.yaml), against a programme template's readiness."""
    roster = load_roster(path, mapping, lenient=lenient)
    roster_report(Path(path).name, roster, ProgramDesign.from_template(template), all_warnings=all_warnings, say=say)
    return roster


def roster_report(title: str, roster: Roster, design: ProgramDesign, *, all_warnings: bool = False,
                  say: Say = _say) -> None:
    """The intake in words: summary, how the files were read, warnings, rows set aside, readiness."""
    say(f"== {title}: {design.name}")
    missing_levels = missing_seniority_warning(roster, design)
    if missing_levels:
        say(textwrap.fill(f"WARNING: {missing_levels}", width=110, initial_indent="   ", subsequent_indent="     "))
    say(textwrap.indent(roster.intake_summary().to_string(index=False), "   "))
    _say_reading(roster, say)
    say(f"   {roster.summary()}")
    shown = len(roster.warnings) if all_warnings else 10
    for warning in roster.warnings[:shown]:
        say(f"   warning: {warning.describe()}")
    if len(roster.warnings) > shown:
        say(f"   ... and {plural(len(roster.warnings) - shown, 'more warning')} (add --all-warnings to see them all)")
    if len(roster.rejected):
        say(f"   {plural(len(roster.rejected), 'row')} set aside:")
        for row in roster.rejected.itertuples():
            say(f"     {row.source} row {row.row}: {row.reasons}")
    readiness = compute_readiness(roster, design)
    say(textwrap.fill(readiness.summary(), width=100, initial_indent="   ", subsequent_indent="   "))
    say("")


def _say_reading(roster: Roster, say: Say) -> None:
    """How the client's files were read: column -> field with examples, unused columns, roles, grades."""
    columns = roster.column_reading()
    if columns.empty:
        return
    several = columns["source"].nunique() > 1
    used = columns[~columns["field"].str.startswith("(")]
    say("   How the columns were read (client column -> toolkit field: three example answers, between |):")
    width = min(48, max(len(header) for header in used["header"])) + 2 if len(used) else 0
    for row in used.itertuples():
        where = f"{row.source} " if several else ""
        label = f'"{row.header}"'
        say(f"     {where}{row.column:>2} {label:<{width}} -> {row.field}: {row.examples}")
    unused = columns[columns["field"].str.startswith("(")]
    if len(unused):
        shown = ", ".join(f'{row.column} "{row.header}"' + (" (form tool)" if row.field == "(ignored)" else "")
                          for row in unused.itertuples())
        say(textwrap.fill(f"Columns not used: {shown}. To use one, add it under the participants entry's "
                          "mapping: block in client.yaml (one mapping: per entry):", width=110,
                          initial_indent="   ", subsequent_indent="     "))
        say('     mapping:\n       columns:\n         "Header": field')
    roles = roster.readings("role")
    if len(roles):
        say("   Role answers (answer -> role, people):")
        for row in roles.itertuples():
            say(f'     "{row.answer}" -> {row.read_as}, {row.people}')
    _say_grades(roster, say)


def _say_grades(roster: Roster, say: Say) -> None:
    """Each grade's seniority level and how it was read, with the client.yaml lines that would change it."""
    grades = roster.seniority_table()
    if not len(grades):
        return
    say("   Grade -> seniority level (1 = entry level):")
    width = max(len(str(grade)) for grade in grades["grade"]) + 2
    for row in grades.itertuples():
        level = "?" if row.level is None or row.level != row.level else f"{row.level:g}"
        say(f'     {str(row.grade):<{width}} {level:>4}   {row.people:>3} {"person" if row.people == 1 else "people"}'
            f"   ({row.how})")
    people = dict(zip(grades["grade"], grades["people"]))
    order = ladder_yaml(ladder_order(zip(grades["grade"], grades["level"]), people))
    say("   If a level is wrong, give the client's ladder in client.yaml, most junior first ([a, b] = the same "
        "level; as pasted, it keeps every grade's place and ties, counted 1, 2, 3 up the ladder):")
    say(f"     seniority:\n       order: {order}")
    say("   or one grade's level under the participants entry's mapping: block (one mapping: per entry):\n"
        '     mapping:\n       values:\n         seniority:\n           "Grade": level')
