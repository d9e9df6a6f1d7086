"""Benchmark: a shortlist round and a mid-programme re-match at Northwind size, against one plain match.

    python benchmarks/running_rounds.py              # the Northwind sample client (492 people, 3 repeats)
    python benchmarks/running_rounds.py --repeats 1

Times (median of the repeats, roster and design loaded once):

- ``match``: ``tk.match(roster, design)``, the reference measured in the same run;
- ``shortlists``: ``tk.shortlists(roster, design, k=3)`` (a certified match, then the fill);
- ``match on choices``: ``tk.match(roster, design, choices=...)`` with Northwind's returned form;
- ``re-match``: ``tk.rematch(...)`` half-way through the programme, from the client's logs.

Each is printed with its ratio to the plain match, and the first-choice and top-3 shares.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import toolkit as tk
from toolkit.measure.relationships import rematch_history

NORTHWIND = Path(__file__).resolve().parents[1] / "sample_data" / "northwind" / "client.yaml"


def timed(function, repeats: int):
    seconds, value = [], None
    for _ in range(repeats):
        clock = time.perf_counter()
        value = function()
        seconds.append(time.perf_counter() - clock)
    return statistics.median(seconds), value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args(argv)
    config = tk.load_client(NORTHWIND)
    roster, design = config.roster(), config.design()
    choices = tk.load_choices(config.get("choices"))
    middle = design.start_date + (design.planned_end_date - design.start_date) / 2
    history = rematch_history(config, as_of=middle.isoformat())
    print(f"Northwind: {len(roster)} people ({len(roster.mentees)} mentees, {len(roster.mentors)} mentors); "
          f"{len(history['active'])} active and {len(history['ended'])} ended pairs on {middle}.")
    reference, _ = timed(lambda: tk.match(roster, design), arguments.repeats)
    rows = [("match (reference)", reference, "")]
    seconds, listed = timed(lambda: tk.shortlists(roster, design, 3), arguments.repeats)
    rows.append(("shortlists, k = 3", seconds, listed.summary()))
    seconds, chosen = timed(lambda: tk.match(roster, design, choices=choices), arguments.repeats)
    outcome = tk.choice_outcomes(chosen)
    rows.append(("match on choices", seconds, f"first choice {outcome['first_share']:.1%}, top 3 "
                                              f"{outcome['top3_share']:.1%} of {outcome['ranked']} who ranked"))
    seconds, done = timed(lambda: tk.rematch(roster, design, active=history["active"], ended=history["ended"],
                                             leavers=history["leavers"]), arguments.repeats)
    rows.append(("re-match", seconds, done.summary()))
    for name, value, note in rows:
        print(f"{name:<20} {value:7.2f} s  x{value / reference:5.2f} of a plain match   {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
