"""The fictional sample clients: reproducible, loadable as sent, and realistic enough to analyse."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.client import load_client
from toolkit.errors import IntakeError

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


def _load_generator():
    """The generator script beside the data it writes (it is not part of the runtime package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sample_generate", SAMPLE_DATA / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    spec.loader.exec_module(module)
    return module


sample = _load_generator()
CLIENTS = ("northwind", "riverbank", "lumen")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    sample.generate_all(out)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    """Every file inside the client folders (the README beside them is written by hand)."""
    return {str(path.relative_to(folder)): path.read_bytes() for slug in CLIENTS
            for path in sorted((folder / slug).rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_committed_sample_data_is_exactly_what_the_generator_writes(regenerated):
    committed, fresh = _files(SAMPLE_DATA), _files(regenerated)
    assert sorted(committed) == sorted(fresh), "run: python sample_data/generate.py"
    changed = [name for name in committed if committed[name] != fresh[name]]
    assert not changed, f"regenerate with python sample_data/generate.py; differing files: {changed}"


@pytest.mark.parametrize("slug", CLIENTS)
def test_each_client_loads_with_no_rejected_row(slug):
    config = load_client(SAMPLE_DATA / slug / "client.yaml")
    roster = config.roster()
    assert len(roster.rejected) == 0
    outcomes = roster.row_outcomes
    assert set(outcomes["outcome"]) == {"loaded"}
    assert len(roster) == len(outcomes)


def test_client_sizes_and_shapes_match_their_programmes():
    northwind = load_client(SAMPLE_DATA / "northwind").roster()
    assert 110 <= len(northwind.mentors) <= 160 and 330 <= len(northwind.mentees) <= 420
    assert northwind.participants["department"].nunique() == 6
    assert northwind.participants["timezone"].nunique() == 4
    assert set(northwind.participants["capacity"].dropna()) == {1, 2, 3}
    assert (northwind.participants["preferences"].map(len) > 0).sum() >= 30
    assert northwind.participants["gender"].isna().sum() > 0  # optional fields are sometimes left blank

    riverbank = load_client(SAMPLE_DATA / "riverbank").roster()
    mentors, mentees = riverbank.mentors, riverbank.mentees
    assert 20 <= len(mentors) <= 30 and 20 <= len(mentees) <= 30
    assert mentors["seniority"].max() < mentees["seniority"].min()  # junior mentors, senior mentees

    lumen = load_client(SAMPLE_DATA / "lumen").roster()
    assert 40 <= len(lumen) <= 75
    assert len(lumen.facilitators()) == 9


def test_reporting_lines_come_from_the_org_chart_for_forms_that_do_not_ask():
    roster = load_client(SAMPLE_DATA / "riverbank").roster()
    chains = roster.management_chains()
    # Every participant reports, through their chain, to the chief executive.
    tops = {chain[-1] for chain in chains.values() if chain}
    assert len(tops) == 1


def test_riverbank_grades_are_translated_by_the_client_mapping():
    roster = load_client(SAMPLE_DATA / "riverbank").roster()
    executives = roster.participants[roster.participants["job_title"].str.startswith("Chief")]
    assert set(executives["seniority"]) == {7}


def test_northwind_is_short_of_fpa_mentors_as_the_readiness_report_says():
    config = load_client(SAMPLE_DATA / "northwind")
    readiness = tk.readiness(config.roster(), config.design())
    skills = readiness.segments["skill"].set_index("skill")
    assert skills.loc["FP&A", "mentees"] > skills.loc["FP&A", "places"]
    assert "FP&A" in readiness.summary()


def _read(slug: str, name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DATA / slug / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_programme_records_include_quiet_pairs_leavers_and_a_comparison_group():
    pairs = _read("northwind", "pairs.csv")
    meetings = _read("northwind", "meetings.csv")
    assert set(pairs["Status"]) == {"active", "completed", "ended_early"}
    assert {"no_fault_exit", "left_organisation"} <= set(pairs["End Reason"])
    last_meeting = meetings.groupby("Pair ID")["Date"].max()
    active = pairs[pairs["Status"] == "active"].set_index("Pair ID")
    quiet = [pair for pair in active.index if last_meeting.get(pair, "") < "2026-10-01"]
    assert len(quiet) >= 10  # some pairs went quiet without ending
    hr = _read("northwind", "hr_outcomes.csv")
    assert {"participant", "comparison"} == set(hr["Group"])
    assert (hr["Status"] == "left").sum() > 20
    assert (hr["Promotion Date"] != "").sum() > 20


@pytest.mark.parametrize("slug,end_survey", [("northwind", "survey_end.csv"), ("lumen", "survey_end.csv")])
def test_surveys_have_skipped_answers_and_link_to_participants(slug, end_survey):
    table = tk.read_table(SAMPLE_DATA / slug / end_survey)
    frame = table.frame()
    assert table.shape in ("qualtrics", "google_forms")
    assert (frame == "").to_numpy().any()
    roster = load_client(SAMPLE_DATA / slug).roster()
    emails = set(roster.participants["email"])
    column = [header for header in table.headers if "mail" in header.lower()][0]
    assert set(frame[column]) <= emails


def test_meeting_logs_only_name_pairs_and_people_in_the_programme():
    pairs = _read("northwind", "pairs.csv")
    meetings = _read("northwind", "meetings.csv")
    assert set(meetings["Pair ID"]) <= set(pairs["Pair ID"])
    circles = _read("lumen", "circles.csv")
    lumen_meetings = _read("lumen", "meetings.csv")
    assert set(lumen_meetings["Circle ID"]) <= set(circles["Circle ID"])
    members = set(circles["Participant ID"])
    attended = {person for cell in lumen_meetings["Attended"] for person in cell.split("; ") if person}
    assert attended <= members
    sizes = circles[circles["Circle Role"] != "facilitator"].groupby("Circle ID").size()
    assert sizes.between(4, 6).all()


def test_a_broken_copy_gives_one_error_listing_every_problem_with_its_row(tmp_path):
    source = SAMPLE_DATA / "northwind" / "participants.csv"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    column = {name: header.index(name) for name in header}
    mentor_row = next(index for index, row in enumerate(rows[1:], start=1) if row[column["Max Mentees"]])
    breaks = {
        3: ("Work Email", "not-an-email"),
        5: ("Programme Role", "Observer"),
        mentor_row: ("Max Mentees", "lots"),
        8: ("Time Zone", "Mars/Olympus"),
        10: ("Work Email", rows[9][column["Work Email"]]),  # the same email as the row above
        12: ("Do Not Match With", rows[12][column["Employee ID"]]),  # excludes themselves
    }
    for index, (name, value) in breaks.items():
        rows[index][column[name]] = value
    broken = tmp_path / "participants.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(broken)
    message = str(caught.value)
    for index, (name, _) in breaks.items():
        spreadsheet_row = index + 1  # header is row 1
        assert any(problem.row == spreadsheet_row for problem in caught.value.problems), (spreadsheet_row, name)
        assert f"row {spreadsheet_row}" in message
    assert "nothing was loaded" in message


def test_the_generator_refuses_an_unknown_client(tmp_path):
    with pytest.raises(ValueError, match="northwind"):
        sample.generate("acme", tmp_path)
