"""Benchmark: peer pairs and circles at scale, against an independent solve in the same run.

    python benchmarks/groups_at_scale.py                 # 200, 500, 2,000 and 5,000 people, both shapes
    python benchmarks/groups_at_scale.py --sizes 200 500 # some sizes only
    python benchmarks/groups_at_scale.py --shape peers   # one shape only

Instances (fictional, built here, the same in every run): a sample client's sign-up rows repeated
with new ids (their managers, choices and exclusions renamed with them), so that many profiles tie
as they do in real cohorts:

- **peer pairs**: Northwind repeated to N people under the ``peer`` template (everyone in one pool);
- **circles**: Lumen (47 people, 9 facilitators) repeated to N people under Lumen's own design
  (``group``: circles of 4 to 6, departments balanced, reporting lines and do-not-match lists kept apart).

Methods, each in its own fresh process (so peak memory is its own and one cannot warm another):

- ``toolkit``: :func:`toolkit.matching.groups.peer_pairs` / ``form_circles`` end to end from the roster
  (rules, scoring, pruning, pricing, the certificate), no time limit;
- ``toolkit 10 s``: the same with ``time_limit=10`` (what a user waiting on a notebook would set);
- the independent reference, which shares no pruning or pricing with the toolkit:
  peer pairs: **networkx** ``max_weight_matching(maxcardinality=True)`` (pure Python blossom) on every
  allowed pair up to 500 people; at 2,000 and above **rustworkx**' blossom on every allowed pair (the
  toolkit uses the same library, on its pruned pairs only); circles: **the full integer programme**
  (every allowed link a PuLP variable, HiGHS, zero gap: the model the toolkit used before), capped at
  ``--reference-limit`` seconds (then its best and its gap as HiGHS reports them).

Columns: wall seconds and CPU seconds of the solve (the machine is shared; the CPU seconds are what it
costs, the wall seconds what a user waits, and the ratio is measured in the same run), people placed,
the total score and its difference to the reference, the status, the gap the toolkit proves, and the peak
resident memory of the process (VmHWM; it includes Python and the libraries, about 250 MB before any work).
The load average of the machine is printed before each table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SIZES = (200, 500, 2_000, 5_000)
NETWORKX_PEOPLE = 500  # networkx (pure Python) on every pair up to here; rustworkx above


# ------------------------------------------------------------------------------------------------
# Instances
# ------------------------------------------------------------------------------------------------
def repeated_roster(client: str, people: int):
    """A sample client's participants repeated with new ids (and their managers, choices and exclusions)."""
    from toolkit.client import load_client
    from toolkit.roster import Roster

    base = load_client(ROOT / "sample_data" / client).roster()
    frame = base.participants.drop(columns=["source", "source_row"], errors="ignore")
    ids = set(frame["participant_id"])
    frames, org_chart = [], {}
    for copy in range(-(-people // len(frame))):
        def tag(value, copy=copy):
            return f"{value}-{copy}" if isinstance(value, str) and value in ids else value
        part = frame.copy()
        part["participant_id"] = part["participant_id"].map(tag)
        part["manager_id"] = part["manager_id"].map(tag)
        for column in ("preferences", "exclusions", "previous_partners"):
            part[column] = part[column].map(lambda items, tag=tag: tuple(tag(item) for item in items or ()))
        part["email"] = part["email"].map(lambda e, copy=copy: e.replace("@", f"+{copy}@") if isinstance(e, str) else e)
        frames.append(part)
        org_chart.update({tag(person): tag(manager) for person, manager in base.org_chart.items()})
    frame = pd.concat(frames, ignore_index=True).iloc[:people]
    keep = set(frame["participant_id"])
    frame["manager_id"] = frame["manager_id"].map(lambda manager: manager if manager in keep else None)
    org_chart = {person: manager for person, manager in org_chart.items() if person in keep}
    return Roster.from_frame(frame, org_chart=org_chart)


def instance(shape: str, people: int):
    import toolkit as tk
    from toolkit.client import load_client

    if shape == "peers":
        return repeated_roster("northwind", people), tk.ProgramDesign.from_template("peer")
    return repeated_roster("lumen", people), load_client(ROOT / "sample_data" / "lumen").design()
