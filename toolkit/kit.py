"""The programme kit: training plans, a dated communications timeline, introductions, a leadership brief.

Everything is generated from the programme design (kind, dates, cadence) and the
client's files, from templates in ``templates/training``, ``templates/messages`` and
``templates/brief``. Templates are rendered with Jinja2's ``StrictUndefined``: a missing
value is an error, never a blank in a message sent to a whole organisation::

    import toolkit as tk
    client = tk.load_client("sample_data/riverbank")
    plan = tk.kit.training_plan(client.design())
    timeline = tk.kit.communications_timeline(client)
    tk.kit.write_kit(client, "out/riverbank/kit")

The programme window runs from launch (the design's ``start_date``: sign-up opens) to its
``end_date`` (celebration); every message is dated inside it, on a weekday.

The brief states as fact only what the match applied (:func:`match_basis`): weighted criteria and
switched-on hard rules that had data on both sides; the rest is named as lacking data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import pandas as pd

from .client import ClientConfig, load_client
from .design.vocabulary import CRITERION_LABELS, HARD_RULES
from .disclosure import client_readiness, client_release
from .errors import DesignError, ToolkitError
from .files import clean_text, write_csv, write_excel, write_text
from .goals.agreements import match_as_run, purpose_for
from .matching.scoring import applied
from .programme import build_timeline
from .programme.dates import first_meeting_due, introduced_on
from .resources import is_sample_client, templates_dir
from .rounds import current_round, round_label, write_for_round
from .safe_yaml import parse_yaml
from .text import join_words

if TYPE_CHECKING:
    from .design.model import ProgramDesign
    from .design.vocabulary import HardRule
    from .ledger import Release
    from .matching.readiness import Readiness
    from .matching.result import MatchResult
    from .roster import Roster

    # What the kit is made from: a client (its client.yaml path or the loaded client), or a bare design.
    KitSource: TypeAlias = str | Path | ClientConfig | ProgramDesign

__all__ = ["TrainingPlan", "training_plan", "communications_timeline", "introduction_messages", "to_icalendar",
           "leadership_brief", "match_basis", "rule_statement", "write_kit", "programme_window", "new_calendar",
           "one_line"]

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{%|%\}")


def _environment(autoescape: bool = False):
    import jinja2

    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=autoescape, keep_trailing_newline=True,
                              loader=jinja2.FileSystemLoader(str(templates_dir())))


# Braces in a value (a client or participant called "{{ x }}") are shielded while the template is checked
# for unfilled placeholders, so only the template's own leftovers count; they come back as typed.
_SHIELD = str.maketrans({"{": "\ue000", "}": "\ue001"})
_UNSHIELD = str.maketrans({"\ue000": "{", "\ue001": "}"})


def _shield(value: Any) -> Any:
    """Text values (also inside lists and dicts) with control characters removed and braces shielded."""
    if isinstance(value, str):
        return clean_text(value).translate(_SHIELD)
    if isinstance(value, dict):
        return {key: _shield(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shield(item) for item in value]
    return value


def _render(source: str, context: dict, *, autoescape: bool = False) -> str:
    text = _environment(autoescape).from_string(source).render(**_shield(context))
    if _PLACEHOLDER.search(text):
        raise ToolkitError(f"A message template left a placeholder unfilled: {text[:80]!r}",
                           fix="check the template's {{ ... }} names against the values the kit provides")
    return text.translate(_UNSHIELD)


# ------------------------------------------------------------------------------------------------
# Training
# ------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _training_templates() -> tuple[dict, dict]:
    modules = parse_yaml(templates_dir() / "training" / "modules.yaml", what="training modules file")["modules"]
    plans = parse_yaml(templates_dir() / "training" / "plans.yaml", what="training plans file")
    for name, module in modules.items():
        module["minutes"] = sum(int(activity["minutes"]) for activity in module["activities"])
        module["id"] = name
    for session in plans.values():
        for kind, names in session.items():
            unknown = [name for name in names if name not in modules]
            if unknown:
                raise DesignError(f"templates/training/plans.yaml: the {kind} plan names unknown modules {unknown}.",
                                  fix=f"use module ids from modules.yaml: {', '.join(modules)}")
    return modules, plans


@dataclass
class TrainingPlan:
    """A timed session plan (mentor training and mentee orientation) for one programme kind."""

    kind: str
    programme: str
    sessions: dict[str, list[dict]]   # "mentor_training" / "mentee_orientation" -> timed modules

    def minutes(self, session: str) -> int:
        return sum(module["minutes"] for module in self.sessions[session])

    def topics(self) -> set[str]:
        return {module["id"] for modules in self.sessions.values() for module in modules}

    def schedule(self, session: str, start: str = "09:30") -> pd.DataFrame:
        """Module, start and end clock times, minutes: the running order of one session."""
        clock = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(start))
        rows = []
        for module in self.sessions[session]:
            end = clock + dt.timedelta(minutes=module["minutes"])
            rows.append({"start": f"{clock:%H:%M}", "end": f"{end:%H:%M}", "module": module["title"],
                         "minutes": module["minutes"]})
            clock = end
        return pd.DataFrame(rows)

    def markdown(self) -> str:
        """The plan as Markdown a facilitator can print."""
        lines = [f"# Training plan: {self.programme}", "", f"Programme kind: {self.kind}.", ""]
        for session, title in (("mentor_training", "Mentor training"), ("mentee_orientation", "Mentee orientation")):
            lines += [f"## {title} ({self.minutes(session)} minutes)", ""]
            schedule = self.schedule(session)
            for module, row in zip(self.sessions[session], schedule.itertuples()):
                lines += [f"### {row.start}-{row.end} {module['title']} ({module['minutes']} min)", "",
                          "Objectives:", *[f"- {item}" for item in module["objectives"]], "", "Activities:",
                          *[f"- {activity['name']} ({activity['minutes']} min, {activity['method']})"
                            for activity in module["activities"]], "",
                          "Handouts: " + "; ".join(module["handouts"]), ""]
        return "\n".join(lines)

    def html(self) -> str:
        """The plan as a standalone printable HTML page (no external resources)."""
        body = []
        for line in self.markdown().splitlines():
            if line.startswith("### "):
                body.append(f"<h3>{html.escape(line[4:])}</h3>")
            elif line.startswith("## "):
                body.append(f"<h2>{html.escape(line[3:])}</h2>")
            elif line.startswith("# "):
                body.append(f"<h1>{html.escape(line[2:])}</h1>")
            elif line.startswith("- "):
                body.append(f"<li>{html.escape(line[2:])}</li>")
            elif line:
                body.append(f"<p>{html.escape(line)}</p>")
        return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                f"{html.escape(self.programme)}: training plan</title><style>body{{font-family:'DejaVu Sans',Arial,"
                "sans-serif;max-width:48rem;margin:2rem auto;color:#1f2933;line-height:1.45}h2{border-bottom:2px solid"
                " #1c7ed6}h3{margin-bottom:.2rem}li{margin-left:1.2rem}</style></head><body>"
                + "\n".join(body) + "</body></html>")


def training_plan(design: ProgramDesign) -> TrainingPlan:
    """The mentor training and mentee orientation for the design's programme kind, with timings."""
    modules, plans = _training_templates()
    kind = design.kind if design.kind in plans["mentor_training"] else "formal"
    sessions = {session: [modules[name] for name in plans[session][kind]] for session in plans}
    return TrainingPlan(kind, design.name, sessions)


# ------------------------------------------------------------------------------------------------
# Communications timeline
# ------------------------------------------------------------------------------------------------
def programme_window(design: ProgramDesign) -> tuple[dt.date, dt.date]:
    """Launch (start_date) to close (end_date, or start plus the design's duration)."""
    start, end = design.start_date, design.planned_end_date  # the end is known whenever the start is
    if start is None or end is None:
        raise DesignError(f"The design {design.name!r} has no start date, so messages cannot be dated.",
                          fix="set programme.start_date in client.yaml (or override start_date on the design)")
    return start, end


def _weekday(day: dt.date, first: dt.date, last: dt.date) -> dt.date:
    forward = day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    if forward <= last:
        return max(forward, first)
    backward = day - dt.timedelta(days=max(0, day.weekday() - 4))
    return max(backward, first)


def _long(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _context(config: ClientConfig | None, design: ProgramDesign, roster: Roster | None, readiness: Readiness | None,
             introduction_count: int) -> dict[str, Any]:
    start, end = programme_window(design)
    unit = {"circles": "circle", "peer_pairs": "pair"}.get(design.shape, "pair")
    contacts = (config.get("contacts") if config is not None else None) or {}
    scarce = "mentors"
    if readiness is not None:
        skills = readiness.segments["skill"]
        short = skills[(skills["mentees"] >= 3) & (skills["coverage"] < 1)].sort_values("coverage")
        if len(short):
            scarce = "mentors who can offer " + ", ".join(short["skill"].head(3))
    modules_plan = training_plan(design)
    cadence = design.cadence
    per_month = cadence.meetings_per_month
    cadence_text = (f"{'once' if per_month == 1 else 'twice' if per_month == 2 else f'{per_month:g} times'} a month "
                    f"for about {cadence.meeting_minutes} minutes")
    roles = {"one_to_one": "mentor or mentee", "peer_pairs": "peer mentor", "circles": "circle member or facilitator"}
    partner_word = {"one_to_one": "mentoring partner", "peer_pairs": "peer mentor", "circles": "circle"}[design.shape]
    return {
        "programme": design.name, "summary": design.summary.strip(), "cadence": cadence_text,
        "start": _long(start), "end": _long(end), "signup_close": _long(_weekday(start + dt.timedelta(days=14), start,
                                                                                   end)),
        "introductions": _long(_weekday(introduced_on(start, start), start, end)),
        "roles": roles[design.shape], "coordinator": contacts.get("programme_coordinator") or contacts.get(
            "consultant") or "the programme team", "sponsor": contacts.get("sponsor") or "the programme sponsor",
        "scarce": scarce, "mentor_minutes": modules_plan.minutes("mentor_training"),
        "mentee_minutes": modules_plan.minutes("mentee_orientation"), "unit": unit, "partner_word": partner_word,
        "introduction_count": introduction_count,
        "min_group": (config.privacy["min_group"] if config is not None else 5),
        "first_meeting_by": _long(first_meeting_due(start, start, end)),
    }


def _sources(client: KitSource, release: Release | None = None
             ) -> tuple[ClientConfig | None, ProgramDesign, Roster | None, Readiness | None]:
    """(config or None, design, roster, readiness) from a client.yaml path/config or a design.

    The readiness segments are decided in ``release`` (default: a release of the client's ledger that is
    never written), so the brief hides every group the client's reports hide.
    """

    if isinstance(client, (str, Path)):
        client = load_client(client)
    if isinstance(client, ClientConfig):
        design, roster = client.design(), client.roster()
        readiness = client_readiness(client, roster, design, release or client_release(client, "kit"))
        return client, design, roster, readiness
    return None, client, None, None


def _has_match(config: ClientConfig) -> bool:
    """Whether the client has a match to introduce: an adopted round, or a pairs/circles file."""
    return current_round(config) is not None or bool(config.get("pairs") or config.get("circles"))


def communications_timeline(client: KitSource, *, pairs: MatchResult | None = None) -> pd.DataFrame:
    """The dated plan of messages, each with audience, channel, subject and the filled-in text.

    Parameters
    ----------
    client
        A client.yaml path, a loaded client, or a bare design (then generic wording is used).
    pairs
        A MatchResult (or the match as run) for the introduction count; by default the
        client's own pairs/circles file when it has one.
    """
    config, design, roster, readiness = _sources(client)
    start, end = programme_window(design)
    introductions = introduction_messages(config, pairs) if config is not None and (
        pairs is not None or _has_match(config)) else pd.DataFrame()
    context = _context(config, design, roster, readiness, len(introductions))
    spec = parse_yaml(templates_dir() / "messages" / "messages.yaml", what="messages file")["messages"]
    midpoint = start + (end - start) / 2
    rows = []
    for message in spec:
        if "day" in message:
            day = start + dt.timedelta(days=int(message["day"]))
        elif "from_end" in message:
            day = end - dt.timedelta(days=int(message["from_end"]))
        elif message["at"] == "midpoint":
            day = midpoint
        else:
            day = midpoint - dt.timedelta(days=int(message["at"].rsplit("_", 1)[1]))
        day = _weekday(min(max(day, start), end), start, end)
        rows.append({"date": day, "id": message["id"], "message": message["title"], "audience": message["audience"],
                     "channel": message["channel"], "subject": _render(message["subject"], context).strip(),
                     "text": _render(message["body"], context).strip()})
    return pd.DataFrame(rows).sort_values(["date", "id"], kind="stable", ignore_index=True)


def _shared(first, second) -> list[str]:
    wanted = {str(item).casefold(): str(item) for item in first or ()}
    return [wanted[str(item).casefold()] for item in second or () if str(item).casefold() in wanted]


def _in_common(roster: Roster, mentee: str, mentor: str) -> str:
    """Why two people were matched, in words for them: what the mentor can help with and the goals they share."""
    first, second = roster.get(mentee), roster.get(mentor)
    reasons = []
    skills = _shared(first["skills_sought"], second["skills_offered"])
    if skills:
        reasons.append(f"{roster.display_name(mentor)} can help with {join_words(skills)}, which "
                       f"{roster.display_name(mentee)} wants to develop")
    goals = _shared(first["goals"], second["goals"])
    if goals:
        reasons.append(f"you both named {join_words(goals)} as {'a goal' if len(goals) == 1 else 'goals'}")
    return "; ".join(reasons)


def _matched_dates(config: ClientConfig | None, matched_on: dt.date | str | dict | None) -> dict | dt.date | None:
    """When each pair or circle was matched: as given (a date, or id -> date), else from the programme's timeline."""
    if matched_on is not None:
        return matched_on if isinstance(matched_on, dict) else pd.Timestamp(matched_on).date()
    if config is None:
        return None
    units = build_timeline(config).units
    return {str(unit): day for unit, day in zip(units["unit_id"], units["matched_on"]) if day is not None}


def _first_meeting_by(unit: str, dates, start: dt.date, end: dt.date) -> str:
    """The first meeting's due day for one pair or circle: two weeks after its introduction (never before it existed)."""
    matched = dates.get(unit) if isinstance(dates, dict) else dates
    return _long(first_meeting_due(matched or start, start, end))


def introduction_messages(client: KitSource, pairs: MatchResult | None = None, *,
                          matched_on: dt.date | str | dict | None = None) -> pd.DataFrame:
    """One introduction per pair or circle, ready for a mail merge.

    ``pairs`` is a MatchResult-shaped object (``.pairs``/``.circles``, ``.roster``); by default
    the client's adopted match (:func:`toolkit.goals.match_as_run`: the current round, else its
    pairs.csv / circles.csv). Each message asks for the first meeting two weeks after the pair's
    introduction (:func:`toolkit.programme.dates.first_meeting_due`), dated from the day it was
    matched: ``matched_on`` (a date, or pair or circle id -> date), else the programme's timeline
    (the round's adoption), never the programme's start for a pair matched later.

    Returns
    -------
    pandas.DataFrame
        Pairs: ``pair_id``, the name and email of each side (``mentee_name``, ``mentee_email``,
        ``mentor_name``, ``mentor_email``; ``person_``/``partner_`` for peer pairs), ``to``
        (both addresses, ``; ``-separated), ``subject`` and ``body``. Circles: ``circle_id``,
        ``names``, ``to``, ``subject``, ``body``. The body names people, never addresses.
    """

    config, design, roster, readiness = _sources(client)
    result = pairs if pairs is not None else match_as_run(config)
    roster = result.roster
    context = _context(config, design, roster, readiness, 0)
    start, end = programme_window(design)
    dates = _matched_dates(config, matched_on)
    template = (templates_dir() / "messages" / "introductions.j2").read_text(encoding="utf-8")
    people = roster.participants.set_index("participant_id")

    def name(person: str) -> str:
        return roster.display_name(person) if person in roster else str(person)

    def field(person: str, column: str) -> str:
        if person not in people.index or column not in people.columns:
            return ""
        value = people.at[person, column]
        return value if isinstance(value, str) else ""

    def email(person: str) -> str:
        return field(person, "email") or (str(person) if "@" in str(person) else "")

    rows = []
    if design.shape == "circles":
        circles = result.circles
        for circle_id, group in circles.groupby("circle_id", sort=True):
            facilitator = group.loc[group["circle_role"] == "facilitator", "participant_id"]
            members = group.loc[group["circle_role"] != "facilitator", "participant_id"]
            text = _render(template, {**context, "circle_id": circle_id,
                                      "first_meeting_by": _first_meeting_by(str(circle_id), dates, start, end),
                                      "facilitator": name(facilitator.iloc[0]) if len(facilitator) else "your facilitator",
                                      "members": ", ".join(name(person) for person in members)})
            recipients = list(facilitator) + list(members)
            rows.append({"circle_id": circle_id, "names": "; ".join(name(person) for person in recipients),
                         "to": "; ".join(address for address in map(email, recipients) if address),
                         "subject": f"{design.name}: welcome to your circle", "body": text.strip()})
        return pd.DataFrame(rows, columns=["circle_id", "names", "to", "subject", "body"])
    first_word, second_word = ("mentee", "mentor") if design.shape == "one_to_one" else ("person", "partner")
    frame = result.pairs
    for pair in frame.itertuples(index=False):
        mentee, mentor = str(pair.mentee_id), str(pair.mentor_id)
        common = _in_common(roster, mentee, mentor) if mentee in roster and mentor in roster else ""
        roles = ("mentee", "mentor") if design.shape == "one_to_one" else ("peer", "peer")
        if design.kind == "reverse":
            roles = ("senior colleague", "reverse mentor")
        unit = str(getattr(pair, "pair_id", None) or f"{mentee}-{mentor}")
        text = _render(template, {**context, "first": name(mentee), "second": name(mentor),
                                  "first_meeting_by": _first_meeting_by(unit, dates, start, end),
                                  "first_role": roles[0], "second_role": roles[1],
                                  "first_title": field(mentee, "job_title"), "second_title": field(mentor, "job_title"),
                                  "first_department": field(mentee, "department"),
                                  "second_department": field(mentor, "department"), "common": common})
        rows.append({"pair_id": unit, f"{first_word}_name": name(mentee), f"{first_word}_email": email(mentee),
                     f"{second_word}_name": name(mentor), f"{second_word}_email": email(mentor),
                     "to": "; ".join(address for address in (email(mentee), email(mentor)) if address),
                     "subject": f"{design.name}: meet your {context['partner_word']}", "body": text.strip()})
    return pd.DataFrame(rows, columns=["pair_id", f"{first_word}_name", f"{first_word}_email", f"{second_word}_name",
                                       f"{second_word}_email", "to", "subject", "body"])


# ------------------------------------------------------------------------------------------------
# iCalendar
# ------------------------------------------------------------------------------------------------
def _uid(calendar_name: str, row) -> str:
    """A stable UID: the same calendar name, message id and date always give the same UID."""
    return hashlib.sha256(f"{calendar_name}|{row.id}|{row.date}".encode()).hexdigest()[:24] + "@mentoring-toolkit"


def one_line(text: str) -> str:
    """A calendar name or event title: control characters out, line breaks as spaces (icalendar escapes the rest)."""
    return " ".join(clean_text(text).split())


def new_calendar(name: str, dates, *, product: str):
    """An empty iCalendar named ``name`` and its reproducible DTSTAMP: (calendar, stamp).

    DTSTAMP is midnight UTC on the earliest of ``dates`` (2000-01-01 when there are none), never the clock.
    """
    from icalendar import Calendar, vText

    first = min(dates) if len(dates) else dt.date(2000, 1, 1)
    stamp = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//mentoring-toolkit//{product}//EN")
    calendar.add("calscale", "GREGORIAN")
    # icalendar would write an X- property verbatim; as TEXT (RFC 5545 3.8.8.2) it is escaped.
    calendar.add("x-wr-calname", vText(one_line(name)))
    return calendar, stamp


def to_icalendar(timeline: pd.DataFrame, *, calendar_name: str = "Mentoring programme") -> str:
    """The timeline as an iCalendar file (one all-day event per message) to import into Outlook or Google.

    Built with the ``icalendar`` package (escaping and RFC 5545 line folding are its job).
    The output is reproducible: UIDs are hashes of the calendar name, message id and date,
    and DTSTAMP is midnight UTC on the earliest message date (2000-01-01 for an empty
    timeline), never the clock.
    """
    from icalendar import Event

    calendar, stamp = new_calendar(calendar_name, list(timeline["date"]), product="programme kit")
    for row in timeline.itertuples(index=False):
        event = Event()
        event.add("uid", _uid(calendar_name, row))
        event.add("dtstamp", stamp)
        event.add("dtstart", row.date)
        event.add("dtend", row.date + dt.timedelta(days=1))
        event.add("summary", one_line(f"{row.message}: {row.subject}"))
        event.add("description", clean_text(f"Audience: {row.audience}. Channel: {row.channel}.\n{row.text}"))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


# ------------------------------------------------------------------------------------------------
# Leadership brief
# ------------------------------------------------------------------------------------------------
# Rule names as the brief says them ("the same-team rule"); rules missing here read as their name.
_RULE_WORDS = {"own_manager": "own-manager", "reporting_line": "reporting-line", "same_team": "same-team",
               "same_department": "same-department", "no_shared_language": "shared-language",
               "timezone": "time-zone"}
# Rules with nothing to act on when nobody gave their data (no do-not-match lists, no earlier round):
# never claimed, and not reported as a gap either.
_VACUOUS_WITHOUT_DATA = ("exclusions", "previous_partners")
_SENIORITY_WORDS = {"mentor_senior": "every mentor is {min_gap:g} to {max_gap:g} levels above their mentee",
                    "mentee_senior": "every mentee is {min_gap:g} to {max_gap:g} levels above their mentor",
                    "similar": "partners are at most {max_gap:g} levels apart"}


def rule_statement(rule: HardRule, design: ProgramDesign) -> str:
    """The clause stating a hard rule as applied to a match ("pairs come from different teams")."""
    seniority = design.seniority
    hours = {"timezone": design.rules.max_timezone_difference_hours,
             "availability": design.rules.min_availability_overlap_hours}.get(rule.name)
    words = _SENIORITY_WORDS.get(seniority.direction, "").format(min_gap=seniority.min_gap, max_gap=seniority.max_gap)
    return rule.states.format(seniority=words, hours=hours or 0)


def match_basis(design: ProgramDesign, roster: Roster | None = None) -> list[str]:
    """The brief's sentences on what matching weighs and which hard rules it applies.

    With a roster, only what was applied is stated as fact: the criteria with a weight and data on
    both sides, the rules switched on with data (:func:`toolkit.matching.scoring.applied`); weighted
    criteria and rules left without data are named as such. Without one, the design's intent.
    """
    def label(name: str) -> str:
        return CRITERION_LABELS.get(name, name.replace("_", " "))

    rules_on = [rule for rule in HARD_RULES if rule.name != "self" and rule.is_on(design) and rule.states]
    if roster is None:
        weighed = [label(name).lower() for name in design.criteria.active()]
        return [("The design weighs " + join_words(weighed) if weighed else "The design weighs no criteria")
                + "; what each can do depends on the data people give at sign-up.",
                ("Hard rules switched on (each checked where the sign-up data allows): "
                 + "; ".join(rule_statement(rule, design) for rule in rules_on) + ".") if rules_on else
                "No hard rules are switched on beyond nobody being matched with themselves."]
    used = applied(roster, design)
    sentences = []
    if used.criteria:
        sentences.append("Matching weighs " + join_words([label(name).lower() for name in used.criteria])
                         + "; the match is computed with an exact optimiser and every pair's score is explained.")
    else:
        sentences.append("No weighted criterion had data from both sides, so the match only keeps to the hard rules.")
    if used.unused:
        sentences.append("The design also weighs " + join_words([label(name).lower() for name in used.unused])
                         + ", but the sign-up gave no data for "
                         + ("it" if len(used.unused) == 1 else "them") + ", so "
                         + ("it" if len(used.unused) == 1 else "they") + " played no part.")
    statements = [rule_statement(rule, design) for rule in rules_on if rule.name in used.rules]
    sentences.append(("Hard rules applied: " + "; ".join(statements) + ".") if statements else
                     "No hard rule beyond nobody being matched with themselves could be applied to this sign-up.")
    gaps: dict[str, list[str]] = {}
    for rule in rules_on:
        if rule.name in used.unchecked and rule.name not in _VACUOUS_WITHOUT_DATA:
            gaps.setdefault(used.unchecked[rule.name], []).append(_RULE_WORDS.get(rule.name, rule.name))
    if gaps:
        parts = [f"the {join_words(names)} rule{'s' if len(names) > 1 else ''} ({reason})"
                 for reason, names in gaps.items()]
        sentences.append("Switched on but not checked, for lack of data: " + join_words(parts) + ".")
    return sentences


def leadership_brief(client: KitSource, *, release: Release | None = None) -> str:
    """A one-page printable HTML brief for the client's sponsors (its figures decided in ``release``)."""
    config, design, roster, readiness = _sources(client, release)
    start, end = programme_window(design)
    contacts = (config.get("contacts") if config is not None else None) or {}
    plan = training_plan(design)
    shape = {"one_to_one": "one-to-one pairs", "peer_pairs": "peer pairs", "circles": "circles of "
             f"{design.circles.min_size}-{design.circles.max_size} with a facilitator" if design.circles else "circles"}
    choices = [
        f"{design.rationale.when_to_use}",
        f"Shape: {shape[design.shape]}, meeting {_context(config, design, roster, readiness, 0)['cadence']} for "
        f"{design.duration_months} months.",
        *match_basis(design, roster),
        f"Everyone is trained first: mentors {plan.minutes('mentor_training')} minutes, mentees "
        f"{plan.minutes('mentee_orientation')} minutes.",
    ]
    figures = []
    readiness_text = "Readiness figures follow once sign-up closes."
    if readiness is not None:
        overall = readiness.overall
        figures = [{"value": overall["participants"], "label": "people signed up"}]
        if design.shape == "circles":
            figures.append({"value": overall["facilitators"], "label": "facilitators"})
            figures.append({"value": overall["circles_needed"], "label": "circles needed"})
        else:
            figures.append({"value": overall["places"], "label": "mentor places"})
            figures.append({"value": f"{overall['coverage']:.0%}", "label": "coverage of demand"})
        readiness_text = readiness.summary()
    unit = "circle" if design.shape == "circles" else "pair"
    asks = [
        f"Champion the programme: open the launch on {_long(start)} and mention it in your own team meetings.",
        "Volunteer as a mentor (or facilitator), and ask two of your senior colleagues to do the same.",
        f"Protect time: let participants spend about {design.cadence.meeting_minutes} minutes a month in their "
        f"{unit} meetings, in work time.",
        f"Attend the close-out celebration on {_long(end)} and hear what pairs achieved.",
        "Never ask participants what was said in mentoring; confidentiality is what makes it work.",
    ]
    measures = [
        "Participation and matching: sign-ups, match rate and pair quality, including a fairness audit by "
        "department and site (reported at matching).",
        f"Engagement: {unit}s meeting in the first 30 days and active at mid-point (reported mid-programme).",
        "Goal attainment: share of SMART goals achieved, from check-ins (mid-point and end).",
        "Change in career support, psychosocial support and self-efficacy from baseline to end, with confidence "
        "intervals, plus a net promoter score (end of programme).",
        "Retention and promotion of participants against a comparison group, with the selection-bias caveat, "
        "and return on investment with every assumption stated (end of programme).",
    ]
    template = _environment(autoescape=True).get_template("brief/leadership.html.j2")
    page = template.render(**_shield({
        "client": config.name if config is not None else "Client", "programme": design.name, "start": _long(start),
        "end": _long(end), "kind_title": design.kind.capitalize() + " mentoring", "consultant": contacts.get("consultant")
        or "the programme team", "purpose": purpose_for(design.agreement.purpose, across=roster is not None and
                                                     "same_department" in applied(roster, design).rules),
        "choices": choices, "figures": figures,
        "readiness": readiness_text, "asks": asks, "measures": measures,
        "min_group": config.privacy["min_group"] if config is not None else 5}))
    if _PLACEHOLDER.search(page):
        raise ToolkitError("The leadership brief left a placeholder unfilled.", fix="check templates/brief")
    return page.translate(_UNSHIELD)


# ------------------------------------------------------------------------------------------------
# Writing the kit
# ------------------------------------------------------------------------------------------------
def write_kit(client: str | Path | ClientConfig, out: str | Path, *, pairs: MatchResult | None = None) -> list[Path]:
    """Write the whole kit for a client: training plan, timeline (CSV, Excel, iCalendar), introductions, brief.

    The folder holds one round's kit (:func:`toolkit.rounds.write_for_round`): ``round.json`` names the round
    the introductions (and the timeline's counts) are for; the kit of a round the current one replaced is
    moved to ``<out>/round-NN/``. ``pairs`` (a MatchResult) writes the kit for a match that is not adopted.
    """

    config = load_client(client) if isinstance(client, (str, Path)) else client
    adopted = current_round(config) if pairs is None else None
    if pairs is None and adopted is not None:
        pairs = match_as_run(config, adopted)
    elif pairs is None and _has_match(config):
        pairs = match_as_run(config, None)
    label = round_label(adopted, pairs, proposed=adopted is None and pairs is not None
                        and pairs.status != "as_run")
    release = client_release(config, "leadership brief")
    written = write_for_round(out, label, lambda folder: _write_kit_files(config, folder, pairs, release), kind="kit")
    if not is_sample_client(config.folder):  # the brief went to the client: a release, in the client's ledger
        release.commit()
    return written


def _write_kit_files(config: ClientConfig, out: Path, pairs: MatchResult | None, release: Release) -> list[Path]:
    design = config.design()
    plan = training_plan(design)
    timeline = communications_timeline(config, pairs=pairs)
    written = [write_text(plan.markdown(), out / "training_plan.md"), write_text(plan.html(), out / "training_plan.html")]
    shown = timeline.assign(date=timeline["date"].map(lambda day: day.isoformat()))
    written.append(write_csv(shown, out / "communications_timeline.csv"))
    sheets = {"timeline": shown}
    if pairs is not None:
        introductions = introduction_messages(config, pairs)
        written.append(write_csv(introductions, out / "introductions.csv"))
        sheets["introductions"] = introductions
    written.append(write_excel(sheets, out / "communications_timeline.xlsx"))
    written.append(write_text(to_icalendar(timeline, calendar_name=design.name), out / "communications.ics"))
    written.append(write_text(leadership_brief(config, release=release), out / "leadership_brief.html"))
    return written
