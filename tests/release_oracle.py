"""An attacker with every release of a client: how far can they pin down each hidden cell? (scipy LP)

Independent of ``toolkit.ledger``: it reads the true groups of every release and which rows were shown,
never the engine's reasons. The attacker knows

* every shown row: its people count, each sub-count (mentees, matched...) and the sum of its answers
  (mean x count);
* for a table whose rows add up to a total (a partition), the totals: people, each sub-count and the
  sum of answers (captions and prose print them);
* the labels of a table's hidden rows (the departments are known), unless the table shows no row at all
  (then it shows only its totals, as the reports do);
* that a hidden group has someone in it, a sub-count lies between 0 and its row's people, and a sum
  lies between the lowest and highest answer times the count;
* that two counts of the same population, attribute and label are one number (readiness's mentees of
  Finance, the fairness table's Finance: both count Finance's mentees), in one release or in two
  releases whose every change they know;
* ``known``: a set of fewer than ``min_group`` people whose answers and moves they know (themselves, a
  colleague, "one known response"). When everyone who changed between two releases is in ``known``,
  they know exactly how every row changed, so the two releases' rows are linked.

A hidden cell **leaks** when the attacker can pin its people count (or, knowing nobody, in a table whose
rows add up to a total, can tell it is below the threshold: a hidden separate measure is known to be
small, and a reader who knows people inside a hidden group always knows more about its size; what
they must never do is work it out), its sub-count (unless the total says the same of everyone), or its sum of answers, unless
the cell holds only known people, or an earlier release showed the same row and the attacker knows
exactly how it changed since (then nothing new is learned). A hidden group of at least the threshold
whose count was shown before (or in another table of the same release), as a row or a sub-count, may
have that count pinned: it is known, not learned; the groups it was meant to protect are checked
themselves. A group below the threshold never may: that is "each table shows what the other hides".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog


@dataclass
class Cell:
    """One row of one table in one release, as it truly is, and whether it was shown."""

    release: int
    key: str
    attribute: str
    label: str
    people: frozenset
    shown: bool
    partition: bool = True
    parts: dict = field(default_factory=dict)     # population name -> frozenset of people (mentees, matched)
    values: dict | None = None                    # person -> answer (the row shows their mean)
    population: str = ""                          # who the row counts (default: the table's key)


def _changed(cohorts, first: int, second: int) -> set:
    """Everyone whose facts (membership, answers) differ between two releases."""
    one, two = cohorts[first], cohorts[second]
    return {person for person in set(one) | set(two) if one.get(person) != two.get(person)}


class _Model:
    def __init__(self) -> None:
        self.names: list = []
        self.index: dict = {}
        self.bounds: list = []
        self.eq: list = []
        self.ub: list = []

    def var(self, name, low, high):
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
            self.bounds.append((low, high))
        return self.index[name]

    def equal(self, terms: dict, value: float) -> None:
        self.eq.append((terms, value))

    def at_most(self, terms: dict, value: float) -> None:
        self.ub.append((terms, value))

    def _matrix(self, rows):
        matrix = np.zeros((len(rows), len(self.names)))
        for number, (terms, _) in enumerate(rows):
            for variable, coefficient in terms.items():
                matrix[number, variable] += coefficient
        return matrix, np.array([value for _, value in rows], dtype=float)

    def range_of(self, variable: int) -> tuple[float, float]:
        if getattr(self, "_built", None) != (len(self.eq), len(self.ub), len(self.names)):
            self._arrays = self._matrix(self.eq) + self._matrix(self.ub)
            self._built = (len(self.eq), len(self.ub), len(self.names))
        a_eq, b_eq, a_ub, b_ub = self._arrays
        objective = np.zeros(len(self.names))
        objective[variable] = 1
        found = []
        for sign in (1, -1):
            result = linprog(sign * objective, A_eq=a_eq if len(self.eq) else None, b_eq=b_eq if len(self.eq) else None,
                             A_ub=a_ub if len(self.ub) else None, b_ub=b_ub if len(self.ub) else None,
                             bounds=self.bounds, method="highs")
            assert result.status == 0, f"the attacker's model has no solution: {result.message}"
            found.append(sign * result.fun)
        return found[0], found[1]


def _only_totals(cells: list[Cell]) -> list[Cell]:
    """Drop the rows of partition tables that show no row at all: such a table shows only its totals
    (about everyone), not which groups it has nor how many."""
    tables: dict = {}
    for cell in cells:
        tables.setdefault((cell.release, cell.key), []).append(cell)
    return [cell for cell in cells
            if not (cell.partition and not any(other.shown for other in tables[(cell.release, cell.key)]))]


def leaks(cells: list[Cell], min_group: int, cohorts, *, known=frozenset(), scale=(1.0, 5.0)) -> list[str]:
    """Every hidden cell the attacker can pin down (an empty list when the releases are safe).

    ``cohorts`` maps each release to the truth then: person -> their facts (any comparable value); the
    people whose facts differ between two releases are the ones who changed.
    """
    known = frozenset(known)
    cells = _only_totals(cells)
    model = _Model()
    everyone = len({person for cell in cells for person in cell.people}) or 1
    low, high = scale

    def variables(cell: Cell) -> dict:
        name = (cell.release, cell.key, cell.label)
        count = len(cell.people)
        found = {"count": model.var(name + ("count",), count if cell.shown else min(1, count),
                                    count if cell.shown else everyone)}
        for part, members in cell.parts.items():
            size = len(members)
            found[part] = model.var(name + (part,), size if cell.shown else 0, size if cell.shown else everyone)
            if not cell.shown:
                model.at_most({found[part]: 1, found["count"]: -1}, 0)
        if cell.values is not None:
            total = float(sum(cell.values.values()))
            found["sum"] = model.var(name + ("sum",), total if cell.shown else None, total if cell.shown else None)
            if not cell.shown:
                model.at_most({found["sum"]: 1, found["count"]: -high}, 0)
                model.at_most({found["sum"]: -1, found["count"]: low}, 0)
        return found

    ids = {id(cell): variables(cell) for cell in cells}
    # the totals of partition tables
    tables: dict = {}
    for cell in cells:
        if cell.partition:
            tables.setdefault((cell.release, cell.key), []).append(cell)
    for group in tables.values():
        model.equal({ids[id(cell)]["count"]: 1 for cell in group}, sum(len(cell.people) for cell in group))
        for part in {part for cell in group for part in cell.parts}:
            model.equal({ids[id(cell)][part]: 1 for cell in group if part in cell.parts},
                        sum(len(cell.parts.get(part, ())) for cell in group))
        if all(cell.values is not None for cell in group):
            model.equal({ids[id(cell)]["sum"]: 1 for cell in group},
                        sum(float(sum(cell.values.values())) for cell in group))
    # releases whose every change is known are linked (a release is linked with itself)
    releases = sorted({cell.release for cell in cells})
    linked = {(first, second) for first in releases for second in releases
              if first == second or _changed(cohorts, first, second) <= known}
    # the same attribute and label counting people who differ only by known people: the attacker knows
    # the one number from the other (readiness's mentees of Finance, the fairness table's Finance)
    quantities = [(cell, name, population, members) for cell in cells
                  for name, population, members in [("count", cell.population or cell.key, cell.people)]
                  + [(part, part, members) for part, members in cell.parts.items()]]
    for position, (cell, name, population, members) in enumerate(quantities):
        for other, other_name, other_population, other_members in quantities[position + 1:]:
            if (cell.attribute, cell.label, population) == (other.attribute, other.label, other_population) \
                    and (cell.release, other.release) in linked and members ^ other_members <= known:
                model.equal({ids[id(cell)][name]: 1, ids[id(other)][other_name]: -1},
                            len(members) - len(other_members))
    # a hidden group of at least min_group people whose count an earlier (or this) release showed, as a row
    # or a sub-count, is known, not learned: it may be pinned (the small groups around it are checked)
    # (and a hidden row's sub-count likewise: readiness's mentees of Legal, after the fairness table showed
    # Legal's mentees and the attacker knows who joined since)
    known_before = set()
    for cell, name, population, members in quantities:
        if cell.shown or (name == "count" and len(members) < min_group):
            continue
        for other, _other_name, other_population, other_members in quantities:
            if other.shown and other.release <= cell.release and (other.release, cell.release) in linked \
                    and (other.attribute, other.label, other_population) == (cell.attribute, cell.label, population) \
                    and members ^ other_members <= known:
                known_before.add((id(cell), name))
    # the same row in linked releases: its answers' sum changed by what the attacker knows
    exempt = set()
    for cell in cells:
        for earlier in cells:
            if earlier.release >= cell.release or (earlier.key, earlier.label) != (cell.key, cell.label) \
                    or (earlier.release, cell.release) not in linked:
                continue
            if "sum" in ids[id(cell)] and "sum" in ids[id(earlier)]:
                model.equal({ids[id(cell)]["sum"]: 1, ids[id(earlier)]["sum"]: -1},
                            _value(cell, "sum") - _value(earlier, "sum"))
            if earlier.shown:
                exempt.add(id(cell))  # shown before, and the attacker knows exactly how it changed since
    failures = []
    for cell in cells:
        if cell.shown or id(cell) in exempt or cell.people <= known:
            continue
        where = f"release {cell.release}, {cell.key}, {cell.label!r}"
        smallest, largest = model.range_of(ids[id(cell)]["count"])
        if largest - smallest < 1e-6 and (id(cell), "count") not in known_before:
            failures.append(f"{where}: its people count is pinned at {smallest:g}")
        elif cell.partition and not known and largest < min_group - 1e-6:  # see "can tell" above
            failures.append(f"{where}: the reader can tell it has fewer than {min_group} people (at most {largest:g})")
        for part in cell.parts:
            group = tables.get((cell.release, cell.key), [cell])
            total = sum(len(other.parts.get(part, ())) for other in group)
            everyone_in_table = sum(len(other.people) for other in group)
            if 0 < total < everyone_in_table and (id(cell), part) not in known_before:
                smallest, largest = model.range_of(ids[id(cell)][part])
                if largest - smallest < 1e-6:
                    failures.append(f"{where}: its {part} count is pinned at {smallest:g}")
        if cell.values is not None:
            smallest, largest = model.range_of(ids[id(cell)]["sum"])
            if largest - smallest < 1e-6:
                failures.append(f"{where}: its answers' sum is pinned at {smallest:g}")
    return failures


def _value(cell: Cell, name: str) -> float:
    if name == "count":
        return float(len(cell.people))
    if name == "sum":
        return float(sum(cell.values.values()))
    return float(len(cell.parts[name]))
