"""The command line: ``mentoring-toolkit`` (also ``python -m toolkit``).

Exit codes: 0 everything worked; 1 some runs failed (batch); 2 bad usage or bad input.
Errors from the toolkit are printed as their message (what, where, fix), never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Callable

from .errors import ToolkitError

__all__ = ["main", "command", "COMMANDS"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO_ROOT / "sample_data"

# name -> (configure parser, run); filled by @command below, in the order the help lists them.
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None] | None = None):
    """Register a sub-command: ``@command("validate", "check a client's files", configure)``."""

    def register(run: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (configure or (lambda parser: None), run, help_text)
        return run

    return register


def _say(text: str = "") -> None:
    print(text, flush=True)


def _client_paths(argument: str | None) -> list[Path]:
    if argument:
        return [Path(argument)]
    return sorted(SAMPLE_DATA.glob("*/client.yaml"))


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


def validate_client(client_path: Path, *, lenient: bool = False) -> tuple[object, object]:
    """Load one client's roster and design and print the intake and readiness summary."""
    from .client import load_client

    config = load_client(client_path)
    design = config.design()
    roster = config.roster(lenient=lenient)
    _print_roster_report(config.name, roster, design)
    return roster, design


def _print_roster_report(title: str, roster, design) -> None:
    _say(f"== {title}: {design.name}")
    _say(textwrap.indent(roster.intake_summary().to_string(index=False), "   "))
    _say(f"   {roster.summary()}")
    for warning in roster.warnings[:10]:
        _say(f"   warning: {warning.describe()}")
    if len(roster.warnings) > 10:
        _say(f"   ... and {len(roster.warnings) - 10} more warnings (roster.warnings)")
    if len(roster.rejected):
        _say(f"   {len(roster.rejected)} rows set aside:")
        for row in roster.rejected.itertuples():
            _say(f"     {row.source} row {row.row}: {row.reasons}")
    readiness = roster.readiness(design)
    _say(textwrap.fill(readiness.summary(), width=100, initial_indent="   ", subsequent_indent="   "))
    _say()


@command("validate", "check a client's participant files and programme design, and print readiness",
         _configure_validate)
def run_validate(arguments: argparse.Namespace) -> int:
    if arguments.file:
        from .design import ProgramDesign
        from .intake import load_roster

        roster = load_roster(arguments.file, arguments.mapping, lenient=arguments.lenient)
        _print_roster_report(Path(arguments.file).name, roster, ProgramDesign.from_template(arguments.template))
        return 0
    for client_path in _client_paths(arguments.client):
        validate_client(client_path, lenient=arguments.lenient)
    return 0


# ------------------------------------------------------------------------------------------------
# demo
# ------------------------------------------------------------------------------------------------


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="reports", help="where outputs go (default: ./reports)")


# Steps later features add to the demo: name -> function(client_path, out_dir) -> list of written paths.
DEMO_STEPS: dict[str, Callable[[Path, Path], list[Path]]] = {}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _headline_file(paths: list[Path]) -> Path | None:
    """The file to open first among a step's outputs: an HTML index or report, else the first file."""
    html = [Path(path) for path in paths if str(path).endswith(".html")]
    for path in html:
        if path.stem == "index":
            return path
    return html[0] if html else (Path(paths[0]) if paths else None)


@command("demo", "run everything on the bundled sample clients", _configure_demo)
def run_demo(arguments: argparse.Namespace) -> int:
    out = Path(arguments.out)
    clients = _client_paths(None)
    if not clients:
        raise ToolkitError(f"No sample clients found under {SAMPLE_DATA}.",
                           fix="run python -m toolkit.sample to generate them")
    written: list[Path] = []
    for client_path in clients:
        validate_client(client_path)
        for name, step in DEMO_STEPS.items():
            paths = step(client_path, out / client_path.parent.name)
            written += paths
            shown = _headline_file(paths)
            _say(f"   {name}: {_count(len(paths), 'file')} written" + (f", open {shown}" if shown else ""))
        _say()
    if written:
        _say(f"Everything is under {out}/ (one folder per client).")
    _say(f"Demo finished for {len(clients)} sample clients.")
    return 0


# ------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="mentoring-toolkit",
        description="Design, match, run and measure workplace mentoring programmes.",
    )
    parser.add_argument("--version", action="version", version=f"mentoring-toolkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (configure, _, help_text) in COMMANDS.items():
        configure(subparsers.add_parser(name, help=help_text, description=help_text))
    return parser


def _load_plugins() -> None:
    """Import the modules that register further commands (each is optional while features land)."""
    import importlib

    for module in (
        "toolkit.exports",
        "toolkit.matching",
        "toolkit.goals",
        "toolkit.survey",
        "toolkit.impact",
        "toolkit.reports",
        "toolkit.programme_kit",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise


def main(argv: list[str] | None = None) -> int:
    _load_plugins()
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
