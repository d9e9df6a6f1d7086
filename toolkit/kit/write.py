"""The whole kit written for one round of a client: training plan, timeline (CSV, Excel, iCalendar),
introductions, leadership brief."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..client import ClientConfig, load_client
from ..disclosure import client_release
from ..files import write_csv, write_excel, write_text
from ..goals.agreements import match_as_run
from ..resources import is_sample_client
from ..rounds import current_round, round_label, write_for_round
from .brief import leadership_brief
from .communications import communications_timeline, to_icalendar
from .context import has_match
from .introductions import introduction_messages
from .training import training_plan

if TYPE_CHECKING:
    from ..ledger import Release
    from ..matching.result import MatchResult

__all__ = ["write_kit"]


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
    elif pairs is None and has_match(config):
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
