"""client.yaml: one client's programme, files and settings, validated.

A client folder holds a ``client.yaml`` and the files it names; paths in the YAML
are relative to the YAML file. Unknown keys are rejected with a did-you-mean, so a
typo never silently switches a setting off.

The client folder is a boundary: every path must resolve (symbolic links followed) inside
it, so a client.yaml cannot pull in another client's participants or a system file.
``allow_outside_folder: true`` in the YAML (or ``load_client(..., allow_outside_folder=True)``)
lifts that, deliberately; the audit trail records each file's resolved path and SHA-256.
The YAML itself is read with :mod:`toolkit.safe_yaml` (UTF-8 only, alias bombs refused).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .design.checker import DesignProblem
from .design.model import ProgramDesign
from .errors import ConfigError, DesignError, IntakeError, Problem, did_you_mean
from .files import clean_name
from .images import LOGO_LIMIT, logo_problem
from .intake.cells import DATE_FORMATS
from .intake.ladders import load_preset, order_problems
from .intake.mapping import read_mapping
from .intake.readers import ReadLimits, set_read_limits
from .roster import Roster, load_roster
from .safe_yaml import (
    YamlDuplicateKey,
    compose_yaml,
    explain_yaml_error,
    read_yaml_text,
)

__all__ = ["ClientConfig", "load_client", "read_client_yaml", "CLIENT_SCHEMA", "missing_seniority_warning",
           "NAME_LIMIT", "inside_folder"]

# key -> type spec. A dict is a nested mapping; a list with one spec is a list of that;
# "path" is a file relative to the YAML; "any" is free-form (checked by its consumer).
_SURVEY = {"path": "path", "instrument": "instrument", "mapping": "any"}
CLIENT_SCHEMA: dict[str, Any] = {
    "client": "name",
    "slug": "str",
    "sector": "str",
    "contacts": "any",
    "programme": {
        "template": "str",
        "name": "str",
        "start_date": "date",
        "end_date": "date",
        "overrides": "any",
    },
    "participants": [{"path": "path", "mapping": "any", "role": "str", "sheet": "any", "on_duplicate": "str"}],
    "org_chart": "path",
    "seniority": {"order": "any", "preset": "str"},  # the client's grades, or a sector's (templates/ladders/)
    "pairs": "path",
    "circles": "path",
    "choices": "path",
    "surveys": {
        "baseline": _SURVEY,
        "pulses": [_SURVEY],
        "midpoint": _SURVEY,
        "end": _SURVEY,
        "session_feedback": _SURVEY,
        "fit_check": _SURVEY,
        "closure": _SURVEY,
    },
    "meetings": "path",
    "goal_checkins": "path",
    "hr_outcomes": "path",
    # what happens while the programme runs (read only by toolkit.programme): people joining, leaving, pausing,
    # returning; pairs or circles ending, with the reason and who left
    "people_status": "path",
    "pair_status": "path",
    "privacy": {"min_group": "int", "min_comments": "int"},
    "fairness_attributes": ["str"],
    "roi": "any",
    # records for the standards evidence pack (report standards): evidence key -> a file in the client folder
    "evidence": "any",
    "reports": "any",
    "allow_outside_folder": "bool",
    "date_format": "str",
    # money in reports: an ISO code such as GBP, EUR, USD (roi.currency is read when this is absent)
    "currency": "str",
    # the report header: the client's or consultancy's logo (PNG, JPEG or SVG, embedded), colour and name
    "branding": {"logo": "image", "accent": "colour", "consultancy": "name"},
    # how large a file the toolkit reads (checked before reading; see toolkit.intake.readers.READ_LIMITS)
    "limits": {"max_file_mb": "int", "max_rows": "int", "max_columns": "int", "max_cells": "int"},
}
#: The longest client or consultancy name (a file system refuses names past 255 bytes; no real name is near it).
NAME_LIMIT = 200
_REQUIRED = ("client", "programme", "participants")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_REQUIRED_FIX = {
    "client": 'write the client\'s name after it, e.g. client: "Acme Ltd"',
    "programme": "indent at least template: under it, e.g. template: formal",
    "participants": "list the participant file under it, e.g. - path: participants.csv",
}


def inside_folder(base: Path, value: Any, allow_outside: bool = False) -> tuple[Path, str | None]:
    """``value`` resolved against the client folder ``base`` (symbolic links followed), and why it
    is refused (``None`` when it is fine): it must stay inside the folder unless ``allow_outside``."""
    text = str(value)
    if any(ord(character) < 32 for character in text):  # a NUL or control character: no file has such a name
        shown = text.encode("unicode_escape").decode("ascii")
        return base / "invalid-file-name", (f"{shown} is not a file name (it holds a control character); write the "
                                            "file's name as it appears in the client folder")
    path = (base / text).resolve()
    if allow_outside:
        return path, None
    try:
        path.relative_to(base)
    except ValueError:
        given = Path(str(value))
        link = "" if given.is_absolute() or ".." in given.parts else " through a symbolic link"
        return path, (f"{value} leads outside the client folder{link} (to {path}); a client.yaml may only name "
                      "files inside its own folder")
    symbolic_link = _symbolic_link_on_the_way(base, text)
    if symbolic_link is not None:
        return path, (f"{value} goes through a symbolic link ({symbolic_link.name}); a client.yaml may only name ordinary "
                      "files inside its own folder, so a link cannot be swapped to point at another client's files")
    return path, None


def _symbolic_link_on_the_way(base: Path, text: str) -> Path | None:
    """The first symbolic link among the folders and file that ``text`` names below ``base``, if any."""
    joined = Path(os.path.normpath(base / text))
    try:
        parts = joined.relative_to(base).parts
    except ValueError:  # an absolute path naming the folder another way: its resolved form was checked
        return None
    current = base
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


_DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})\s*")


def _date_fix(text: str) -> str:
    """How to write a date the toolkit could not read; says so when no reading of it is in the calendar."""
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if not match:
        return "write it as YYYY-MM-DD, e.g. 2027-01-31"
    first, second, third = (int(part) for part in match.groups())
    if len(match.group(1)) == 4:
        readings = [(first, second, third)]  # 2026-02-31
    else:
        readings = [(third, second, first), (third, first, second)]  # 31/02/2026 (DMY) or 02/31/2026 (MDY)
    real = []
    for year, month, day in readings:
        with contextlib.suppress(ValueError):  # not in the calendar: 31 February
            real.append(dt.date(year, month, day))
    if real:
        shown = " or ".join(dict.fromkeys(date.isoformat() for date in real))
        return f"write it as YYYY-MM-DD ({shown}?)"
    year, month, day = readings[0]
    month_name = dt.date(2000, month, 1).strftime("%B") if 1 <= month <= 12 else None
    what = f"there is no {day} {month_name} {year}" if month_name else f"there is no month {month}"
    return f"this date does not exist ({what}); write a real date as YYYY-MM-DD, e.g. {year:04d}-02-28"


@dataclass
class _Checker:
    """Checks client.yaml's values against :data:`CLIENT_SCHEMA`, collecting every problem at once.

    ``base`` is the client folder every path must stay inside unless ``allow_outside``.
    """

    source: Path
    problems: list[Problem]
    base: Path
    allow_outside: bool = False

    def check(self, value: Any, spec: Any, key_path: str) -> Any:
        """Validate one value against its spec; returns it with paths resolved and dates parsed."""
        if value is None or spec == "any":
            return value
        if isinstance(spec, dict):
            return self._section(value, spec, key_path)
        if isinstance(spec, list):
            items = value if isinstance(value, list) else [value]
            return [self.check(item, spec[0], f"{key_path}[{index}]") for index, item in enumerate(items)]
        if spec == "name":
            return _check_name(value, key_path, self.source, self.problems)
        checks = {"str": self._text, "bool": self._bool, "int": self._int, "colour": self._colour,
                  "date": self._date, "instrument": self._instrument, "image": self._image, "path": self._path}
        if spec not in checks:
            raise AssertionError(f"bad schema spec {spec!r}")  # pragma: no cover
        return checks[spec](value, key_path)

    def _problem(self, message: str, fix: str) -> None:
        self.problems.append(Problem(message, fix, str(self.source)))

    def _section(self, value: Any, spec: dict[str, Any], key_path: str) -> Any:
        """A section of keys: each known key checked, an unknown key a problem (with a did-you-mean)."""
        if not isinstance(value, dict):
            self._problem(f"{key_path} should be a section of keys, not {value!r}", "indent the keys under it")
            return value
        prefix = key_path + "." if key_path else ""
        result = {}
        for key, item in value.items():
            if key not in spec:
                self._problem(f'unknown key "{prefix}{key}"' + did_you_mean(str(key), spec),
                              f"use one of: {', '.join(spec)}")
                continue
            result[key] = self.check(item, spec[key], f"{prefix}{key}")
        return result

    def _text(self, value: Any, key_path: str) -> str:
        if not isinstance(value, (str, int, float)):
            self._problem(f"{key_path} should be text, not {value!r}", "write it as plain text")
        return str(value)

    def _bool(self, value: Any, key_path: str) -> Any:
        if not isinstance(value, bool):
            self._problem(f"{key_path} should be true or false, not {value!r}", "write true or false")
        return value

    def _int(self, value: Any, key_path: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self._problem(f"{key_path} should be a whole number of 1 or more, not {value!r}",
                          "write a number such as 5")
        return value

    def _colour(self, value: Any, key_path: str) -> str:
        if not (isinstance(value, str) and _COLOUR.fullmatch(value.strip())):
            self._problem(f"{key_path} should be a colour such as \"#1c7ed6\", not {value!r}",
                          "write it as # and six hex digits, in quotes")
        return str(value).strip()

    def _date(self, value: Any, key_path: str) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self._problem(f"{key_path} should be a date, not {value!r}", _date_fix(str(value)))
            return value

    def _instrument(self, value: Any, key_path: str) -> Any:
        """A bundled instrument's id, or a YAML file in the client folder."""
        if isinstance(value, str) and value.strip().lower().endswith((".yaml", ".yml")):
            return self._path(value.strip(), key_path)
        return self._text(value, key_path)

    def _image(self, value: Any, key_path: str) -> Any:
        """A logo: a file in the client folder whose content is a PNG, JPEG or SVG image of a sensible size."""
        path = self._path(value, key_path)
        refused = logo_problem(path) if isinstance(path, Path) and path.is_file() else None
        if refused:
            self._problem(f"{key_path}: {refused}", f"save the logo as a PNG, JPEG or SVG image under "
                          f"{LOGO_LIMIT // 1024:,} KB and name that file")
        return path

    def _path(self, value: Any, key_path: str) -> Path:
        """An ordinary file inside the client folder (paths are relative to client.yaml)."""
        if isinstance(value, dict) and "path" in value:  # {path: ..., mapping: ...} where a plain path also works
            value = value["path"]
        path, refused = inside_folder(self.base, value, self.allow_outside)
        if refused:
            self._problem(f"{key_path}: {refused}",
                          "copy the file into the client folder, or, if it really must stay where it is, "
                          "add allow_outside_folder: true to client.yaml")
        elif path.is_dir():
            self._problem(f"{key_path} names {value}, which is a folder, not a file", "name the file inside it")
        elif not path.exists():
            siblings = [p.name for p in path.parent.iterdir()] if path.parent.exists() else []
            self._problem(f"{key_path} names {value}, which does not exist next to the YAML file"
                          + did_you_mean(Path(str(value)).name, siblings),
                          "check the file name (paths are relative to client.yaml)")
        elif not path.is_file():  # a named pipe or a device would block or never end when read
            self._problem(f"{key_path} names {value}, which is not an ordinary file (a pipe or a device)",
                          "name the data file itself")
        return path


def _check_name(value: Any, key_path: str, source: Path, problems: list[Problem]) -> Any:
    """A name shown on every page: plain text, invisible format characters removed, not absurdly long."""
    if not isinstance(value, (str, int, float)):
        problems.append(Problem(f"{key_path} should be text, not {value!r}", "write it as plain text", str(source)))
        return value
    name = clean_name(value)
    if len(name) > NAME_LIMIT:
        problems.append(Problem(f"{key_path} is {len(name)} characters long; a name may have at most {NAME_LIMIT}",
                                "shorten it (the name is printed on every report page)", str(source),
                                value=name[:40] + "..."))
    return name


@dataclass
class ClientConfig:
    """A validated client.yaml.

    Attributes
    ----------
    path
        The YAML file.
    data
        The validated content, with file paths resolved to absolute paths and dates parsed.
    """

    path: Path
    data: dict

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def name(self) -> str:
        return self.data["client"]

    @property
    def slug(self) -> str:
        return self.data.get("slug") or self.folder.name

    @property
    def limits(self) -> ReadLimits:
        """How large a file this client's reads accept: ``limits:`` over the toolkit's defaults."""
        return ReadLimits(**{key: value for key, value in (self.data.get("limits") or {}).items() if value})

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level value (file paths come back absolute)."""
        value = self.data.get(key)
        return default if value is None else value

    @property
    def privacy(self) -> dict:
        return {"min_group": 5, "min_comments": 10, **(self.data.get("privacy") or {})}

    @property
    def currency(self) -> str:
        """The currency reports print money in: ``currency:``, else ``roi.currency``, else GBP."""
        return str(self.data.get("currency") or (self.data.get("roi") or {}).get("currency") or "GBP").upper()

    @property
    def branding(self) -> dict:
        """``branding:`` with its defaults: logo (a path or None), accent colour, consultancy name."""
        return {"logo": None, "accent": "#1c7ed6", "consultancy": "", **(self.data.get("branding") or {})}

    def design(self):
        """The programme design: the template, with the client's overrides, name and dates."""

        programme = self.data["programme"]
        template = programme.get("template", "formal")
        candidate = self.folder / template
        if template.endswith((".yaml", ".yml")):
            candidate, refused = inside_folder(self.folder, template, bool(self.data.get("allow_outside_folder")))
            if refused:
                raise ConfigError(f"programme.template: {refused}", path=self.path,
                                  fix="copy the design into the client folder, or add allow_outside_folder: true")
        if template.endswith((".yaml", ".yml")) and candidate.exists():
            design = ProgramDesign.from_yaml(candidate)
        else:
            design = ProgramDesign.from_template(template)
        overrides = dict(programme.get("overrides") or {})
        for key in ("name", "start_date", "end_date"):
            if programme.get(key) is not None:
                overrides[key] = programme[key]
        try:
            return design.override(overrides) if overrides else design
        except DesignError as error:
            raise self._in_this_file(error, template) from None

    def _in_this_file(self, error: DesignError, template: str) -> ConfigError:
        """A design problem caused by client.yaml's programme: section, located in client.yaml (key and line)."""
        lines = self.path.read_text(encoding="utf-8").splitlines()
        problems = []
        for problem in error.problems or [Problem(error.headline, error.fix, value=error.value)]:
            key = str(problem.column or "")
            top = key.split(".")[0]
            where = f"programme.{key}" if top in ("name", "start_date", "end_date") else f"programme.overrides.{key}"
            leaf = key.split(".")[-1]
            line = next((number for number, text in enumerate(lines, 1) if leaf and text.strip().startswith(f"{leaf}:")),
                        None)
            problems.append(DesignProblem(problem.message, problem.fix, str(self.path), line, where.rstrip("."),
                                          problem.value))
        return ConfigError(f"{self.path} sets up the programme in a way the {template} design does not allow:",
                           problems=problems)

    def roster(self, *, lenient: bool = False):
        """Load every participant file (and the org chart) into one roster."""

        entries = self.data["participants"]
        merged: dict = {}
        for entry in entries:
            mapping = mapping_dict(entry.get("mapping"), self.folder, bool(self.data.get("allow_outside_folder")))
            if isinstance(mapping, dict) and isinstance(mapping.get("seniority"), dict):
                raise ConfigError("seniority: is inside a participants entry's mapping:, where it would apply to one "
                                  "file only.", path=self.path,
                                  fix="move the seniority: block to the top level of client.yaml (no indentation)")
            if "columns" in mapping or "values" in mapping:
                merged.setdefault("columns", {}).update(mapping.get("columns") or {})
                for field, answers in (mapping.get("values") or {}).items():
                    merged.setdefault("values", {}).setdefault(field, {}).update(answers or {})
            elif mapping:
                merged.setdefault("columns", {}).update(mapping)
        on_duplicate = next((entry["on_duplicate"] for entry in entries if entry.get("on_duplicate")), "error")
        roster = load_roster(
            [entry["path"] for entry in entries], merged or None, role=[entry.get("role") for entry in entries],
            lenient=lenient, sheet=entries[0].get("sheet"), org_chart=self.data.get("org_chart"),
            on_duplicate=on_duplicate, date_format=self.data.get("date_format"),
            seniority_order=self.seniority_order,
        )
        if len(roster) == 0:
            files = ", ".join(Path(entry["path"]).name for entry in entries)
            set_aside = len(getattr(roster, "rejected", ()))
            raise IntakeError(
                f"No participants: {files} " + (f"gave {set_aside} rows, all of them set aside." if set_aside
                                                else "has no one in it (only a header row, or nothing)."),
                fix=("correct the rows listed by: mentoring-toolkit validate --client " + str(self.path) +
                     " (without --lenient)") if set_aside else
                    "paste the sign-up export into that file (or point participants: path: in client.yaml at it)",
                )
        return roster

    @property
    def seniority_order(self) -> list | None:
        """The client's grades, most junior first: ``seniority: order: [...]``, or the ladder of
        ``seniority: preset: NAME`` (``templates/ladders/NAME.yaml``), or None."""
        seniority = self.data.get("seniority") or {}
        if seniority.get("preset"):
            return load_preset(seniority["preset"]).as_order()
        return seniority.get("order")

    def survey(self, wave: str):
        """The survey entry for a wave (baseline, midpoint, end, session_feedback) or None."""
        return (self.data.get("surveys") or {}).get(wave)


def mapping_dict(mapping: Any, folder: Path, allow_outside: bool = False) -> dict:
    if not mapping:
        return {}
    if isinstance(mapping, str):
        path, refused = inside_folder(folder.resolve(), mapping, allow_outside)
        if refused:
            raise ConfigError(f"mapping: {refused}", path=folder / "client.yaml",
                              fix="copy the mapping file into the client folder, or add allow_outside_folder: true")
        columns, values = read_mapping(path)
        return {"columns": columns, "values": values} if values else columns
    return dict(mapping)


class _NotADate(ValueError):
    def __init__(self, text: str, line: int, reason: str) -> None:
        super().__init__(reason)
        self.text, self.line, self.reason = text, line, reason


class _ClientLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a date that is not in the calendar stops with its line number."""


def _timestamp(loader: _ClientLoader, node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise _NotADate(str(node.value), node.start_mark.line + 1, str(error)) from None


_ClientLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def read_client_yaml(path: Path) -> Any:
    """A client.yaml's content (read safely, see :mod:`toolkit.safe_yaml`); bad YAML and impossible
    dates raise a ConfigError naming the line."""
    text = read_yaml_text(path, error=ConfigError, what="client file")
    try:
        return compose_yaml(text, unique_keys=True)[0] or {}
    except YamlDuplicateKey as error:
        raise ConfigError(f"line {error.second_line}: {error.problem}.", fix=error.fix, path=str(path)) from None
    except yaml.YAMLError as error:
        line, reason, fix = explain_yaml_error(error, text)
        where = f"line {line}: " if line else ""
        raise ConfigError(f"{where}not valid YAML: {reason}.", fix=fix, path=str(path)) from None
    except ValueError as error:  # a date that is not in the calendar: find its line
        try:
            yaml.load(text, Loader=_ClientLoader)
        except _NotADate as bad:
            raise ConfigError(f"line {bad.line}: {bad.text} is not a date in the calendar ({bad.reason}).",
                              fix="write a real date as YYYY-MM-DD, e.g. 2027-02-28", path=str(path)) from None
        raise ConfigError(f"a value could not be read: {error}.", fix="check the values written as dates or numbers",
                          path=str(path)) from None


def seniority_order_problems(order: Any, source: Path, preset: Any = None) -> list[Problem]:
    """``seniority: order:`` must list grades (or lists of names for one grade), each grade at one place
    (spellings of one grade, "Band 8A" and "band 8a", are one grade); ``preset:`` must name a ladder
    in ``templates/ladders/``, and the two are not given together."""
    problems = order_problems(order, source)
    if preset is not None:
        try:
            load_preset(str(preset))
        except ConfigError as error:
            problems.append(Problem(error.headline, error.fix, str(source)))
        if order is not None:
            problems.append(Problem("seniority has both order: and preset:, which could disagree",
                                    "keep one: preset: for a sector's ladder, or order: for the client's own",
                                    str(source)))
    return problems


# Files that are a client's data, not a client.yaml: named when given as one by mistake.
_DATA_SUFFIXES = {".csv": "a CSV file", ".tsv": "a TSV file", ".txt": "a text file", ".xlsx": "an Excel file",
                  ".xlsm": "an Excel file", ".xls": "an Excel file", ".json": "a JSON file", ".pdf": "a PDF file",
                  ".html": "an HTML page", ".docx": "a Word document"}


def load_client(path: str | Path, *, allow_outside_folder: bool = False) -> ClientConfig:
    """Read and validate a client.yaml (or a client folder containing one).

    Paths in it must stay inside its folder unless ``allow_outside_folder`` (or the YAML key
    ``allow_outside_folder: true``) says otherwise. Its ``limits:`` (how large a file may be read) are
    put in force for the reads that follow (:func:`toolkit.intake.readers.set_read_limits`).

    Raises
    ------
    ConfigError
        Listing every problem: unknown keys with a did-you-mean, missing files, wrong types.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "client.yaml"
    if not path.exists():
        raise ConfigError(f"There is no client file at {path}.",
                          fix="give the path of a client.yaml, or create one with: mentoring-toolkit new-client NAME",
                          path=path)
    if path.suffix.lower() in _DATA_SUFFIXES:
        kind = _DATA_SUFFIXES[path.suffix.lower()]
        raise ConfigError(f"--client needs the client's client.yaml (or its folder); {path.name} is {kind}.",
                          fix=f"give the client.yaml that names {path.name} under participants:, e.g. --client "
                              f"{path.parent / 'client.yaml'}; to check the file on its own, use validate --file "
                              f"{path.name}", path=path)
    raw = read_client_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name} should be a set of keys (client:, programme:, participants: ...).",
                          fix="see sample_data/northwind/client.yaml for the shape", path=path)
    problems: list[Problem] = []
    for key in _REQUIRED:
        if key not in raw:
            problems.append(Problem(f'the required key "{key}" is missing', f"add {key}: to the file", str(path)))
        elif raw[key] in (None, "", [], {}):
            problems.append(Problem(f'the required key "{key}" has no value', _REQUIRED_FIX[key], str(path)))
    if raw.get("date_format") is not None and raw.get("date_format") not in DATE_FORMATS:
        problems.append(Problem(f"date_format should be one of {', '.join(DATE_FORMATS)}, not {raw['date_format']!r}",
                                "write date_format: DMY for 03/04/2026 = 3 April, or MDY for 4 March", str(path)))
    allow = allow_outside_folder or raw.get("allow_outside_folder") is True
    data = _Checker(path, problems, path.parent.resolve(), allow).check(raw, CLIENT_SCHEMA, "")
    seniority = data.get("seniority") or {}
    problems += seniority_order_problems(seniority.get("order"), path, seniority.get("preset"))
    if problems:
        raise ConfigError(f"{path} has {len(problems)} problem{'s' if len(problems) != 1 else ''}:",
                          problems=problems)
    config = ClientConfig(path=path.resolve(), data=data)
    set_read_limits(config.limits)  # the files this client names are read under its own limits
    return config


def missing_seniority_warning(roster: Roster, design: ProgramDesign) -> str | None:
    """A warning to show first when the design matches on seniority but most people have no level.

    The design uses seniority when it has a seniority rule (a direction other than ``any``) or a
    non-zero seniority weight. None when it does not, or when at least half the people have a level.
    """
    weights = design.criteria
    if design.seniority.direction == "any" and not weights.get("seniority", 0):
        return None
    participants = roster.participants
    if not len(participants):
        return None
    missing = int(participants["seniority"].map(lambda value: value is None or value != value).sum())
    if missing * 2 <= len(participants):
        return None
    columns = roster.column_reading()
    titles = [str(row.header) for row in columns.itertuples() if row.field == "job_title"] if len(columns) else []
    hint = (f'; the column "{titles[0]}" is read as job_title: if it holds grades or titles on a ladder, change '
            "job_title to seniority on its line under the participants entry's mapping: columns:"
            if titles else "; map the column that holds grades or levels to seniority in client.yaml (under the "
                           "participants entry's mapping: columns:)")
    rule = "a seniority rule" if design.seniority.direction != "any" else "a seniority weight"
    return (f"{missing} of {len(participants)} people have no seniority level, but the programme design "
            f"matches on seniority ({rule}): for them the seniority rule cannot be checked and pairs are made "
            f"without it{hint}.")
