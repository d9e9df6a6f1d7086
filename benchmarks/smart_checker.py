"""SMART checker throughput: goals checked per second, against a reference measured in the same run.

Reading goals as people write them (dateparser, text2num) costs more than a few regular expressions:
the "cold" line reads every distinct goal afresh; the "every row" line is what a report pays, since a
goal read once is kept.

The reference is the least work any rule-based checker must do per goal: lower-case it, split it
into words and run one date regex. The ratio (checker time / reference time) is stable across
machines, unlike the raw rate on a shared, noisy box.

Run: python benchmarks/smart_checker.py
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import pandas as pd

from toolkit import goals

ROOT = Path(__file__).resolve().parent.parent
DATE = re.compile(r"\b([a-z]+)\.?\s+(20\d\d)\b")


def sample_goals() -> list[str]:
    texts = []
    for client in ("northwind", "riverbank", "lumen"):
        frame = pd.read_csv(ROOT / "sample_data" / client / "goal_checkins.csv")
        texts += frame["Goal"].astype(str).tolist()
    return texts


def reference(texts: list[str]) -> None:
    for text in texts:
        lowered = text.lower()
        re.findall(r"[a-z0-9%']+", lowered)
        DATE.findall(lowered)


def checker(texts: list[str]) -> None:
    library = goals.load_goal_library()
    for text in texts:
        goals.check_smart(text, programme_start="2026-03-01", programme_end="2026-11-30", library=library)


def best_of(function, texts, repeats=5) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(texts)
        timings.append(time.perf_counter() - start)
    return min(timings)


def cold(texts: list[str]) -> None:
    """Every goal read afresh: the reading caches are emptied first (the rows repeat goals)."""
    from toolkit.goals import dates, reading

    reading.read_goal.cache_clear()
    dates.numbers_as_digits.cache_clear()
    checker(texts)


def main() -> None:
    texts = sample_goals()
    distinct = list(dict.fromkeys(texts))
    goals.load_goal_library()  # load once, outside the timing
    checker(distinct[:5])  # dateparser and text2num load once, outside the timing
    reference_seconds = best_of(reference, texts)
    checker_seconds = best_of(checker, texts)
    cold_seconds = best_of(cold, distinct)
    reference_distinct = best_of(reference, distinct)
    print(f"goals: {len(texts)} (all sample check-in rows), {len(distinct)} distinct")
    print(f"reference (tokenise + one regex): {len(texts) / reference_seconds:,.0f} goals/s")
    print(f"check_smart, every row:           {len(texts) / checker_seconds:,.0f} goals/s "
          "(a goal read once is not read again)")
    print(f"check_smart, distinct goals cold: {len(distinct) / cold_seconds:,.0f} goals/s")
    print(f"ratio check_smart / reference time: {checker_seconds / reference_seconds:.1f}x every row, "
          f"{cold_seconds / reference_distinct:.1f}x cold")
    verdicts = [goals.check_smart(t, programme_start="2026-03-01", programme_end="2026-11-30") for t in texts]
    weak = sum(not v.ok for v in verdicts)
    print(f"weak goals among the sample rows: {weak} ({weak / len(texts):.0%}); "
          f"median letters missing: {statistics.median(len(v.missing) for v in verdicts)}")


if __name__ == "__main__":
    main()
