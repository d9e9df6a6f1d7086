"""Rounds you can trust: a round's pairs are checked every time they are read, and a round whose pairs were
edited by hand is never reported as certified (the certificate records the fingerprint of the pairs it proved).

The client is Brightwater Housing (tests/fixtures/rounds/brightwater, written by hand): 5 mentors, 8 mentees
with line managers, and the choices form the mentees handed back. Its adopted round 1 is, as the match makes it:
BW301-BW205, BW302-BW204, BW303-BW201, BW304-BW203, BW305-BW202, BW306-BW205, BW307-BW203, BW308-BW201.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import toolkit as tk
from toolkit import cli, rounds
from toolkit.client import load_client
from toolkit.errors import ConfigError
from toolkit.reports.appendix import methods
from toolkit.reports.matching_sections import matching_summary
from toolkit.rounds.checks import edited_rows, table_problems

BRIGHTWATER = Path(__file__).resolve().parent / "fixtures" / "rounds" / "brightwater"
ADOPTED = {"BW301": "BW205", "BW302": "BW204", "BW303": "BW201", "BW304": "BW203", "BW305": "BW202",
           "BW306": "BW205", "BW307": "BW203", "BW308": "BW201"}


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(part) for part in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def client(tmp_path, capsys) -> Path:
    """A copy of Brightwater with round 1 adopted by the match command."""
    folder = tmp_path / "brightwater"
    shutil.copytree(BRIGHTWATER, folder)
    code, out, _ = _run(capsys, "match", "--client", folder, "--quiet")
    assert code == 0 and "adopted as round 1" in out and "round 1: certified optimal" in out
    return folder


def _pairs_file(folder: Path) -> Path:
    return rounds.current_round(folder).main_file


def _row_of(path: Path, mentee: str) -> int:
    """The row a spreadsheet shows for a mentee's pair (header = row 1)."""
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    return int(frame.index[frame["mentee_id"] == mentee][0]) + 2


def _edit(path: Path, **changes) -> None:
    """Edit pairs.csv as a person would in a spreadsheet: mentee -> new mentor, or (mentee, column) -> value."""
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    for mentee, value in changes.items():
        column, value = value if isinstance(value, tuple) else ("mentor_id", value)
        frame.loc[frame["mentee_id"] == mentee, column] = value
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def test_the_fixture_round_is_the_match_on_the_mentees_choices(client):
    adopted = rounds.current_round(client)
    assert dict(zip(adopted.pairs["mentee_id"], adopted.pairs["mentor_id"])) == ADOPTED
    assert adopted.integrity == "intact" and adopted.certified and adopted.certificate_words() == "certified optimal"
    about = json.loads((adopted.folder / "round.json").read_text(encoding="utf-8"))
    assert about["fingerprint"]["sha256"] == adopted.fingerprint == rounds.fingerprint(
        [f"{mentee}\t{mentor}" for mentee, mentor in ADOPTED.items()])


def test_a_hand_edited_self_pair_is_refused_by_every_command_with_the_row_named(client, capsys):
    path = _pairs_file(client)
    row = _row_of(path, "BW303")
    _edit(path, BW303="BW303")
    for command in (["agreements", "--out", client / "agreements"], ["kit", "--out", client / "kit"]):
        code, out, err = _run(capsys, command[0], "--client", client, *command[1:])
        assert code == 2 and "Traceback" not in err
        assert f'pairs.csv, row {row}, column D "mentor_id": value \'BW303\': BW303 is paired with themselves' in err
        assert "Fix: give the pair a different partner, or delete the row" in err
        assert "match.xlsx in the same folder holds the pairs as they were adopted" in err
    assert not (client / "agreements").exists() or not any((client / "agreements").glob("*.html"))
    with pytest.raises(ConfigError) as caught:
        rounds.current_round(client)
    assert [(problem.row, problem.column, problem.value) for problem in caught.value.problems] == \
        [(row, "mentor_id", "BW303")]


@pytest.mark.parametrize("edit, expected", [
    # a mentee given a second pair: the later row is named, with the row of the first
    ({"BW306": ("mentee_id", "BW301")}, ("BW306", "mentee_id", "BW301 is also in the pair as a mentee on row")),
    # one mentor for four mentees: more than the round's design allows (capacity max 3)
    ({"BW301": "BW201", "BW302": "BW201"}, (None, "mentor_id", "more than the 3 the round's design allows")),
    # two pairs with one id: meetings logged against it could not be told apart
    ({"BW302": ("pair_id", "R1-P001")}, ("BW302", "pair_id", "the pair id R1-P001 is also the id of the pair on row")),
    # a pair without its id
    ({"BW304": ("pair_id", "")}, ("BW304", "pair_id", "this pair has no pair_id")),
])
def test_a_broken_round_is_refused_when_read_naming_file_row_column_and_fix(client, edit, expected):
    path = _pairs_file(client)
    mentee, column, words = expected
    row = _row_of(path, mentee) if mentee else None
    _edit(path, **edit)
    with pytest.raises(ConfigError) as caught:
        rounds.list_rounds(client)
    problem = next(problem for problem in caught.value.problems if words in problem.message)
    assert Path(problem.path) == path and problem.column == column and problem.fix
    if row is not None:
        assert problem.row == row
    assert "was changed by hand and cannot be used as it is" in str(caught.value)


@pytest.mark.parametrize("edit, mentee, words", [
    # Dan Foley paired with his own line manager
    ({"BW301": "BW201", "BW303": "BW205"}, "BW301", "are paired against the programme's hard rules (not with "
                                                     "their own manager;"),
    # a typing slip in an id
    ({"BW307": "BW2O3"}, "BW307", 'there is no participant with this id. Did you mean "BW203"?'),
    # a mentee put in the mentor column
    ({"BW304": "BW306"}, "BW304", "Ellie Brooks did not sign up as a mentor"),
    # Tom Eades offered one place and is given a second mentee
    ({"BW304": "BW202"}, "BW304", "Tom Eades mentors 2 mentees in this round, more than the 1 they offered"),
])
def test_hand_edited_rows_are_checked_against_the_participants_and_the_hard_rules(client, capsys, edit, mentee,
                                                                                   words):
    path = _pairs_file(client)
    row = _row_of(path, mentee)
    _edit(path, **edit)
    assert rounds.current_round(client).integrity == "edited"  # readable on its own: the roster finds the problem
    code, _, err = _run(capsys, "agreements", "--client", client, "--out", client / "agreements")
    assert code == 2 and f"pairs.csv, row {row}" in err and words in err
    assert not (client / "agreements").exists() or not any((client / "agreements").glob("*.html"))


def test_people_who_left_do_not_make_an_unedited_round_unreadable(client):
    """Rows the certificate proved are not re-checked: a mentor leaving the participant file is a change in the
    programme (listed as unmatched with the reason), not an error in the round."""
    participants = client / "participants.csv"
    lines = participants.read_text(encoding="utf-8").splitlines(keepends=True)
    participants.write_text("".join(line for line in lines if not line.startswith("BW204,")), encoding="utf-8")
    config = load_client(client)
    result = rounds.current_round(client).as_match_result(config.roster())
    assert result.certificate.certified and "BW204" in set(result.unmatched["participant_id"])


@pytest.mark.slow
def test_an_edited_round_is_never_reported_certified(client, capsys):
    path = _pairs_file(client)
    _edit(path, BW306="BW201", BW308="BW205")  # a valid swap: every rule and capacity still holds
    adopted = rounds.current_round(client)
    rows = sorted([_row_of(path, "BW306"), _row_of(path, "BW308")])
    assert adopted.integrity == "edited" and not adopted.certified and adopted.certificate["status"] == "edited"
    assert adopted.certificate_words() == (f"edited by hand after adoption (rows {rows[0]}, {rows[1]} of pairs.csv "
                                           "changed; 2 adopted pairs removed): not certified")

    code, out, _ = _run(capsys, "agreements", "--client", client, "--out", client / "agreements")
    assert code == 0 and "edited by hand after adoption" in out
    index = (client / "agreements" / "index.html").read_text(encoding="utf-8")
    assert "edited by hand after adoption" in index and "not certified" in index and "certified optimal" not in index
    assert json.loads((client / "agreements" / "round.json").read_text())["certificate"].endswith("not certified")

    code, out, _ = _run(capsys, "kit", "--client", client, "--out", client / "kit")
    assert code == 0 and "not certified" in out
    assert "certified optimal" not in (client / "kit" / "round.json").read_text(encoding="utf-8")

    report = tk.reports.prepare(client / "client.yaml")
    summary, appendix = repr(matching_summary(report)), repr(methods(report, "matching"))
    assert "Not certified: the pairs were edited by hand after the round was adopted" in summary
    assert "certified optimal" not in summary and "certified optimal" not in appendix
    assert "The adopted pairs are not the solver" in appendix and f"rows {rows[0]}, {rows[1]} of pairs.csv changed" \
        in appendix

    code, out, _ = _run(capsys, "match", "--client", client, "--quiet")
    assert code == 0 and "round 1 had been edited by hand after adoption" in out and "round 2: certified optimal" in out


def test_rows_reordered_or_resaved_keep_the_certificate(client):
    """The fingerprint is of who is matched with whom, not of the bytes: sorting the file by mentor in a
    spreadsheet and saving it with semicolons changes nothing that was proved."""
    path = _pairs_file(client)
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig").sort_values("mentor_id")
    frame.to_csv(path, index=False, sep=";", encoding="utf-8-sig")
    adopted = rounds.current_round(client)
    assert adopted.integrity == "intact" and adopted.certified


def test_a_round_adopted_before_fingerprints_is_not_claimed_certified(client):
    about_path = rounds.current_round(client).folder / "round.json"
    about = json.loads(about_path.read_text(encoding="utf-8"))
    del about["fingerprint"]
    about_path.write_text(json.dumps(about), encoding="utf-8")
    adopted = rounds.current_round(client)
    assert adopted.integrity == "unverified" and not adopted.certified
    result = adopted.as_match_result(load_client(client).roster())
    assert result.status == "unverified" and not result.certificate.certified
    assert "adopted before the toolkit recorded which pairs it solved" in str(result.certificate)


def test_a_fingerprint_changed_in_round_json_is_not_trusted(client):
    about_path = rounds.current_round(client).folder / "round.json"
    about = json.loads(about_path.read_text(encoding="utf-8"))
    about["fingerprint"]["members"][0] = "BW301\tBW203"  # the list no longer hashes to the fingerprint
    about_path.write_text(json.dumps(about), encoding="utf-8")
    assert rounds.current_round(client).integrity == "unverified"


# ------------------------------------------------------------------------------------------------
# The checks on their own (no client): circles, and the fingerprint's invariants
# ------------------------------------------------------------------------------------------------
def test_circle_problems_are_named_by_row():
    design = tk.ProgramDesign.from_template("group")
    table = pd.DataFrame({"circle_id": ["R1-C01", "R1-C01", "R1-C01", "R1-C02", "R1-C02", "R1-C02"],
                          "participant_id": ["F1", "M1", "M2", "F2", "M2", "F3"],
                          "circle_role": ["facilitator", "member", "member", "facilitator", "membre", "facilitator"]})
    problems = table_problems(table, "circles", design, Path("circles.csv"), list(range(2, 8)),
                              ["circle_id", "participant_id", "circle_role"])
    described = {(problem.row, problem.message.split(";")[0]) for problem in problems}
    assert (6, "M2 is also in a circle on row 4") in described
    assert (6, 'the circle role must be member or facilitator Did you mean "member"?') in described
    assert (7, "circle R1-C02 has 2 facilitators (rows 5, 6, 7)") in described


_ids = st.text(alphabet="ABC0123", min_size=1, max_size=3)


@st.composite
def pair_tables(draw) -> pd.DataFrame:
    mentees = draw(st.lists(_ids, min_size=1, max_size=12, unique=True))
    mentors = [draw(_ids.filter(lambda text: text not in mentees)) for _ in mentees]
    return pd.DataFrame({"mentee_id": mentees, "mentor_id": mentors})


@pytest.mark.slow
@given(pair_tables(), st.randoms(use_true_random=False), st.data())
def test_the_fingerprint_is_of_the_pairs_not_their_order_and_any_changed_pair_is_found(table, random, data):
    lines = rounds.member_lines(table, "one_to_one")
    shuffled = table.sample(frac=1, random_state=random.randint(0, 2 ** 31)).reset_index(drop=True)
    assert rounds.fingerprint(rounds.member_lines(shuffled, "one_to_one")) == rounds.fingerprint(lines)
    assert edited_rows(shuffled, "one_to_one", lines) == []
    row = data.draw(st.integers(0, len(table) - 1))
    new_mentor = data.draw(_ids.filter(lambda text: text != table["mentor_id"].iloc[row]))
    changed = table.copy()
    changed.loc[row, "mentor_id"] = new_mentor
    assert rounds.fingerprint(rounds.member_lines(changed, "one_to_one")) != rounds.fingerprint(lines)
    assert edited_rows(changed, "one_to_one", lines) == [row]


def test_a_self_pair_in_the_clients_own_pairs_file_gets_no_agreement(tmp_path, capsys):
    """The same class of problem before any round: the pairs file a client kept by hand (client.yaml pairs:)."""
    folder = tmp_path / "riverbank"
    shutil.copytree(Path(__file__).resolve().parents[1] / "sample_data" / "riverbank", folder)
    path = folder / "pairs.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    mentee = lines[5].split(",")[1]
    lines[5] = lines[5].replace(lines[5].split(",")[2], mentee, 1)  # row 6: the mentee as their own mentor
    lines[9] = lines[9].replace(lines[9].split(",")[0], lines[3].split(",")[0], 1)  # row 10 reuses row 4's id
    path.write_text("".join(lines), encoding="utf-8")
    code, _, err = _run(capsys, "agreements", "--client", folder, "--out", tmp_path / "agreements")
    assert code == 2 and "pairs.csv cannot be used as it is (2 problems)" in err
    assert f'pairs.csv, row 6, column C "Mentor ID": value \'{mentee}\': {mentee} is paired with themselves' in err
    assert 'pairs.csv, row 10, column A "Pair ID"' in err and "is also the id of the pair on row 4" in err
    assert not (tmp_path / "agreements").exists() or not any((tmp_path / "agreements").glob("*.html"))


def test_a_match_that_breaks_the_rounds_checks_is_not_adopted(tmp_path):
    """A result that would not read back (a mentee in two pairs, as a bad set of kept pairs could give) is
    refused before anything is put in place: no round, no staging folder, current.txt untouched."""
    import dataclasses

    folder = tmp_path / "brightwater"
    shutil.copytree(BRIGHTWATER, folder)
    result = rounds.client_match(load_client(folder))
    doubled = pd.concat([result.pairs, result.pairs.iloc[[0]].assign(mentor_id="BW204")], ignore_index=True)
    with pytest.raises(tk.errors.MatchingError) as caught:
        rounds.adopt(folder, dataclasses.replace(result, pairs=doubled))
    assert "cannot be adopted as round 1" in str(caught.value) and "BW301 is also in the pair" in str(caught.value)
    assert sorted(path.name for path in (folder / "matches").iterdir()) == [".adopting.lock"]
