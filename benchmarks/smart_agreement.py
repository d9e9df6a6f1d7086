"""How often the SMART checker agrees with goals labelled by hand: overall and letter by letter.

Two sets of goals as people write them (tests/fixtures/goals/people_wrote.yaml), labelled before the
checker was changed for issue 23:

* tuning   - the checker's reading rules were developed against these;
* held_out - never used to tune the checker: its figure is the honest one.

The older labelled set (tests/fixtures/goals_labelled.yaml, other programme dates) is printed too.

Run: python benchmarks/smart_agreement.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from toolkit import goals

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = ROOT / "tests" / "fixtures" / "goals" / "people_wrote.yaml"
OLDER = ROOT / "tests" / "fixtures" / "goals_labelled.yaml"


def agreement(items: list[dict], start, end) -> dict[str, tuple[int, int]]:
    """(agreed, total) overall and per SMART letter."""
    counts = {name: [0, 0] for name in ("overall", *goals.SMART_LETTERS)}
    for item in items:
        check = goals.check_smart(item["goal"], programme_start=start, programme_end=end)
        fails = set(item.get("fails", item.get("missing", [])))
        counts["overall"][0] += (item["label"] == "good") == check.ok
        counts["overall"][1] += 1
        for letter in goals.SMART_LETTERS:
            counts[letter][0] += (letter in fails) == (letter in check.missing)
            counts[letter][1] += 1
    return {name: (agreed, total) for name, (agreed, total) in counts.items()}


def line(name: str, counts: dict[str, tuple[int, int]]) -> str:
    agreed, total = counts["overall"]
    letters = "  ".join(f"{letter[0].upper()} {counts[letter][0] / counts[letter][1]:.0%}"
                        for letter in goals.SMART_LETTERS)
    return f"{name:<26} overall {agreed}/{total} = {agreed / total:.0%}   letters: {letters}"


def main(argv: list[str]) -> None:
    people = yaml.safe_load(PEOPLE.read_text(encoding="utf-8"))
    start, end = people["programme_start"], people["programme_end"]
    sets = ["tuning", "held_out"] if "--tuning-only" not in argv else ["tuning"]
    print("SMART checker agreement with goals labelled by hand (programme "
          f"{start:%d %b %Y} to {end:%d %b %Y}):")
    for name in sets:
        print(line(f"{name} ({len(people[name])} goals)", agreement(people[name], start, end)))
    older = yaml.safe_load(OLDER.read_text(encoding="utf-8"))
    print(line(f"older set ({len(older['goals'])} goals)",
               agreement(older["goals"], older["programme_start"], older["programme_end"])))


if __name__ == "__main__":
    main(sys.argv[1:])
