"""A new client folder, ready to fill in: everything a consultant needs before the first export arrives.

``new_client("Acme Ltd", "clients")`` writes ``clients/acme-ltd/``::

    client.yaml            commented, with mapping examples (the client's name safely quoted)
    participants.csv       the sign-up columns the toolkit knows, headers only
    collect/               blank, headed templates (CSV and Excel) for the meeting log, people's
                           status, pair status, goal check-ins and HR outcomes, each with a "how to
                           collect this" note (client.yaml names the two status files from the start)
    surveys/               each survey instrument as a question list to paste into Google Forms
                           or Microsoft Forms (the toolkit reads that form's export back)
    notebooks/             the client's own copies of the notebooks, parameterised to this client
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from ..client import NAME_LIMIT
from ..errors import ReportError
from ..files import clean_name, output_folder, write_csv, write_excel, write_text
from ..intake.schema import FIELDS
from ..measure.survey import load_instrument
from ..paths import safe_slug
from ..resources import notebooks_dir, templates_dir
from ..safe_yaml import parse_yaml

__all__ = ["new_client", "survey_question_list", "yaml_text"]

#: The collect/ files client.yaml names from the start (empty until something happens; ``record`` appends to them).
NAMED_FROM_THE_START = ("people_status", "pair_status")

_PARTICIPANT_COLUMNS = ("participant_id", "name", "email", "role", "department", "site", "seniority", "capacity",
                        "skills_offered", "skills_sought")

_CLIENT_TEMPLATE = """\
# {comment_name}: a new client. Paths are relative to this file.
# Check it with: mentoring-toolkit validate --client {slug}/client.yaml
# Then: mentoring-toolkit match --client {slug}/client.yaml    (adopts the match as round 1 in matches/)
#       mentoring-toolkit agreements --client {slug}/client.yaml --out {slug}/agreements
#       mentoring-toolkit kit --client {slug}/client.yaml --out {slug}/kit
client: {name}
slug: {slug_yaml}
programme:
  template: formal          # formal | informal | peer | reverse | group | virtual
  name: {programme}
  start_date: {start}       # YYYY-MM-DD
  end_date: {end}
participants:
- path: participants.csv    # the sign-up export, as the client sent it (CSV or Excel)
  # The toolkit recognises common headers ("Email Address", "Which department are you in?",
  # "What do you want to learn?"). `validate` shows how it read each column. Where it reads a
  # column wrongly, or an answer it does not understand, say so here:
  # mapping:
  #   columns:                                   # the client's header: the toolkit's field
  #     "Your work email": email
  #     "What could you help a colleague with?": skills_offered
  #     "Internal notes": ignore
  #   values:                                    # how the client's answers read
  #     role:
  #       "Mentee - I'd like a mentor": mentee
  #       "Mentor - I'd like to support someone": mentor
  #       "Happy to do either": both
  #     seniority:                               # grade: level (1 = most junior)
  #       "Grade 7": 5
  #       "Grade 6": 6
  # One mapping: per entry, with columns: and values: inside it (a second mapping: is refused).
  # on_duplicate: keep_last   # a person who submitted the form twice: keep the newer answer
# Mentors and mentees on two forms? One entry each, with the role the file stands for:
# - path: mentors.xlsx
#   role: mentor
# - path: mentees.xlsx
#   role: mentee
# org_chart: org_chart.csv   # Employee ID, Manager ID: keeps people out of their own reporting line
# The client's grades, most junior first; grades in [ ] share one level (levels count 1, 2, 3 up the list):
# seniority:
#   order: ["Graduate", ["Analyst", "Associate"], "Senior Associate", "Manager", "Director"]

# While the programme runs, fill in the templates in collect/ (collect/README.md says how) and name them here:
# meetings: collect/meeting_log.csv
# goal_checkins: collect/goal_checkins.csv
# hr_outcomes: collect/hr_outcomes.csv
# What happens to people and pairs: one row per event, the day you hear of it. Edit the files, or let
#   mentoring-toolkit record --client {slug}/client.yaml left PERSON --on YYYY-MM-DD
#   mentoring-toolkit record --client {slug}/client.yaml ended PAIR --on YYYY-MM-DD --reason no_fault
# add the rows (also: joined, paused, returned). Then see the programme with
#   mentoring-toolkit status --client {slug}/client.yaml
# and re-match the people waiting with
#   mentoring-toolkit rematch --client {slug}/client.yaml --out {slug}/rematch
people_status: collect/people_status.csv   # Participant ID, Event (joined, left, paused, returned), Date, Reason
pair_status: collect/pair_status.csv       # Pair ID, Event (ended), Date, Reason (no_fault, left, goals_met), Left By
# Surveys (questions to paste into a form are in surveys/), one block per wave:
# surveys:
#   baseline:
#     path: survey_baseline.csv
#     instrument: baseline
#   pulses:
#   - path: pulse_month1.csv
#     instrument: pulse_30day
#   end:
#     path: survey_end.csv
#     instrument: end_of_programme
privacy:
  min_group: 5              # groups smaller than this are never shown in reports
  min_comments: 10
fairness_attributes: [department, site]
currency: GBP               # money in reports: GBP, EUR, USD, ...
# Return on investment (the impact report; Phillips ROI Methodology). Every cost is stated, 0 when none:
# roi:
#   programme_cost: 0                  # other direct costs: materials, platform, venues, events
#   consultant_fees: 0
#   coordinator_hours: 0               # the programme coordinator's time on the programme
#   coordinator_hourly_cost: 0
#   hourly_cost: 0                     # loaded cost of an hour of a mentee's (or member's) time
#   mentor_hourly_cost: 0              # and of a mentor's (or facilitator's); hourly_cost when left out
#   hours_per_meeting_participant: 1   # a meeting's length where the log gives none
#   average_salary: 0
#   replacement_cost_share_of_salary: 0.5
#   benefit_years: 1                   # benefits counted (first year only unless you say otherwise)
#   expected_retention: 0.85           # without a comparison group: retention expected without the programme
#   intangibles: []                    # benefits to list, never priced
# (The end-of-programme survey's last two questions collect participants' own estimates of the programme's
#  contribution and their confidence in it; the report uses them with expected_retention.)
# Records for the standards evidence pack (report standards), each a file in this folder:
# evidence:
#   training_plan: records/training_attendance.xlsx
# branding:                 # the report header (uncomment to use)
#   logo: logo.png          # a PNG, JPEG or SVG next to this file; embedded, never fetched
#   accent: "#1c7ed6"       # the header colour, in quotes
#   consultancy: Your consultancy name
"""

_NOTEBOOK_PARAMETERS = (
    # (pattern of the parameter line, its replacement for a notebook in <client>/notebooks/)
    (re.compile(r"^# Parameters \(papermill[^\n]*", re.M), "# Parameters: this client's own copy; \"..\" is "
                                                              "the client folder this notebooks/ folder is in"),
    (re.compile(r'^client_path = "[^"\n]*"', re.M), 'client_path = ".."'),
    (re.compile(r'^client: str = "[^"\n]*"', re.M), 'client: str = "../client.yaml"'),
)


def yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value`` (quoted: ``Acme: Ltd``, ``null``, ``#1``, dates)."""
    return json.dumps(str(value), ensure_ascii=False)


def survey_question_list(instrument_id: str) -> str:
    """An instrument as plain text to paste into Google Forms or Microsoft Forms, one question at a time."""
    instrument = load_instrument(instrument_id)
    lines = [f"{instrument.title} ({instrument.id})", "=" * len(f"{instrument.title} ({instrument.id})"), "",
             "How to build the form:",
             "- Google Forms: Settings > Responses > Collect email addresses (Verified). Microsoft Forms: "
             "\"Only people in my organisation can respond\" and \"Record name\".",
             "- Paste each question EXACTLY as written below (the toolkit reads the export back by the wording).",
             "- Use the answer type and the choices shown, in that order; tick \"Required\" except for comments.",
             "- Download the responses (Google Forms: Responses > Download responses (.csv); Microsoft Forms: "
             "Open in Excel), save the file in the client folder and name it under surveys: in client.yaml with "
             f"instrument: {instrument.id}.", ""]
    if instrument.when:
        lines += [f"When: {instrument.when}", ""]
    for number, item in enumerate(instrument.items.itertuples(index=False), 1):
        scale_name = getattr(item, "scale", None)
        scale = instrument.scales.get(scale_name) if isinstance(scale_name, str) else None
        audience = getattr(item, "audience", "all")
        shown = "" if audience in (None, "all") else f"   (only for: {audience}s; add a section for them in the form)"
        lines.append(f"{number}. {item.text}{shown}")
        if scale and scale.get("labels"):
            choices = " | ".join(str(label) for label in scale["labels"])
            lines.append(f"   Answer type: Multiple choice (or one row of a multiple-choice grid). Choices: {choices}")
        elif scale and scale.get("min") is not None:
            lines.append(f"   Answer type: Short answer, a number from {scale['min']} to {scale['max']} (Google "
                         "Forms: Response validation > Number > Between).")
        elif getattr(item, "type", None) == "date":
            lines.append("   Answer type: Date.")
        else:
            lines.append("   Answer type: Paragraph (optional).")
        lines.append("")
    return "\n".join(lines)


def _instrument_ids() -> list[str]:
    return sorted(path.stem for path in (templates_dir() / "surveys").glob("*.yaml"))


def _write_collect_templates(folder: Path, circles: bool = False) -> None:
    spec = parse_yaml(templates_dir() / "collect" / "logs.yaml", what="collection templates file")["logs"]
    notes = ["# What to collect while the programme runs", "",
             "Blank templates: fill in the CSV or the Excel file (not both), then name the file in client.yaml.", ""]
    for log in spec:
        headers = log["headers"]
        blank = pd.DataFrame(columns=headers)
        write_csv(blank, folder / f"{log['name']}.csv")
        how = " ".join(log["how"].split())
        write_excel({log["title"][:31]: blank, "how to collect this": pd.DataFrame({"how to collect this": [how]})},
                    folder / f"{log['name']}.xlsx")
        notes += [f"## {log['title']}: {log['name']}.csv or {log['name']}.xlsx", "", how, "",
                  f"Columns: {', '.join(headers)}.", ""]
        if log.get("circle_headers"):
            notes += [f"For circles, use these columns instead: {', '.join(log['circle_headers'])}.", ""]
        if log["key"] in NAMED_FROM_THE_START:
            notes += [f"client.yaml already names it (`{log['key']}: collect/{log['name']}.csv`): an empty file "
                      "means nothing has happened yet.", ""]
        else:
            notes += [f"When it holds data, add to client.yaml: `{log['key']}: collect/{log['name']}.csv`", ""]
    write_text("\n".join(notes), folder / "README.md")


def _write_notebooks(folder: Path) -> None:
    # nbformat is imported here, not at the top: it loads jsonschema's format checkers (about a second),
    # which every `mentoring-toolkit` command, even --help, would otherwise pay.
    import nbformat

    source = notebooks_dir()
    candidates = sorted(source.glob("*.ipynb")) + sorted((source / "reports").glob("*.ipynb"))
    for path in candidates:
        notebook = nbformat.read(path, as_version=4)
        changed = False
        for cell in notebook.cells:
            if "parameters" not in cell.get("metadata", {}).get("tags", []):
                continue
            for pattern, replacement in _NOTEBOOK_PARAMETERS:
                cell.source, count = pattern.subn(replacement, cell.source)
                changed = changed or bool(count)
        if changed:
            name = path.name if path.parent == source else f"report_{path.name}"
            write_text(nbformat.writes(notebook), folder / name)


def first_working_monday(month: dt.date) -> dt.date:
    """The month's first Monday that is not 1 January: a launch date that is a working day in most countries."""
    day = month.replace(day=1) + dt.timedelta(days=(7 - month.replace(day=1).weekday()) % 7)
    return day + dt.timedelta(days=7) if (day.month, day.day) == (1, 1) else day


def new_client(name: str, out: str | Path = ".", *, today: dt.date | None = None) -> Path:
    """Create ``<out>/<slug>/``: client.yaml, participants.csv, collect/, surveys/ and notebooks/ (see module doc)."""
    name = clean_name(name)
    if len(name) > NAME_LIMIT:
        raise ReportError(f"A client name of {len(name)} characters is too long (at most {NAME_LIMIT}).",
                          fix="give the client's usual name, e.g. \"Acme Ltd\"; it is printed on every report page")
    slug = safe_slug(name)  # at most 60 characters: a folder name every file system takes
    if not slug:
        raise ReportError(f"{name!r} cannot be used as a client name.", fix="use letters or digits, e.g. acme")
    folder = output_folder(out) / slug
    if folder.exists():
        raise ReportError(f"{folder} already exists; nothing was changed.",
                          fix="choose another name, or delete or rename that folder first", path=folder)
    folder.mkdir(parents=True)
    today = today or dt.date.today()
    start = first_working_monday((today.replace(day=1) + dt.timedelta(days=62)).replace(day=1))
    end = (start + dt.timedelta(days=9 * 31)).replace(day=1) - dt.timedelta(days=1)
    write_text(_CLIENT_TEMPLATE.format(
        comment_name=name, name=yaml_text(name), slug=slug, slug_yaml=yaml_text(slug),
        programme=yaml_text(f"{name} mentoring programme"),
        start=start.isoformat(), end=end.isoformat()), folder / "client.yaml")
    headers = [field.name for field in FIELDS if field.name in _PARTICIPANT_COLUMNS]
    write_text(",".join(headers) + "\n", folder / "participants.csv")
    _write_collect_templates(folder / "collect")
    for instrument_id in _instrument_ids():
        write_text(survey_question_list(instrument_id), folder / "surveys" / f"{instrument_id}_questions.txt")
    _write_notebooks(folder / "notebooks")
    return folder
