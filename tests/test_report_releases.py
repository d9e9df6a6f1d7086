"""The reports themselves, released one after another for one client, never give a hidden group away.

Each test runs report sections for a copy of a client (hand-written fixtures in
``tests/fixtures/releases/``, or a sample client with a hand-made change), records each report's release
as the report runner does, and hands every published table of the client's release ledger to the LP
attacker (``release_oracle.leaks``). The people are the ledger's fingerprints, so the attacker sees the
same groups the engine decided on.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from release_oracle import Cell, leaks

from toolkit import reports
from toolkit.ledger import LEDGER_FILE, LEDGER_MIME, Ledger, person_fingerprint
from toolkit.measure.survey import load_survey, pseudonym, scale_scores
from toolkit.reports import matching_sections, outcome_sections, readiness_sections

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "releases"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
K = 5
# who each table's rows count, where two tables count the same people (the oracle links them)
POPULATION = {"people to match by department": "mentees"}


def published_cells(folder: Path) -> list[Cell]:
    """Every published table of the client's ledger, as the attacker sees it (people = fingerprints)."""
    cells = []
    for record in Ledger.for_client(folder, K).records:
        if not record["published"]:
            continue
        for row in record["rows"]:
            prints = row["fingerprints"]
            cells.append(Cell(record["release"], record["table"], record["attribute"], row["group"],
                              frozenset(prints["people"]), row["shown"], record["partition"],
                              {name: frozenset(values) for name, values in prints.get("parts", {}).items()},
                              population=POPULATION.get(record["table"], "")))
    return cells


def truth(folder: Path) -> dict:
    """Each release's people and what every table (published or foreseen) says of them."""
    found: dict = {}
    for record in Ledger.for_client(folder, K).records:
        facts = found.setdefault(record["release"], {})
        for row in record["rows"]:
            for person in row["fingerprints"]["people"]:
                facts.setdefault(person, set()).add((record["table"], row["group"]))
    return {release: {person: frozenset(values) for person, values in facts.items()} for release, facts in found.items()}


def release(context) -> None:
    """What the report runner does once the report is written: add its release to the client's ledger."""
    context.release.commit()


# ------------------------------------------------------------------------------------------------
# Readiness, then matching: the same departments are hidden
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def coastal(tmp_path) -> Path:
    """Coastal Group: Finance 22 people (12 mentees), Legal 9 (3 mentees), Operations 10 (8), Sales 29 (20)."""
    folder = tmp_path / "coastal"
    folder.mkdir()
    for name in ("client.yaml", "signups_four_departments.csv"):
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def test_the_readiness_and_matching_reports_hide_the_same_departments(coastal):
    """Issue 24: readiness (everyone) showed Legal, 9 people of whom 3 mentees; the matching report's
    fairness table (mentees) hid Legal, and the readiness table gave its 3 mentees away."""
    first = reports.prepare(coastal / "client.yaml")
    readiness_html = readiness_sections.segments_section(first, "department").html
    release(first)
    second = reports.prepare(coastal / "client.yaml")
    fairness_html = matching_sections.fairness_section(second).html
    release(second)
    assert "Legal" not in readiness_html and "Legal" not in fairness_html
    records = [record for record in Ledger.for_client(coastal, K).records if record["published"]]
    hidden = {record["table"]: {row["group"] for row in record["rows"] if not row["shown"]} for record in records}
    assert hidden["participants by department"] == hidden["people to match by department"] >= {"Legal"}
    cells = published_cells(coastal)
    assert leaks(cells, K, {1: {"same": 1}, 2: {"same": 1}}) == []  # nobody changed between the two reports


# ------------------------------------------------------------------------------------------------
# The fit check: caption totals and a late answer
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def riverbank_with_fit_check(tmp_path) -> Path:
    folder = tmp_path / "riverbank"
    shutil.copytree(SAMPLES / "riverbank", folder)
    shutil.copy(FIXTURES / "fit_check_week3.csv", folder / "fit_check.csv")
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    (folder / "client.yaml").write_text(text.replace("surveys:\n", "surveys:\n  fit_check:\n    path: fit_check.csv\n"
                                                                   "    instrument: fit_check\n", 1), encoding="utf-8")
    return folder


def test_the_fit_check_hides_enough_answers_that_the_caption_total_gives_none_away(riverbank_with_fit_check):
    """Issue 24: "Not a fit" (2 answers) was hidden but the caption printed the total (23): 23 - 15 - 6 = 2."""
    folder = riverbank_with_fit_check
    context = reports.prepare(folder / "client.yaml")
    block = outcome_sections.fit_check_section(context)
    assert "23 answers" in block.html and "<td>Not a fit</td>" not in block.html
    assert "<td>Not sure yet</td>" not in block.html  # hidden with it: 23 - 15 would give the 2 away
    release(context)
    assert leaks(published_cells(folder), K, truth(folder)) == []


@pytest.mark.slow
def test_a_late_fit_check_answer_between_two_health_reports_stays_hidden(riverbank_with_fit_check):
    folder = riverbank_with_fit_check
    first = reports.prepare(folder / "client.yaml")
    outcome_sections.fit_check_section(first)
    release(first)
    shutil.copy(FIXTURES / "fit_check_week4.csv", folder / "fit_check.csv")
    second = reports.prepare(folder / "client.yaml")
    block = outcome_sections.fit_check_section(second)
    release(second)
    assert "24 answers" in block.html and "<td>Good fit</td>" not in block.html  # 15 then 16 says what it was
    late = {person_fingerprint(pseudonym("pair12.b@riverbank.example"))}
    facts = truth(folder)
    assert {person for person in set(facts[1]) | set(facts[2]) if facts[1].get(person) != facts[2].get(person)} == late
    cells = published_cells(folder)
    assert leaks(cells, K, facts, known=late) == [] and leaks(cells, K, facts) == []


# ------------------------------------------------------------------------------------------------
# The impact report, one known response apart
# ------------------------------------------------------------------------------------------------
def _paired_rows(folder: Path) -> list[int]:
    """Data rows of the end survey (0 = the first answer) whose respondent also answered the baseline."""
    baseline = load_survey(folder / "survey_baseline.csv", instrument="baseline")
    end = load_survey(folder / "survey_end.csv", instrument="end_of_programme")
    both = set(scale_scores(baseline).dropna(subset=["self_efficacy"])["respondent"]) & \
        set(scale_scores(end).dropna(subset=["self_efficacy"])["respondent"])
    raw = pd.read_csv(folder / "survey_end.csv", skiprows=[1, 2], dtype=str)
    keys = raw["ExternalReference"].fillna("").map(lambda key: pseudonym(key.strip().lower()))
    return [number for number, key in enumerate(keys) if key in both]


@pytest.fixture
def northwind_four_answers(tmp_path):
    """Northwind with only four end-of-programme answers from people who answered the baseline too."""
    folder = tmp_path / "northwind"
    shutil.copytree(SAMPLES / "northwind", folder)
    lines = (folder / "survey_end.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    rows = _paired_rows(folder)

    def keep(count: int) -> None:
        (folder / "survey_end.csv").write_text("".join(lines[:3] + [lines[3 + number] for number in rows[:count]]),
                                               encoding="utf-8")
    keep(4)
    return folder, keep


def _change_cells(folder: Path, release_number: int, table) -> list[Cell]:
    """The change table as the attacker sees it, each row with its people's scores after the programme."""
    baseline = load_survey(folder / "survey_baseline.csv", instrument="baseline")
    end = load_survey(folder / "survey_end.csv", instrument="end_of_programme")
    post = scale_scores(end).set_index("respondent")
    pre = scale_scores(baseline).set_index("respondent")
    cells = []
    for construct in ("self_efficacy", "career_clarity"):
        both = post[construct].dropna().index.intersection(pre[construct].dropna().index)
        shown = construct in set(table["construct"]) if table is not None else False
        cells.append(Cell(release_number, "change by measure", "measure", construct,
                          frozenset(person_fingerprint(person) for person in both), shown, False,
                          values={person_fingerprint(person): float(post.at[person, construct]) for person in both}))
    return cells


@pytest.mark.slow
def test_two_impact_reports_one_known_response_apart_keep_the_group_of_four_hidden(northwind_four_answers):
    """Issue 24: four people answered both surveys (hidden); one known late answer made five, and the
    report then showed the five's means, from which the four's before and after followed exactly."""
    folder, keep = northwind_four_answers
    first = reports.prepare(folder / "client.yaml")
    assert outcome_sections._pre_post(first).empty
    cells = _change_cells(folder, 1, outcome_sections._pre_post(first))
    release(first)
    keep(5)
    fresh = reports.prepare(folder / "client.yaml")
    fresh.config = type("NoHistory", (), {"privacy": fresh.config.privacy, "get": fresh.config.get,
                                          "survey": fresh.config.survey})()  # no folder: no ledger
    assert len(outcome_sections._pre_post(fresh)), "without the ledger the five would be shown"
    second = reports.prepare(folder / "client.yaml")
    table = outcome_sections._pre_post(second)
    assert table.empty and "not shown" in outcome_sections.pre_post_section(second).html
    cells += _change_cells(folder, 2, table)
    late = {person for cell in cells if cell.release == 2 for person in cell.people} - \
        {person for cell in cells if cell.release == 1 for person in cell.people}
    assert len(late) == 1
    facts = {number: {person: (cell.key, cell.label, cell.values[person]) for cell in cells if cell.release == number
                      for person in cell.people} for number in (1, 2)}
    assert leaks(cells, K, facts, known=late) == []
    # and the old way (the second report on its own) gives the four away
    old = [Cell(cell.release, cell.key, cell.attribute, cell.label, cell.people,
                cell.release == 2 and len(cell.people) >= K, False, values=cell.values) for cell in cells]
    assert leaks(old, K, facts, known=late)


# ------------------------------------------------------------------------------------------------
# The runner writes the ledger, and only for a real release
# ------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_report_run_records_its_release_and_a_dry_run_does_not(coastal, tmp_path):
    """Runs the readiness report twice through papermill (the ledger is written by the runner only)."""
    ledger_file = coastal / LEDGER_FILE
    reports.run("readiness", coastal / "client.yaml", tmp_path / "draft", dry_run=True)
    assert not ledger_file.exists()
    done = reports.run("readiness", coastal / "client.yaml", tmp_path / "sent")
    records = Ledger.for_client(coastal, K).records
    assert {record["source"] for record in records} == {"readiness report"}
    assert {record["table"] for record in records if record["published"]} == {"participants by department",
                                                                            "participants by site"}
    assert {record["table"] for record in records if not record["published"]} == {"people to match by department"}
    page = done.html.read_text(encoding="utf-8") + done.notebook.read_text(encoding="utf-8")
    prints = {value for record in records for row in record["rows"] for value in row["fingerprints"]["people"]}
    assert LEDGER_MIME not in page and not any(value in page for value in prints)
    assert "successive releases" in page  # the technique, named in the appendix
    assert not (SAMPLES / "riverbank" / LEDGER_FILE).exists()  # the samples are never written


def test_a_readiness_note_never_names_a_site_the_tables_hide():
    """The in-person note named the site where in-person mentees outnumber places: a site of 3 people."""
    import toolkit as tk
    from toolkit.disclosure import client_readiness

    roster = tk.load_roster(Path(__file__).parent / "fixtures" / "sites" / "two_sites_in_person_signup.csv")
    kwame = roster.participants.loc[roster.participants["name"] == "Kwame Asante", "participant_id"].iloc[0]
    short = roster.subset([person for person in roster.ids if person != kwame])
    design = tk.ProgramDesign.from_template("formal")
    assert "Peterhead" in tk.readiness(short, design).summary()  # unprotected, it is named
    protected = client_readiness(None, short, design, Ledger(None, K).release("cohort set-up"))
    assert "Peterhead" not in protected.summary() and "in person" in protected.summary()


def test_a_headline_figure_is_not_shown_again_after_one_more_answer(coastal):
    """A single figure about everyone (a headline mean) is a one-row table: one known late answer apart,
    the second report would give that answer away."""
    from toolkit.reports.releases import figure_shown

    answers = {f"R{number:02d}": 3 + number % 3 for number in range(12)}
    first = reports.prepare(coastal / "client.yaml")
    assert figure_shown(first, "headline: would recommend", answers)
    release(first)
    second = reports.prepare(coastal / "client.yaml")
    assert not figure_shown(second, "headline: would recommend", {**answers, "R99": 5})
    third = reports.prepare(coastal / "client.yaml")  # the same answers again: nothing new, shown
    assert figure_shown(third, "headline: would recommend", answers)
