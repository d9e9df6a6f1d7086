"""One family of errors for everything the toolkit refuses to do.

Every error says what is wrong, where (file, spreadsheet row as the user sees it,
column, value) and how to fix it. Errors that collect several problems (intake,
design validation) keep them as a list of :class:`Problem` so that code, tests and
widgets can show them as a table.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = [
    "Problem",
    "ToolkitError",
    "IntakeError",
    "DesignError",
    "MatchingError",
    "SurveyError",
    "ReportError",
    "ConfigError",
    "did_you_mean",
    "check_option",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    Attributes
    ----------
    message
        What is wrong, in plain language.
    fix
        What the user should do about it.
    path
        The file the problem is in, if any.
    row
        The row number as the user sees it in a spreadsheet program (1-based,
        header rows included), if the problem belongs to one row.
    column
        The column header as it appears in the file (not the toolkit's name for it).
    column_letter
        The spreadsheet column letter (A, B, ... AA), when known.
    value
        The offending value, as found.
    """

    message: str
    fix: str = ""
    path: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    column_letter: str | None = None

    def location(self) -> str:
        parts = []
        if self.path:
            parts.append(Path(self.path).name)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column and self.column_letter:
            parts.append(f'column {self.column_letter} "{self.column}"')
        elif self.column:
            parts.append(f'column "{self.column}"')
        elif self.column_letter:
            parts.append(f"column {self.column_letter}")
        return ", ".join(parts)

    def describe(self) -> str:
        """One line: location, value, what is wrong, the fix."""
        where = self.location()
        text = f"{where}: " if where else ""
        if self.value is not None and str(self.value) != "":
            text += f"value {show_value(self.value)}: "
        # Keep "Did you mean "x"?" as a question rather than appending a full stop to it.
        text += self.message if self.message.endswith(("?", ".", "!")) else self.message + "."
        if self.fix:
            text += f" Fix: {self.fix.rstrip('.')}."
        return text

    def as_dict(self) -> dict:
        record = asdict(self)
        record["value"] = None if self.value is None else str(self.value)
        return record


def show_value(value: object, limit: int = 60) -> str:
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


class ToolkitError(Exception):
    """Base class of every error the toolkit raises on purpose.

    Parameters
    ----------
    message
        What is wrong.
    fix
        How to fix it.
    path, row, column, value
        Where the problem is, when it is about one place in one input.
    problems
        Several problems at once; the message then lists every one.
    """

    def __init__(
        self,
        message: str,
        *,
        fix: str = "",
        path: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.headline = message
        self.fix = fix
        self.path = str(path) if path is not None else None
        self.row = row
        self.column = column
        self.value = value
        self.problems: list[Problem] = list(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if self.problems:
            lines = [self.headline]
            lines += [f"  {number}. {problem.describe()}" for number, problem in enumerate(self.problems, 1)]
            if self.fix:
                lines.append(self.fix)
            return "\n".join(lines)
        single = Problem(self.headline, self.fix, self.path, self.row, self.column, self.value)
        return single.describe()

    def problems_frame(self):
        """The problems as a DataFrame (for widgets and reports)."""
        import pandas as pd

        columns = ["path", "row", "column_letter", "column", "value", "message", "fix"]
        problems = self.problems or [Problem(self.headline, self.fix, self.path, self.row, self.column, self.value)]
        frame = pd.DataFrame([problem.as_dict() for problem in problems])
        return frame.reindex(columns=columns)


class IntakeError(ToolkitError):
    """A participant, survey or log file could not be read as given."""


class DesignError(ToolkitError):
    """A programme design (template or YAML) is not valid."""


class MatchingError(ToolkitError):
    """A matching problem cannot be solved as posed."""


class SurveyError(ToolkitError):
    """A survey instrument or response file is not valid."""


class ReportError(ToolkitError):
    """A report could not be produced."""


class ConfigError(ToolkitError):
    """A client.yaml or other configuration file is not valid."""


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """A ' Did you mean "x"?' suffix, or '' when nothing is close."""
    choices = [str(choice) for choice in choices]
    lowered = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=cutoff)
    return f' Did you mean "{lowered[close[0]]}"?' if close else ""


def check_option(name: str, value: object, allowed: Iterable[str], error: type[ToolkitError] = ToolkitError) -> str:
    """Validate an option string; the error lists the allowed values.

    Returns the value unchanged when it is allowed.
    """
    allowed = list(allowed)
    if value not in allowed:
        listed = ", ".join(f'"{choice}"' for choice in allowed)
        raise error(
            f'{name} must be one of {listed}, not "{value}".' + did_you_mean(str(value), allowed),
            fix=f"use one of {listed}",
        )
    return value
