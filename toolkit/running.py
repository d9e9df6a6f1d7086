"""The programme loop's commands: match, shortlists, record what happened, see the status, re-match, and check
every collected file.

The loop a consultant runs while a programme is live (README, "Running the programme")::

    mentoring-toolkit match --client acme
    mentoring-toolkit record --client acme left E104 --on 2026-06-01
    mentoring-toolkit status --client acme
    mentoring-toolkit rematch --client acme --out acme/rematch
    mentoring-toolkit report health --client acme

Every step reads the programme's timeline (:func:`toolkit.programme.programme_state`); this module
only turns it into commands and words. ``cli.py`` lists the commands in its table.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import textwrap
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .client import ClientConfig, load_client
from .errors import ConfigError, Problem, ToolkitError
from .files import output_folder, write_csv
from .goals.progress import read_checkins
from .kit import introduction_messages
from .matching.choices import choice_outcomes, load_choices
from .matching.engine import match
from .matching.exports import export_match
from .matching.rematch import Rematch, rematch
from .matching.shortlists import shortlists
from .measure.impact import outcomes
from .measure.relationships import fit_check_flags, relationships
from .measure.survey import load_survey
from .milestones import pair_milestones, write_pair_calendars
from .paths import check_output_folder
from .programme import (
    END_REASON_LABELS,
    END_REASON_WORDS,
    PERSON_STATES,
    STATE_WORDS,
    build_timeline,
    programme_state,
    read_meetings,
    state_on,
)
from .programme.record import RECORDABLE, record_event
from .programme.timeline import Timeline, round_day
from .resources import is_sample_client
from .rounds import (
    Round,
    adopt,
    adopt_match,
    adoption_lock,
    client_match,
    current_round,
    round_changes,
    round_label,
    rounds_folder,
    write_for_round,
)
from .text import plural

if TYPE_CHECKING:
    from .matching.result import MatchResult
    from .programme.state import ProgrammeState

__all__ = ["configure_record", "run_record", "configure_status", "run_status", "status_lines", "configure_rematch",
           "run_rematch", "rematch_round", "rematch_and_adopt", "rematch_day", "collected_file_lines",
           "match_client", "shortlist_round"]

Say = Callable[[str], None]


def _say(text: str = "") -> None:
    print(text, flush=True)


def _long(day: dt.date | None) -> str:
    return "no date" if day is None else f"{day.day} {day:%B %Y}"


# ------------------------------------------------------------------------------------------------
# record
# ------------------------------------------------------------------------------------------------
def configure_record(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, help="the client's client.yaml (or its folder)")
    parser.add_argument("event", choices=RECORDABLE, help="what happened: a person joined, left, paused or returned; "
                                                          "a pair or circle ended")
    parser.add_argument("subject", metavar="PERSON_OR_PAIR", help="the participant id (or the pair or circle id, "
                                                                   "as in the round's pairs.csv, for ended)")
    parser.add_argument("--on", required=True, metavar="DATE", help="the day it happened, YYYY-MM-DD")
    parser.add_argument("--reason", help="ended: no_fault, left (with --left-by), goals_met or completed; "
                                         "left: left_organisation or withdrew; paused: why, in words")
    parser.add_argument("--left-by", dest="left_by", metavar="PERSON", help="ended with --reason left: who left")
    parser.add_argument("--note", help="a note for the programme team (kept in the file, never in a report)")


def run_record(arguments: argparse.Namespace, say: Say = _say) -> int:
    done = record_event(arguments.client, arguments.event, arguments.subject, on=arguments.on,
                        reason=arguments.reason, left_by=arguments.left_by, note=arguments.note)
    say(f"Recorded: {done.subject} {done.event} on {_long(done.day)} ({done.path.name}, row {done.row}).")
    if done.yaml_line:
        say(f"   client.yaml now names the file: {done.yaml_line}")
    for line in done.consequences:
        say(f"   {line}")
    say(f"   next: mentoring-toolkit status --client {arguments.client}")
    return 0


# ------------------------------------------------------------------------------------------------
# status
# ------------------------------------------------------------------------------------------------
def configure_status(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, help="the client's client.yaml (or its folder)")
    parser.add_argument("--as-of", dest="as_of", help="the day to look from, YYYY-MM-DD (default: today)")
    parser.add_argument("--json", action="store_true", help="one JSON object (people and pairs, each with its state "
                                                            "and dates) for scripts")


def run_status(arguments: argparse.Namespace, say: Say = _say) -> int:
    config = load_client(arguments.client)
    timeline = build_timeline(config)
    state = state_on(timeline, arguments.as_of)
    if state.as_of > timeline.today:
        raise ConfigError(f"--as-of {state.as_of} is after today ({timeline.today}): the programme is known only up "
                          "to today.", fix="leave --as-of out, or give a day up to today")
    if arguments.json:
        print(state.to_json(), end="", flush=True)
        return 0
    for line in status_lines(state, config):
        say(line)
    return 0


def _fit_flags(config: ClientConfig, state: ProgrammeState) -> int | None:
    entry = config.survey("fit_check")
    if not entry or state.shape != "one_to_one":
        return None
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    return len(fit_check_flags(survey, relationships(config, as_of=state.as_of)))


def status_lines(state: ProgrammeState, config: ClientConfig | None = None) -> list[str]:
    """The status as lines of text: counts, then who is where (active, waiting, paused, left), endings, flags."""
    unit = "circles" if state.shape == "circles" else "pairs"
    counts = state.counts()
    current = state.current_round
    lines = [f"Programme on {_long(state.as_of)} (runs {_long(state.start)} to {_long(state.end)})"
             + (f"; round {current.number} adopted {_long(round_day(current))}" if current else "; no round adopted")]
    lines.append("People: " + ", ".join(f"{counts['people'][word]} {word.replace('_', ' ')}" for word in PERSON_STATES))
    ended = ", ".join(f"{count} {reason.replace('_', ' ')}" for reason, count in counts["ended_by_reason"].items()
                      if count)
    lines.append(f"{unit.capitalize()}: " + ", ".join(f"{count} {word}" + (f" ({ended})" if word == "ended" and
                                                                             ended else "")
                                                     for word, count in counts["pairs"].items()))
    lines += _section("Active", state.running(), lambda row: f"{row.unit_id}: {_members(row)}; {row.reason}; "
                      f"{row.meetings} meetings" + (f", last {_long(row.last_meeting)}" if row.last_meeting else ""))
    for word in ("waiting", "paused", "left", "not_joined"):
        people = state.people[state.people["state"] == word]
        lines += _section(f"{word.replace('_', ' ').capitalize()} ({STATE_WORDS[word]})", people,
                          lambda row: f"{row.participant_id} ({row.role}): {row.reason}")
    superseded = state.pairs[state.pairs["state"] == "superseded"]
    lines += _section(f"Superseded ({STATE_WORDS['superseded']})", superseded,
                      lambda row: f"{row.unit_id}: {_members(row)}, {row.reason}")
    stopped = state.pairs[state.pairs["state"] == "ended"]
    for reason, group in stopped.groupby("end_reason", sort=True):
        lines += _section(f"Ended, {END_REASON_LABELS.get(reason, reason)} ({END_REASON_WORDS.get(reason, reason)})", group,
                          lambda row: f"{row.unit_id}: {_members(row)}, {row.reason}")
    late = state.no_first_meeting()
    lines += _section(f"No first meeting more than 21 days after matching ({len(late)})", late,
                      lambda row: f"{row.unit_id}: matched {_long(row.matched_on)}, "
                                  f"{(state.as_of - row.matched_on).days} days ago")
    flags = _fit_flags(config, state) if config is not None else None
    if flags is not None:
        lines.append(f"Fit-check flags: {flags} pairs to talk to (a \"Not a fit\" or two \"Not sure yet\" answers)")
    lines += _section("Meetings not counted", state.uncounted, lambda row: f"meeting log row {row.row}: {row.why}")
    lines += _section("Notes", pd.DataFrame({"note": list(state.notes)}), lambda row: row.note)
    return lines


def _members(row) -> str:
    if row.shape == "circles":
        return f"{len(row.members)} members"
    return f"{row.mentee_id} with {row.mentor_id}"


def _section(title: str, frame: pd.DataFrame, line: Callable, limit: int = 50) -> list[str]:
    if not len(frame):
        return []
    out = [f"{title}:"] + ["   " + textwrap.shorten(line(row), 150) for row in frame.head(limit).itertuples()]
    if len(frame) > limit:
        out.append(f"   ... and {len(frame) - limit} more (--json lists them all)")
    return out


# ------------------------------------------------------------------------------------------------
# rematch
# ------------------------------------------------------------------------------------------------
def configure_rematch(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, help="the client's client.yaml (or its folder)")
    parser.add_argument("--out", default="rematch", help="folder for the new pairs, introductions and plans")
    parser.add_argument("--as-of", dest="as_of", help="the day to re-match on, YYYY-MM-DD (default: today); inside "
                                                      "the programme, not before the latest round")
    parser.add_argument("--dry-run", action="store_true",
                        help="show the re-match without adopting it (nothing is written into the client folder)")


def rematch_day(timeline: Timeline, as_of) -> dt.date:
    """The re-match's day: inside the programme, not after today, not before the latest round (refused otherwise)."""
    day = state_on(timeline, as_of).as_of
    start, end, today = timeline.start, timeline.end, timeline.today
    if start is not None and day < start or end is not None and day > end:
        raise ConfigError(f"--as-of {day} is outside the programme, which runs from {_long(start)} to {_long(end)}.",
                          fix=f"give a day from {start} to {end} (a re-match happens while the programme runs)")
    if day > today:
        raise ConfigError(f"--as-of {day} is after today ({today}).", fix="re-match on a day up to today")
    latest = timeline.rounds[-1] if timeline.rounds else None
    if latest is not None and day < round_day(latest):
        raise ConfigError(f"--as-of {day} is before round {latest.number}, adopted on {_long(round_day(latest))}: a "
                          "re-match follows the rounds already adopted.",
                          fix=f"give a day on or after {round_day(latest)}")
    return day


def _unknown_leavers(state: ProgrammeState) -> None:
    """Stop when a pair ended because someone left and no file says who, while one of the two is in play."""
    waiting = state.in_state("waiting")
    unsure = state.pairs[(state.pairs["end_reason"] == "left") & state.pairs["left_by"].isna()]
    problems = [Problem(f"{row.unit_id} ({row.mentee_id} with {row.mentor_id}) ended because someone left, but no "
                        "file says who: the toolkit will not guess which of the two to match again",
                        f"add a Left By column to the pairs file with the leaver's id, or record the leaver: "
                        f"mentoring-toolkit record left PERSON --on {row.ended_on}", None, None, None, row.unit_id)
                for row in unsure.itertuples() if {row.mentee_id, row.mentor_id} & waiting]
    if problems:
        raise ConfigError(f"{len(problems)} ended pairs do not say who left:", problems=problems)


def _adoption_time(day: dt.date, today: dt.date) -> dt.datetime:
    """A re-match as of an earlier day is adopted as of that day (introductions and plans date from it)."""
    return dt.datetime.now().replace(microsecond=0) if day == today else dt.datetime.combine(day, dt.time(9, 0))


def rematch_and_adopt(config: ClientConfig, as_of: str | dt.date | None = None, *, adopt_it: bool = True
                      ) -> tuple[dt.date, Rematch, MatchResult, Round | None]:
    """The re-match on the timeline, checked, and (``adopt_it``) adopted as the next round dated its day.

    Returns
    -------
    (day, Rematch, MatchResult of the whole programme after it, the adopted Round or None)
    """
    # reading the state, solving and adopting under the client's adoption lock: a second run waits for nothing half-read
    with adoption_lock(rounds_folder(config), command="rematch") if adopt_it else contextlib.nullcontext():
        return _rematch_on_timeline(config, as_of, adopt_it)


def _rematch_on_timeline(config: ClientConfig, as_of: str | dt.date | None, adopt_it: bool
                         ) -> tuple[dt.date, Rematch, MatchResult, Round | None]:
    roster, design = config.roster(), config.design()
    timeline = build_timeline(config)
    day = rematch_day(timeline, as_of)
    state = state_on(timeline, day)
    _unknown_leavers(state)
    active = state.running().rename(columns={"unit_id": "pair_id"})
    done = rematch(roster, design, active=active[["pair_id", "mentee_id", "mentor_id"]], ended=state.stopped(),
                   away=state.unavailable()).check(roster, design)
    whole = done.as_match_result(roster, design).check()
    adopted = adopt(config, whole, design=design, now=_adoption_time(day, timeline.today),
                    note=f"re-match on {day}: {len(done.kept)} pairs kept, {len(done.new_pairs)} new") \
        if adopt_it else None
    return day, done, whole, adopted


def rematch_round(client_path: Path, out: Path, as_of: str | None = None, *, dry_run: bool = False,
                  say: Say = _say) -> list[Path]:
    """Re-match a client on the timeline: keep running pairs, match the rest, adopt a round, write the new pairs' papers.

    Introductions and milestone calendars date from the re-match's day and name the adopted round's
    pair ids (R3-P001); a dry run (or a read-only sample) adopts nothing, so it writes the tables only.
    """
    config = load_client(client_path)
    out = output_folder(out)
    read_only = dry_run or is_sample_client(config.folder)
    day, done, whole, adopted = rematch_and_adopt(config, as_of, adopt_it=not read_only)
    design = whole.design
    say(f"   re-match on {day}: {done.summary()}")
    if adopted is None:
        say("   not adopted: " + ("--dry-run" if dry_run else "the bundled sample clients are read-only (copy the "
                                                           "folder, then re-match the copy)"))
    else:
        say(f"   adopted as round {adopted.number}: {adopted.folder}"
            + (" (earlier rounds kept as they were)" if adopted.number > 1 else ""))
    new = done.new_pairs
    if adopted is not None:  # the round's own pair ids, everywhere
        fresh = set(zip(new["mentee_id"], new["mentor_id"]))
        new = adopted.pairs.loc[[pair in fresh for pair in zip(adopted.pairs["mentee_id"], adopted.pairs["mentor_id"])]]

    def papers_for_round(folder: Path) -> list[Path]:
        written = [write_csv(new, folder / "new_pairs.csv"),
                   write_csv(adopted.pairs if adopted is not None else whole.pairs, folder / "all_pairs.csv"),
                   write_csv(whole.unmatched, folder / "unmatched.csv"), write_csv(done.in_play, folder / "in_play.csv")]
        if len(new) and adopted is not None:
            papers = replace(whole, pairs=new.reset_index(drop=True))  # the new pairs' papers only
            written.append(write_csv(introduction_messages(config, pairs=papers, matched_on=day),
                                     folder / "introductions.csv"))
            plan = pair_milestones(papers, design, matched_on=day)
            written += write_pair_calendars(plan, folder / "milestones", calendar_name=design.name)
        return written

    if len(new) and adopted is None:
        say("   introductions and milestone calendars are written for an adopted round only (they name its pair ids)")
    # --out holds this round's papers only: an earlier re-match's move to OUT/round-NN/
    label = round_label(adopted) if adopted is not None else round_label(result=whole, proposed=True)
    return write_for_round(out, label, papers_for_round, kind="rematch")


# ------------------------------------------------------------------------------------------------
# match and shortlists: a round made from the sign-ups
# ------------------------------------------------------------------------------------------------
def match_client(client_path: str | Path, *, out: Path | None = None, out_by_slug: bool = False,
                 objective: str | None = None, time_limit: float | None = None, quiet: bool = False,
                 dry_run: bool = False, note: str = "", say: Say = _say) -> MatchResult:
    """Match one client and adopt the match as its next round (``dry_run`` or a read-only sample: not adopted).

    People who left, are paused or join later are never matched (the programme's timeline says who).
    ``out`` (checked before anything is adopted; ``out_by_slug``: a folder per client under it) also gets
    the exports, Excel and CSV.
    """
    config = load_client(client_path)
    samples = is_sample_client(config.folder)
    if out is not None:  # a bad --out stops before anything is adopted
        out = output_folder(check_output_folder(out / config.slug if out_by_slug else out, config.folder))
    progress = None if quiet else (lambda line: say(f"   {line}"))
    options: dict[str, Any] = {"time_limit": time_limit, "progress": progress,
                               "away": programme_state(config).unavailable()}
    adopted = before = None
    if dry_run or samples:
        result = client_match(config, objective=objective, **options)
    else:
        before = _round_replaced(config, say)
        result, adopted = adopt_match(config, objective=objective, note=note, **options)
    say(f"{config.name}: {result.summary()}")
    if adopted is not None:
        earlier = adopted.number - 1
        say(f"   adopted as round {adopted.number}: {adopted.folder}"
            + (f" (the {plural(earlier, 'earlier round')} kept as they were)" if earlier else ""))
        say(f"   round {adopted.number}: {adopted.certificate_words()}")
        if before is not None:
            say(f"   {round_changes(before, adopted)}"
                + (f"; round {before.number} had been {before.certificate_words()}" if before.integrity != "intact"
                   else ""))
        say(f"   next: mentoring-toolkit agreements --client {client_path}")
    elif samples:
        say("   not adopted: the bundled sample clients are read-only (copy the folder, then match the copy)")
    else:
        say("   not adopted (--dry-run): nothing was written into the client folder")
    if out is not None:
        say(f"   exports: {', '.join(str(path) for path in export_match(result, out))}")
    return result


def _round_replaced(config: ClientConfig, say: Say) -> Round | None:
    """The round a new match replaces; a round broken by hand is named, and replaced all the same."""
    try:
        return current_round(config)
    except ToolkitError as error:
        say(f"   the adopted round cannot be used as it is, so this match replaces it: {error.headline}")
        return None


def shortlist_round(client_path: str | Path, out: Path, k: int = 3, *, say: Say = _say) -> list[Path]:
    """Write a shortlist round: personal pages, the choices form, and (with ``choices:``) the match on choices."""
    config = load_client(client_path)
    roster, design = config.roster(), config.design()
    listed = shortlists(roster, design, k).check()
    say(f"   shortlists: {listed.summary()} ({listed.seconds:.1f} s)")
    written = [write_csv(listed.table, out / "shortlists.csv"), write_csv(listed.exposure, out / "exposure.csv")]
    written += listed.write_form(out)
    written += listed.write_pages(out / "pages", design.name)
    if config.get("choices"):
        result = match(roster, design, choices=load_choices(config.get("choices"))).check()
        outcome = choice_outcomes(result)
        say(f"   match on choices: {result.summary()}")
        say(f"   {outcome['first']} of {outcome['ranked']} mentees who ranked got their first choice "
            f"({outcome['first_share']:.0%}); {outcome['top3']} a top-3 choice ({outcome['top3_share']:.0%}).")
        if len(outcome["not_allowed"]):
            say(f"   {len(outcome['not_allowed'])} ranked pairs break the programme's rules and could not be "
                f"matched: see {out / 'choices_not_allowed.csv'}")
        written += export_match(result, out / "choice_match")
        written.append(write_csv(outcome["table"], out / "choice_outcomes.csv"))
        written.append(write_csv(outcome["not_allowed"], out / "choices_not_allowed.csv"))
    return written


def run_rematch(arguments: argparse.Namespace, say: Say = _say) -> int:
    client = Path(arguments.client)
    # refused when it is (or goes through) a symbolic link inside the client folder, or lies in another client's
    out = check_output_folder(Path(arguments.out), client if client.is_dir() else client.parent)
    written = rematch_round(client, out, arguments.as_of, dry_run=arguments.dry_run, say=say)
    say(f"   {len(written)} files written under {arguments.out}")
    return 0


# ------------------------------------------------------------------------------------------------
# validate: every collected file
# ------------------------------------------------------------------------------------------------
def _checked(name: str, read: Callable[[], str]) -> str:
    try:
        return f"{name}: {read()}"
    except ToolkitError as error:
        return f"{name}: NOT READ: {error}"


def collected_file_lines(config: ClientConfig) -> list[str]:
    """One line (or a block) per collected file the client names: what was read, or every problem found."""
    lines = []
    if config.get("meetings"):
        def meetings() -> str:
            table = read_meetings(config)
            readings = table.attrs.get("readings", [])
            return f"{len(table)} meetings read" + (f"; {len(readings)} durations read from a bare number: "
                                                    + "; ".join(readings[:5]) if readings else "")
        lines.append(_checked("meeting log", meetings))
    if config.get("goal_checkins"):
        def checkins() -> str:
            rows, problems = read_checkins(config.get("goal_checkins"))
            return f"{len(rows)} check-ins read" + (f"; {len(problems)} rows set aside: " + "; ".join(
                problem.describe() for problem in problems[:5]) if problems else "")
        lines.append(_checked("goal check-ins", checkins))
    for wave, entry in (config.get("surveys") or {}).items():
        for item in entry if isinstance(entry, list) else [entry]:
            lines.append(_checked(f"survey {wave} ({Path(item['path']).name})", partial(_survey_line, item)))

    if config.get("hr_outcomes"):
        def hr() -> str:
            table = outcomes(config)
            groups = table[table["outcome"] == "retained"].set_index("group")["people"]
            return f"{int(groups.get('participant', 0))} participants and {int(groups.get('comparison', 0))} in the " \
                   "comparison group read"
        lines.append(_checked("HR outcomes", hr))

    def timeline() -> str:
        state = state_on(build_timeline(config))
        counts = state.counts()
        return (f"status files, HR leavers and rounds agree: {sum(counts['pairs'].values())} pairs or circles, "
                f"{counts['people']['left']} people left, {counts['meetings_not_counted']} meetings not counted")
    lines.append(_checked("programme record", timeline))
    return lines


def _survey_line(entry: dict) -> str:
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    warnings = getattr(survey, "warnings", [])
    return f"{len(survey.responses)} responses read" + (f"; {len(warnings)} earlier duplicate answers left out"
                                                        if warnings else "")
