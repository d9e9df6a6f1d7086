"""Report sections go through the anonymity engine: small departments and sites, NPS, HR outcomes
and ROI for too few people, comments counted by people, and people who answered a survey twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from privacy_oracle import assert_safe

import toolkit as tk
from toolkit import reports
from toolkit.client import load_client
from toolkit.measure import comments, survey
from toolkit.reports import outcome_sections, readiness_sections
from toolkit.reports.context import ReportContext

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _readiness_context():
    rows, number = [], 0
    layout = [("Finance", "London", 8, 4), ("Operations", "London", 9, 3), ("Legal Oddity", "Remote Hut", 1, 0)]
    for department, site, mentees, mentors in layout:
        for role, count in (("mentee", mentees), ("mentor", mentors)):
            for _ in range(count):
                rows.append({"participant_id": f"E{number}", "name": f"Person {number}", "role": role,
                             "department": department, "site": site, "capacity": 2})
                number += 1
    roster = tk.Roster.from_frame(pd.DataFrame(rows))
    design = tk.ProgramDesign.from_template("formal").override({"rules": {"require_shared_language": False}})
    return ReportContext(config=SimpleNamespace(privacy={"min_group": 5}), roster=roster, design=design)


def test_readiness_report_hides_a_one_person_department_and_site_everywhere():
    """Issue 18: the readiness report showed a 1-person department and a 1-person site."""
    context = _readiness_context()
    outputs = [readiness_sections.segments_section(context, "department").html,
               readiness_sections.segments_section(context, "site").html,
               readiness_sections.readiness_summary(context).html,
               json.dumps(readiness_sections.readiness_chart(context).to_dict())]
    for output in outputs:
        assert "Legal Oddity" not in output and "Remote Hut" not in output
    # and the hidden ones cannot be worked out from the totals the report gives
    everyone = context.roster.participants
    for column in ("department", "site"):
        shown = context.readiness.segments[column]
        sizes = everyone[column].value_counts()
        mentors = everyone[everyone["role"] == "mentor"][column].value_counts().reindex(sizes.index, fill_value=0)
        assert_safe(sizes.to_numpy(), [mentors.to_numpy()], ~sizes.index.isin(shown[column]), 5)


@pytest.fixture(scope="module")
def small_impact_client(tmp_path_factory):
    """Northwind with only three end-of-programme answers and three participants in the HR extract."""
    folder = tmp_path_factory.mktemp("small") / "northwind"
    shutil.copytree(SAMPLES / "northwind", folder)
    lines = (folder / "survey_end.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "survey_end.csv").write_text("".join(lines[:6]), encoding="utf-8")  # 3 header rows + 3 answers
    hr = pd.read_csv(folder / "hr_outcomes.csv", dtype=str, keep_default_na=False)
    hr = pd.concat([hr[hr["Group"] == "participant"].head(3), hr[hr["Group"] == "comparison"]])
    hr.to_csv(folder / "hr_outcomes.csv", index=False)
    config = load_client(folder)
    return ReportContext(config, config.roster(), config.design())


@pytest.mark.slow
def test_impact_summary_shows_no_nps_hr_outcome_or_roi_for_three_people(small_impact_client):
    """Issue 18: NPS shown for 3 answers; HR outcomes and ROI shown for 3 participants."""
    context = small_impact_client
    summary = outcome_sections.impact_summary(context).html
    assert "Net Promoter" not in summary and "Retention" not in summary and "Return on investment" not in summary
    assert "changed significantly" not in summary  # no verdict drawn from constructs that are all hidden
    for block in (outcome_sections.outcomes_section(context), reports.roi_section(context),
                  outcome_sections.nps_chart(context), outcome_sections.outcomes_chart(context)):
        assert "<table" not in block.html and "%" not in block.html


def _comment_survey(people_count: int, boxes: int):
    instrument = survey.load_instrument("end_of_programme")
    frame = pd.DataFrame([{"respondent": f"R{person}", "role": "mentee",
                           **{box: f"My mentor made time for me ({person}, {box})"
                              for box in ("COMMENT_BEST", "COMMENT_IMPROVE")[:boxes]}}
                          for person in range(people_count)])
    return survey.Survey(instrument, frame, Path("x.csv"))


def test_min_comments_counts_people_not_comment_boxes():
    """Issue 18: five people filling two boxes each made ten 'comments' and passed min_comments = 10."""
    five_people = _comment_survey(5, 2)
    assert comments.comment_themes(five_people, min_comments=10).attrs["suppressed"]
    assert comments.comment_sentiment(five_people, min_comments=10).attrs["suppressed"]
    assert len(comments.comment_texts(five_people)) == 10 and comments.commenters(five_people) == 5
    assert not comments.comment_themes(_comment_survey(10, 1), min_comments=10).attrs["suppressed"]


def test_a_respondent_who_answers_twice_is_counted_once_and_named(tmp_path):
    """Issue 18: a respondent who answered twice was counted twice with no warning."""
    path = tmp_path / "end.csv"
    path.write_text("Email,NPS,COMMENT_BEST\n"
                    "ana@example.org,10,Great\n"
                    "ben@example.org,3,\n"
                    "ANA@example.org ,9,Great again\n"
                    "cai@example.org,8,\n", encoding="utf-8")
    loaded = survey.load_survey(path, instrument="end_of_programme")
    assert len(loaded) == 3 and loaded.responses["respondent"].is_unique
    assert survey.nps(loaded.responses["NPS"]).n == 3
    assert loaded.responses["NPS"].tolist() == [3.0, 9.0, 8.0]  # the later answer of the two is kept
    assert loaded.duplicates.to_dict("records") == [{"key": "ana@example.org", "answers": 2, "rows": [2, 4]}]
    [warning] = loaded.warnings
    assert warning.row == 2 and "answered 2 times" in warning.message and "row 4" in warning.message
    assert "ana@example.org" not in loaded.responses.to_csv()
    assert "1 person answered more than once" in repr(loaded)


def test_an_hr_extract_listing_someone_twice_is_refused_with_the_rows(tmp_path):
    folder = tmp_path / "northwind"
    shutil.copytree(SAMPLES / "northwind", folder)
    hr = pd.read_csv(folder / "hr_outcomes.csv", dtype=str, keep_default_na=False)
    pd.concat([hr, hr.head(1)]).to_csv(folder / "hr_outcomes.csv", index=False)
    with pytest.raises(tk.errors.ConfigError) as caught:
        tk.measure.impact.outcomes(load_client(folder))
    assert hr.iloc[0]["Employee ID"] in str(caught.value) and "more than once" in str(caught.value)
