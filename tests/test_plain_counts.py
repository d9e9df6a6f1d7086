"""Counts read as words: verbs agree with their numbers, equal numbers are not compared, and a long
warning list says how to see all of it in the command's own terms (no Python names)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

import toolkit as tk
from toolkit import cli
from toolkit.design.model import ProgramDesign
from toolkit.reports.matching_sections import (
    recruiting_advice,
    stability_text_for_counts,
)
from toolkit.reports.readiness_sections import (
    intake_section,
    readiness_summary,
    segments_section,
)
from toolkit.reports.scaffold import first_working_monday, new_client
from toolkit.text import wanted_and_offered

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
EXPORT = Path(__file__).resolve().parent / "fixtures" / "exports" / "google_form_with_twelve_extra_list_questions.csv"


def test_wanted_and_offered_agree_with_their_counts():
    assert wanted_and_offered(3, 1) == "3 mentees want it and 1 mentor offers it"
    assert wanted_and_offered(1, 0) == "1 mentee wants it and 0 mentors offer it"
    assert wanted_and_offered(2, 2) == "2 mentees want it and 2 mentors offer it"


def test_the_stability_check_does_not_compare_a_number_with_itself():
    assert stability_text_for_counts(21, 21) == "match the same number of mentees (21)"
    assert stability_text_for_counts(20, 21) == "match 20 mentees instead of 21"


def test_a_long_warning_list_says_how_to_see_it_all(capsys):
    assert cli.main(["validate", "--file", str(EXPORT)]) == 0
    out = capsys.readouterr().out
    assert out.count("warning: ") == 10 and "and 2 more warnings (add --all-warnings to see them all)" in out
    assert cli.main(["validate", "--file", str(EXPORT), "--all-warnings"]) == 0
    out = capsys.readouterr().out
    assert out.count("warning: ") == 12 and "more warning" not in out


def test_the_readiness_tables_say_how_many_groups_they_leave_out_and_roles_read_as_words():
    lumen = tk.reports.prepare(SAMPLES / "lumen" / "client.yaml")
    hidden = lumen.readiness.segments["department"].attrs["hidden"]
    assert hidden >= 2  # complementary suppression hides at least two
    assert f"({hidden} departments not shown, to protect small groups)" in repr(segments_section(lumen, "department"))
    report = tk.reports.prepare(SAMPLES / "riverbank" / "client.yaml")
    assert "not shown" not in repr(segments_section(report, "site"))
    # every department hidden (the fairness table's mentees per department are small): not even how many
    everything = repr(segments_section(report, "department"))
    assert "are not shown" in everything and "departments not shown" not in everything
    roles = intake_section(report).html
    assert ">Mentor<" in roles and ">Mentee<" in roles and ">mentor<" not in roles and ">mentee<" not in roles
    summary = repr(readiness_summary(report))
    if "mentees outnumber mentor places" in summary:
        assert "of those large enough to show" in summary


def test_readiness_reads_right_for_one_mentor_and_for_a_question_the_form_never_asked():
    summary = tk.readiness(tk.load_roster(EXPORT), ProgramDesign.from_template("formal")).summary()
    assert summary.startswith("1 mentor offers 1 place for 2 mentees")
    assert "At least 1 mentee cannot be matched" in summary
    # the form has no time zone question: said once, as such, with what to do (not "3 people gave no ...")
    assert "The sign-ups have no time zone for anyone" in summary and "gave no time zone" not in summary


@pytest.mark.slow
def test_recruiting_advice_never_asks_a_mentor_at_the_most_mentees_allowed_for_one_more(tmp_path):
    shutil.copytree(SAMPLES / "northwind", tmp_path / "northwind")
    client = tmp_path / "northwind" / "client.yaml"
    usual = repr(recruiting_advice(tk.reports.prepare(client)))
    assert "One more place with" in usual and "A mentor like" not in usual
    text = client.read_text(encoding="utf-8").replace(
        "  template: formal\n", "  template: formal\n  overrides:\n    capacity:\n      max: 1\n")
    client.write_text(text, encoding="utf-8")
    capped = repr(recruiting_advice(tk.reports.prepare(client)))
    assert "A mentor like" in capped and "One more place with" not in capped


@pytest.mark.slow
def test_a_new_client_launches_on_a_working_monday(tmp_path):
    assert first_working_monday(dt.date(2027, 1, 1)) == dt.date(2027, 1, 4)   # 1 Jan 2027 is a Friday
    assert first_working_monday(dt.date(2029, 1, 1)) == dt.date(2029, 1, 8)   # a Monday, but New Year's Day
    assert first_working_monday(dt.date(2026, 6, 1)) == dt.date(2026, 6, 1)
    folder = new_client("Harbour Foods", tmp_path, today=dt.date(2026, 11, 30))
    start = yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8"))["programme"]["start_date"]
    assert start == dt.date(2027, 1, 4) and start.weekday() == 0
