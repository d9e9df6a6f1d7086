"""The kit's messages: introductions for every pair of the largest sample client, and the communications timeline.

The kit fills each message from a Jinja template. Compiling a template costs far more than filling it, so
the kit compiles each template once per process and fills it per pair. The reference, measured in the same
run, is the cost of compiling the introductions template once per pair (what the kit did before).

Run: python benchmarks/kit_templates.py
"""

from __future__ import annotations

import statistics
import time

import jinja2

from toolkit.client import load_client
from toolkit.goals.agreements import match_as_run
from toolkit.kit import communications_timeline, introduction_messages
from toolkit.resources import sample_data_dir, templates_dir

REPEATS = 5


def _best(function) -> float:
    """The median of REPEATS timed calls, after one warm-up call."""
    function()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    config = load_client(sample_data_dir() / "northwind")
    pairs = match_as_run(config)
    count = len(pairs.pairs)
    source = (templates_dir() / "messages" / "introductions.j2").read_text(encoding="utf-8")

    def compile_per_pair() -> None:
        for _ in range(count):
            jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True).from_string(source)

    introductions = _best(lambda: introduction_messages(config, pairs))
    timeline = _best(lambda: communications_timeline(config, pairs=pairs))
    reference = _best(compile_per_pair)
    print(f"introductions for {count} pairs: {introductions * 1000:.0f} ms ({introductions / count * 1000:.2f} ms a pair)")
    print(f"communications timeline (with the introduction count): {timeline * 1000:.0f} ms")
    print(f"reference, compiling the template once per pair alone: {reference * 1000:.0f} ms "
          f"(introductions take {introductions / reference:.2f} x that)")


if __name__ == "__main__":
    main()
