"""A consultant's path through a new client, driven through the command line as they would type it.

new-client -> drop the client's files -> validate -> match (adopted as a round) -> agreements ->
kit -> reports; the rounds kept in the client folder; errors that name the file and line and
never show a traceback.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml

import toolkit as tk
from toolkit import cli, demo, rounds
from toolkit.client import load_client
from toolkit.goals.agreements import match_as_run
from toolkit.measure import engagement
from toolkit.reports.scaffold import new_client, yaml_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(part) for part in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str)))


def _new_acme(tmp_path, capsys, export: Path) -> Path:
    code, out, _ = _run(capsys, "new-client", "Acme Ltd", "--out", tmp_path / "clients")
    assert code == 0 and "Created" in out
    folder = tmp_path / "clients" / "acme-ltd"
    shutil.copyfile(export, folder / "participants.csv")
    return folder


@pytest.fixture
def acme(tmp_path, capsys) -> Path:
    """A fresh client made by new-client, with the client's sign-up export dropped in."""
    return _new_acme(tmp_path, capsys, FIXTURES / "journey" / "acme_signups.csv")


def _stem(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


@pytest.mark.slow
@pytest.mark.parametrize("export, counts, asks", [
    (FIXTURES / "journey" / "acme_signups.csv", "4 mentors, 6 mentees", False),
    # the issue's own case: question headers and sentence answers, straight from Google Forms; its grades
    # (Associate, Analyst, Director) rank differently by sector, so validate asks for the client's ladder
    (FIXTURES / "exports" / "google_forms_question_headers_sentence_roles.csv", "3 mentors, 4 mentees, 1 both", True),
])
def test_a_consultant_goes_from_new_client_to_reports_without_copying_a_file(export, counts, asks, tmp_path, capsys):
    acme = _new_acme(tmp_path, capsys, export)
    client = acme / "client.yaml"
    code, out, err = _run(capsys, "validate", "--client", client)
    if asks:  # the consultant pastes the seniority: lines the question prints, as printed
        assert code == 2 and "\nseniority:" in err
        client.write_text(client.read_text(encoding="utf-8") + "\n" + err[err.index("\nseniority:") + 1:],
                          encoding="utf-8")
        code, out, err = _run(capsys, "validate", "--client", client)
    assert (code, err) == (0, "") and counts in out

    code, out, _ = _run(capsys, "match", "--client", client)
    assert code == 0 and "adopted as round 1" in out
    adopted = rounds.current_round(acme)
    assert adopted.number == 1 and len(adopted.pairs) >= 3
    mentees = set(load_client(client).roster().mentees["participant_id"])
    assert set(adopted.pairs["mentee_id"]) <= mentees  # nobody who asked for a mentor is made one

    code, out, _ = _run(capsys, "agreements", "--client", client, "--out", tmp_path / "agreements")
    assert code == 0
    folder = tmp_path / "agreements"  # --out X means X
    assert not (folder / "agreements").exists() and (folder / "index.html").exists()
    config = load_client(client)
    roster = config.roster()
    expected = {_stem(f"{roster.display_name(mentee)} and {roster.display_name(mentor)}")
                for mentee, mentor in _pairs(adopted.pairs)}
    assert {path.stem for path in folder.glob("*.html") if path.stem != "index"} == expected
    index = (folder / "index.html").read_text(encoding="utf-8")
    for pair_id in adopted.pairs["pair_id"]:
        assert pair_id in index
    assert _pairs(match_as_run(config).pairs) == _pairs(adopted.pairs)

    code, out, _ = _run(capsys, "kit", "--client", client, "--out", tmp_path / "kit")
    assert code == 0 and "mail merge" in out
    introductions = pd.read_csv(tmp_path / "kit" / "introductions.csv")
    assert set(introductions["pair_id"]) == set(adopted.pairs["pair_id"])
    emails = roster.participants.set_index("participant_id")["email"]
    merged = dict(zip(introductions["pair_id"], zip(introductions["mentee_email"], introductions["mentor_email"])))
    for row in adopted.pairs.itertuples():
        assert merged[row.pair_id] == (emails[row.mentee_id], emails[row.mentor_id])
    assert not introductions["body"].str.contains("@").any()
    assert introductions["subject"].str.len().gt(0).all()

    for report in ("readiness", "matching"):
        code, out, err = _run(capsys, "report", report, "--client", client, "--out", tmp_path / "reports")
        assert code == 0, err
        assert (tmp_path / "reports" / f"{report}.html").exists()


def test_each_match_adds_a_round_and_leaves_the_earlier_one_untouched(acme, capsys):
    client = acme / "client.yaml"
    assert _run(capsys, "match", "--client", client)[0] == 0
    first = rounds.current_round(acme)
    before = {path.name: path.read_bytes() for path in first.folder.iterdir()}
    code, out, _ = _run(capsys, "match", "--client", client, "--note", "after two late sign-ups")
    assert code == 0 and "adopted as round 2" in out and "1 earlier round kept" in out
    kept = rounds.list_rounds(acme)
    assert [r.number for r in kept] == [1, 2]
    assert {path.name: path.read_bytes() for path in first.folder.iterdir()} == before
    current = rounds.current_round(acme)
    assert current.number == 2 and current.note == "after two late sign-ups"
    assert current.folder.name.startswith("round-02-") and (current.folder / "design.yaml").exists()
    assert current.certificate["status"] == "optimal" and current.certificate["certified"] is True


def test_dry_run_writes_no_round_and_out_still_gets_the_exports(acme, tmp_path, capsys):
    code, out, _ = _run(capsys, "match", "--client", acme / "client.yaml", "--dry-run", "--out", tmp_path / "exports")
    assert code == 0 and "not adopted" in out
    assert not (acme / "matches").exists()
    assert (tmp_path / "exports" / "pairs.csv").exists()


@pytest.mark.slow
def test_a_round_reads_back_as_the_match_it_adopted(northwind, northwind_match, tmp_path):
    roster, design = northwind
    adopted = rounds.adopt(tmp_path, northwind_match, note="test")
    again = rounds.current_round(tmp_path)
    assert _pairs(again.pairs) == _pairs(northwind_match.pairs)
    result = again.as_match_result(roster, design)
    assert result.status == "optimal" and result.objective == pytest.approx(northwind_match.objective, abs=1e-4)
    assert result.pairs["score"].sum() == pytest.approx(northwind_match.pairs["score"].sum(), abs=1e-3)
    assert adopted.pairs["pair_id"].is_unique
    # a round is never written twice, even on the same day
    second = rounds.adopt(tmp_path, northwind_match)
    assert second.number == 2 and second.folder != adopted.folder


@pytest.mark.slow
def test_the_demo_describes_one_match_per_sample_client(tmp_path, capsys):
    """Per sample client: agreements = the matching report's pairs = introductions = kit = health report units."""
    from toolkit.reports import matching_sections, prepare

    for slug in ("riverbank", "lumen"):
        out = tmp_path / slug
        client = demo.demo_copy(SAMPLES / slug / "client.yaml", out / "client")
        demo.demo_match(client, out)
        adopted = rounds.current_round(client)
        agreements = demo.demo_agreements(client, out)
        kit = demo.demo_kit(client, out)
        config = load_client(client)
        proposed = matching_sections.match_result(prepare(client))
        units = engagement.read_units(config)
        introductions = pd.read_csv(out / "kit" / "introductions.csv")
        agreement_files = [p for p in agreements if p.suffix == ".html" and p.stem != "index"]
        # the timeline lists every pair or circle the sample's files and the round hold; the ones that ended
        # early (the sample's pairs file says which) get no introduction and no agreement
        stopped = set(units.loc[units["status"].isin(["ended", "superseded"]), "unit"])
        if adopted.shape == "circles":
            members = {c: frozenset(g["participant_id"]) for c, g in adopted.pairs.groupby("circle_id")}
            assert set(members.values()) == {frozenset(g["participant_id"])
                                             for _, g in proposed.circles.groupby("circle_id")}
            assert set(introductions["circle_id"]) == set(members) - stopped and set(members) <= set(units["unit"])
            assert all(circle.startswith("R1-C") for circle in members)
        else:
            assert _pairs(adopted.pairs) == _pairs(proposed.pairs)
            assert set(introductions["pair_id"]) == set(adopted.pairs["pair_id"]) - stopped
            assert set(adopted.pairs["pair_id"]) <= set(units["unit"])
            logged = pd.read_csv(SAMPLES / slug / "pairs.csv")
            assert stopped == set(logged.loc[logged["Status"] == "ended_early", "Pair ID"])
        assert len(agreement_files) == len(introductions) == adopted.units - len(stopped & set(
            adopted.pairs["circle_id" if adopted.shape == "circles" else "pair_id"]))
        assert any(path.name == "introductions.csv" for path in kit)
        # The sample's programme history was logged against this match: the health report finds the
        # meetings of the adopted pairs or circles, and no meeting of the first round is left unlinked.
        sample = load_client(SAMPLES / slug / "client.yaml")
        as_run, health = engagement.activity(sample), engagement.activity(config)
        if adopted.shape == "circles":
            later = set()
        else:
            logged = engagement.read_log(sample.get("pairs"))
            later = set(logged.loc[logged["matched_on"] > logged["matched_on"].min(), "pair_id"])  # re-matches
        first_round_met = as_run[(as_run["meetings"] > 0) & ~as_run["unit"].isin(later)]
        met = health[health["meetings"] > 0]
        assert len(met) >= 0.8 * len(first_round_met) and len(met) >= 0.8 * len(health), (slug, len(met), len(health))
        assert set(health.attrs["unlinked_units"]) <= later, (slug, health.attrs["unlinked_units"])
    assert not list((SAMPLES / "riverbank").glob("matches")), "the demo must not write into the sample clients"


# ------------------------------------------------------------------------------------------------
# Errors a consultant can meet: one clear message, the file and line, a non-zero exit
# ------------------------------------------------------------------------------------------------
def test_an_impossible_date_names_the_file_and_line(acme, capsys):
    client = acme / "client.yaml"
    text = client.read_text(encoding="utf-8")
    client.write_text(re.sub(r"start_date: \S+", "start_date: 2027-02-30", text), encoding="utf-8")
    line = next(number for number, content in enumerate(client.read_text().splitlines(), 1) if "2027-02-30" in content)
    code, out, err = _run(capsys, "validate", "--client", client)
    assert code == 2 and "Traceback" not in err
    assert f"client.yaml: line {line}: 2027-02-30 is not a date in the calendar" in err


def test_bad_yaml_missing_files_and_empty_rosters_fail_with_one_clear_message(acme, tmp_path, capsys):
    code, _, err = _run(capsys, "validate", "--client", acme / "client.yaml")
    assert code == 0
    shutil.copyfile(acme / "client.yaml", tmp_path / "good.yaml")

    (acme / "participants.csv").write_text("participant_id,name,email,role\n", encoding="utf-8")
    code, out, err = _run(capsys, "validate", "--client", acme / "client.yaml")
    assert code == 2 and "No participants" in err and "Empty DataFrame" not in out + err
    assert "enough places" not in out

    (acme / "client.yaml").write_text("client: Acme\nprogramme:\n  template: [formal\n", encoding="utf-8")
    code, _, err = _run(capsys, "match", "--client", acme / "client.yaml")
    assert code == 2 and "line 4" in err and "not valid YAML" in err and "Traceback" not in err

    code, _, err = _run(capsys, "agreements", "--client", tmp_path / "nowhere" / "client.yaml")
    assert code == 2 and "There is no client file" in err


def test_an_unexpected_error_is_one_line_and_a_pointer(monkeypatch, capsys):
    def broken(arguments):
        raise RuntimeError("something inside broke\nsecond line")

    monkeypatch.setitem(cli.COMMANDS, "kit", (cli.COMMANDS["kit"][0], broken, "kit"))
    monkeypatch.delenv("MENTORING_TOOLKIT_DEBUG", raising=False)
    code, out, err = _run(capsys, "kit")
    assert code == 3 and err.count("\n") == 1 and "something inside broke" in err and "second line" not in err
    assert "MENTORING_TOOLKIT_DEBUG" in err


def test_agreements_before_any_match_say_which_command_to_run(acme, capsys):
    code, _, err = _run(capsys, "agreements", "--client", acme / "client.yaml")
    assert code == 2 and "has no match yet" in err and "mentoring-toolkit match --client" in err


# ------------------------------------------------------------------------------------------------
# new-client
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Acme: Ltd", "null", "2026-01-01", "#hash & Co", "O'Brien \"Quoted\" Ltd", "yes"])
def test_the_client_name_round_trips_through_client_yaml(tmp_path, name):
    folder = new_client(name, tmp_path)
    assert load_client(folder).name == name
    assert yaml.safe_load(yaml_text(name)) == name


def test_new_client_scaffolds_templates_survey_questions_and_notebooks(tmp_path):
    import nbformat

    folder = new_client("Acme Ltd", tmp_path)
    for log, first_header in (("meeting_log", "Meeting ID"), ("goal_checkins", "Participant ID"),
                              ("hr_outcomes", "Employee ID")):
        assert pd.read_csv(folder / "collect" / f"{log}.csv").columns[0] == first_header
        sheets = pd.read_excel(folder / "collect" / f"{log}.xlsx", sheet_name=None)
        assert "how to collect this" in sheets and len(sheets["how to collect this"].iloc[0, 0]) > 80
    assert "meetings: collect/meeting_log.csv" in (folder / "collect" / "README.md").read_text()
    questions = (folder / "surveys" / "pulse_30day_questions.txt").read_text(encoding="utf-8")
    instrument = tk.survey.load_instrument("pulse_30day")
    for text in instrument.items["text"]:
        assert text in questions
    notebooks = sorted(path.name for path in (folder / "notebooks").glob("*.ipynb"))
    assert "03_matching_studio.ipynb" in notebooks and "report_health.ipynb" in notebooks
    studio = nbformat.read(folder / "notebooks" / "03_matching_studio.ipynb", as_version=4)
    parameters = next(cell for cell in studio.cells if "parameters" in cell.metadata.get("tags", []))
    assert 'client_path = ".."' in parameters.source and "sample_data" not in parameters.source
    assert all(not cell.get("outputs") for cell in studio.cells if cell.cell_type == "code")


def test_a_google_forms_export_of_the_question_list_loads_back():
    survey = tk.load_survey(FIXTURES / "surveys" / "google_forms_pulse_export.csv", instrument="pulse_30day")
    responses = survey.responses
    assert len(responses) == 4 and list(responses["role"]) == ["mentee", "mentor", "mentee", "mentor"]
    assert responses["RQ1"].tolist() == [5, 4, 3, 4]
    assert not responses.astype(str).apply(lambda column: column.str.contains("@")).any().any()


def test_the_health_report_hint_for_surveys_shows_the_nested_block(acme):
    from toolkit.errors import ReportError
    from toolkit.reports import run

    with pytest.raises(ReportError) as caught:
        run("impact", acme / "client.yaml", acme / "out")
    assert "surveys:" in str(caught.value) and "instrument:" in str(caught.value)


def test_the_studio_adopts_the_match_on_screen_as_the_next_round(northwind, northwind_match, tmp_path):
    from toolkit.widgets.matching_studio import MatchingStudioModel

    roster, design = northwind
    model = MatchingStudioModel(roster, design, solver=lambda roster, design, **options: northwind_match)
    with pytest.raises(tk.MatchingError, match="solve first"):
        model.adopt(tmp_path)
    model.result = northwind_match
    adopted = model.adopt(tmp_path)
    assert rounds.current_round(tmp_path).number == adopted.number == 1
    assert _pairs(adopted.pairs) == _pairs(northwind_match.pairs) and "studio" in adopted.note


def test_matching_a_bundled_sample_client_never_writes_into_it(tmp_path, capsys):
    code, out, _ = _run(capsys, "match", "--client", SAMPLES / "riverbank" / "client.yaml", "--out", tmp_path)
    assert code == 0 and "read-only" in out and (tmp_path / "pairs.csv").exists()
    assert not (SAMPLES / "riverbank" / "matches").exists()


def test_a_match_without_any_pair_is_not_adopted(acme, capsys):
    signups = (FIXTURES / "journey" / "acme_signups.csv").read_text(encoding="utf-8").splitlines()
    (acme / "participants.csv").write_text("\n".join(line for line in signups if ",Mentor," not in line) + "\n",
                                           encoding="utf-8")
    code, _, err = _run(capsys, "match", "--client", acme / "client.yaml")
    assert code == 2 and "found no pair, so nothing was adopted" in err
    assert rounds.list_rounds(acme) == []


def test_programme_dates_that_break_the_design_are_located_in_client_yaml(acme, capsys):
    client = acme / "client.yaml"
    client.write_text(re.sub(r"end_date: \S+", "end_date: 2026-01-01", client.read_text(encoding="utf-8")),
                      encoding="utf-8")
    line = next(number for number, text in enumerate(client.read_text().splitlines(), 1) if "end_date:" in text)
    code, _, err = _run(capsys, "validate", "--client", client)
    assert code == 2 and f"client.yaml, line {line}, programme.end_date" in err


def test_the_same_two_people_keep_their_pair_id_from_one_match_to_the_next(northwind, northwind_match, tmp_path):
    roster, design = northwind
    first = rounds.adopt(tmp_path, northwind_match)
    kept = northwind_match.pairs.iloc[:100]  # a later match keeps 100 pairs and forms one new one
    later = dataclasses.replace(northwind_match, pairs=pd.concat(
        [kept, northwind_match.pairs.iloc[[100]].assign(mentor_id=northwind_match.pairs["mentor_id"].iloc[101])]))
    second = rounds.adopt(tmp_path, later)
    before = dict(zip(zip(first.pairs["mentee_id"], first.pairs["mentor_id"]), first.pairs["pair_id"]))
    after = dict(zip(zip(second.pairs["mentee_id"], second.pairs["mentor_id"]), second.pairs["pair_id"]))
    assert all(after[pair] == before[pair] for pair in zip(kept["mentee_id"], kept["mentor_id"]))
    assert sorted(set(after.values()) - set(before.values())) == ["R2-P001"]


def test_a_first_round_keeps_the_ids_of_a_pairs_file_matched_before_rounds(tmp_path):
    client = demo.demo_copy(SAMPLES / "riverbank" / "client.yaml", tmp_path / "riverbank")
    config = load_client(client)
    result = tk.match(config.roster(), config.design())
    adopted = rounds.adopt(client, result)
    as_run = pd.read_csv(config.get("pairs"))
    earlier = dict(zip(zip(as_run["Mentee ID"], as_run["Mentor ID"]), as_run["Pair ID"]))
    for row in adopted.pairs.itertuples():
        assert row.pair_id == earlier.get((row.mentee_id, row.mentor_id), row.pair_id)
        assert row.pair_id.startswith("RB-P") == ((row.mentee_id, row.mentor_id) in earlier)


@pytest.mark.slow
def test_a_client_with_ranked_choices_adopts_the_match_its_matching_report_shows(tmp_path, capsys):
    # Northwind's mentees ranked shortlists (choices: in client.yaml): the match command, and so the
    # adopted round the agreements use, must be the match on those ranks, as in the matching report.
    from toolkit.reports.context import prepare
    from toolkit.reports.matching_sections import match_result

    client = demo.demo_copy(SAMPLES / "northwind" / "client.yaml", tmp_path / "northwind")
    code, _, _ = _run(capsys, "match", "--client", client, "--quiet")
    assert code == 0
    adopted = rounds.current_round(client)
    report = match_result(prepare(client))
    assert report.choices is not None
    assert _pairs(adopted.pairs) == _pairs(report.pairs)


@pytest.mark.slow
def test_a_bad_row_found_while_a_report_runs_is_named_like_any_other_input_error(tmp_path, capsys):
    # The meeting log is read inside the health report's notebook: its mistake must still reach the
    # consultant as file, row, column, value and fix, not as "open the failed notebook".
    client = demo.demo_copy(SAMPLES / "riverbank" / "client.yaml", tmp_path / "riverbank")
    log = client.parent / "meetings.csv"
    lines = log.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    date_column = lines[0].split(",").index(next(h for h in lines[0].split(",") if h.strip().lower() == "date"))
    first[date_column] = "2026-02-31"
    lines[1] = ",".join(first)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "report", "health", "--client", client, "--out", tmp_path / "reports")
    message = out + err
    assert code == 2 and "stopped on its input" in message
    assert "row 2" in message and "2026-02-31" in message and "failing cell" not in message
    assert "Traceback" not in message
