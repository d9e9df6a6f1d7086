"""client.yaml: every problem reported at once, with a suggestion for typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.client import load_client
from toolkit.errors import ConfigError

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "northwind"


def _write(folder: Path, text: str) -> Path:
    path = folder / "client.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_client_validates_and_resolves_paths_relative_to_the_yaml():
    config = load_client(SAMPLE / "client.yaml")
    assert config.slug == "northwind"
    participants = config.data["participants"][0]["path"]
    assert participants.is_absolute() and participants.exists()
    assert config.design().start_date.isoformat() == "2026-03-02"
    assert config.privacy == {"min_group": 5, "min_comments": 10}


def test_misspelt_keys_get_a_suggestion_and_missing_files_are_named(tmp_path):
    (tmp_path / "people.csv").write_text("Email,Role\na@x.example,Mentor\n", encoding="utf-8")
    path = _write(tmp_path, "client: Acme\nprogramme: {template: formal}\n"
                            "participants: [{path: peple.csv}]\nmeetngs: log.csv\nprivacy: {min_group: 0}\n")
    with pytest.raises(ConfigError) as caught:
        load_client(path)
    message = str(caught.value)
    assert 'unknown key "meetngs"' in message and 'Did you mean "meetings"?' in message
    assert "peple.csv" in message and 'Did you mean "people.csv"?' in message
    assert "privacy.min_group" in message
    assert "3 problems" in message


def test_required_keys_are_listed(tmp_path):
    with pytest.raises(ConfigError, match='"participants" is missing'):
        load_client(_write(tmp_path, "client: Acme\nprogramme: {template: formal}\n"))


def test_a_folder_without_client_yaml_says_how_to_make_one(tmp_path):
    with pytest.raises(ConfigError, match="new-client"):
        load_client(tmp_path)


def test_broken_yaml_names_the_line(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_client(_write(tmp_path, "client: Acme\nprogramme:\n  template: [formal\n"))
    assert "client.yaml: line 4: not valid YAML" in str(caught.value)


def test_every_public_name_and_submodule_of_the_package_resolves():
    import toolkit

    assert sorted(toolkit.__all__) == sorted([*toolkit._EXPORTS, "__version__"])  # the written-out list agrees
    for name in toolkit._EXPORTS:
        assert getattr(toolkit, name) is not None, name
    for name in toolkit._SUBMODULES:
        assert getattr(toolkit, name).__name__ == f"toolkit.{toolkit._SUBMODULES[name]}"


def test_value_mappings_of_several_participant_files_are_all_kept(tmp_path):
    # Two files, each with its own `values: meeting_mode:` answers: the second must not replace the first.
    (tmp_path / "mentors.csv").write_text(
        "Email,Name,Department,Capacity,How would you like to meet\n"
        "pat@acme.example,Pat Kim,Finance,2,Option A\n", encoding="utf-8")
    (tmp_path / "mentees.csv").write_text(
        "Email,Name,Department,How would you like to meet\n"
        "sam@acme.example,Sam Ortiz,Sales,Option B\n", encoding="utf-8")
    path = _write(tmp_path, """
client: Acme
programme: {template: formal, start_date: 2026-03-02, end_date: 2026-09-30}
participants:
  - path: mentors.csv
    role: mentor
    mapping:
      columns: {How would you like to meet: meeting_mode}
      values: {meeting_mode: {Option A: virtual}}
  - path: mentees.csv
    role: mentee
    mapping:
      columns: {How would you like to meet: meeting_mode}
      values: {meeting_mode: {Option B: in_person}}
""")
    people = load_client(path).roster().participants.set_index("name")
    assert people.loc["Pat Kim", "meeting_mode"] == "virtual"
    assert people.loc["Sam Ortiz", "meeting_mode"] == "in_person"
