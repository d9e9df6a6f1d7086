"""Outputs that follow the current round: agreements, introductions and the kit are written per round, so no
output folder ever mixes rounds.

The client is Brightwater Housing (tests/fixtures/rounds/brightwater, written by hand). Round 2 differs from
round 1 because two mentors changed how many mentees they can take after round 1 was adopted.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from toolkit import cli, rounds
from toolkit.errors import ConfigError
from toolkit.rounds.outputs import INDEX_NAME, RoundLabel, write_for_round

BRIGHTWATER = Path(__file__).resolve().parent / "fixtures" / "rounds" / "brightwater"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
PAIR_ID = re.compile(r"\bR\d+-P\d{3}\b")


def _run(capsys, *argv) -> str:
    code = cli.main([str(part) for part in argv])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.fixture
def client(tmp_path) -> Path:
    folder = tmp_path / "brightwater"
    shutil.copytree(BRIGHTWATER, folder)
    return folder


def _places_changed(client: Path) -> None:
    """Aisha Karim (BW205) can take one mentee, not two, and Callum Reid (BW204) two, not one: the sign-up
    export is updated and matched again."""
    path = client / "participants.csv"
    text = path.read_text(encoding="utf-8")
    for before, after in ((",Bristol,6,,2,Coaching; Leading teams,", ",Bristol,6,,1,Coaching; Leading teams,"),
                          (",Bath,5,,1,Data analysis; Presenting,", ",Bath,5,,2,Data analysis; Presenting,")):
        assert before in text
        text = text.replace(before, after)
    path.write_text(text, encoding="utf-8")


def _ids_in(folder: Path) -> set[str]:
    """Every pair id named by the files directly in a folder (agreements, indexes, introductions)."""
    ids: set[str] = set()
    for path in folder.iterdir():
        if path.is_file() and path.suffix in (".html", ".md", ".csv", ".ics") and path.name != INDEX_NAME:
            ids |= set(PAIR_ID.findall(path.read_text(encoding="utf-8-sig")))
    return ids


def _stems(adopted: rounds.Round) -> set[str]:
    def stem(name: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return {f"{stem(a)}-and-{stem(b)}" for a, b in zip(adopted.pairs["mentee"], adopted.pairs["mentor"])}


def _assert_one_round_per_folder(top: Path, by_key: dict[str, rounds.Round]) -> None:
    """Each folder (``top`` and every round folder inside it) names exactly one round's pairs, the round its
    index names: its pair ids are that round's, and (agreements) its files are that round's pairs."""
    for folder in [top, *(path for path in top.iterdir() if path.is_dir() and (path / INDEX_NAME).exists())]:
        index = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
        adopted = by_key[index["key"]]
        assert index["fingerprint"] == adopted.fingerprint
        assert _ids_in(folder) == set(adopted.pairs["pair_id"]), folder
        if index["kind"] == "agreements":
            stems = {path.stem for path in folder.glob("*.html")} - {"index"}
            assert stems == _stems(adopted), folder
        else:
            introductions = pd.read_csv(folder / "introductions.csv", dtype=str)
            assert set(introductions["pair_id"]) == set(adopted.pairs["pair_id"])
        assert sorted(index["files"]) == sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                                                if path.is_file() and path.name != INDEX_NAME
                                                and not any(part.startswith("round-") for part in
                                                            path.relative_to(folder).parts[:-1]))


@pytest.mark.slow
def test_match_agreements_new_round_agreements_kit_no_folder_mixes_rounds(client, tmp_path, capsys):
    agreements, kit = tmp_path / "agreements", tmp_path / "kit"
    _run(capsys, "match", "--client", client, "--quiet")
    first = rounds.current_round(client)
    out = _run(capsys, "agreements", "--client", client, "--out", agreements)
    assert f"for round 1 ({first.name})" in out
    _run(capsys, "kit", "--client", client, "--out", kit)
    one = {path.name: path.read_bytes() for path in agreements.iterdir() if path.is_file()}

    _places_changed(client)
    out = _run(capsys, "match", "--client", client, "--quiet")
    second = rounds.current_round(client)
    assert "adopted as round 2" in out and rounds.match_members(first.pairs, "one_to_one") != \
        rounds.match_members(second.pairs, "one_to_one")
    assert set(first.pairs["pair_id"]) & set(second.pairs["pair_id"])  # pairs kept keep their id ...
    assert set(second.pairs["pair_id"]) - set(first.pairs["pair_id"])  # ... and new pairs get round 2's

    for _ in range(2):  # agreements twice after the new round: no old agreement beside the new ones
        out = _run(capsys, "agreements", "--client", client, "--out", agreements)
        assert "for round 2" in out and "earlier rounds' files are in round-01/" in out
    _run(capsys, "kit", "--client", client, "--out", kit)

    by_key = {"round-01": first, "round-02": second}
    for top in (agreements, kit):
        _assert_one_round_per_folder(top, by_key)
        assert json.loads((top / INDEX_NAME).read_text())["key"] == "round-02"
        assert sorted(path.name for path in top.iterdir() if path.is_dir() and path.name.startswith("round-")) == \
            ["round-01"]
    # round 1's agreements were moved whole, byte for byte, with their index
    assert {path.name: path.read_bytes() for path in (agreements / "round-01").iterdir()
            if path.name != INDEX_NAME} == {name: data for name, data in one.items() if name != INDEX_NAME}
    assert "For round 2" in (agreements / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_proposed_match_and_a_pairs_file_move_aside_when_a_round_is_adopted(tmp_path, capsys):
    riverbank = tmp_path / "riverbank"
    shutil.copytree(SAMPLES / "riverbank", riverbank)
    agreements = tmp_path / "agreements"
    out = _run(capsys, "agreements", "--client", riverbank, "--out", agreements)
    assert "for the pairs file named in client.yaml" in out and "not certified" in out
    _run(capsys, "agreements", "--client", riverbank, "--out", agreements, "--rematch")
    assert json.loads((agreements / INDEX_NAME).read_text())["key"] == "proposed"
    _run(capsys, "match", "--client", riverbank, "--quiet")
    _run(capsys, "agreements", "--client", riverbank, "--out", agreements)
    assert {path.name for path in agreements.iterdir() if (path / INDEX_NAME).exists()} == {"as-run", "proposed"}
    adopted = rounds.current_round(riverbank)
    assert json.loads((agreements / INDEX_NAME).read_text())["fingerprint"] == adopted.fingerprint
    assert {path.stem for path in agreements.glob("*.html")} - {"index"} == {
        path.stem for path in agreements.glob("*.md")} - {"index"}


def test_files_no_index_accounts_for_are_named_and_nothing_is_written(client, tmp_path, capsys):
    agreements = tmp_path / "agreements"
    agreements.mkdir()
    (agreements / "old-pair-from-last-year.html").write_text("<p>an agreement</p>", encoding="utf-8")
    (agreements / "notes.txt").write_text("the consultant's notes stay", encoding="utf-8")
    _run(capsys, "match", "--client", client, "--quiet")
    code = cli.main(["agreements", "--client", str(client), "--out", str(agreements)])
    err = capsys.readouterr().err
    assert code == 2 and "already holds 1 file that no round index accounts for (old-pair-from-last-year.html)" in err
    assert sorted(path.name for path in agreements.iterdir()) == ["notes.txt", "old-pair-from-last-year.html"]


@pytest.mark.slow
def test_the_kit_and_the_agreements_are_not_written_into_one_folder(client, tmp_path, capsys):
    _run(capsys, "match", "--client", client, "--quiet")
    _run(capsys, "agreements", "--client", client, "--out", tmp_path / "papers")
    before = sorted(path.name for path in (tmp_path / "papers").iterdir())
    assert cli.main(["kit", "--client", str(client), "--out", str(tmp_path / "papers")]) == 2
    assert "holds the agreements of round 1" in capsys.readouterr().err
    assert sorted(path.name for path in (tmp_path / "papers").iterdir()) == before


def test_a_write_that_fails_half_way_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    label = RoundLabel("round-01", "round 1", "abc", "certified optimal")
    write_for_round(out, label, lambda folder: [(folder / "a.md").write_text("one") and folder / "a.md"],
                    kind="agreements")

    def half(folder: Path) -> list[Path]:
        (folder / "b.md").write_text("two")
        raise ConfigError("the template is broken")

    with pytest.raises(ConfigError):
        write_for_round(out, RoundLabel("round-02", "round 2", "def"), half, kind="agreements")
    assert sorted(path.name for path in out.iterdir()) == ["a.md", INDEX_NAME]
    assert json.loads((out / INDEX_NAME).read_text())["key"] == "round-01"
