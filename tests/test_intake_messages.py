"""Messages a consultant reads when client.yaml or the sign-up file is not quite right (Harbour Foods review).

Each names the line or row once, says what is wrong in plain words, and gives a fix that is valid YAML
when it shows YAML. The CLI answers with ``error:`` and exit code 2, never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from toolkit.cli import main
from toolkit.client import load_client, missing_seniority_warning
from toolkit.errors import ConfigError, IntakeError

HARBOUR = Path(__file__).parent / "fixtures" / "harbour"


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def _blocks(text: str) -> list[dict]:
    """Every indented ``mapping:`` block shown in a message, parsed as YAML."""
    found = []
    for match in re.finditer(r"^( +)mapping:\n((?:\1  .*\n?)+)", text, re.MULTILINE):
        block = "mapping:\n" + "\n".join(line[len(match.group(1)):] for line in match.group(2).splitlines())
        found.append(yaml.safe_load(block.rstrip(".")))
    return found


def test_a_grade_column_s_fix_offers_seniority_first_and_both_as_yaml_blocks():
    with pytest.raises(IntakeError) as caught:
        load_client(HARBOUR / "client_grade_column_unmapped.yaml").roster()
    problem = caught.value.problems[0]
    assert problem.message == 'the column could mean "seniority" or "job_title"'
    blocks = _blocks(problem.fix + "\n")
    header = "What is your job title / grade?"
    assert blocks == [{"mapping": {"columns": {header: "seniority"}}}, {"mapping": {"columns": {header: "job_title"}}}]
    assert "grades or titles on a ladder" in problem.fix


def test_grades_read_as_job_titles_under_a_seniority_rule_warn_first(capsys):
    path = HARBOUR / "client_grade_column_as_job_title.yaml"
    config = load_client(path)
    warning = missing_seniority_warning(config.roster(), config.design())
    assert warning and "10 of 10 people have no seniority level" in warning and "job_title to seniority" in warning
    code, out, _ = _cli(capsys, "validate", "--client", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[1].strip().startswith("WARNING: 10 of 10 people have no seniority level")


def test_no_warning_when_people_have_levels_or_the_design_ignores_seniority():
    config = load_client(HARBOUR / "client_mapping_settled.yaml")
    assert missing_seniority_warning(config.roster(), config.design()) is None
    config = load_client(HARBOUR / "client_grade_column_as_job_title.yaml")
    assert missing_seniority_warning(config.roster(), config.design().override(
        {"seniority.direction": "any", "criteria.seniority.weight": 0})) is None


def test_a_csv_given_as_the_client_file_is_named_as_such(capsys):
    code, _, err = _cli(capsys, "validate", "--client", str(HARBOUR / "signups_grade_column.csv"))
    assert code == 2
    assert "--client needs the client's client.yaml (or its folder); signups_grade_column.csv is a CSV file" in err
    assert "not valid YAML" not in err


def test_a_tab_in_the_indentation_is_named_with_its_line():
    with pytest.raises(ConfigError) as caught:
        load_client(HARBOUR / "client_tab_indented.yaml")
    line = next(number for number, text in enumerate(
        (HARBOUR / "client_tab_indented.yaml").read_text().splitlines(), 1) if text.startswith("\t"))
    assert f"line {line}:" in str(caught.value)
    assert "TAB" in str(caught.value) and "spaces" in str(caught.value)
    assert "cannot start any token" not in str(caught.value)


@pytest.mark.parametrize("written, says", [
    ("31/02/2026", "there is no 31 February 2026"),
    ('"2026-02-30"', "there is no 30 February 2026"),
    ("13/13/2026", "there is no month 13"),
])
def test_a_date_that_does_not_exist_says_so_and_how_to_write_dates(written, says):
    path = HARBOUR / "client_impossible_date.yaml"
    text = path.read_text().replace("31/02/2026", written)
    with pytest.raises(ConfigError) as caught:
        folder = path.parent
        other = folder / "client_impossible_date_case.yaml"
        try:
            other.write_text(text, encoding="utf-8")
            load_client(other)
        finally:
            other.unlink()
    assert says in str(caught.value) and "YYYY-MM-DD" in str(caught.value)


def test_a_real_date_in_another_format_gets_the_iso_form():
    with pytest.raises(ConfigError, match=r"YYYY-MM-DD \(2026-03-01 or 2026-01-03\?\)"):
        folder_text = (HARBOUR / "client_impossible_date.yaml").read_text().replace("31/02/2026", "01/03/2026")
        other = HARBOUR / "client_real_date_case.yaml"
        try:
            other.write_text(folder_text, encoding="utf-8")
            load_client(other)
        finally:
            other.unlink()


def test_lenient_rows_name_their_file_and_row_once_and_no_python_jargon(capsys):
    code, out, _ = _cli(capsys, "validate", "--lenient", "--client", str(HARBOUR / "client_one_bad_email.yaml"))
    assert code == 0
    line = next(text for text in out.splitlines() if "jose.nunez" in text)
    assert line.count("row 5") == 1 and line.count("signups_one_bad_email.csv") == 1
    assert "roster.rejected" not in out and "lenient=True" not in out
    with pytest.raises(IntakeError) as caught:
        load_client(HARBOUR / "client_one_bad_email.yaml").roster()
    assert "--lenient" in caught.value.fix and "lenient=True" not in caught.value.fix


def test_the_unused_column_hint_is_an_indented_yaml_block(capsys, tmp_path):
    code, out, _ = _cli(capsys, "validate", "--client", str(HARBOUR / "client_mapping_settled.yaml"))
    assert code == 0
    assert 'mapping: columns: "Header": field' not in out
    assert {"mapping": {"columns": {"Header": "field"}}} in _blocks(out)
    assert {"mapping": {"values": {"seniority": {"Grade": "level"}}}} in _blocks(out)
