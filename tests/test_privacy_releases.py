"""Hidden values must not come back across tables, captions and releases (issue 24, item 2).

Each test plays a client's releases through the release ledger and hands everything published to an
attacker (``release_oracle.leaks``: scipy's LP over every table of every release, with the people the
attacker knows). The same releases decided the old way (each table on its own, no history) are shown
to leak, so the tests can fail.
"""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from release_oracle import Cell, leaks

from toolkit.errors import ToolkitError
from toolkit.ledger import LEDGER_MIME, Decision, Ledger, Row, Table, release_outputs, strip_release_outputs
from toolkit.privacy import hidden_rows

K = 5


def people(prefix: str, count: int, start: int = 0) -> list[str]:
    return [f"{prefix}{number:03d}" for number in range(start, start + count)]


# who each table's rows count: the fairness table counts the mentees, as readiness's "mentees" beside
POPULATION = {"people to match by department": "mentees"}


def cells_of(release: int, table: Table, decision) -> list[Cell]:
    """The oracle's view of one table: the truth of each row and whether it was shown (with the empty
    rows the engine adds for groups a linked table has)."""
    rows = {row.label: row for row in table.rows}
    return [Cell(release, table.key, table.attribute, label, frozenset(rows[label].people if label in rows else ()),
                 decision.shows(label), table.partition,
                 {name: frozenset(members) for name, members in rows[label].parts.items()} if label in rows else {},
                 None if label not in rows or rows[label].answers is None else dict(rows[label].answers),
                 POPULATION.get(table.key, ""))
            for label in decision.labels]


def same_cohort(releases: list) -> dict:
    """The truth when nothing changes between releases (the same people, the same answers)."""
    return {number: {"everyone": "unchanged"} for number in range(1, len(releases) + 1)}


def cohorts_of(releases: list[list[Table]]) -> dict:
    """The truth of each release read from its tables: each person's rows and answers."""
    found = {}
    for number, tables in enumerate(releases, start=1):
        facts: dict = {}
        for table in tables:
            for row in table.rows:
                for person in row.people:
                    answer = None if row.answers is None else row.answers.get(person)
                    facts.setdefault(person, set()).add((table.key, row.label, answer))
        found[number] = {person: frozenset(values) for person, values in facts.items()}
    return found


def play(releases: list[list[Table]], *, anticipate: list[list[Table]] | None = None, ledger: Ledger | None = None):
    """Decide each release with the ledger; the oracle's cells for everything published."""
    ledger = ledger or Ledger(None, K)
    cells = []
    for number, tables in enumerate(releases, start=1):
        release = ledger.release(f"report {number}")
        if anticipate:
            release.anticipate(anticipate[number - 1])
        for table in tables:
            decision = release.publish(table)
            cells += cells_of(number, table, decision)
        release.commit()
    return cells


def play_the_old_way(releases: list[list[Table]]) -> list[Cell]:
    """What the toolkit did before the ledger: each table suppressed on its own, with no history."""
    cells = []
    for number, tables in enumerate(releases, start=1):
        for table in tables:
            counts = [len(row.people) for row in table.rows]
            names = sorted({name for row in table.rows for name in row.parts})
            linked = [[len(row.parts.get(name, ())) for row in table.rows] for name in names]
            hidden = hidden_rows(counts, K, complementary=table.partition and table.key != "fit check answers",
                                 linked=linked)
            labels = tuple(row.label for row in table.rows)
            cells += cells_of(number, table, Decision(table.key, labels, {
                row.label: "hidden" for row, gone in zip(table.rows, hidden) if gone}))
    return cells


# ------------------------------------------------------------------------------------------------
# The three failures of the issue
# ------------------------------------------------------------------------------------------------
def fit_check(great: int, unsure: int, misfit: int, *, late: int = 0) -> Table:
    return Table("fit check answers", "fit check answer",
                 [Row("Good fit", people("G", great + late)), Row("Not sure yet", people("U", unsure)),
                  Row("Not a fit", people("N", misfit))])


def test_fit_check_answers_hide_enough_that_the_caption_total_gives_nothing_away():
    """Issue 24: "Not a fit" (2) was hidden but the caption printed the total (23): 23 - 15 - 6 = 2."""
    releases = [[fit_check(15, 6, 2)]]
    truth = same_cohort(releases)
    assert leaks(play_the_old_way(releases), K, truth)
    assert leaks(play(releases), K, truth) == []


def test_a_late_fit_check_answer_does_not_tell_which_answer_it_was():
    """One more answer between two health reports: showing "Good fit" 15 then 16 says what it was."""
    releases = [[fit_check(15, 6, 2)], [fit_check(15, 6, 2, late=1)]]
    late = {"G015"}
    truth = cohorts_of(releases)
    assert leaks(play_the_old_way(releases), K, truth, known=late) or _shown_twice_changed(play_the_old_way(releases))
    cells = play(releases)
    assert leaks(cells, K, truth, known=late) == [] and leaks(cells, K, truth) == []
    assert not _shown_twice_changed(cells)


def _shown_twice_changed(cells: list[Cell]) -> list[str]:
    """Rows shown in two releases whose people differ by 1 to K - 1 (the difference is a small group)."""
    found = []
    for first in cells:
        for second in cells:
            if first.release < second.release and (first.key, first.label) == (second.key, second.label) \
                    and first.shown and second.shown and 0 < len(first.people ^ second.people) < K:
                found.append(f"{first.key} {first.label}: releases {first.release} and {second.release}")
    return found


def measures(respondents: dict[str, dict[str, float]]) -> Table:
    """The impact report's change table: one row per measure, the people who answered both surveys."""
    return Table("change by measure", "measure",
                 [Row(name, list(answers), answers=answers, figures={"mean": sum(answers.values()) / len(answers)})
                  for name, answers in respondents.items()], partition=False)


def test_two_impact_reports_one_known_response_apart_do_not_give_a_hidden_group_of_four():
    """Issue 24: career support had 4 people (hidden); one known late response made it 5 (shown), and the
    four's mean before and after followed exactly."""
    career = {"R001": 2.0, "R002": 3.5, "R003": 4.0, "R004": 2.5}
    wellbeing = {f"R{number:03d}": 3.0 + number / 10 for number in range(1, 13)}
    first = [measures({"Career support": career, "Wellbeing": wellbeing})]
    second = [measures({"Career support": {**career, "R099": 5.0}, "Wellbeing": wellbeing})]
    known = {"R099"}
    truth = cohorts_of([first, second])
    assert leaks(play_the_old_way([first, second]), K, truth, known=known)
    assert leaks(play([first, second]), K, truth, known=known) == []


def readiness_and_fairness(*, matched_out: str = "Ops") -> tuple[Table, Table]:
    """Readiness breaks everyone down by department (mentees and mentors beside); the matching report's
    fairness table breaks the mentees down, with how many were matched."""
    layout = {"Finance": (12, 10), "Legal": (3, 6), "Ops": (8, 2), "Sales": (20, 9)}
    readiness_rows, fairness_rows = [], []
    for name, (mentees, mentors) in layout.items():
        mentee_ids, mentor_ids = people(f"{name}-e", mentees), people(f"{name}-m", mentors)
        readiness_rows.append(Row(name, mentee_ids + mentor_ids, parts={"mentees": mentee_ids, "mentors": mentor_ids}))
        matched = mentee_ids[1:] if name == matched_out else mentee_ids
        fairness_rows.append(Row(name, mentee_ids, parts={"matched": matched}))
    return (Table("participants by department", "department", readiness_rows),
            Table("people to match by department", "department", fairness_rows))


def test_the_readiness_and_matching_reports_hide_the_same_departments():
    """Issue 24: readiness hid one set of departments and the fairness table another, so each showed what
    the other hid (the mentees of a department the fairness table hides, read off the readiness table)."""
    readiness, fairness = readiness_and_fairness()
    releases = [[readiness], [fairness]]
    truth = same_cohort(releases)
    assert leaks(play_the_old_way(releases), K, truth)
    # the readiness report anticipates the fairness table's groups (no match yet: counts only)
    cells = play(releases, anticipate=[[fairness_counts(fairness)], [readiness]])
    assert leaks(cells, K, truth) == []
    hidden = {(cell.key, cell.label) for cell in cells if not cell.shown}
    assert {label for key, label in hidden if key == "participants by department"} == \
        {label for key, label in hidden if key == "people to match by department"}


def fairness_counts(table: Table) -> Table:
    """The fairness table as the readiness report can foresee it: its groups, without the match."""
    return Table(table.key, table.attribute, [Row(row.label, row.people) for row in table.rows])


def test_the_other_order_too_matching_first_then_readiness():
    readiness, fairness = readiness_and_fairness()
    cells = play([[fairness], [readiness]], anticipate=[[readiness], [fairness_counts(fairness)]])
    assert leaks(cells, K, same_cohort([1, 2])) == []


# ------------------------------------------------------------------------------------------------
# The ledger itself
# ------------------------------------------------------------------------------------------------
def test_the_ledger_is_append_only_readable_and_the_same_bytes_for_the_same_releases(tmp_path):
    import datetime as dt

    def write(folder):
        ledger = Ledger.for_client(folder, K)
        for tables in ([fit_check(15, 6, 2)], [fit_check(15, 6, 2, late=1)]):
            release = ledger.release("health report")
            for table in tables:
                release.publish(table)
            release.commit(date=dt.date(2026, 3, 9))
        return (folder / "releases" / "ledger.jsonl").read_bytes()

    first, second = write(tmp_path / "a"), write(tmp_path / "b")
    assert first == second
    lines = [json.loads(line) for line in first.decode("utf-8").splitlines()]
    assert [line["release"] for line in lines] == [1, 2]
    row = lines[0]["rows"][2]
    assert (row["group"], row["shown"], row["people"], row["why"]) == ("Not a fit", False, 2, "fewer than 5 people")
    assert list(lines[0])[:4] == ["release", "date", "source", "table"]  # reads top to bottom
    assert "N000" not in first.decode("utf-8")  # fingerprints, never the ids
    before = first.splitlines()
    Ledger.for_client(tmp_path / "a", K).append([{"table": "t", "attribute": "a", "rows": []}], source="x")
    after = (tmp_path / "a" / "releases" / "ledger.jsonl").read_bytes().splitlines()
    assert after[:len(before)] == before and len(after) == len(before) + 1


def test_a_damaged_ledger_stops_with_the_line_and_the_fix(tmp_path):
    path = tmp_path / "releases" / "ledger.jsonl"
    path.parent.mkdir()
    path.write_text('{"release": 1, "table": "t", "attribute": "a", "rows": []}\n{"release": 2, "tab\n',
                    encoding="utf-8")
    with pytest.raises(ToolkitError, match="Line 2 of the release ledger") as caught:
        Ledger.for_client(tmp_path, K)
    assert "backup" in caught.value.fix


def test_a_release_travels_from_the_notebook_to_the_runner_and_is_removed_before_writing():
    release = Ledger(None, K).release("health report")
    release.publish(fit_check(15, 6, 2))
    bundle = release.output()._repr_mimebundle_()
    notebook = SimpleNamespace(cells=[{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {"text/plain": "shown"}},
        {"output_type": "display_data", "data": bundle}]}])
    assert [record["table"] for record in release_outputs(notebook)] == ["fit check answers"]
    strip_release_outputs(notebook)
    assert LEDGER_MIME not in json.dumps(notebook.cells) and "shown" in json.dumps(notebook.cells)


def test_a_hidden_group_comes_back_only_once_five_people_have_joined_since_every_release_that_hid_it():
    ledger = Ledger(None, K)
    for late, shown in ((0, False), (1, False), (3, False), (8, True)):
        release = ledger.release("health report")
        decision = release.publish(Table("answers", "answer", [Row("yes", people("Y", 3 + late)),
                                                                Row("no", people("N", 40))], partition=False))
        release.commit()
        assert decision.shows("yes") is shown, late


def test_the_same_table_published_twice_in_a_report_gets_the_same_decision():
    release = Ledger(None, K).release("readiness report")
    readiness, _ = readiness_and_fairness()
    assert release.publish(readiness) == release.publish(readiness)
    assert len(release.records) == 1


# ------------------------------------------------------------------------------------------------
# Random programme histories
# ------------------------------------------------------------------------------------------------
DEPARTMENTS = ["Finance", "Legal", "Ops", "Sales", "Data"]


@st.composite
def histories(draw):
    """A cohort that changes between releases (people join, leave, change an answer), and which tables
    each release publishes."""
    size = draw(st.integers(8, 40))
    cohort = {f"P{number:03d}": {"department": draw(st.sampled_from(DEPARTMENTS)),
                                 "mentee": draw(st.booleans()), "answer": draw(st.integers(1, 5))}
              for number in range(size)}
    states, known_sets = [], []
    next_id = size
    for _ in range(draw(st.integers(2, 4))):
        changed = set()
        for _ in range(draw(st.sampled_from([0, 1, 1, 2, 3, 6]))):
            kind = draw(st.sampled_from(["join", "leave", "answer"]))
            if kind == "join" or not cohort:
                person = f"P{next_id:03d}"
                next_id += 1
                cohort[person] = {"department": draw(st.sampled_from(DEPARTMENTS)), "mentee": draw(st.booleans()),
                                  "answer": draw(st.integers(1, 5))}
            else:
                person = draw(st.sampled_from(sorted(cohort)))
                if kind == "leave":
                    del cohort[person]
                else:
                    cohort[person] = {**cohort[person], "answer": draw(st.integers(1, 5))}
            changed.add(person)
        states.append({person: dict(facts) for person, facts in cohort.items()})
        known_sets.append(changed)
        tables = draw(st.sets(st.sampled_from(["readiness", "fairness", "answers", "mean"]), min_size=1))
        states[-1]["_tables"] = sorted(tables)
    return states, known_sets


def tables_of(state: dict) -> dict[str, Table]:
    cohort = {person: facts for person, facts in state.items() if not person.startswith("_")}
    by_department = {name: sorted(person for person, facts in cohort.items() if facts["department"] == name)
                     for name in DEPARTMENTS}
    by_department = {name: members for name, members in by_department.items() if members}
    answers = {value: sorted(person for person, facts in cohort.items() if facts["answer"] == value)
               for value in range(1, 6)}
    return {
        "readiness": Table("participants by department", "department", [
            Row(name, members, parts={"mentees": [p for p in members if cohort[p]["mentee"]]})
            for name, members in by_department.items()]),
        "fairness": Table("people to match by department", "department", [
            Row(name, [p for p in members if cohort[p]["mentee"]],
                answers={p: cohort[p]["answer"] for p in members if cohort[p]["mentee"]})
            for name, members in by_department.items() if any(cohort[p]["mentee"] for p in members)]),
        "answers": Table("answers", "answer", [Row(str(value), members) for value, members in answers.items()
                                               if members]),
        "mean": Table("mean answer", "everyone", [Row("everyone", sorted(cohort),
                                                      answers={p: facts["answer"] for p, facts in cohort.items()})],
                      partition=False),
    }


@pytest.mark.slow
@settings(deadline=None)
@given(history=histories())
def test_no_release_sequence_pins_a_hidden_cell(history):
    """Whatever the cohort does between releases, an attacker who knows everyone who changed (when fewer
    than K did) cannot pin a hidden cell, nor tell a hidden group is small; a row shown twice never
    changed by 1 to K - 1 people in between."""
    states, known_sets = history
    releases, anticipated = [], []
    for state in states:
        tables = tables_of(state)
        releases.append([tables[name] for name in state["_tables"]])
        anticipated.append([tables["readiness"], fairness_counts(tables["fairness"])])
    cells = play(releases, anticipate=anticipated)
    truth = {number: {person: tuple(sorted(facts.items())) for person, facts in state.items()
                      if not person.startswith("_")} for number, state in enumerate(states, start=1)}
    for known in {frozenset(changed) for changed in known_sets[1:] if len(changed) < K} | {frozenset()}:
        assert leaks(cells, K, truth, known=known) == []
    assert not _shown_twice_changed(cells)


def test_a_ledger_folder_that_links_elsewhere_or_cannot_be_written_stops_with_the_fix(tmp_path):
    elsewhere = tmp_path / "other-client" / "releases"
    elsewhere.mkdir(parents=True)
    client = tmp_path / "client"
    client.mkdir()
    (client / "releases").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ToolkitError, match="link") as caught:
        Ledger.for_client(client, K).append([{"table": "t", "attribute": "a", "rows": []}], source="x")
    assert "remove the link" in caught.value.fix and not any(elsewhere.iterdir())
    locked = tmp_path / "read-only"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):  # (root can write anywhere)
            with pytest.raises(ToolkitError, match="cannot be written") as caught:
                Ledger.for_client(locked, K).append([{"table": "t", "attribute": "a", "rows": []}], source="x")
            assert "--dry-run" in caught.value.fix
    finally:
        locked.chmod(0o700)
