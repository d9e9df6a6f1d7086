"""Attacks on paths: ids that look like paths, text boxes that name other folders, planted symbolic links.

Every writer that names a file after a participant, pair or circle id keeps the file inside its
folder; the studio saves only inside the client's ``exports/`` whatever its text box says; a
symbolic link in a client folder (``matches/``, ``exports/``, a participant file) never makes the
toolkit read from or write into another client's folder. Hypothesis draws hostile ids and names.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.errors import ConfigError, ToolkitError
from toolkit.milestones import write_pair_calendars
from toolkit.paths import check_output_folder, confined_folder, export_path, participant_file, safe_slug
from toolkit.rounds import adopt, current_round, list_rounds

ROOT = Path(__file__).resolve().parents[1]
RIVERBANK = ROOT / "sample_data" / "riverbank"

#: Ids an attacker would try: climbing, absolute, Windows, devices, NUL, hidden, huge, unicode, empty-ish.
HOSTILE_IDS = ["../../../x", "/etc/passwd", "..", ".", "a/../../b", "..\\..\\win", "C:\\Windows\\x", "CON", "nul.txt",
               "COM1", "x\x00y", ".hidden", "~/.ssh/id", "a" * 300, "José/García", "\u202eexe.txt", "e\u0301",
               "::$DATA", "x:y", "?*<>|", " ", "E001", "E001 ", "e001"]
hostile_ids = st.one_of(st.sampled_from(HOSTILE_IDS),
                        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


@settings(max_examples=200, deadline=None)
@given(st.lists(hostile_ids, min_size=1, max_size=8, unique=True))
def test_every_id_names_a_file_directly_inside_its_folder_and_no_two_ids_share_one(identifiers):
    folder = Path("/tmp/out-folder")
    paths = [participant_file(folder, identifier, ".html") for identifier in identifiers]
    for path in paths:
        assert path.parent == folder and path.name.endswith(".html")
        assert "/" not in path.name and "\\" not in path.name and "\x00" not in path.name
        assert not path.name.startswith(".") and len(path.name.encode("utf-8")) < 120
        assert path.stem.split(".")[0].lower() not in {"con", "nul", "prn", "aux", "com1", "lpt1"}
    assert len(set(paths)) == len(paths)


def test_shortlist_pages_and_milestone_calendars_for_hostile_ids_stay_inside_out(tmp_path):
    roster = tk.load_roster(_people_with_ids(tmp_path, ["../../../escaped", "/tmp/abs-escape", "CON", "ok-1",
                                                        "..", "a/b/c", "M1", "M2", "M3"]))
    design = tk.ProgramDesign.from_template("formal").override({"start_date": "2026-03-02"})
    out = tmp_path / "out"
    listed = tk.shortlists(roster, design, 2)
    written = listed.write_pages(out / "pages")
    assert len(written) == len(listed.table["mentee_id"].unique()) >= 6
    result = tk.match(roster, design)
    plan = tk.pair_milestones(result, design, pair_ids={row.mentee_id: row.mentee_id for row in
                                                        result.pairs.itertuples()})
    written += write_pair_calendars(plan, out / "milestones")
    assert all(_inside(path, out) and path.exists() for path in written)
    assert not (tmp_path / "escaped.html").exists() and not Path("/tmp/abs-escape.html").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "people.csv"]


def _people_with_ids(folder: Path, ids: list[str]) -> Path:
    mentees = [identifier for identifier in ids if not identifier.startswith("M")]
    rows = [{"participant_id": identifier, "name": f"Person {number}", "role": "mentee", "department": "Sales",
             "skills_sought": "SQL", "email": f"p{number}@acme.example"} for number, identifier in enumerate(mentees)]
    rows += [{"participant_id": identifier, "name": f"Mentor {number}", "role": "mentor", "department": "Finance",
              "skills_offered": "SQL", "capacity": 3, "email": f"m{number}@acme.example"}
             for number, identifier in enumerate(identifier for identifier in ids if identifier.startswith("M"))]
    path = folder / "people.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


# -- the studio's exports ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "/etc/cron.d/x.xlsx", "../x.xlsx", "../../client.yaml.xlsx", "sub/../../x.xlsx", "~/x.xlsx", "/tmp/x.xlsx",
    "CON.xlsx", "nul.xlsx", "com1.xlsx", "x\x00.xlsx", "x\n.xlsx", ".hidden.xlsx", "a\\..\\..\\x.xlsx", "x.xlsx.",
    "x.exe", "exports", "a" * 300 + ".xlsx", "..", "./../x.xlsx",
])
def test_an_export_path_outside_or_unsafe_is_refused_with_a_fix(tmp_path, typed):
    exports = tmp_path / "client" / "exports"
    with pytest.raises(ToolkitError) as refused:
        export_path(exports, typed, default="matching.xlsx")
    assert "Fix:" in str(refused.value)
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


@pytest.mark.parametrize("typed, expected", [
    ("matching.xlsx", "matching.xlsx"), ("round 2/matching.xlsx", "round 2/matching.xlsx"),
    (None, "matching.xlsx"), ("   ", "matching.xlsx"), ("  spring.XLSX ", "spring.XLSX"),
])
def test_a_plain_name_or_a_path_inside_exports_is_used_as_typed(tmp_path, typed, expected):
    exports = tmp_path / "exports"
    assert export_path(exports, typed, default="matching.xlsx") == exports / expected
    assert export_path(exports, str(exports / "x.xlsx")) == exports / "x.xlsx"  # the box's own default: absolute


def test_exports_through_a_symbolic_link_are_refused(tmp_path):
    other = tmp_path / "other_client"
    other.mkdir()
    exports = tmp_path / "acme" / "exports"
    exports.parent.mkdir()
    exports.symlink_to(other, target_is_directory=True)
    with pytest.raises(ToolkitError, match="symbolic link"):
        export_path(exports, "matching.xlsx")
    real = tmp_path / "beta" / "exports"
    real.mkdir(parents=True)
    (real / "sub").symlink_to(other, target_is_directory=True)
    (real / "file.xlsx").symlink_to(other / "stolen.xlsx")
    for typed in ("sub/x.xlsx", "file.xlsx"):
        with pytest.raises(ToolkitError, match="symbolic link"):
            export_path(real, typed)
    assert list(other.iterdir()) == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_whatever_a_text_box_says_the_export_lands_inside_exports_or_is_refused(tmp_path, typed):
    exports = tmp_path / "exports"
    try:
        path = export_path(exports, typed, suffixes=(".xlsx", ".html"), default="x.xlsx")
    except ToolkitError:
        return
    assert _inside(path, exports) and path != exports
    assert path.suffix.lower() in (".xlsx", ".html")


@pytest.mark.slow
def test_the_goal_builder_and_matching_studio_buttons_never_write_outside_exports(tmp_path):
    client = tmp_path / "riverbank"
    shutil.copytree(RIVERBANK, client)
    config = tk.load_client(client)
    result = tk.goals.match_as_run(config)
    exports = client / "exports"
    builder = tk.widgets.GoalBuilder(config.design(), result=result, pair_or_circle=tk.studio.first_unit(result),
                                     export_dir=exports)
    target = tmp_path / "outside.html"
    builder.path.value = str(target)
    builder.export.click()
    assert not target.exists() and "exports folder" in builder.model.error
    builder.path.value = "../outside.html"
    builder.export.click()
    assert not target.exists()
    builder.path.value = "agreement.html"
    builder.export.click()
    assert (exports / "agreement.html").is_file()

    studio = tk.widgets.MatchingStudio.from_client(config, export_dir=exports)
    studio.export_path.value = str(tmp_path / "stolen.xlsx")
    studio.export_button.click()
    assert not (tmp_path / "stolen.xlsx").exists() and studio.errors.last_error is not None
    studio.export_path.value = "../../stolen.xlsx"
    studio.export_button.click()
    assert not (tmp_path / "stolen.xlsx").exists()


# -- symbolic links in a client folder ---------------------------------------------------------------

def _two_clients(tmp_path: Path) -> tuple[Path, Path]:
    acme, other = tmp_path / "acme", tmp_path / "other"
    shutil.copytree(RIVERBANK, acme)
    shutil.copytree(RIVERBANK, other)
    return acme, other


def test_a_symlinked_matches_folder_is_neither_adopted_into_nor_read(tmp_path):
    acme, other = _two_clients(tmp_path)
    (other / "matches").mkdir()
    (acme / "matches").symlink_to(other / "matches", target_is_directory=True)
    config = tk.load_client(acme)
    result = tk.match(config.roster(), config.design())
    with pytest.raises(ToolkitError, match="symbolic link"):
        adopt(config, result, note="attack")
    with pytest.raises(ToolkitError, match="symbolic link"):
        tk.goals.match_as_run(config)
    with pytest.raises(ToolkitError, match="symbolic link"):
        list_rounds(config)
    with pytest.raises(ToolkitError, match="symbolic link"):
        current_round(config)
    assert list((other / "matches").iterdir()) == []


def test_a_participant_file_through_a_link_even_inside_the_folder_is_refused(tmp_path):
    acme, _ = _two_clients(tmp_path)
    (acme / "data").symlink_to(acme, target_is_directory=True)
    text = (acme / "client.yaml").read_text(encoding="utf-8").replace("- path: participants.xlsx",
                                                                       "- path: data/participants.xlsx")
    (acme / "client.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="symbolic link"):
        tk.load_client(acme)


def test_a_survey_instrument_path_is_resolved_inside_the_folder(tmp_path):
    acme, other = _two_clients(tmp_path)
    (other / "mine.yaml").write_text("id: x\n", encoding="utf-8")
    text = (acme / "client.yaml").read_text(encoding="utf-8")
    for where, problem in (("../other/mine.yaml", "outside the client folder"), ("/etc/hostname.yaml", "outside"),
                           ("missing.yaml", "does not exist")):
        (acme / "client.yaml").write_text(text.replace("instrument: baseline", f"instrument: {where}"), encoding="utf-8")
        with pytest.raises(ConfigError, match=problem):
            tk.load_client(acme)
    (acme / "inst.yaml").write_text("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                                    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                                    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
                                    encoding="utf-8")
    (acme / "client.yaml").write_text(text.replace("instrument: baseline", "instrument: inst.yaml"), encoding="utf-8")
    config = tk.load_client(acme)
    instrument = config.survey("baseline")["instrument"]
    assert Path(instrument) == (acme / "inst.yaml").resolve()
    with pytest.raises(ToolkitError, match="billion laughs|aliases"):
        tk.survey.load_instrument(instrument)


def test_confined_folders_refuse_links_files_and_climbing_names(tmp_path):
    base = tmp_path / "client"
    base.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (base / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (base / "afile").write_text("x")
    assert confined_folder(base, "exports", "round-01") == base / "exports" / "round-01"
    for parts in (("linked",), ("linked", "x"), ("afile",), ("..",), ("a/b",), ("",)):
        with pytest.raises(ToolkitError):
            confined_folder(base, *parts)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_an_output_folder_inside_another_clients_folder_or_through_a_link_is_refused(tmp_path):
    acme, other = _two_clients(tmp_path)
    with pytest.raises(ToolkitError, match="another client's folder"):
        check_output_folder(other / "reports", acme)
    (acme / "reports").symlink_to(other, target_is_directory=True)
    with pytest.raises(ToolkitError, match="symbolic link"):
        check_output_folder(acme / "reports", acme)
    assert check_output_folder(tmp_path / "outputs", acme) == tmp_path / "outputs"
    assert check_output_folder(acme / "kit", acme) == acme / "kit"


@pytest.mark.parametrize("name, slug", [("Åsa & Co. Ltd", "asa-co-ltd"), ("../../etc", "etc"), ("日本", ""),
                                        ("a" * 300, "a" * 60), ("Acme " * 40, None)])
def test_slugs_are_short_ascii_names(name, slug):
    made = safe_slug(name)
    assert len(made) <= 60 and all(character.isalnum() or character == "-" for character in made)
    assert made == slug if slug is not None else made.startswith("acme-acme")


def test_a_300_character_client_name_is_a_clear_error_and_a_long_name_a_short_folder(tmp_path):
    with pytest.raises(ToolkitError, match="too long") as refused:
        tk.reports.new_client("A" * 300, tmp_path)
    assert "Fix:" in str(refused.value)
    folder = tk.reports.new_client("The Very Long Name of a Regional Health and Social Care Partnership Trust "
                                   "Limited (North)", tmp_path)
    assert len(folder.name) <= 60 and folder.is_dir()
    assert os.listdir(tmp_path) == [folder.name]


@pytest.mark.parametrize("command", ["kit", "agreements", "shortlists", "report readiness", "match", "rematch"])
def test_commands_refuse_an_out_folder_in_another_clients_folder_or_through_a_link(tmp_path, command, capsys):
    from toolkit.cli import main

    acme, other = _two_clients(tmp_path)
    (acme / "kit").symlink_to(other, target_is_directory=True)
    before = sorted(path.name for path in other.rglob("*"))
    for out, problem in ((other / "reports", "another client's folder"), (acme / "kit", "symbolic link")):
        code = main([*command.split(), "--client", str(acme), "--out", str(out)]
                    + (["--dry-run"] if command in ("match", "rematch") else []))
        assert code == 2 and problem in capsys.readouterr().err
    assert sorted(path.name for path in other.rglob("*")) == before
