"""CohortSetup driven headless: set widget values, click buttons, check the model and the rendered HTML."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pandas as pd
import pytest

from toolkit.errors import IntakeError
from toolkit.widgets import CohortSetup
from toolkit.widgets.cohort_setup import readiness_chart

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "intake"
NORTHWIND = ROOT / "sample_data" / "northwind"


@pytest.fixture(scope="module")
def northwind_setup():
    return CohortSetup.from_client(NORTHWIND)


def _raw_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_sample_client_loads_every_row_and_readiness_counts_match_the_raw_file(northwind_setup):
    raw = _raw_rows(NORTHWIND / "participants.csv")
    setup = northwind_setup
    assert setup.model.problems.empty
    assert "No problems" in setup.problems_html.value
    # Oracle: a plain count of the raw file's role column.
    roles = [row["Programme Role"].strip().lower() for row in raw]
    wants_mentor = sum(role in ("mentee", "both") for role in roles)
    assert len(setup.roster) == len(raw)
    chart = setup.chart.chart.to_dict()
    values = next(iter(chart["datasets"].values()))
    mentees_in_chart = sum(row["count"] for row in values if row["measure"] == "mentees")
    assert mentees_in_chart == wants_mentor
    departments = {row["Department"].strip() for row in raw if row["Programme Role"].strip().lower() != "mentor"}
    assert {row["department"] for row in values} >= departments
    # The summary shown is the readiness summary of the roster that loaded.
    assert setup.readiness.summary()[:60].replace("&", "&amp;") in setup.readiness_html.value
    assert setup.chart.widget.outputs and "image/png" in setup.chart.widget.outputs[0]["data"]


def test_suggested_mapping_is_shown_in_one_dropdown_per_column(northwind_setup):
    setup = northwind_setup
    table = setup.model.table
    assert list(setup.column_dropdowns) == table.headers
    assert setup.column_dropdowns["Work Email"].value == "email"
    assert setup.column_dropdowns["Employee ID"].value == "participant_id"
    assert setup.column_dropdowns["Skills I Want to Develop"].value == "skills_sought"


def test_broken_file_lists_every_problem_with_its_row_and_loads_the_good_rows():
    path = FIXTURES / "broken_every_problem.csv"
    setup = CohortSetup(path, folder=FIXTURES)
    problems = setup.model.problems
    assert len(problems) >= 10
    assert "2 Problems (" in setup.tabs.get_title(1)
    # Nothing is lost: each non-blank data row is loaded or listed as a problem row.
    outcomes = setup.roster.row_outcomes
    rejected_rows = set(outcomes.loc[outcomes["outcome"] == "rejected", "row"])
    assert rejected_rows <= set(problems["row"].dropna().astype(int))
    assert len(outcomes) == len(setup.model.table.rows)
    # The rendered table shows the spreadsheet row and the fix of a known problem.
    bad_email = problems[problems["value"] == "bad.email@"].iloc[0]
    assert bad_email["row"] == 3
    assert "bad.email@" in setup.problems_html.value
    assert "name@company.com" in setup.problems_html.value


def test_choosing_a_column_in_a_dropdown_resolves_an_ambiguous_mapping():
    setup = CohortSetup(FIXTURES / "ambiguous_headers.csv", folder=FIXTURES)
    assert setup.roster is None  # two columns claim "email": nothing can load
    assert "both look like" in setup.problems_html.value
    assert "claims the same field" in setup._status_labels["Email"].value
    setup.column_dropdowns["Email"].value = "email"
    setup.column_dropdowns["Skills"].value = "skills_offered"
    assert setup.model.overrides == {"Email": "email", "Skills": "skills_offered"}
    assert setup.model.problems.empty
    assert setup.roster is not None and len(setup.roster) == len(setup.model.table.rows)
    assert setup.roster.participants["skills_offered"].iloc[0] == ("Python",)
    assert "your choice" in setup._status_labels["Email"].value
    assert "'Email': 'email'" in setup.model.mapping_code()


def test_unrecognised_header_can_be_mapped_by_hand(tmp_path):
    path = tmp_path / "signups.csv"
    path.write_text("Contact,Who,Kind\nsam@x.example,Sam,Mentor\nlee@x.example,Lee,Mentee\n", encoding="utf-8")
    setup = CohortSetup(path, folder=tmp_path)
    assert "no column holds an id or email" in setup.problems_html.value
    setup.column_dropdowns["Contact"].value = "email"
    setup.column_dropdowns["Kind"].value = "role"
    assert setup.model.problems.empty
    assert sorted(setup.roster.participants["role"]) == ["mentee", "mentor"]


@pytest.mark.slow
def test_choosing_a_template_recomputes_readiness_for_that_design():
    setup = CohortSetup.from_client(NORTHWIND)
    setup.template_picker.value = "reverse"
    assert setup.design.kind == "reverse"
    assert setup.readiness.design_name == setup.design.name
    assert "Reverse mentoring" in setup.readiness_html.value
    assert "Reverse mentoring" in setup.design_html.value


def test_picking_a_file_and_clicking_load_reads_it():
    setup = CohortSetup(folder=FIXTURES)
    assert setup.roster is None and "No file loaded" in setup.file_status.value
    setup.file_picker.value = str(FIXTURES / "google_forms_signup.csv")
    setup.load_button.click()
    assert setup.errors.last_error is None
    assert len(setup.roster) == 3
    assert "read as a Google Forms export" in setup.file_status.value


def test_error_in_a_callback_is_shown_in_the_app_not_lost():
    setup = CohortSetup(folder=FIXTURES)
    setup.load_button.click()  # nothing chosen
    assert isinstance(setup.errors.last_error, IntakeError)
    assert "No file is chosen" in setup.errors.widget.value
    assert "tk-error" in setup.errors.widget.value
    setup.file_picker.value = str(FIXTURES / "mentor_signups.csv")
    setup.load_button.click()
    assert setup.errors.widget.value == ""


def test_uploaded_file_is_saved_and_loaded(tmp_path):
    content = (FIXTURES / "qualtrics_signup.csv").read_bytes()
    setup = CohortSetup(folder=tmp_path, upload_dir=tmp_path / "uploads")
    setup.upload.value = ({"name": "signups.csv", "type": "text/csv", "size": len(content), "content": memoryview(content),
                           "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},)
    assert setup.errors.last_error is None, setup.errors.widget.value
    assert (tmp_path / "uploads" / "signups.csv").read_bytes() == content
    assert len(setup.roster) == 3 and setup.model.table.shape == "qualtrics"
    assert setup.file_picker.value.endswith("signups.csv")


def test_upload_of_an_unreadable_kind_of_file_is_refused_in_the_app(tmp_path):
    setup = CohortSetup(folder=tmp_path, upload_dir=tmp_path)
    setup.upload.value = ({"name": "notes.pdf", "type": "application/pdf", "size": 3, "content": memoryview(b"%PD"),
                           "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},)
    assert isinstance(setup.errors.last_error, IntakeError)
    assert "notes.pdf" in setup.errors.widget.value
    assert not (tmp_path / "notes.pdf").exists()


def test_names_with_markup_are_escaped_in_the_rendered_tables(tmp_path):
    path = tmp_path / "markup.csv"
    path.write_text("Email,Name,Role,Job Level\n<b>x@x.example,<script>alert(1)</script>,Mentor,Wizard\n"
                    "y@x.example,Yan,Mentee,L2\n", encoding="utf-8")
    setup = CohortSetup(path, folder=tmp_path)
    assert "<script>" not in setup.problems_html.value
    assert "&lt;b&gt;x@x.example" in setup.problems_html.value


def test_constructor_displays_nothing(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *args, **kwargs: shown.append(args))
    setup = CohortSetup(FIXTURES / "mentor_signups.csv", folder=FIXTURES)
    assert shown == []
    bundle = setup._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == setup.view.model_id


def test_readiness_chart_sorts_tightest_department_first(northwind_setup):
    readiness = northwind_setup.readiness
    spec = readiness_chart(readiness).to_dict()
    segments = readiness.segments["department"]
    tightest = segments.sort_values(["coverage", "department"])["department"].iloc[0]
    assert spec["encoding"]["y"]["sort"][0] == tightest
    assert spec["mark"]["type"] == "bar"
    assert isinstance(segments, pd.DataFrame)


def test_saved_mapping_loads_back_to_the_same_roster(tmp_path):
    import toolkit as tk

    setup = CohortSetup(FIXTURES / "ambiguous_headers.csv", folder=FIXTURES)
    setup.column_dropdowns["Email"].value = "email"
    setup.column_dropdowns["Skills"].value = "skills_offered"
    saved = setup.model.save_mapping(tmp_path / "mapping.yaml")
    again = tk.load_roster(FIXTURES / "ambiguous_headers.csv", mapping=saved)
    assert again.participants.drop(columns=["source"]).equals(setup.roster.participants.drop(columns=["source"]))
    with pytest.raises(IntakeError, match=".yaml"):
        setup.model.save_mapping(tmp_path / "mapping.txt")


def test_save_mapping_button_writes_the_file_and_says_where(tmp_path):
    setup = CohortSetup(FIXTURES / "google_forms_signup.csv", folder=FIXTURES)
    setup.mapping_path.value = str(tmp_path / "client_mapping.yaml")
    setup.save_mapping_button.click()
    assert setup.errors.last_error is None, setup.errors.widget.value
    assert (tmp_path / "client_mapping.yaml").exists()
    assert "client_mapping.yaml" in setup.mapping_saved.value
