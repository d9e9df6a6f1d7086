"""What every product of the kit reads: the client (or a bare design), the programme window, the dates
messages are sent on, and the words messages share (cadence, contacts, the scarce mentors)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from ..client import ClientConfig, load_client
from ..disclosure import client_readiness, client_release
from ..errors import DesignError
from ..programme.dates import first_meeting_due, introduced_on
from ..rounds import current_round
from .training import training_plan

if TYPE_CHECKING:
    from ..design.model import ProgramDesign
    from ..ledger import Release
    from ..matching.readiness import Readiness
    from ..roster import Roster

    # What the kit is made from: a client (its client.yaml path or the loaded client), or a bare design.
    KitSource: TypeAlias = str | Path | ClientConfig | ProgramDesign

__all__ = ["programme_window", "weekday_within", "long_date", "message_context", "kit_sources", "has_match"]


def programme_window(design: ProgramDesign) -> tuple[dt.date, dt.date]:
    """Launch (start_date) to close (end_date, or start plus the design's duration)."""
    start, end = design.start_date, design.planned_end_date  # the end is known whenever the start is
    if start is None or end is None:
        raise DesignError(f"The design {design.name!r} has no start date, so messages cannot be dated.",
                          fix="set programme.start_date in client.yaml (or override start_date on the design)")
    return start, end


def weekday_within(day: dt.date, first: dt.date, last: dt.date) -> dt.date:
    forward = day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    if forward <= last:
        return max(forward, first)
    backward = day - dt.timedelta(days=max(0, day.weekday() - 4))
    return max(backward, first)


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def message_context(config: ClientConfig | None, design: ProgramDesign, roster: Roster | None, readiness: Readiness | None,
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
        "start": long_date(start), "end": long_date(end),
        "signup_close": long_date(weekday_within(start + dt.timedelta(days=14), start, end)),
        "introductions": long_date(weekday_within(introduced_on(start, start), start, end)),
        "roles": roles[design.shape], "coordinator": contacts.get("programme_coordinator") or contacts.get(
            "consultant") or "the programme team", "sponsor": contacts.get("sponsor") or "the programme sponsor",
        "scarce": scarce, "mentor_minutes": modules_plan.minutes("mentor_training"),
        "mentee_minutes": modules_plan.minutes("mentee_orientation"), "unit": unit, "partner_word": partner_word,
        "introduction_count": introduction_count,
        "min_group": (config.privacy["min_group"] if config is not None else 5),
        "first_meeting_by": long_date(first_meeting_due(start, start, end)),
    }


def kit_sources(client: KitSource, release: Release | None = None
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


def has_match(config: ClientConfig) -> bool:
    """Whether the client has a match to introduce: an adopted round, or a pairs/circles file."""
    return current_round(config) is not None or bool(config.get("pairs") or config.get("circles"))
