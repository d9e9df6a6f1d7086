"""The demo: everything the toolkit does, run on a copy of each bundled sample client.

Per sample client, on its copy (the samples themselves stay read-only): validate, then the steps of
:data:`DEMO_STEPS` in order (match, agreements, kit, a shortlist round, a re-match, the reports), each a
call into its stage; then the practice's portfolio of the sample clients and the generated past
programmes. The samples tell a finished programme's year, so the demo replays it: the match is adopted on
the day the files say the first pairs were matched, the re-match half-way through.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .client import load_client
from .errors import ConfigError, ToolkitError
from .goals.agreements import write_client_agreements
from .kit import write_kit
from .matching.exports import export_match
from .portfolio import add_generated, build_portfolio
from .portfolio.report import run_portfolio_report
from .programme import build_timeline
from .reports import DEMO_REPORTS, REPORTS, run
from .resources import sample_data_dir
from .rounds import adopt, client_match
from .running import rematch_round, shortlist_round
from .text import plural
from .validate import validate_client

if TYPE_CHECKING:
    from .client import ClientConfig
    from .programme.timeline import Timeline

__all__ = ["DEMO_STEPS", "run_demo", "demo_copy", "demo_match", "demo_agreements", "demo_kit", "demo_shortlists",
           "demo_rematch", "demo_reports", "demo_portfolio", "demo_day", "demo_match_day"]

Say = Callable[[str], None]


def _say(text: str = "") -> None:
    print(text, flush=True)


def run_demo(out: str | Path, *, say: Say = _say) -> list[Path]:
    """Run the demo into ``out`` (a folder per sample client, and ``portfolio/``); returns every file written."""
    out = Path(out)
    clients = sorted(sample_data_dir().glob("*/client.yaml"))
    if not clients:
        raise ToolkitError(f"No sample clients found under {sample_data_dir()}.",
                           fix="reinstall the toolkit: the sample clients ship inside it")
    written: list[Path] = []
    copies: list[Path] = []
    for sample_path in clients:
        # The demo works on a copy of each sample client: its match is adopted there, never in the samples.
        client_path = demo_copy(sample_path, out / sample_path.parent.name / "client")
        copies.append(client_path)
        validate_client(client_path, say=say)
        for name, step in DEMO_STEPS:
            paths = step(client_path, out / sample_path.parent.name)
            written += paths
            if not paths:  # a step this sample does not use (shortlists and re-match need ranked choices)
                say(f"   {name}: not used by this sample client")
                continue
            shown = _headline_file(paths)
            say(f"   {name}: {plural(len(paths), 'file')} written" + (f", open {shown}" if shown else ""))
        say("")
    say("== The practice's portfolio")
    portfolio = demo_portfolio(out, copies, say=say)
    written += portfolio
    say(f"   portfolio report: open {portfolio[-1]}")
    say("")
    if written:
        say(f"Everything is under {out}/ (one folder per client, and portfolio/).")
    say(f"Demo finished for {len(clients)} sample clients.")
    return written


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


# ------------------------------------------------------------------------------------------------
# The steps: (client_path, out_dir) -> the files written
# ------------------------------------------------------------------------------------------------
def demo_match(client_path: Path, out_dir: Path, *, say: Say = _say) -> list[Path]:
    """The sample's match, adopted as of the day its files say the first pairs were matched: the demo replays the
    sample's year, whose files were written for this match (its second cohort was matched with the first)."""
    config = load_client(client_path)
    day = demo_match_day(config)
    result = client_match(config)
    adopted = adopt(config, result, design=config.design(), note="the demo's match",
                    now=dt.datetime.combine(day, dt.time(9, 0)))
    say(f"   match: {result.summary()}")
    say(f"   adopted as round {adopted.number} in {adopted.folder}")
    return export_match(result, out_dir / "match")


def demo_agreements(client_path: Path, out_dir: Path) -> list[Path]:
    return write_client_agreements(client_path, out_dir / "agreements")


def demo_kit(client_path: Path, out_dir: Path) -> list[Path]:
    return write_kit(client_path, out_dir / "kit")


def demo_shortlists(client_path: Path, out_dir: Path, *, say: Say = _say) -> list[Path]:
    """A shortlist round, for a sample whose mentees ranked their shortlists (``choices:``)."""
    if not load_client(client_path).get("choices"):
        return []
    return shortlist_round(client_path, out_dir / "shortlists", say=say)


def demo_rematch(client_path: Path, out_dir: Path, *, say: Say = _say) -> list[Path]:
    """The demo re-matches a sample client with ranked choices (see :func:`demo_day`)."""
    config = load_client(client_path)
    if not config.get("choices"):
        return []
    return rematch_round(client_path, out_dir / "rematch", demo_day(config).isoformat(), say=say)


def demo_reports(client_path: Path, out_dir: Path) -> list[Path]:
    """The demo's reports the sample's files allow (a report needing a file the sample lacks is left out)."""
    config = load_client(client_path)
    return [run(report, client_path, out_dir / "reports").html for report in DEMO_REPORTS
            if all(config.get(key) for key in REPORTS[report]["needs"])]


# The demo's steps after validation, in order: (name, function(client_path, out_dir) -> written paths).
DEMO_STEPS: tuple[tuple[str, Callable[[Path, Path], list[Path]]], ...] = (
    ("match", demo_match),
    ("agreements", demo_agreements),
    ("kit", demo_kit),
    ("shortlist round", demo_shortlists),
    ("re-match", demo_rematch),
    ("reports", demo_reports),  # last: the reports describe the programme as it ends, after the re-match
)


def demo_portfolio(out: Path, clients: list[Path], *, say: Say = _say) -> list[Path]:
    """The demo's portfolio: the sample clients (their demo copies) and the generated past programmes."""
    store = out / "portfolio" / "portfolio.duckdb"
    added, _ = build_portfolio(store, clients, progress=say)
    generated = add_generated(store, sample_data_dir() / "portfolio" / "generated_programmes.json")
    say(f"   portfolio: {plural(len(added), 'sample client')} and {generated} generated past programmes in {store}")
    # The report compares the largest sample programme with the others (any one would do).
    highlight = next((path for path in clients if path.parent.parent.name == "northwind"), clients[0] if clients else None)
    return [store, run_portfolio_report(store, out / "portfolio", client=highlight)]


# ------------------------------------------------------------------------------------------------
# The sample's days
# ------------------------------------------------------------------------------------------------
def _programme_dates(timeline: Timeline) -> tuple[dt.date, dt.date]:
    """The programme's first and last day; the demo needs both (the sample clients give them)."""
    if timeline.start is None or timeline.end is None:
        raise ConfigError(f"{timeline.config.path.name} gives no programme dates, which the demo needs.",
                          path=timeline.config.path, fix="add programme: start_date: and end_date: (YYYY-MM-DD)")
    return timeline.start, timeline.end


def demo_day(config: ClientConfig) -> dt.date:
    """The day the demo re-matches a sample client: half-way through its programme, or the day after the last pair
    its files record as matched, if later (a re-match follows the pairs already made)."""
    timeline = build_timeline(config)
    start, end = _programme_dates(timeline)
    middle = start + (end - start) / 2
    matched = [day for day in timeline.units["matched_on"] if day is not None]
    return min(max([middle] + [day + dt.timedelta(days=1) for day in matched]), end, timeline.today)


def demo_match_day(config: ClientConfig) -> dt.date:
    """The day the demo adopts a sample client's first match: the day its files record the first pairs matched,
    else its programme's start (the samples tell a finished programme's year, so the demo replays it)."""
    timeline = build_timeline(config)
    matched = [day for day in timeline.units["matched_on"] if day is not None]
    return min(matched) if matched else _programme_dates(timeline)[0]
