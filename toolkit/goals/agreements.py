"""Mentoring agreements per pair or circle (Markdown and printable HTML from ``templates/agreements``),
the cohort bundle, the match as run from a client's files, and the ``agreements`` command.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

import jinja2
import pandas as pd

from ..client import ClientConfig, load_client
from ..design.model import ProgramDesign
from ..design.parts import Cadence
from ..errors import ConfigError, ToolkitError, check_option, did_you_mean
from ..files import output_folder, write_csv, write_text
from ..intake.tables import read_table
from ..matching.problem import Certificate
from ..matching.result import MatchResult
from ..programme import programme_state
from ..programme.logs import blank
from ..resources import templates_dir
from ..roster import Roster, roster_id_aliases
from ..rounds import Round, RoundLabel, client_choices, current_round, round_label, write_for_round
from ..rounds.checks import pair_row_problems
from ..safe_yaml import parse_yaml
from .dates import add_months, as_date
from .library import GoalLibrary, Theme, load_goal_library
from .progress import clean_text, column_name, goal_progress, read_checkins
from .smart import LETTER_NAMES, check_smart

__all__ = ["AGREEMENT_FORMATS", "agreement_variant", "agreement_context", "agreement", "agreement_bundle",
           "agreement_file_stem", "match_as_run", "purpose_for", "write_client_agreements"]

AGREEMENT_FORMATS = ("markdown", "html")
_SUFFIX = {"markdown": ".md", "html": ".html"}
_VARIANT_OF_KIND = {"reverse": "reverse", "peer": "peer", "group": "circle"}
_VARIANT_OF_SHAPE = {"peer_pairs": "peer", "circles": "circle", "one_to_one": "one_to_one"}


def agreement_variant(design: ProgramDesign) -> str:
    """Which agreement wording a design gets: ``one_to_one``, ``reverse``, ``peer`` or ``circle``."""
    if design.kind in _VARIANT_OF_KIND:
        return _VARIANT_OF_KIND[design.kind]
    return _VARIANT_OF_SHAPE.get(design.shape, "one_to_one")


def _agreements_dir() -> Path:
    return templates_dir() / "agreements"


def _environment():
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_agreements_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=False,
    )
    environment.filters["md"] = _markdown_escape
    return environment


def _markdown_escape(value: object) -> str:
    """Plain text safe inside Markdown: no raw HTML, no accidental emphasis, links or tables."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\")
    for character in "`*_[]<>|#":
        text = text.replace(character, "\\" + character)
    return " ".join(text.split())


# Phrases a design's purpose may use to say the partners work in different parts of the organisation.
_ELSEWHERE = re.compile(r"\s+(?:from another part of|elsewhere in) the organi[sz]ation\b", re.IGNORECASE)


def purpose_for(purpose: str, departments: Sequence[str | None] | None = None, *, across: bool | None = None) -> str:
    """The design's purpose, true of the people it is written for.

    A clause saying the partners come from another part of the organisation is kept only when it is
    true: ``departments`` (the pair's two) are both known and differ, or ``across`` is True (for a
    whole match: the same-department rule was applied). Otherwise the clause is left out.
    """
    text = " ".join(str(purpose or "").split())
    if across is None:
        known = [" ".join(str(d).split()).casefold() for d in departments or () if isinstance(d, str) and d.strip()]
        across = len(departments or ()) == 2 and len(known) == 2 and known[0] != known[1]
    return text if across else _ELSEWHERE.sub("", text)


def _roles_wording() -> dict:
    return parse_yaml(_agreements_dir() / "roles.yaml", what="agreement roles file")


def _person(roster: Roster | None, participant_id: str, role_label: str) -> dict:
    record = {"id": participant_id, "role": role_label, "name": participant_id, "job_title": None, "department": None}
    if roster is not None and participant_id in roster:
        row = roster.get(participant_id)
        record.update(name=roster.display_name(participant_id), job_title=clean_text(row.get("job_title")),
                      department=clean_text(row.get("department")))
    return record


def _unit_members(result: MatchResult, pair_or_circle, variant: str) -> tuple[str, list[tuple[str, str]], dict]:
    """(unit id, [(participant_id, role label)], pair row as dict) for a pair or a circle."""
    if variant == "circle":
        circles = result.circles
        circle_id = str(pair_or_circle)
        members = circles[circles["circle_id"].astype(str) == circle_id]
        if members.empty:
            known = sorted(circles["circle_id"].astype(str).unique())
            raise ToolkitError(f"There is no circle {circle_id!r} in this match." + did_you_mean(circle_id, known),
                               fix=f"use one of: {', '.join(known[:20])}")
        members = members.assign(_order=(members["circle_role"] != "facilitator").astype(int)).sort_values(
            ["_order", "participant_id"])
        people = [(str(row.participant_id), "Facilitator" if row.circle_role == "facilitator" else "Member")
                  for row in members.itertuples()]
        row = {"status": clean_text(members["status"].iloc[0]) if "status" in members else None}
        return circle_id, people, row
    pairs = result.pairs
    if isinstance(pair_or_circle, pd.Series):
        row = pair_or_circle.to_dict()
    elif isinstance(pair_or_circle, tuple) and len(pair_or_circle) == 2:
        mentee_id, mentor_id = pair_or_circle
        chosen = pairs[(pairs["mentee_id"] == mentee_id) & (pairs["mentor_id"] == mentor_id)]
        if chosen.empty:
            raise ToolkitError(f"There is no pair of mentee {mentee_id!r} with mentor {mentor_id!r} in this match.",
                               fix="pass a row of result.pairs, a (mentee_id, mentor_id) tuple or a pair id")
        row = chosen.iloc[0].to_dict()
    else:
        key = str(pair_or_circle)
        chosen = pairs[pairs["pair_id"].astype(str) == key] if "pair_id" in pairs else pairs.iloc[0:0]
        if chosen.empty:
            known = sorted(pairs["pair_id"].astype(str)) if "pair_id" in pairs else []
            raise ToolkitError(f"There is no pair {key!r} in this match." + did_you_mean(key, known),
                               fix="pass a row of result.pairs, a (mentee_id, mentor_id) tuple or a pair id")
        row = chosen.iloc[0].to_dict()
    mentee_id, mentor_id = str(row["mentee_id"]), str(row["mentor_id"])
    unit_id = clean_text(row.get("pair_id")) or f"{mentee_id}-{mentor_id}"
    labels = {"one_to_one": ("Mentee", "Mentor"), "reverse": ("Senior colleague (mentee)", "Reverse mentor"),
              "peer": ("Peer", "Peer")}[variant]
    return unit_id, [(mentee_id, labels[0]), (mentor_id, labels[1])], row


def _goals_for(participant_id: str, goals, roster: Roster | None, library: GoalLibrary, kind: str,
               start: dt.date | None, end: dt.date | None) -> list[dict]:
    """A participant's goals: from check-ins / a mapping when given, else suggested from their intake themes."""
    found = _stated_goals(participant_id, goals)
    for item in found:
        check = check_smart(item["text"], theme=item.get("theme"), programme_start=start, programme_end=end,
                            library=library)
        item["smart_missing"] = [LETTER_NAMES[m] for m in check.missing]
        item["smart_hint"] = check.verdicts[check.missing[0]].suggestion if check.missing else ""
        item["questions"] = _mentor_questions(library.themes.get(check.theme) if check.theme else None, kind)
    if found or roster is None or participant_id not in roster:
        return found
    themes = roster.get(participant_id).get("goals") or ()
    return [_goal_to_agree(label, library, kind) for label in (themes if isinstance(themes, (list, tuple))
                                                               else [themes])]


def _stated_goals(participant_id: str, goals) -> list[dict]:
    """The goals a person stated: the latest check-in of each goal, or the texts a mapping gives."""
    if isinstance(goals, pd.DataFrame) and not goals.empty:
        mine = goals[goals["participant_id"] == participant_id]
        if mine.empty:
            return []
        latest = mine.sort_values(["goal_id", "checkin_date"]).groupby("goal_id", sort=True).tail(1)
        return [{"text": row.goal, "theme": clean_text(getattr(row, "theme", None))} for row in latest.itertuples()]
    if isinstance(goals, Mapping) and participant_id in goals:
        return [item if isinstance(item, dict) else {"text": str(item), "theme": None}
                for item in goals[participant_id]]
    return []


def _goal_to_agree(label: object, library: GoalLibrary, kind: str) -> dict:
    """A goal to agree at the first meeting on an intake theme, with a suggested template when one suits."""
    theme = library.find_theme(label)
    suited = [t for t in (theme.templates if theme else ()) if kind in t.kinds]
    suggestion = f" (suggested: {suited[0].title.lower()})" if suited else ""
    return {"text": f"To agree at the first meeting: a goal on {str(label).lower()}{suggestion}.",
            "theme": theme.name if theme else str(label), "smart_missing": [], "smart_hint": "",
            "questions": _mentor_questions(theme, kind)}


def _mentor_questions(theme: Theme | None, kind: str, limit: int = 2) -> list[str]:
    """The first questions of the theme's templates for this kind that need no placeholder filled."""
    if theme is None:
        return []
    questions = [q for t in theme.templates if kind in t.kinds for q in t.mentor_questions if "{" not in q]
    return questions[:limit]


def agreement_context(result: MatchResult, pair_or_circle, design: ProgramDesign | None = None, *, goals=None,
                      library: GoalLibrary | None = None, organisation: str | None = None) -> dict:
    """Everything an agreement shows, as plain data (the templates only lay it out).

    Parameters
    ----------
    result
        A MatchResult (or :func:`match_as_run`): ``pairs``, ``circles``, ``roster``, ``design``, ``shape``.
    pair_or_circle
        A circle id (circles), or a pair: a row of ``result.pairs``, a ``(mentee_id, mentor_id)``
        tuple, or a ``pair_id`` when the pairs carry one.
    design
        The programme design (default: ``result.design``).
    goals
        Check-in records (:func:`read_checkins`) or a mapping participant id -> goal texts; without
        them, each person's intake themes become goals to agree at the first meeting.
    """
    design = design or result.design
    library = library or load_goal_library()
    variant = agreement_variant(design)
    wording = _roles_wording()[variant]
    roster = getattr(result, "roster", None)
    unit_id, people, row = _unit_members(result, pair_or_circle, variant)
    start, end = design.start_date, getattr(design, "planned_end_date", design.end_date)
    first = as_date(row.get("first_meeting")) if not blank(row.get("first_meeting")) else None
    participants = [_person(roster, pid, label) for pid, label in people]
    goal_owners = participants if variant in ("peer", "circle") else participants[:1]
    goal_sections = [{"name": person["name"], "goals": _goals_for(person["id"], goals, roster, library, design.kind,
                                                                   start, end)} for person in goal_owners]
    return {
        "variant": variant, "title": wording["title"], "roles": wording["roles"],
        "confidentiality": wording["confidentiality"].strip(),
        "unit_label": "Circle" if variant == "circle" else "Pair", "unit_id": unit_id,
        "status": clean_text(row.get("status")),
        "programme_name": design.name, "organisation": organisation,
        "programme_dates": (f"{start:%d %B %Y} to {end:%d %B %Y}" if start and end else
                            f"{design.duration_months} months"),
        "participants": participants,
        "purpose": purpose_for(design.agreement.purpose,
                               [person["department"] for person in participants] if variant != "circle" else None),
        "cadence": _cadence_wording(design.cadence), "channel": design.agreement.channel,
        "response_time": _response_time(design.cadence.response_time_hours),
        "first_meeting": f"{first:%d %B %Y}" if first else "to be booked in the first two weeks",
        "goals": goal_sections,
        "goals_range": f"{design.agreement.goals_per_mentee.min} to {design.agreement.goals_per_mentee.max}",
        "review_points": _review_points(design, _review_anchor(row, start, first), end),
        "exit": " ".join(design.agreement.exit.split()),
    }


def _review_anchor(row: dict, start: dt.date | None, first: dt.date | None) -> dt.date | None:
    """The day reviews count from: the first meeting, else the day the pair was matched (a pair re-matched in
    July reviews in the months after July), never from a programme start the pair was not part of."""
    matched = as_date(row.get("matched_on")) if not blank(row.get("matched_on")) else None
    return first or (max(matched, start) if matched and start else matched) or start


def _cadence_wording(cadence: Cadence) -> str:
    """How often the partners meet and for how long: "2 meetings a month of 60 minutes"."""
    per_month = cadence.meetings_per_month
    often = (f"{per_month:g} meeting{'s' if per_month != 1 else ''} a month" if per_month >= 1 else
             f"one meeting every {round(1 / per_month):d} months")
    return often + f" of {cadence.meeting_minutes} minutes"


def _response_time(hours: float) -> str:
    """The response time in working days when it is whole days, else in hours."""
    return f"{hours / 24:g} working day{'s' if hours != 24 else ''}" if hours % 24 == 0 else f"{hours:g} hours"


def _review_points(design: ProgramDesign, anchor: dt.date | None, end: dt.date | None) -> list[dict[str, str]]:
    """Each review point with its date counted from ``anchor`` (never after the programme's end), or its
    month when there is no date to count from."""
    reviews = []
    for months in design.cadence.review_points_months:
        label = "Final review" if months >= design.duration_months else f"Review after {months:g} month" + (
            "s" if months != 1 else "")
        due = add_months(anchor, months) if anchor else None
        if due and end and due > end:
            due = end
        reviews.append({"label": label, "date": f"{due:%d %B %Y}" if due else f"month {months:g}"})
    return reviews


def agreement(result: MatchResult, pair_or_circle, design: ProgramDesign | None = None, format: str = "markdown", *,
              goals=None, organisation: str | None = None) -> str:
    """A mentoring agreement for one pair or circle, as Markdown or printable standalone HTML.

    Parameters
    ----------
    result, pair_or_circle, design, goals
        See :func:`agreement_context`.
    format
        ``"markdown"`` or ``"html"`` (standalone, inline CSS, no external resources; text escaped).

    Returns
    -------
    str
    """
    check_option("format", format, AGREEMENT_FORMATS)
    context = agreement_context(result, pair_or_circle, design, goals=goals, organisation=organisation)
    name = "agreement.html.j2" if format == "html" else "agreement.md.j2"
    return _environment().get_template(name).render(**context)


def _units(result: MatchResult, design: ProgramDesign) -> list:
    if agreement_variant(design) == "circle":
        return sorted(result.circles["circle_id"].astype(str).unique())
    pairs = result.pairs
    if "pair_id" in pairs:
        return [row for _, row in pairs.sort_values("pair_id").iterrows()]
    return [row for _, row in pairs.sort_values(["mentee_id", "mentor_id"]).iterrows()]


# Names a file may not take: the index pages, and names Windows reserves whatever the extension.
_RESERVED_STEMS = {"index", "con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
_STEM_LIMIT = 80


def _safe_stem(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: the same on Windows, macOS, Linux and in a zip."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return stem[:_STEM_LIMIT].rstrip("-")


def agreement_file_stem(context: dict) -> str:
    """A file name (without extension) naming the people: ``ana-lopez-and-ben-wright``.

    Circles are named by their id and facilitator (``circle-c01-with-can-yilmaz``). A person
    known only by an id that is an email address is named by the pair or circle id instead, so
    no address ends up in a file name.
    """
    names = [person["name"] for person in context["participants"]
             if person["name"] and "@" not in str(person["name"]) and person["name"] != person["id"]]
    unit = re.sub(r"[^A-Za-z0-9._-]+", "_", str(context["unit_id"])).strip("._-")[:_STEM_LIMIT] or "unit"
    if context["variant"] == "circle":
        return _safe_stem(f"circle {context['unit_id']}" + (f" with {names[0]}" if names else "")) or unit
    if len(names) == len(context["participants"]):
        return _safe_stem(" and ".join(names)) or unit
    return unit


def _unique(stem: str, used: set[str]) -> str:
    candidate, number = stem, 2
    while candidate in used or candidate in _RESERVED_STEMS:
        candidate, number = f"{stem}-{number}", number + 1
    used.add(candidate)
    return candidate


def agreement_bundle(result: MatchResult, design: ProgramDesign | None = None, out_dir: str | Path = "agreements", *,
                     formats: Sequence[str] = ("html", "markdown"), goals=None,
                     organisation: str | None = None, label: RoundLabel | None = None) -> list[Path]:
    """Write one agreement per pair or circle (in each format) plus ``index.html`` / ``index.md``.

    ``label`` (:func:`toolkit.rounds.round_label`) names the round in the index, with what may be
    said of its pairs (certified optimal, or edited by hand and not certified).

    Returns
    -------
    list of pathlib.Path
        Every file written, agreements first (sorted by pair or circle id), then the indexes.
    """
    design = design or result.design
    for format in formats:
        check_option("format", format, AGREEMENT_FORMATS)
    out = Path(out_dir)
    output_folder(out)
    environment = _environment()
    written: list[Path] = []
    entries = []
    context = None
    used_stems: set[str] = set()
    for unit in _units(result, design):
        context = agreement_context(result, unit, design, goals=goals, organisation=organisation)
        stem = _unique(agreement_file_stem(context), used_stems)  # namesakes and re-matched pairs get -2, -3
        files = []
        for format in formats:
            name = "agreement.html.j2" if format == "html" else "agreement.md.j2"
            path = out / f"{stem}{_SUFFIX[format]}"
            written.append(write_text(environment.get_template(name).render(**context), path))
            files.append(path.name)
        entries.append({"unit_id": context["unit_id"], "status": context["status"], "files": files,
                        "names": ", ".join(p["name"] for p in context["participants"])})
    variant_wording = _roles_wording()[agreement_variant(design)]
    index_context = {"title": variant_wording["title"], "programme_name": design.name, "organisation": organisation,
                     "unit_label": "Circle" if agreement_variant(design) == "circle" else "Pair", "entries": entries,
                     "round": label.title if label else None,
                     "certificate": label.certificate if label else None}
    for format in formats:
        name = "index.html.j2" if format == "html" else "index.md.j2"
        written.append(write_text(environment.get_template(name).render(**index_context),
                                  out / f"index{_SUFFIX[format]}"))
    return written


def match_as_run(config: ClientConfig, adopted: Round | None | Literal[True] = True) -> MatchResult:
    """The client's adopted match as a MatchResult: the current round, else its ``pairs.csv`` / ``circles.csv``.

    The adopted round (:func:`toolkit.rounds.current_round`, written by ``match``) comes first.
    A client without any round uses the pairs or circles file its client.yaml names (a programme
    matched before the toolkit kept rounds). Pairs keep their ``pair_id``, ``status`` and
    ``first_meeting``; every row is used (people missing from the roster appear by id and are
    listed in ``unmatched`` with the reason). Nothing is solved here, so there are no explanations;
    from a file, ``status`` is ``as_run`` and no optimality is claimed. ``adopted`` is the round to use when
    the caller has read it already (``None``: the client has no round); by default the current round is read.
    """
    design = config.design()
    roster = config.roster(lenient=True)
    if adopted is True:
        adopted = current_round(config)
    if adopted is not None:
        return on_the_timeline(adopted.as_match_result(roster, design), config)
    circles = design.shape == "circles"
    source = config.get("circles") if circles else config.get("pairs")
    if source is None:
        key = "circles" if circles else "pairs"
        raise ConfigError(f"{config.name} has no match yet: no round in {config.folder / 'matches'} and no {key} "
                          f"file named in {config.path.name}.",
                          fix=f"run: mentoring-toolkit match --client {config.path} (or, for a match made elsewhere, add "
                              f"'{key}: {key}.csv' to client.yaml)", path=config.path)
    frame = _match_file(source, circles)
    aliases = roster_id_aliases(roster)
    ids = ["participant_id"] if circles else ["mentee_id", "mentor_id"]
    for column in ids:
        frame[column] = [aliases.get(str(value).strip().lower(), value) for value in frame[column]]
    unknown = sorted({str(v) for c in ids for v in frame[c] if str(v) not in roster})
    unmatched = pd.DataFrame({"participant_id": unknown, "role": None,
                              "reason": f"in {Path(source).name} but not in the participant files",
                              "suggestion": "check the id, or add the person to the sign-up export"})
    units = f"{frame['circle_id'].nunique()} circles" if circles else f"{len(frame)} pairs"
    note = (f"the match as run, read from {Path(source).name} ({units}); it was not solved here, "
            "so no score or optimality is claimed")
    certificate = Certificate(certified=False, method="as-run", candidate_pairs=0, pairs_in_model=0, rounds=0,
                              max_reduced_cost=float("nan"), solver="none (match as run)", notes=[note])
    return on_the_timeline(MatchResult(
        roster=roster, design=design, shape=design.shape,
        pairs=pd.DataFrame(columns=["mentee_id", "mentor_id", "score"]) if circles else frame,
        circles=frame if circles else pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"]),
        unmatched=unmatched, status="as_run", objective=float("nan"), certificate=certificate), config)


def _match_file(source: Path, circles: bool) -> pd.DataFrame:
    """A pairs or circles file a client.yaml names, as a frame (blank cells None, ``source_row`` added);
    refused when a column is missing or (pairs) a row cannot be a pair."""
    table = read_table(source)
    columns = [column_name(h) for h in table.headers]
    frame = pd.DataFrame(table.rows, columns=columns, dtype=object).replace({"": None})
    frame["source_row"] = table.row_numbers
    needed = ("circle_id", "participant_id", "circle_role") if circles else ("mentee_id", "mentor_id")
    absent = [c for c in needed if c not in frame]
    if absent:
        raise ConfigError(f"{Path(source).name} has no column {', '.join(absent)}.",
                          fix=f"the file needs the columns {', '.join(needed)}", path=source)
    if not circles:  # a pairs file kept by hand: never an agreement for someone paired with themselves
        problems = pair_row_problems(frame, Path(source), table.row_numbers, table.headers, round_file=False)
        if problems:
            raise ConfigError(f"{Path(source).name} cannot be used as it is ({len(problems)} problem"
                              f"{'s' if len(problems) != 1 else ''}):", problems=problems, path=source,
                              fix=f"Fix: correct the rows named in {source}, or run match to adopt a round.")
    return frame


def on_the_timeline(result: MatchResult, config: ClientConfig, *, as_of=None) -> MatchResult:
    """The match as the programme stands (:func:`toolkit.programme.programme_state`, default today): pairs or
    circles that ended early or were superseded are left out (their people get no agreement or introduction for
    them), members who left are out of their circle, and each pair carries its ``matched_on`` and
    ``first_meeting`` and its state as ``status``."""
    state = programme_state(config, as_of)
    gone = set(state.pairs.loc[state.pairs["state"].isin(("ended", "superseded")), "unit_id"].astype(str))
    known = state.pairs.set_index(state.pairs["unit_id"].astype(str))
    if result.shape == "circles":
        circles = result.circles[~result.circles["circle_id"].astype(str).isin(gone)
                                 & ~result.circles["participant_id"].astype(str).isin(state.leavers())]
        return replace(result, circles=circles.reset_index(drop=True))
    pairs = result.pairs.copy()
    if "pair_id" not in pairs:
        return result
    ids = pairs["pair_id"].astype(str)
    pairs = pairs[~ids.isin(gone)].copy()
    ids = pairs["pair_id"].astype(str)
    for column, source in (("matched_on", "matched_on"), ("first_meeting", "first_meeting"), ("status", "state")):
        timeline = ids.map(known[source]) if len(known) else pd.Series([None] * len(pairs), index=pairs.index)
        given = pairs[column] if column in pairs else pd.Series([None] * len(pairs), index=pairs.index)
        pairs[column] = [value if value is not None and value == value else fallback
                         for value, fallback in zip(timeline.astype(object), given)]
    return replace(result, pairs=pairs.reset_index(drop=True))


def write_client_agreements(client_path: str | Path, out_dir: str | Path, *,
                            formats: Sequence[str] = ("html", "markdown"), use_matching: bool = False) -> list[Path]:
    """Agreements for every pair or circle of a client, plus goal-progress tables when check-ins exist.

    The folder holds one round's agreements (:func:`toolkit.rounds.write_for_round`): ``round.json`` and the
    index name the round and what may be said of its pairs; the agreements of a round the current one
    replaced are moved to ``<out_dir>/round-NN/``.

    Parameters
    ----------
    client_path
        The client's ``client.yaml``.
    out_dir
        Where the agreements and their ``index.html`` go (goal progress goes to ``goal_progress/`` inside).
    use_matching
        Run the client's match now (:func:`toolkit.rounds.client_match`) instead of using the adopted match
        (see :func:`match_as_run`); nothing is adopted.
    """
    config = load_client(client_path)
    if use_matching:
        design = config.design()
        from ..matching.engine import match  # the solvers load only when the pairs are matched here

        result = match(config.roster(lenient=True), design, choices=client_choices(config, design))
        label = round_label(result=result, proposed=True)
    else:
        adopted = current_round(config)
        result = match_as_run(config, adopted)
        design = result.design
        label = round_label(adopted, result)
    return write_for_round(out_dir, label, lambda folder: _write_agreements(config, result, design, folder, formats,
                                                                             label),
                           kind="agreements")


def _write_agreements(config: ClientConfig, result: MatchResult, design: ProgramDesign, out: Path,
                      formats: Sequence[str], label: RoundLabel) -> list[Path]:
    checkins = None
    written: list[Path] = []
    progress_path = config.get("goal_checkins")
    if progress_path is not None:
        checkins, problems = read_checkins(progress_path)
        aliases = roster_id_aliases(result.roster)
        # Files keyed by email (Google Forms clients) are moved onto roster ids, so no email reaches the output.
        for column in ("participant_id", "partner_id"):
            checkins[column] = [aliases.get(str(value).strip().lower(), value) for value in checkins[column]]
        progress = goal_progress(checkins, programme_start=design.start_date,
                                 programme_end=getattr(design, "planned_end_date", design.end_date))
        progress.problems = problems
        folder = out / "goal_progress"
        written.append(write_csv(progress.goals, folder / "goals.csv"))
        written.append(write_csv(progress.pairs, folder / "pairs.csv"))
        written.append(write_csv(progress.stalled, folder / "stalled_goals.csv"))
        if problems:
            written.append(write_csv(pd.DataFrame([p.as_dict() for p in problems]), folder / "rows_set_aside.csv"))
        print(f"   goal progress: {progress.summary()}", flush=True)
    written += agreement_bundle(result, design, out, formats=formats, goals=checkins,
                                organisation=config.name, label=label)
    ids = (result.circles["participant_id"] if design.shape == "circles"
           else pd.concat([result.pairs["mentee_id"], result.pairs["mentor_id"]]))
    strangers = sorted({str(person) for person in ids if str(person) not in result.roster})
    if strangers:
        print(f"   {len(strangers)} people in the match are not in the participant files (their agreements name "
              "them by id): " + ", ".join(strangers[:10]) + (" ..." if len(strangers) > 10 else ""), flush=True)
    return written
