"""A new client folder: a commented client.yaml and a participants.csv header to fill in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..errors import ReportError
from ..files import output_folder
from ..intake.schema import FIELDS

__all__ = ["new_client"]


_CLIENT_TEMPLATE = """\
# {name}: a new client. Paths are relative to this file.
# Check it with: mentoring-toolkit validate --client {slug}/client.yaml
client: {name}
slug: {slug}
programme:
  template: formal          # formal | informal | peer | reverse | group | virtual
  name: {name} mentoring programme
  start_date: {start}
  end_date: {end}
participants:
- path: participants.csv    # the sign-up export, as the client sent it (CSV or Excel)
privacy:
  min_group: 5              # groups smaller than this are never shown in reports
  min_comments: 10
fairness_attributes: [department, site]
currency: GBP               # money in reports: GBP, EUR, USD, ...
# branding:                 # the report header (uncomment to use)
#   logo: logo.png          # a PNG, JPEG or SVG next to this file; embedded, never fetched
#   accent: "#1c7ed6"       # the header colour, in quotes
#   consultancy: Your consultancy name
"""


def new_client(name: str, out: str | Path = ".") -> Path:
    """Create ``<out>/<slug>/`` with a commented client.yaml and a participants.csv header to fill in."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    if not slug:
        raise ReportError(f"{name!r} cannot be used as a client name.", fix="use letters or digits, e.g. acme")
    folder = output_folder(out) / slug
    if folder.exists():
        raise ReportError(f"{folder} already exists; nothing was changed.",
                          fix="choose another name, or delete or rename that folder first", path=folder)
    folder.mkdir(parents=True)
    today = dt.date.today()
    start = today.replace(day=1) + dt.timedelta(days=62)
    start = start.replace(day=1)
    end = (start + dt.timedelta(days=9 * 31)).replace(day=1) - dt.timedelta(days=1)
    (folder / "client.yaml").write_text(
        _CLIENT_TEMPLATE.format(name=name.strip(), slug=slug, start=start.isoformat(), end=end.isoformat()),
        encoding="utf-8")
    headers = [field.name for field in FIELDS if field.name in ("participant_id", "name", "email", "role",
                                                                  "department", "site", "seniority", "capacity",
                                                                  "skills_offered", "skills_sought")]
    (folder / "participants.csv").write_text(",".join(headers) + "\n", encoding="utf-8")
    return folder
