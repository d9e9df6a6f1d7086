"""Where a programme stands against two sets of standards, from the evidence its client folder holds.

EMCC Global's International Standards for Mentoring and Coaching Programmes (six standards, with
bronze, silver and gold awards) and MENTOR's Elements of Effective Practice for Mentoring (six
elements) are described here in the toolkit's own words. Each standard is backed by pieces of
evidence (:data:`EVIDENCE`): what the toolkit can see in the client folder, graded

- **in place**: the records show it happened (a survey was run, meetings were logged);
- **ready to use**: the toolkit writes the document for this design (a training plan, a
  communications timeline), but nothing shows it was used;
- **missing**: nothing yet, with how to supply it.

A standard's share is its evidence scored 1, 0.5 and 0 and averaged; :func:`assess` compares the
shares with EMCC's award thresholds. The result is an estimate of readiness to apply, never an
accreditation: only EMCC's assessors award one, after a full 12-month cycle.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..client import inside_folder
from ..errors import ConfigError, did_you_mean
from ..kit import training_plan
from ..measure import engagement, impact
from ..measure.survey import load_survey
from ..privacy import enough
from ..rounds import list_rounds

if TYPE_CHECKING:
    from ..client import ClientConfig
    from ..design.model import ProgramDesign
    from ..matching.readiness import Readiness
    from ..roster import Roster

__all__ = ["Evidence", "Standard", "Assessment", "EMCC_STANDARDS", "MENTOR_ELEMENTS", "AWARD_LEVELS", "SCORES",
           "gather_evidence", "assess", "award_level"]

SCORES = {"in place": 1.0, "ready to use": 0.5, "missing": 0.0}
# EMCC's awards: (level, overall share, lowest share any one standard may have), best first.
AWARD_LEVELS = (("gold", 0.90, 0.80), ("silver", 0.80, 0.70), ("bronze", 0.70, 0.60))
FULL_CYCLE_MONTHS = 12


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: its status, what the toolkit found and how to supply what is missing."""

    key: str
    label: str
    status: str  # a key of SCORES
    found: str
    supply: str  # how to supply it, in plain words
    setting: str  # the client.yaml line that records it (for the consultant)

    @property
    def score(self) -> float:
        return SCORES[self.status]


@dataclass(frozen=True)
class Standard:
    """A standard (EMCC) or element (MENTOR) in the toolkit's own words, and the evidence behind it."""

    framework: str
    name: str
    meaning: str
    evidence: tuple[str, ...]


EMCC_STANDARDS = (
    Standard("EMCC", "Clarity of purpose",
             "The programme says why it exists, whom it is for and what success will look like, and a senior "
             "sponsor stands behind it.", ("purpose", "sponsor", "outcomes_defined", "cycle")),
    Standard("EMCC", "Stakeholder training and briefing",
             "Mentors, mentees and the people around them know what the programme asks of them before they start.",
             ("training_plan", "briefing_feedback", "communications", "leadership_brief")),
    Standard("EMCC", "Selection and matching",
             "People are chosen and paired by a stated method that gives them a say, and a pairing that is not "
             "working is noticed, ended without blame and the people paired again.",
             ("matching_method", "participant_influence", "match_record", "fit_check", "unwinding")),
    Standard("EMCC", "Measurement and review",
             "The programme measures what it set out to change, while it runs and at the end, and uses what it "
             "learns.", ("outcomes_defined", "meeting_log", "pulses", "goal_tracking", "midpoint_review",
                         "hr_outcomes", "roi")),
    Standard("EMCC", "Maintaining high standards of ethics",
             "Confidentiality, consent, conflicts of interest and personal data are handled with care, and "
             "everyone knows the limits.", ("privacy", "conflicts", "confidentiality", "consent")),
    Standard("EMCC", "Administration and support",
             "Someone runs the programme day to day, keeps its records and steps in when a pair struggles.",
             ("coordinator", "communications", "meeting_log", "support", "closure")),
)
MENTOR_ELEMENTS = (
    Standard("MENTOR", "Recruitment",
             "Attracting mentors and mentees whose expectations match what the programme can offer, in the numbers "
             "it needs.", ("purpose", "recruitment", "communications")),
    Standard("MENTOR", "Screening",
             "Checking, before people are accepted, that they are suitable and can give the time the programme "
             "asks.", ("screening", "conflicts", "consent")),
    Standard("MENTOR", "Training",
             "Preparing mentors, and mentees, for the relationship before it starts.",
             ("training_plan", "briefing_feedback")),
    Standard("MENTOR", "Matching and initiating",
             "Pairing on stated criteria and starting each relationship with a structured first meeting and an "
             "agreement.", ("matching_method", "participant_influence", "match_record", "initiation")),
    Standard("MENTOR", "Monitoring and support",
             "Regular contact to see how relationships are going, and help for those that struggle.",
             ("meeting_log", "pulses", "goal_tracking", "fit_check", "support")),
    Standard("MENTOR", "Closure",
             "Ending every relationship on purpose, planned or early, with a chance to look back.",
             ("closure", "unwinding")),
)


@dataclass(frozen=True)
class Assessment:
    """The evidence, each standard's share and the readiness estimate against EMCC's award thresholds."""

    evidence: dict[str, Evidence]
    emcc: pd.DataFrame  # standard, share, in place, ready, missing
    mentor: pd.DataFrame
    overall: float  # EMCC: the mean of the six standards' shares
    lowest: float
    level: str | None  # the award level the evidence would reach ("gold", ...), None below bronze
    cycle_months: float | None  # how long the programme has run (to its end or to the last record)
    planned_months: float | None

    @property
    def full_cycle(self) -> bool:
        return self.cycle_months is not None and self.cycle_months >= FULL_CYCLE_MONTHS - 0.25

    def missing(self) -> list[Evidence]:
        """Evidence not in place, the most used across the standards first."""
        uses: dict[str, int] = {}
        for standard in EMCC_STANDARDS + MENTOR_ELEMENTS:
            for key in standard.evidence:
                uses[key] = uses.get(key, 0) + 1
        gaps = [item for item in self.evidence.values() if item.status != "in place"]
        return sorted(gaps, key=lambda item: (item.status != "missing", -uses.get(item.key, 0), item.key))


def award_level(overall: float, lowest: float) -> str | None:
    """The best EMCC award whose thresholds the shares meet (overall and every standard), or None."""
    for level, needed_overall, needed_each in AWARD_LEVELS:
        if overall >= needed_overall - 1e-9 and lowest >= needed_each - 1e-9:
            return level
    return None


def _score(standards: tuple[Standard, ...], evidence: dict[str, Evidence]) -> pd.DataFrame:
    rows = []
    for standard in standards:
        items = [evidence[key] for key in standard.evidence]
        rows.append({"standard": standard.name, "share": sum(item.score for item in items) / len(items),
                     "in place": sum(item.status == "in place" for item in items),
                     "ready": sum(item.status == "ready to use" for item in items),
                     "missing": sum(item.status == "missing" for item in items)})
    return pd.DataFrame(rows)


def assess(config: ClientConfig, roster: Roster, design: ProgramDesign, *, min_group: int = 5,
           readiness: Readiness | None = None, today: dt.date | None = None) -> Assessment:
    """The programme against EMCC's standards and MENTOR's elements, from what its client folder holds."""
    evidence = gather_evidence(config, roster, design, min_group=min_group, readiness=readiness)
    emcc, mentor = _score(EMCC_STANDARDS, evidence), _score(MENTOR_ELEMENTS, evidence)
    overall, lowest = float(emcc["share"].mean()), float(emcc["share"].min())
    cycle, planned = _months(config, design, today)
    return Assessment(evidence, emcc, mentor, overall, lowest, award_level(overall, lowest), cycle, planned)


def _months(config: ClientConfig, design: ProgramDesign, today: dt.date | None) -> tuple[float | None, float | None]:
    start, end = design.start_date, design.planned_end_date
    if start is None:
        return None, None
    planned = (end - start).days / 30.44 if end else None
    last = end if end is not None else (today or dt.date.today())
    if config.get("meetings"):
        logged = engagement.read_meetings(config)["date"]
        if len(logged):
            last = min(last, max(logged)) if end is None or max(logged) < end else last
    return max(0.0, (last - start).days / 30.44), planned


# ------------------------------------------------------------------------------------------------
# The evidence, one small check each
# ------------------------------------------------------------------------------------------------
_Check = Callable[..., tuple[str, str]]
_CHECKS: dict[str, tuple[str, _Check, str, str]] = {}


def _evidence(key: str, label: str, supply: str, setting: str):
    """Register a check: ``supply`` says in plain words how to supply the evidence; ``setting`` is what the
    consultant records in client.yaml (shown in the appendix only)."""
    def register(check: _Check) -> _Check:
        _CHECKS[key] = (label, check, supply, setting)
        return check
    return register


def gather_evidence(config: ClientConfig, roster: Roster, design: ProgramDesign, *, min_group: int = 5,
                    readiness: Readiness | None = None) -> dict[str, Evidence]:
    """Every piece of evidence the standards use, checked against the client's files."""
    facts = _Facts(config, roster, design, min_group, readiness)
    records = _records(config)
    found = {}
    for key, (label, check, supply, setting) in _CHECKS.items():
        if key in records:
            found[key] = Evidence(key, label, "in place", f"the programme's record: {records[key]}", "", "")
            continue
        status, detail = check(facts)
        if status == "ready to use" and not setting.startswith("evidence:"):
            setting += f"; or name the programme's own record: evidence: / {key}: <file>"
        found[key] = Evidence(key, label, status, detail, "" if status == "in place" else supply,
                              "" if status == "in place" else setting)
    return found


def _records(config: ClientConfig) -> dict[str, str]:
    """``evidence:`` in client.yaml: the programme's own records (attendance lists, sent messages, signed
    agreements), each a file inside the client folder, by evidence key."""
    given = config.get("evidence") or {}
    if not isinstance(given, dict):
        raise ConfigError("evidence: in client.yaml must list records by evidence key.",
                          fix="write one per line, e.g. evidence: / training_plan: records/training_attendance.xlsx",
                          path=config.path)
    records = {}
    for key, value in given.items():
        if key not in _CHECKS:
            raise ConfigError(f'evidence: "{key}" is not a piece of evidence the standards use.'
                              + did_you_mean(str(key), _CHECKS), fix=f"use one of: {', '.join(sorted(_CHECKS))}",
                              path=config.path, value=key)
        path, refused = inside_folder(config.folder.resolve(), value)
        if refused or not path.is_file():
            raise ConfigError(f"evidence: {key}: {refused or f'{value} is not a file in the client folder'}.",
                              fix="name a file inside the client folder, relative to client.yaml", path=config.path,
                              value=value)
        records[key] = str(value)
    return records


class _Facts:
    """What the checks read, loaded once and only when asked for."""

    def __init__(self, config: ClientConfig, roster: Roster, design: ProgramDesign, min_group: int,
                 readiness: Readiness | None) -> None:
        self.config, self.roster, self.design = config, roster, design
        self.min_group, self.readiness = min_group, readiness
        self._end, self._activity = False, False

    @property
    def contacts(self) -> dict:
        return self.config.get("contacts") or {}

    def survey(self, wave: str):
        entry = self.config.survey(wave)
        return load_survey(entry["path"], instrument=entry["instrument"]) if entry else None

    @property
    def end(self):
        if self._end is False:
            self._end = self.survey("end")
        return self._end

    @property
    def activity(self):
        if self._activity is False:
            self._activity = engagement.activity(self.config) if self.config.get("meetings") else None
        return self._activity


@_evidence("purpose", "Purpose and design rationale",
           "state the programme's purpose and why this kind of programme suits it",
           "programme: template: and its overrides:")
def _purpose(facts: _Facts) -> tuple[str, str]:
    design = facts.design
    return "in place", (f"the {design.kind} design: {design.summary.rstrip('.')}. When it fits: "
                        f"{design.rationale.when_to_use.rstrip('.')}.")


@_evidence("outcomes_defined", "Outcomes measured before and after",
           "run the baseline survey before the first meetings and the end-of-programme survey in the last two weeks",
           "surveys: / baseline: and end: (path: the export, instrument: baseline or end_of_programme)")
def _outcomes_defined(facts: _Facts) -> tuple[str, str]:
    waves = [wave for wave in ("baseline", "end") if facts.config.survey(wave)]
    if len(waves) == 2:
        return "in place", "baseline and end-of-programme surveys (self-efficacy, career clarity, mentor skills)"
    return ("ready to use" if waves else "missing"), (f"only the {waves[0]} survey" if waves else "no outcome survey")


@_evidence("cycle", "A defined programme cycle",
           "set the programme's start and end dates",
           "programme: / start_date: and end_date:")
def _cycle(facts: _Facts) -> tuple[str, str]:
    design = facts.design
    if design.start_date and design.planned_end_date:
        return "in place", f"{design.start_date:%d %B %Y} to {design.planned_end_date:%d %B %Y}"
    return "missing", "no start or end date"


@_evidence("training_plan", "Training for mentors and mentees",
           "hold the training sessions the kit plans and keep the attendance list",
           "evidence: / training_plan: <the attendance list>")
def _training_plan(facts: _Facts) -> tuple[str, str]:
    plan = training_plan(facts.design)
    minutes = {session: plan.minutes(session) for session in plan.sessions}
    return "ready to use", ("the kit's plan for this design: " + ", ".join(
        f"{session.replace('_', ' ')} {value} minutes" for session, value in minutes.items())
        + "; nothing in the folder shows the sessions were held")


@_evidence("briefing_feedback", "Participants' view of the briefing",
           "run the end-of-programme survey, whose question PF2 asks whether the briefing prepared people",
           "surveys: / end: (instrument end_of_programme)")
def _briefing_feedback(facts: _Facts) -> tuple[str, str]:
    end = facts.end
    if end is None or "PF2" not in end.responses:
        return "missing", "no end-of-programme answers on the briefing"
    answers = pd.to_numeric(end.responses["PF2"], errors="coerce").dropna()
    if not enough(len(answers), facts.min_group):
        return "missing", f"fewer than {facts.min_group} answers on the briefing"
    agree = float((answers >= 4).mean())
    return "in place", f"{agree:.0%} of {len(answers)} people agree the briefing prepared them well"


@_evidence("communications", "A communications plan",
           "send the kit's timeline of messages (launch, reminders, mid-point, close) and keep the dates they went out",
           "evidence: / communications: <the sent messages or their dates>")
def _communications(facts: _Facts) -> tuple[str, str]:
    if facts.design.start_date is None:
        return "missing", "no start date to plan messages from"
    return "ready to use", "the kit's dated communications timeline (with a calendar file); sending is not recorded"


@_evidence("leadership_brief", "A brief for leaders and managers",
           "share the kit's leadership brief with the sponsor and line managers, and keep a note of when",
           "evidence: / leadership_brief: <the note or the email>")
def _leadership_brief(facts: _Facts) -> tuple[str, str]:
    return "ready to use", "the kit's leadership brief for this design; sharing it is not recorded"


@_evidence("matching_method", "A stated matching method",
           "choose the matching priorities and their weights",
           "programme: / overrides: / criteria:")
def _matching_method(facts: _Facts) -> tuple[str, str]:
    weights = {name: weight for name, weight in facts.design.criteria.items() if weight}
    rules = [name for name, value in dataclasses.asdict(facts.design.rules).items() if value not in (None, False, 0)]
    return "in place", (f"{len(weights)} weighted priorities and {len(rules)} rules, solved exactly with a "
                        "certificate of optimality")


@_evidence("participant_influence", "Participants' say in their match",
           "let mentees rank a shortlist of suggested mentors, or ask for preferred mentors on the sign-up form",
           "choices: <the returned choices form> (after the shortlists command)")
def _participant_influence(facts: _Facts) -> tuple[str, str]:
    if facts.config.get("choices"):
        return "in place", "mentees ranked shortlists of suggested mentors; the match uses their ranks"
    people = facts.roster.participants
    stated = int(people["preferences"].map(lambda value: bool(value)).sum()) if "preferences" in people else 0
    if stated:
        return "ready to use", f"{stated} people named preferred partners on the sign-up form"
    return "missing", "no preferences or ranked choices"


@_evidence("match_record", "A record of the match",
           "adopt the match, so it is kept as a dated round with its certificate",
           "run the match command (it writes matches/)")
def _match_record(facts: _Facts) -> tuple[str, str]:
    rounds = list_rounds(facts.config)
    if rounds:
        return "in place", f"{len(rounds)} adopted round{'s' if len(rounds) != 1 else ''} with certificates"
    if facts.config.get("pairs") or facts.config.get("circles"):
        return "in place", "the pairs or circles file the programme ran with"
    return "missing", "no adopted match"


@_evidence("unwinding", "A no-fault way to end a match and re-pair people",
           "record pairs that end early, and re-pair the people (no-fault re-matching)",
           "record ended <pair id> --on <date> --reason no_fault (collect/pair_status.csv), then rematch")
def _unwinding(facts: _Facts) -> tuple[str, str]:
    exit_text = facts.design.agreement.exit
    recorded = len(list_rounds(facts.config)) > 1
    if facts.activity is not None and "status" in facts.activity:
        recorded = recorded or bool(facts.activity["status"].eq("ended").any())  # the timeline's state word
    if exit_text and recorded:
        return "in place", "the agreement's no-fault exit, and pairs ended early or re-matched on record"
    if exit_text:
        return "ready to use", f"the agreement's exit clause (\"{exit_text.split(';')[0].rstrip('.')}\"); no ended " \
                               "or re-matched pair is on record"
    return "missing", "no exit clause in the agreement"


@_evidence("meeting_log", "Meetings logged",
           "keep a log of every meeting held",
           "meetings: collect/meeting_log.csv")
def _meeting_log(facts: _Facts) -> tuple[str, str]:
    activity = facts.activity
    if activity is None:
        return "missing", "no meeting log"
    return "in place", f"{int(activity['meetings'].sum()):,} meetings logged"


@_evidence("pulses", "Pulse surveys while the programme runs",
           "send the short pulse survey every month or so",
           "surveys: / pulses: (instrument pulse_30day, one entry per month)")
def _pulses(facts: _Facts) -> tuple[str, str]:
    pulses = (facts.config.get("surveys") or {}).get("pulses") or []
    if pulses:
        return "in place", f"{len(pulses)} pulse survey{'s' if len(pulses) != 1 else ''}"
    return "missing", "no pulse survey"


@_evidence("hr_outcomes", "Results for the organisation",
           "ask HR for retention and promotion figures with a comparison group of similar colleagues",
           "hr_outcomes: collect/hr_outcomes.csv (Group: participant or comparison)")
def _hr_outcomes(facts: _Facts) -> tuple[str, str]:
    if not facts.config.get("hr_outcomes"):
        return "missing", "no HR outcomes"
    groups = engagement.read_log(facts.config.get("hr_outcomes"))["group"].astype(str).str.lower()
    if (groups == "comparison").any():
        return "in place", "retention and promotion against a comparison group"
    return "ready to use", "participants' retention and promotion, without a comparison group"


@_evidence("roi", "Return on investment",
           "state the programme's costs and the value of a leaver avoided",
           "roi: (the impact report lists the lines still needed)")
def _roi(facts: _Facts) -> tuple[str, str]:
    if not facts.config.get("roi") or not facts.config.get("hr_outcomes"):
        return "missing", "no return-on-investment settings"
    analysis = impact.roi(facts.config, min_group=facts.min_group)
    if analysis.missing:
        return "ready to use", f"settings incomplete ({len(analysis.missing)} lines missing)"
    return "in place", ("fully loaded costs and the effect isolated by "
                        + " and ".join(method.method for method in analysis.methods))


@_evidence("privacy", "Privacy in reports",
           "never show a group of fewer than five people",
           "privacy: / min_group: 5")
def _privacy(facts: _Facts) -> tuple[str, str]:
    minimum = int(facts.config.privacy["min_group"])
    if minimum >= 5:
        return "in place", (f"no report shows a group under {minimum} people; survey answers are pseudonymised; no "
                            "contact details in reports")
    return "ready to use", f"groups of {minimum} people can be shown; 5 is the usual floor"


@_evidence("conflicts", "No one matched within their reporting line",
           "supply the organisation chart, so no one is matched within their own reporting line",
           "org_chart: <Employee ID and Manager ID>")
def _conflicts(facts: _Facts) -> tuple[str, str]:
    rules = facts.design.rules
    if not (rules.exclude_own_manager or rules.exclude_reporting_line):
        return "missing", "the design allows matching within a reporting line"
    if facts.config.get("org_chart"):
        return "in place", "reporting lines from the org chart are kept apart"
    return "ready to use", "the rule is on, but without an org chart only stated managers are known"


@_evidence("confidentiality", "Confidentiality agreed",
           "have each pair agree confidentiality and its limits at the first meeting (the kit's agreement) and keep "
           "the signed agreements",
           "evidence: / confidentiality: <the signed agreements>")
def _confidentiality(facts: _Facts) -> tuple[str, str]:
    return "ready to use", ("the agreement and the training cover confidentiality and its limits; signed "
                            "agreements are not recorded")


@_evidence("consent", "Consent to take part and to the use of data",
           "ask for consent on the sign-up form",
           "a consent column in the sign-up export (mapping: to the consent field)")
def _consent(facts: _Facts) -> tuple[str, str]:
    people = facts.roster.participants
    if "consent" not in people or not people["consent"].notna().any():
        return "missing", "the sign-ups record no consent"
    given = int(people["consent"].map(lambda value: value is True or str(value).strip().lower()
                                      in ("true", "yes", "y", "1")).sum())
    return ("in place" if given == len(people) else "ready to use"), f"{given} of {len(people)} people gave consent"


@_evidence("support", "Struggling pairs found and helped",
           "keep the meeting log, so the health report lists the pairs and circles that need attention",
           "meetings: collect/meeting_log.csv")
def _support(facts: _Facts) -> tuple[str, str]:
    if facts.activity is None:
        return "missing", "without a meeting log no one can see who is struggling"
    return "in place", "the health report's attention list, from the meeting log"


@_evidence("recruitment", "Enough mentors for the mentees",
           "recruit mentors for the skills in short supply (the readiness report lists them)",
           "participants: (the mentors' sign-ups)")
def _recruitment(facts: _Facts) -> tuple[str, str]:
    readiness = facts.readiness
    if readiness is None:
        return "ready to use", f"{len(facts.roster)} people signed up"
    coverage = float(readiness.overall.get("coverage", float("nan")))
    if coverage != coverage:
        return "ready to use", f"{len(facts.roster)} people signed up"
    return ("in place" if coverage >= 1 else "ready to use"), f"mentor places cover {coverage:.0%} of the demand"


@_evidence("screening", "Eligibility and availability checked",
           "ask each mentor how many mentees they can take on",
           "a capacity question on the sign-up form")
def _screening(facts: _Facts) -> tuple[str, str]:
    people = facts.roster.participants
    stated = int(people["capacity"].notna().sum()) if "capacity" in people else 0
    if stated:
        return "in place", f"{stated} people stated their capacity; every sign-up row was checked or set aside"
    return "ready to use", "sign-ups checked row by row; no capacity asked"


@_evidence("initiation", "A structured start for each relationship",
           "send the kit's introductions and agreements, and log each first meeting",
           "meetings: collect/meeting_log.csv")
def _initiation(facts: _Facts) -> tuple[str, str]:
    activity = facts.activity
    if activity is None or not len(activity):
        return "ready to use", "the kit's introductions and agreements; no first meetings logged"
    started = float((activity["meetings"] > 0).mean())
    return "in place", f"{started:.0%} of pairs or circles have logged a first meeting"


def _on_file(key: str, label: str, supply: str, setting: str, named: Callable[[_Facts], object], found: str,
             absent: str) -> None:
    """Evidence that is in place exactly when client.yaml names it (a file, a survey, a person: ``found`` may
    show it as ``{}``)."""
    def check(facts: _Facts) -> tuple[str, str]:
        value = named(facts)
        return ("in place", found.format(value)) if value else ("missing", absent)
    _evidence(key, label, supply, setting)(check)


for _key, _label, _supply, _setting, _named, _found, _absent in (
    ("sponsor", "A named sponsor", "name a senior sponsor for the programme", "contacts: / sponsor: <their role>",
     lambda facts: facts.contacts.get("sponsor"), "sponsor: {}", "no sponsor named"),
    ("coordinator", "A named programme coordinator", "name the person who runs the programme day to day",
     "contacts: / programme_coordinator: <name>", lambda facts: facts.contacts.get("programme_coordinator"),
     "coordinator: {}", "no coordinator named"),
    ("fit_check", "An early check that each match works", "send the fit-check survey a few weeks into the programme",
     "surveys: / fit_check: (instrument fit_check)", lambda facts: facts.config.survey("fit_check"),
     "the fit-check survey after the first meetings", "no fit check after the first meetings"),
    ("goal_tracking", "Goals set and tracked", "record each goal's progress at the check-ins",
     "goal_checkins: collect/goal_checkins.csv", lambda facts: facts.config.get("goal_checkins"),
     "goal check-ins recorded", "no goal check-ins"),
    ("midpoint_review", "A mid-programme review", "run the midpoint survey and the health report half-way through",
     "surveys: / midpoint: (instrument midpoint)", lambda facts: facts.config.survey("midpoint"),
     "the midpoint survey", "no midpoint survey"),
    ("closure", "A deliberate close for every relationship", "send the closure survey as each relationship ends",
     "surveys: / closure: (instrument closure)", lambda facts: facts.config.survey("closure"),
     "the closure survey", "no closure survey or closing conversation on record"),
):
    _on_file(_key, _label, _supply, _setting, _named, _found, _absent)
