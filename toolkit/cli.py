"""The command line: ``mentoring-toolkit`` (also ``python -m toolkit``). It parses and calls.

Each command is one row of :data:`COMMANDS`: a function that adds its options to its parser and one that
calls its workflow in the stage that owns it (``validate``, ``running``, ``demo``, ``kit``, ``reports``,
``portfolio``, ...). A command's modules are imported only when it runs (or when its own help lists
choices it reads from them), so the help of ``mentoring-toolkit`` itself loads none of the stages.

Exit codes: 0 everything worked; 1 some runs failed (batch); 2 bad usage or bad input; 3 a toolkit bug.
Errors from the toolkit are printed as their message (what, where, fix), never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .errors import ToolkitError

__all__ = ["main", "COMMANDS", "build_parser"]


Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]


def _say(text: str = "") -> None:
    print(text, flush=True)


@contextmanager
def _loading() -> Iterator[None]:
    """Ctrl-C while a command's modules load waits until they are loaded, then stops the command as usual: an
    import stopped half way can leave a compiled module half set up (see :mod:`toolkit.__main__`)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    if pressed:
        raise KeyboardInterrupt


def _client_paths(argument: str | None) -> list[Path]:
    """The client named on the command line, else every sample client."""
    if argument:
        return [Path(argument)]
    from .resources import sample_data_dir

    return sorted(sample_data_dir().glob("*/client.yaml"))


def _label(client_path: Path) -> str:
    """A client's folder name, whether given as its folder or its client.yaml."""
    client_path = Path(client_path)
    return (client_path if client_path.is_dir() else client_path.parent).resolve().name


def _out_for(arguments: argparse.Namespace, client_path: Path) -> Path:
    """One client: --out as given; every sample client: a folder per client under --out. Refused when it is
    (or goes through) a symbolic link inside the client folder, or lies in another client's folder."""
    from .paths import check_output_folder

    out = Path(arguments.out) if arguments.client else Path(arguments.out) / _label(client_path)
    client_path = Path(client_path)
    return check_output_folder(out, client_path if client_path.is_dir() else client_path.parent)


def _round_line(out: Path) -> str:
    """Which round an output folder now holds, what may be said of its pairs, and where earlier rounds went."""
    from .rounds.outputs import INDEX_NAME, read_index

    index = read_index(out) or {}
    moved = sorted(path.name for path in out.iterdir() if path.is_dir() and (path / INDEX_NAME).exists())
    return (f"for {index.get('title', 'no round')}" + (f": {index['certificate']}" if index.get("certificate") else "")
            + (f"; earlier rounds' files are in {', '.join(moved)}/" if moved else ""))


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


def run_validate(arguments: argparse.Namespace) -> int:
    with _loading():
        from .validate import validate_client, validate_file

    if arguments.file:
        validate_file(arguments.file, arguments.mapping, template=arguments.template, lenient=arguments.lenient,
                      all_warnings=arguments.all_warnings, say=_say)
        return 0
    for client_path in _client_paths(arguments.client):
        validate_client(client_path, lenient=arguments.lenient, all_warnings=arguments.all_warnings, say=_say)
    return 0


# ------------------------------------------------------------------------------------------------
# demo
# ------------------------------------------------------------------------------------------------
def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="reports", help="where outputs go (default: ./reports)")


def run_demo(arguments: argparse.Namespace) -> int:
    with _loading():
        from .demo import run_demo as demo

    demo(arguments.out, say=_say)
    return 0


# ------------------------------------------------------------------------------------------------
# match, agreements, kit, shortlists
# ------------------------------------------------------------------------------------------------
def _configure_match(parser: argparse.ArgumentParser) -> None:
    from .design.vocabulary import OBJECTIVES

    parser.add_argument("--client", help="a client.yaml (default: every sample client, matched without adopting)")
    parser.add_argument("--out", help="also write the exports (Excel and CSV) to this folder")
    parser.add_argument("--objective", choices=tuple(OBJECTIVES), help="override the design's objective")
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
    from .matching.engine import check_time_limit

    try:
        return check_time_limit(text)
    except ToolkitError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0 (e.g. 60)") from error


def run_match(arguments: argparse.Namespace) -> int:
    with _loading():
        from .running import match_client

    for client_path in _client_paths(arguments.client):
        match_client(client_path, out=Path(arguments.out) if arguments.out else None,
                     out_by_slug=not arguments.client, objective=arguments.objective,
                     time_limit=getattr(arguments, "time_limit", None), quiet=getattr(arguments, "quiet", False),
                     dry_run=arguments.dry_run, note=arguments.note, say=_say)
    return 0


def _configure_agreements(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", help="a client.yaml (default: every sample client)")
    parser.add_argument("--out", default="agreements", help="output folder (default: ./agreements)")
    parser.add_argument("--format", default="both", choices=["html", "markdown", "both"],
                        help="agreement file format (default: both)")
    parser.add_argument("--rematch", action="store_true",
                        help="run the matching now instead of using the adopted match (nothing is adopted)")


def run_agreements(arguments: argparse.Namespace) -> int:
    with _loading():
        from .goals.agreements import write_client_agreements

    formats = ("html", "markdown") if arguments.format == "both" else (arguments.format,)
    for client_path in _client_paths(arguments.client):
        out = _out_for(arguments, client_path)
        written = write_client_agreements(client_path, out, formats=formats, use_matching=arguments.rematch)
        agreements = [path for path in written if path.parent == out and path.stem != "index"]
        _say(f"{_label(client_path)}: {len(agreements)} agreement files in {out}"
             + (f"; open {out / 'index.html'}" if "html" in formats else ""))
        _say(f"   {_round_line(out)}")
    return 0


def _configure_kit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", help="a client.yaml (default: every sample client)")
    parser.add_argument("--out", default="kit", help="folder for the kit")


def run_kit(arguments: argparse.Namespace) -> int:
    with _loading():
        from .kit import write_kit

    for client_path in _client_paths(arguments.client):
        out = _out_for(arguments, client_path)
        written = write_kit(client_path, out)
        _say(f"{_label(client_path)}: {len(written)} files in {out}"
             + ("; introductions.csv is ready for a mail merge" if any(p.name == "introductions.csv" for p in written)
                else "; no match yet, so no introductions (run match first)"))
        _say(f"   {_round_line(out)}")
    return 0


def _configure_shortlists(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, help="the client's client.yaml (or its folder)")
    parser.add_argument("--k", type=int, default=3, help="suggested mentors per mentee (default 3)")
    parser.add_argument("--out", default="shortlists", help="folder for the pages, the form and the tables")


def run_shortlists(arguments: argparse.Namespace) -> int:
    with _loading():
        from .running import shortlist_round

    written = shortlist_round(Path(arguments.client), _out_for(arguments, Path(arguments.client)), arguments.k,
                              say=_say)
    _say(f"   {len(written)} files written under {arguments.out}")
    return 0


# ------------------------------------------------------------------------------------------------
# rematch, record, status: the programme loop (their options and workflows are in toolkit.running)
# ------------------------------------------------------------------------------------------------
def _running(name: str) -> tuple[Configure, Run]:
    """The options and the run of a programme-loop command, both in :mod:`toolkit.running` (``configure_<name>``,
    ``run_<name>``), imported when the command is parsed or run."""
    def configure(parser: argparse.ArgumentParser) -> None:
        from . import running

        getattr(running, f"configure_{name}")(parser)

    def run(arguments: argparse.Namespace) -> int:
        with _loading():
            from . import running
        return getattr(running, f"run_{name}")(arguments, say=_say)

    return configure, run


# ------------------------------------------------------------------------------------------------
# report, batch, new-client, portfolio
# ------------------------------------------------------------------------------------------------
def _configure_report(parser: argparse.ArgumentParser) -> None:
    from .reports.runner import available_reports

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
        with _loading():
            from .portfolio.report import run_portfolio_report
        html = run_portfolio_report(arguments.store, arguments.out, client=arguments.client)
        _say(f"portfolio report: {html}")
        if arguments.pdf:
            _say(f"PDF: {_pdf(html)}")
        return 0
    if not arguments.client:
        raise ToolkitError(f"The {arguments.name} report needs a client.", fix="add --client CLIENT.yaml")
    params = ({"client": arguments.client, "portfolio": str(arguments.portfolio)} if arguments.portfolio
              else arguments.client)
    if arguments.portfolio and arguments.name != "impact":
        raise ToolkitError("Only the impact report compares with a portfolio.", fix="leave out --portfolio")
    with _loading():
        from .reports import run
    result = run(arguments.name, params, _out_for(arguments, Path(arguments.client)), dry_run=arguments.dry_run)
    _say(f"{result.report} report for {result.client}: {result.html} ({result.seconds:.1f} s)")
    if arguments.pdf:
        _say(f"PDF: {_pdf(result.html)}")
    return 0


def _pdf(html: Path) -> Path:
    """The report printed to PDF beside its HTML (the system Chromium)."""
    with _loading():
        from .reports.pdf import to_pdf
    return to_pdf(html)


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
    with _loading():
        from .reports import available_reports, batch
    table = batch(arguments.clients, arguments.reports or available_reports(), arguments.out,
                  workers=arguments.workers, scheduler=arguments.scheduler, upload=arguments.upload,
                  dry_run=arguments.dry_run)
    _say(table.drop(columns="detail").to_string(index=False))
    if arguments.pdf:
        for row in table[table["status"] == "ok"].itertuples():
            _say(f"PDF: {_pdf(row.detail)}")
    failures = table[table["status"] != "ok"]
    for row in failures.itertuples():
        _say(f"FAILED {row.client} {row.report}: {row.detail}")
    return 1 if len(failures) else 0


def _configure_new_client(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the client's name, e.g. \"Acme Ltd\"")
    parser.add_argument("--out", default="clients", help="folder to create the client folder in")


def run_new_client(arguments: argparse.Namespace) -> int:
    with _loading():
        from .reports import new_client
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


def _configure_portfolio(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("add", "build"),
                        help="add: one client's programme; build: every client in a folder")
    parser.add_argument("--store", required=True, help="the portfolio file (.duckdb), created if it does not exist")
    parser.add_argument("--client", help="with add: the client's client.yaml (or its folder)")
    parser.add_argument("--clients", help="with build: a folder holding one folder per client")
    parser.add_argument("--as-of", dest="as_of", help="the day the programmes are looked at, YYYY-MM-DD (default: today)")


def run_portfolio(arguments: argparse.Namespace) -> int:
    with _loading():
        from .portfolio import add_client, build_portfolio
        from .text import plural
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
    _say(f"{plural(len(added), 'programme')} added to {arguments.store}"
         + (f"; {len(failed)} could not be (see above)" if failed else "."))
    return 1 if failed else 0


# ------------------------------------------------------------------------------------------------
# studio, course
# ------------------------------------------------------------------------------------------------
def _configure_studio(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, help="the client's client.yaml (or its folder)")
    parser.add_argument("--port", type=int, default=None, help="the localhost port (default: a free one)")
    parser.add_argument("--preheat", default="all", metavar="PAGES",
                        help="the pages whose kernels start ahead, separated by commas (index, matching_studio, "
                             "cohort_setup, goal_builder, survey_explorer), or 'all' (default) or 'none': a page "
                             "not started ahead takes a few seconds longer to open")


def run_studio(arguments: argparse.Namespace) -> int:
    with _loading():
        from .studio import serve
    return serve(arguments.client, port=arguments.port, preheat=arguments.preheat, say=_say)


def _configure_course(parser: argparse.ArgumentParser) -> None:
    from .course.site import PAGES as COURSE_PAGES

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
    parser.add_argument("--preheat", default=None, metavar="PAGES",
                        help="with --serve: the pages run ahead of a visit, separated by commas (index and the "
                             "page names above), or 'all' (default) or 'none': each one takes a kernel's memory, "
                             "and a page not run ahead takes a few seconds longer to open")


def run_course(arguments: argparse.Namespace) -> int:
    if arguments.serve:
        if arguments.lessons:
            raise ToolkitError("--lesson only chooses pages for the offline site (--out).",
                               fix="leave out --lesson: the served course has every page")
        with _loading():
            from .course import serve_course
        return serve_course(port=arguments.port, work_dir=arguments.work, preheat=arguments.preheat, say=_say)
    if arguments.port is not None or arguments.work is not None or arguments.preheat is not None:
        raise ToolkitError("--port, --work and --preheat go with --serve.", fix="add --serve, or leave them out")
    with _loading():
        from .course import build_course
        from .course.site import PAGES as COURSE_PAGES
    out = arguments.out or "course-site"
    _say(f"Executing the course ({len(arguments.lessons or COURSE_PAGES)} pages)...")
    written = build_course(out, lessons=arguments.lessons, say=_say)
    _say(f"Course site: {len(written)} pages; open {written[0]}")
    return 0


# ------------------------------------------------------------------------------------------------
# The command table: one row per command, in the order --help lists them.
# ------------------------------------------------------------------------------------------------
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
    "rematch": (*_running("rematch"),
                "re-match people whose pair ended, keeping every active pair; introductions for new pairs only"),
    "record": (*_running("record"),
               "record what happened: a person joined, left, paused or returned; a pair or circle ended"),
    "status": (*_running("status"),
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


def build_parser(only: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``only``, only those commands' options are added (the others are
    listed by name and help, which is all the top-level help shows), so parsing one command loads nothing else."""
    parser = argparse.ArgumentParser(
        prog="mentoring-toolkit",
        description="Design, match, run and measure workplace mentoring programmes.",
    )
    parser.add_argument("--version", action="version", version=f"mentoring-toolkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (configure, _, help_text) in COMMANDS.items():
        subparser = subparsers.add_parser(name, help=help_text, description=help_text)
        if only is None or name in only:
            configure(subparser)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The command a command line names (its first word that is not an option; the top level takes no values)."""
    words = [word for word in argv if not word.startswith("-")]
    return words[0] if words and words[0] in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = _command_in(argv)
    parser = build_parser(only=[command] if command else [])
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
