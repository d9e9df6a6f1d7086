"""The command line: ``mentoring-toolkit`` (also ``python -m toolkit``).

Exit codes: 0 everything worked; 1 some runs failed (batch); 2 bad usage or bad input; 3 a toolkit bug.
Errors from the toolkit are printed as their message (what, where, fix), never as a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .client import load_client, missing_seniority_warning
from .course import build_course, serve_course
from .course.site import PAGES as COURSE_PAGES
from .design.model import ProgramDesign
from .errors import ToolkitError
from .files import output_folder, write_csv
from .goals.agreements import write_client_agreements
from .intake.questions import ladder_order, ladder_yaml
from .kit import write_kit
from .matching.choices import choice_outcomes, load_choices
from .matching.engine import check_time_limit, match
from .matching.exports import export_match
from .matching.readiness import readiness as compute_readiness
from .matching.shortlists import shortlists
from .matching.solver import OBJECTIVES
from .paths import check_output_folder
from .portfolio import add_client, add_generated, build_portfolio
from .portfolio.report import run_portfolio_report
from .programme import programme_state
from .reports import DEMO_REPORTS, REPORTS, available_reports, batch, new_client, run
from .reports.pdf import to_pdf
from .resources import is_sample_client, sample_data_dir
from .roster import load_roster
from .rounds import adopt, adopt_match, client_match, current_round, round_changes
from .rounds.outputs import INDEX_NAME, read_index
from .running import (
    collected_file_lines,
    configure_record,
    configure_rematch,
    configure_status,
    demo_match_day,
    demo_rematch,
    run_record,
    run_rematch,
    run_status,
)
from .studio import serve as serve_studio

if TYPE_CHECKING:
    from .client import ClientConfig
    from .roster import Roster

__all__ = ["main", "COMMANDS", "build_parser"]


def _say(text: str = "") -> None:
    print(text, flush=True)


def _client_paths(argument: str | None) -> list[Path]:
    if argument:
        return [Path(argument)]
    return sorted(sample_data_dir().glob("*/client.yaml"))


def _label(client_path: Path) -> str:
    """A client's folder name, whether given as its folder or its client.yaml."""
    client_path = Path(client_path)
    return (client_path if client_path.is_dir() else client_path.parent).resolve().name


def _out_for(arguments: argparse.Namespace, client_path: Path) -> Path:
    """One client: --out as given; every sample client: a folder per client under --out. Refused when it is
    (or goes through) a symbolic link inside the client folder, or lies in another client's folder."""
    out = Path(arguments.out) if arguments.client else Path(arguments.out) / _label(client_path)
    client_path = Path(client_path)
    return check_output_folder(out, client_path if client_path.is_dir() else client_path.parent)


# ------------------------------------------------------------------------------------------------
# validate
# ------------------------------------------------------------------------------------------------


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", help="a client.yaml (default: every sample client)")
    parser.add_argument("--file", help="a participant CSV/Excel file to check on its own, without a client.yaml")
    parser.add_argument("--mapping", help="with --file: a YAML mapping of client headers to toolkit fields")
    parser.add_argument("--template", default="formal",
                        help="with --file: the programme template to check readiness against (default: formal)")
    parser.add_argument("--lenient", action="store_true",
                        help="load the good rows and list the bad ones instead of stopping at the first bad file")
    parser.add_argument("--all-warnings", dest="all_warnings", action="store_true",
                        help="list every warning (the first 10 are listed otherwise)")


def validate_client(client_path: Path, *, lenient: bool = False, all_warnings: bool = False) -> tuple[object, object]:
    """Load one client's roster and design and print the intake and readiness summary."""

    config = load_client(client_path)
    design = config.design()
    roster = config.roster(lenient=lenient)
    _print_roster_report(config.name, roster, design, all_warnings=all_warnings)
    lines = collected_file_lines(config)
    if lines:
        _say("   Collected files (the programme's record while it runs):")
    for line in lines:
        _say(textwrap.indent(line, "     "))
    if any(": NOT READ: " in line for line in lines):
        raise ToolkitError(f"{sum(': NOT READ: ' in line for line in lines)} collected files of {config.name} could "
                           "not be read (listed above).", fix="correct the rows named, then run validate again")
    return roster, design


def _print_reading(roster: Roster) -> None:
    """How the client's files were read: column -> field with examples, unused columns, roles, grades."""
    columns = roster.column_reading()
    if columns.empty:
        return
    several = columns["source"].nunique() > 1
    used = columns[~columns["field"].str.startswith("(")]
    _say("   How the columns were read (client column -> toolkit field: three example answers, between |):")
    width = min(48, max(len(header) for header in used["header"])) + 2 if len(used) else 0
    for row in used.itertuples():
        where = f"{row.source} " if several else ""
        label = f'"{row.header}"'
        _say(f"     {where}{row.column:>2} {label:<{width}} -> {row.field}: {row.examples}")
    unused = columns[columns["field"].str.startswith("(")]
    if len(unused):
        shown = ", ".join(f'{row.column} "{row.header}"' + (" (form tool)" if row.field == "(ignored)" else "")
                          for row in unused.itertuples())
        _say(textwrap.fill(f"Columns not used: {shown}. To use one, add it under the participants entry's "
                           "mapping: block in client.yaml (one mapping: per entry):", width=110,
                           initial_indent="   ", subsequent_indent="     "))
        _say('     mapping:\n       columns:\n         "Header": field')
    roles = roster.readings("role")
    if len(roles):
        _say("   Role answers (answer -> role, people):")
        for row in roles.itertuples():
            _say(f'     "{row.answer}" -> {row.read_as}, {row.people}')
    grades = roster.seniority_table()
    if len(grades):
        _say("   Grade -> seniority level (1 = entry level):")
        width = max(len(str(grade)) for grade in grades["grade"]) + 2
        for row in grades.itertuples():
            level = "?" if row.level is None or row.level != row.level else f"{row.level:g}"
            _say(f'     {str(row.grade):<{width}} {level:>4}   {row.people:>3} {"person" if row.people == 1 else "people"}'
                 f"   ({row.how})")
        people = dict(zip(grades["grade"], grades["people"]))
        order = ladder_yaml(ladder_order(zip(grades["grade"], grades["level"]), people))
        _say("   If a level is wrong, give the client's ladder in client.yaml, most junior first ([a, b] = the same "
             "level; as pasted, it keeps every grade's place and ties, counted 1, 2, 3 up the ladder):")
        _say(f"     seniority:\n       order: {order}")
        _say("   or one grade's level under the participants entry's mapping: block (one mapping: per entry):\n"
             '     mapping:\n       values:\n         seniority:\n           "Grade": level')


def _print_roster_report(title: str, roster: Roster, design: ProgramDesign, *, all_warnings: bool = False) -> None:
    _say(f"== {title}: {design.name}")
    missing_levels = missing_seniority_warning(roster, design)
    if missing_levels:
        _say(textwrap.fill(f"WARNING: {missing_levels}", width=110, initial_indent="   ", subsequent_indent="     "))
    _say(textwrap.indent(roster.intake_summary().to_string(index=False), "   "))
    _print_reading(roster)
    _say(f"   {roster.summary()}")
    shown = len(roster.warnings) if all_warnings else 10
    for warning in roster.warnings[:shown]:
        _say(f"   warning: {warning.describe()}")
    if len(roster.warnings) > shown:
        _say(f"   ... and {_count(len(roster.warnings) - shown, 'more warning')} (add --all-warnings to see them all)")
    if len(roster.rejected):
        _say(f"   {_count(len(roster.rejected), 'row')} set aside:")
        for row in roster.rejected.itertuples():
            _say(f"     {row.source} row {row.row}: {row.reasons}")
    readiness = compute_readiness(roster, design)
    _say(textwrap.fill(readiness.summary(), width=100, initial_indent="   ", subsequent_indent="   "))
    _say()


def run_validate(arguments: argparse.Namespace) -> int:
    if arguments.file:

        roster = load_roster(arguments.file, arguments.mapping, lenient=arguments.lenient)
        _print_roster_report(Path(arguments.file).name, roster, ProgramDesign.from_template(arguments.template),
                             all_warnings=arguments.all_warnings)
        return 0
    for client_path in _client_paths(arguments.client):
        validate_client(client_path, lenient=arguments.lenient, all_warnings=arguments.all_warnings)
    return 0


# ------------------------------------------------------------------------------------------------
# demo
# ------------------------------------------------------------------------------------------------


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="reports", help="where outputs go (default: ./reports)")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _headline_file(paths: list[Path]) -> Path | None:
    """The file to open first among a step's outputs: an HTML index or report, else the first file."""
    html = [Path(path) for path in paths if str(path).endswith(".html")]
    for path in html:
        if path.stem == "index":
            return path
    return html[0] if html else (Path(paths[0]) if paths else None)


def demo_copy(sample_path: Path, folder: Path) -> Path:
    """Copy a sample client's files (not any rounds) into ``folder``; returns the copy's client.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(sample_path.parent.iterdir()):
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    return folder / sample_path.name


def run_demo(arguments: argparse.Namespace) -> int:
    out = Path(arguments.out)
    clients = _client_paths(None)
    if not clients:
        raise ToolkitError(f"No sample clients found under {sample_data_dir()}.",
                           fix="reinstall the toolkit: the sample clients ship inside it")
    written: list[Path] = []
    copies: list[Path] = []
    for sample_path in clients:
        # The demo works on a copy of each sample client: its match is adopted there, never in the samples.
        client_path = demo_copy(sample_path, out / sample_path.parent.name / "client")
        copies.append(client_path)
        validate_client(client_path)
        for name, step in DEMO_STEPS:
            paths = step(client_path, out / sample_path.parent.name)
            written += paths
            if not paths:  # a step this sample does not use (shortlists and re-match need ranked choices)
                _say(f"   {name}: not used by this sample client")
                continue
            shown = _headline_file(paths)
            _say(f"   {name}: {_count(len(paths), 'file')} written" + (f", open {shown}" if shown else ""))
        _say()
    _say("== The practice's portfolio")
    portfolio = _demo_portfolio(out, copies)
    written += portfolio
    _say(f"   portfolio report: open {portfolio[-1]}")
    _say()
    if written:
        _say(f"Everything is under {out}/ (one folder per client, and portfolio/).")
    _say(f"Demo finished for {len(clients)} sample clients.")
    return 0


# ------------------------------------------------------------------------------------------------


# ------------------------------------------------------------------------------------------------
# match, agreements, kit
# ------------------------------------------------------------------------------------------------


def _configure_match(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", help="a client.yaml (default: every sample client, matched without adopting)")
    parser.add_argument("--out", help="also write the exports (Excel and CSV) to this folder")
    parser.add_argument("--objective", choices=OBJECTIVES, help="override the design's objective")
    parser.add_argument("--time-limit", type=_seconds, default=None, metavar="SECONDS",
                        help="stop after this many seconds in all (scoring and solving) and keep the best match "
                             "found, saying how far from the best it can be")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--dry-run", action="store_true",
                        help="show the match without adopting it (nothing is written into the client folder)")
    parser.add_argument("--note", default="", help="why this match was made: kept with the round for the programme team "
                                                   "(never shown in client reports)")


def _seconds(text: str) -> float | None:
    """--time-limit: a finite number of seconds above 0 (argparse prints the reason and the usage)."""
    try:
        return check_time_limit(text)
    except ToolkitError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0 (e.g. 60)") from error


def run_match(arguments: argparse.Namespace) -> int:
    for client_path in _client_paths(arguments.client):
        config = load_client(client_path)
        samples = is_sample_client(config.folder)
        out = None
        if arguments.out:  # a bad --out stops before anything is adopted
            out = output_folder(check_output_folder(Path(arguments.out) if arguments.client else
                                                    Path(arguments.out) / config.slug, config.folder))
        progress = None if getattr(arguments, "quiet", False) else (lambda line: _say(f"   {line}"))
        options = {"time_limit": getattr(arguments, "time_limit", None), "progress": progress}
        # people who left, are paused or join later are never matched (the programme's timeline says who)
        options["away"] = programme_state(config).unavailable()
        if arguments.dry_run or samples:
            result = client_match(config, objective=arguments.objective, **options)
            adopted = None
        else:
            before = _round_replaced(config)
            result, adopted = adopt_match(config, objective=arguments.objective, note=arguments.note, **options)
        _say(f"{config.name}: {result.summary()}")
        if adopted is not None:
            earlier = adopted.number - 1
            _say(f"   adopted as round {adopted.number}: {adopted.folder}"
                 + (f" (the {_count(earlier, 'earlier round')} kept as they were)" if earlier else ""))
            _say(f"   round {adopted.number}: {adopted.certificate_words()}")
            if before is not None:
                _say(f"   {round_changes(before, adopted)}"
                     + (f"; round {before.number} had been {before.certificate_words()}" if before.integrity != "intact"
                        else ""))
            _say(f"   next: mentoring-toolkit agreements --client {client_path}")
        elif samples:
            _say("   not adopted: the bundled sample clients are read-only (copy the folder, then match the copy)")
        else:
            _say("   not adopted (--dry-run): nothing was written into the client folder")
        if out is not None:
            written = export_match(result, out)
            _say(f"   exports: {', '.join(str(path) for path in written)}")
    return 0


def _round_replaced(config: ClientConfig):
    """The round a new match replaces; a round broken by hand is named, and replaced all the same."""
    try:
        return current_round(config)
    except ToolkitError as error:
        _say(f"   the adopted round cannot be used as it is, so this match replaces it: {error.headline}")
        return None


def _demo_match(client_path: Path, out_dir: Path) -> list[Path]:
    """The sample's match, adopted as of the day its files say the first pairs were matched: the demo replays the
    sample's year, whose files were written for this match (its second cohort was matched with the first)."""
    config = load_client(client_path)
    day = demo_match_day(config)
    result = client_match(config)
    adopted = adopt(config, result, design=config.design(), note="the demo's match",
                    now=dt.datetime.combine(day, dt.time(9, 0)))
    _say(f"   match: {result.summary()}")
    _say(f"   adopted as round {adopted.number} in {adopted.folder}")
    return export_match(result, out_dir / "match")


def _configure_agreements(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", help="a client.yaml (default: every sample client)")
    parser.add_argument("--out", default="agreements", help="output folder (default: ./agreements)")
    parser.add_argument("--format", default="both", choices=["html", "markdown", "both"],
                        help="agreement file format (default: both)")
    parser.add_argument("--rematch", action="store_true",
                        help="run the matching now instead of using the adopted match (nothing is adopted)")


def run_agreements(arguments: argparse.Namespace) -> int:
    formats = ("html", "markdown") if arguments.format == "both" else (arguments.format,)
    for client_path in _client_paths(arguments.client):
        out = _out_for(arguments, client_path)
        written = write_client_agreements(client_path, out, formats=formats, use_matching=arguments.rematch)
        agreements = [path for path in written if path.parent == out and path.stem != "index"]
        _say(f"{_label(client_path)}: {len(agreements)} agreement files in {out}"
             + (f"; open {out / 'index.html'}" if "html" in formats else ""))
        _say(f"   {_round_line(out)}")
    return 0


def _demo_agreements(client_path: Path, out_dir: Path) -> list[Path]:
    return write_client_agreements(client_path, out_dir / "agreements")


def _configure_kit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", help="a client.yaml (default: every sample client)")
    parser.add_argument("--out", default="kit", help="folder for the kit")


def run_kit(arguments: argparse.Namespace) -> int:
    for client_path in _client_paths(arguments.client):
        out = _out_for(arguments, client_path)
        written = write_kit(client_path, out)
        _say(f"{_label(client_path)}: {len(written)} files in {out}"
             + ("; introductions.csv is ready for a mail merge" if any(p.name == "introductions.csv" for p in written)
                else "; no match yet, so no introductions (run match first)"))
        _say(f"   {_round_line(out)}")
    return 0


def _round_line(out: Path) -> str:
    """Which round an output folder now holds, what may be said of its pairs, and where earlier rounds went."""
    index = read_index(out) or {}
    moved = sorted(path.name for path in out.iterdir() if path.is_dir() and (path / INDEX_NAME).exists())
    return (f"for {index.get('title', 'no round')}" + (f": {index['certificate']}" if index.get("certificate") else "")
            + (f"; earlier rounds' files are in {', '.join(moved)}/" if moved else ""))


def _demo_kit(client_path: Path, out_dir: Path) -> list[Path]:
    return write_kit(client_path, out_dir / "kit")


# ------------------------------------------------------------------------------------------------
# shortlists (mentee choice) and rematch (no-fault re-matching)
# ------------------------------------------------------------------------------------------------


def _configure_shortlists(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, help="the client's client.yaml (or its folder)")
    parser.add_argument("--k", type=int, default=3, help="suggested mentors per mentee (default 3)")
    parser.add_argument("--out", default="shortlists", help="folder for the pages, the form and the tables")


def shortlist_round(client_path: Path, out: Path, k: int = 3) -> list[Path]:
    """Write a shortlist round: personal pages, the choices form, and (with ``choices:``) the match on choices."""
    config = load_client(client_path)
    roster, design = config.roster(), config.design()
    listed = shortlists(roster, design, k).check()
    _say(f"   shortlists: {listed.summary()} ({listed.seconds:.1f} s)")
    written = [write_csv(listed.table, out / "shortlists.csv"), write_csv(listed.exposure, out / "exposure.csv")]
    written += listed.write_form(out)
    written += listed.write_pages(out / "pages", design.name)
    if config.get("choices"):
        choices = load_choices(config.get("choices"))
        result = match(roster, design, choices=choices).check()
        outcome = choice_outcomes(result)
        _say(f"   match on choices: {result.summary()}")
        _say(f"   {outcome['first']} of {outcome['ranked']} mentees who ranked got their first choice "
             f"({outcome['first_share']:.0%}); {outcome['top3']} a top-3 choice ({outcome['top3_share']:.0%}).")
        if len(outcome["not_allowed"]):
            _say(f"   {len(outcome['not_allowed'])} ranked pairs break the programme's rules and could not be "
                 f"matched: see {out / 'choices_not_allowed.csv'}")
        written += export_match(result, out / "choice_match")
        written.append(write_csv(outcome["table"], out / "choice_outcomes.csv"))
        written.append(write_csv(outcome["not_allowed"], out / "choices_not_allowed.csv"))
    return written


def run_shortlists(arguments: argparse.Namespace) -> int:
    written = shortlist_round(Path(arguments.client), _out_for(arguments, Path(arguments.client)), arguments.k)
    _say(f"   {len(written)} files written under {arguments.out}")
    return 0


def _demo_shortlists(client_path: Path, out_dir: Path) -> list[Path]:
    return shortlist_round(client_path, out_dir / "shortlists") if load_client(client_path).get("choices") else []


# ------------------------------------------------------------------------------------------------
# report, batch, new-client
# ------------------------------------------------------------------------------------------------


def _configure_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help=f"the report: {', '.join(available_reports() + ['portfolio'])}")
    parser.add_argument("--client", help="the client's client.yaml (or its folder); for portfolio: a programme to "
                                         "compare with the others")
    parser.add_argument("--out", default="reports", help="folder for the HTML and the executed notebook")
    parser.add_argument("--pdf", action="store_true", help="also print the report to PDF (needs the system Chromium)")
    parser.add_argument("--dry-run", action="store_true",
                        help="a draft: decide what to hide against the client's earlier reports, but do not record "
                             "this one in the client's release ledger (releases/ledger.jsonl)")
    parser.add_argument("--store", help="for portfolio: the portfolio store (.duckdb) to report on")
    parser.add_argument("--portfolio", metavar="STORE",
                        help="for impact: also compare the programme with the other programmes of this store")


def run_report(arguments: argparse.Namespace) -> int:
    if arguments.name == "portfolio":
        if not arguments.store:
            raise ToolkitError("The portfolio report needs the portfolio store.",
                               fix="add --store FILE (the file the portfolio command fills)")
        html = run_portfolio_report(arguments.store, arguments.out, client=arguments.client)
        _say(f"portfolio report: {html}")
        if arguments.pdf:
            _say(f"PDF: {to_pdf(html)}")
        return 0
    if not arguments.client:
        raise ToolkitError(f"The {arguments.name} report needs a client.", fix="add --client CLIENT.yaml")
    params = ({"client": arguments.client, "portfolio": str(arguments.portfolio)} if arguments.portfolio
              else arguments.client)
    if arguments.portfolio and arguments.name != "impact":
        raise ToolkitError("Only the impact report compares with a portfolio.", fix="leave out --portfolio")
    result = run(arguments.name, params, _out_for(arguments, Path(arguments.client)), dry_run=arguments.dry_run)
    _say(f"{result.report} report for {result.client}: {result.html} ({result.seconds:.1f} s)")
    if arguments.pdf:
        _say(f"PDF: {to_pdf(result.html)}")
    return 0


def _configure_batch(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", required=True, help="a folder holding one folder per client")
    parser.add_argument("--reports", nargs="+", default=None, help="report names (default: all)")
    parser.add_argument("--out", default="reports", help="reports go to OUT/<client>/")
    parser.add_argument("--workers", type=int, default=2, help="parallel processes (default 2)")
    parser.add_argument("--pdf", action="store_true", help="also print each report to PDF (needs the system Chromium)")
    parser.add_argument("--dry-run", action="store_true",
                        help="drafts: do not record the reports in the clients' release ledgers")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run the reports on a Dask cluster, e.g. tcp://10.0.0.5:8786 (default: processes here)")
    parser.add_argument("--upload", action="store_true",
                        help="with --scheduler: send each client folder to the workers instead of its path")


def run_batch(arguments: argparse.Namespace) -> int:
    if arguments.upload and not arguments.scheduler:
        raise ToolkitError("--upload sends client folders to a Dask cluster, and no --scheduler was given.",
                           fix="add --scheduler ADDRESS, or leave out --upload")
    table = batch(arguments.clients, arguments.reports or available_reports(), arguments.out,
                  workers=arguments.workers, scheduler=arguments.scheduler, upload=arguments.upload,
                  dry_run=arguments.dry_run)
    _say(table.drop(columns="detail").to_string(index=False))
    if arguments.pdf:
        for row in table[table["status"] == "ok"].itertuples():
            _say(f"PDF: {to_pdf(row.detail)}")
    failures = table[table["status"] != "ok"]
    for row in failures.itertuples():
        _say(f"FAILED {row.client} {row.report}: {row.detail}")
    return 1 if len(failures) else 0


def _configure_new_client(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the client's name, e.g. \"Acme Ltd\"")
    parser.add_argument("--out", default="clients", help="folder to create the client folder in")


def run_new_client(arguments: argparse.Namespace) -> int:
    folder = new_client(arguments.name, arguments.out)
    _say(f"Created {folder}:")
    _say("   client.yaml        the client's settings, commented (read it first)")
    _say("   participants.csv   replace it with the sign-up export (or change the path in client.yaml)")
    _say("   collect/           blank templates: meeting log, people's and pair status (record adds to them), goal "
         "check-ins, HR outcomes")
    _say("   surveys/           each survey's questions, to paste into Google Forms or Microsoft Forms")
    _say("   notebooks/         this client's own notebooks")
    _say("Then run: mentoring-toolkit validate --client " + str(folder / "client.yaml"))
    return 0


def _demo_reports(client_path: Path, out_dir: Path) -> list[Path]:

    config = load_client(client_path)
    return [run(report, client_path, out_dir / "reports").html for report in DEMO_REPORTS
            if all(config.get(key) for key in REPORTS[report]["needs"])]


# ------------------------------------------------------------------------------------------------
# portfolio
# ------------------------------------------------------------------------------------------------


def _configure_portfolio(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("add", "build"),
                        help="add: one client's programme; build: every client in a folder")
    parser.add_argument("--store", required=True, help="the portfolio file (.duckdb), created if it does not exist")
    parser.add_argument("--client", help="with add: the client's client.yaml (or its folder)")
    parser.add_argument("--clients", help="with build: a folder holding one folder per client")
    parser.add_argument("--as-of", dest="as_of", help="the day the programmes are looked at, YYYY-MM-DD (default: today)")


def run_portfolio(arguments: argparse.Namespace) -> int:
    if arguments.action == "add":
        if not arguments.client:
            raise ToolkitError("portfolio add needs the client to add.", fix="add --client CLIENT.yaml")
        done = add_client(arguments.store, arguments.client, as_of=arguments.as_of)
        _say(done.summary())
        for note in done.notes:
            _say(f"   left out: {note}")
        if done.pair_file:
            _say(f"   the pairs the learning step used stay in the client folder: {done.pair_file}")
        return 0
    if not arguments.clients:
        raise ToolkitError("portfolio build needs the folder of clients.", fix="add --clients FOLDER")
    added, failed = build_portfolio(arguments.store, arguments.clients, as_of=arguments.as_of, progress=_say)
    _say(f"{_count(len(added), 'programme')} added to {arguments.store}"
         + (f"; {len(failed)} could not be (see above)" if failed else "."))
    return 1 if failed else 0


def _demo_portfolio(out: Path, clients: list[Path]) -> list[Path]:
    """The demo's portfolio: the sample clients (their demo copies) and the generated past programmes."""
    store = out / "portfolio" / "portfolio.duckdb"
    added, _ = build_portfolio(store, clients, progress=_say)
    generated = add_generated(store, sample_data_dir() / "portfolio" / "generated_programmes.json")
    _say(f"   portfolio: {_count(len(added), 'sample client')} and {generated} generated past programmes in {store}")
    # The report compares the largest sample programme with the others (any one would do).
    highlight = next((path for path in clients if path.parent.parent.name == "northwind"), clients[0] if clients else None)
    return [store, run_portfolio_report(store, out / "portfolio", client=highlight)]


# ------------------------------------------------------------------------------------------------
# studio
# ------------------------------------------------------------------------------------------------


def _configure_studio(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, help="the client's client.yaml (or its folder)")
    parser.add_argument("--port", type=int, default=None, help="the localhost port (default: a free one)")


def run_studio(arguments: argparse.Namespace) -> int:
    return serve_studio(arguments.client, port=arguments.port, say=_say)


def _configure_course(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--serve", action="store_true",
                      help="serve the course in the browser, code-free (exercises answered with widgets) until Ctrl-C")
    mode.add_argument("--out", default=None, help="folder for the offline HTML site (default: ./course-site)")
    parser.add_argument("--port", type=int, default=None, help="with --serve: the localhost port (default: a free one)")
    parser.add_argument("--work", default=None, metavar="DIR",
                        help="with --serve: keep the capstone's files (adopted match, agreements) in DIR "
                             "(default: a temporary folder removed when you stop)")
    parser.add_argument("--lesson", action="append", dest="lessons", metavar="NAME",
                        help="with --out: build only this page (repeatable; default: all: "
                             f"{', '.join(COURSE_PAGES)})")


def run_course(arguments: argparse.Namespace) -> int:
    if arguments.serve:
        if arguments.lessons:
            raise ToolkitError("--lesson only chooses pages for the offline site (--out).",
                               fix="leave out --lesson: the served course has every page")
        return serve_course(port=arguments.port, work_dir=arguments.work, say=_say)
    if arguments.port is not None or arguments.work is not None:
        raise ToolkitError("--port and --work go with --serve.", fix="add --serve, or leave them out")
    out = arguments.out or "course-site"
    _say(f"Executing the course ({len(arguments.lessons or COURSE_PAGES)} pages)...")
    written = build_course(out, lessons=arguments.lessons, say=_say)
    _say(f"Course site: {len(written)} pages; open {written[0]}")
    return 0


# ------------------------------------------------------------------------------------------------
# The command table: one row per command, in the order --help lists them.
# ------------------------------------------------------------------------------------------------
Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]

COMMANDS: dict[str, tuple[Configure, Run, str]] = {
    "validate": (_configure_validate, run_validate,
                 "check a client's participant files and programme design, and print readiness"),
    "match": (_configure_match, run_match,
              "match a client's participants and adopt the match as the programme's next round"),
    "agreements": (_configure_agreements, run_agreements,
                   "write a mentoring agreement per pair or circle, an index, and goal progress"),
    "kit": (_configure_kit, run_kit,
            "write the training plan, communications timeline (+ calendar), introductions and leadership brief"),
    "shortlists": (_configure_shortlists, run_shortlists,
                   "suggest k mentors per mentee (pages and a choices form); match on the returned choices"),
    "rematch": (configure_rematch, run_rematch,
                "re-match people whose pair ended, keeping every active pair; introductions for new pairs only"),
    "record": (configure_record, run_record,
               "record what happened: a person joined, left, paused or returned; a pair or circle ended"),
    "status": (configure_status, run_status,
               "who is active in which pair since when, who waits and why, endings, leavers, pairs not yet met"),
    "report": (_configure_report, run_report, "run one report for one client into a self-contained HTML file"),
    "batch": (_configure_batch, run_batch, "run reports for many clients in parallel, with a summary"),
    "portfolio": (_configure_portfolio, run_portfolio,
                  "file programmes' anonymised figures in a portfolio store (compare them: report portfolio)"),
    "new-client": (_configure_new_client, run_new_client,
                   "create a client folder: commented client.yaml, data templates, survey questions, notebooks"),
    "demo": (_configure_demo, run_demo, "run everything on the bundled sample clients"),
    "studio": (_configure_studio, run_studio,
               "serve the apps for one client in the browser (Voila, code hidden) until Ctrl-C"),
    "course": (_configure_course, run_course,
               "serve the course code-free in the browser (course --serve), "
               "or write it as an offline HTML site (course --out)"),
}

# The demo's steps after validation, in order: (name, function(client_path, out_dir) -> written paths).
DEMO_STEPS: tuple[tuple[str, Callable[[Path, Path], list[Path]]], ...] = (
    ("match", _demo_match),
    ("agreements", _demo_agreements),
    ("kit", _demo_kit),
    ("shortlist round", _demo_shortlists),
    ("re-match", demo_rematch),
    ("reports", _demo_reports),  # last: the reports describe the programme as it ends, after the re-match
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentoring-toolkit",
        description="Design, match, run and measure workplace mentoring programmes.",
    )
    parser.add_argument("--version", action="version", version=f"mentoring-toolkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (configure, _, help_text) in COMMANDS.items():
        configure(subparsers.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if not arguments.command:
        parser.print_help()
        return 2
    _, run, _ = COMMANDS[arguments.command]
    try:
        return run(arguments)
    except ToolkitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except FileNotFoundError as error:
        print(f"error: there is no file or folder {error.filename}. Fix: check the path "
              "(paths in client.yaml are relative to client.yaml).", file=sys.stderr)
        return 2
    except PermissionError as error:
        print(f"error: the toolkit may not write or read {error.filename}. Fix: close the file if it is open "
              f"in Excel{_another_out(arguments)}.", file=sys.stderr)
        return 2
    except OSError as error:  # a folder where a file should be, a full disk, a path too long ...
        print(f"error: could not use {error.filename or 'a file'}: {error.strerror or error}. Fix: check the path "
              f"and the free space{_another_out(arguments)}.", file=sys.stderr)
        return 2
    except Exception as error:  # the last resort: one clear line, never a traceback
        print(f"error: mentoring-toolkit {arguments.command} stopped unexpectedly ({type(error).__name__}: "
              f"{_first_line(error)}). This is a toolkit bug, not your mistake: please report it with the "
              "command you ran; set MENTORING_TOOLKIT_DEBUG=1 to see the details.", file=sys.stderr)
        if os.environ.get("MENTORING_TOOLKIT_DEBUG"):
            raise
        return 3


def _another_out(arguments: argparse.Namespace) -> str:
    """Advice to choose another output folder, for the commands that have --out (studio and validate do not)."""
    return ", or choose another --out folder" if hasattr(arguments, "out") else ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else "no message"
