"""client.yaml is a boundary and is read safely: path escapes, symlinks, alias bombs, encodings, empty keys."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from toolkit.client import load_client
from toolkit.design.model import ProgramDesign
from toolkit.errors import ConfigError, DesignError
from toolkit.reports.audit import audit_trail
from toolkit.resources import sample_data_dir

NORTHWIND = sample_data_dir() / "northwind"
HEADER = "client: Acme Ltd\nprogramme:\n  template: formal\n"


def _client(folder: Path, body: str, *, header: str = HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "participants.csv").exists():
        shutil.copy(NORTHWIND / "participants.csv", folder / "participants.csv")
    path = folder / "client.yaml"
    path.write_text(header + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("where", ["../../../../etc/passwd", "/etc/passwd", "../other_client/participants.csv"])
def test_a_path_outside_the_client_folder_is_refused(tmp_path, where):
    _client(tmp_path / "other_client", "participants:\n- path: participants.csv\n")
    path = _client(tmp_path / "acme", f"participants:\n- path: participants.csv\norg_chart: {where}\n")
    with pytest.raises(ConfigError, match="outside the client folder") as caught:
        load_client(path)
    assert "root:" not in str(caught.value)  # nothing of the file itself is shown


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    _client(tmp_path / "other_client", "participants:\n- path: participants.csv\n")
    folder = tmp_path / "acme"
    folder.mkdir()
    os.symlink(tmp_path / "other_client" / "participants.csv", folder / "people.csv")
    path = _client(folder, "participants:\n- path: people.csv\n")
    with pytest.raises(ConfigError, match="symbolic link"):
        load_client(path)


def test_a_mapping_file_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "secret.csv").write_text("root:x:0:0\n")
    path = _client(tmp_path / "acme", "participants:\n- path: participants.csv\n  mapping: ../secret.csv\n")
    with pytest.raises(ConfigError, match="outside the client folder") as caught:
        load_client(path).roster()
    assert "root:x" not in str(caught.value)


def test_the_explicit_key_allows_outside_files_and_the_audit_records_resolved_path_and_hash(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(NORTHWIND / "org_chart.csv", shared / "org_chart.csv")
    path = _client(tmp_path / "acme", "participants:\n- path: participants.csv\norg_chart: ../shared/org_chart.csv\n"
                   "allow_outside_folder: true\n")
    config = load_client(path)
    audit = audit_trail(config, {"client": str(config.path)})
    entry = next(item for item in audit["inputs"] if item["resolved"].endswith("org_chart.csv"))
    assert entry["resolved"] == str((shared / "org_chart.csv").resolve())
    assert entry["file"] == entry["resolved"]  # the full path, not just "org_chart.csv"
    assert len(entry["sha256"]) == 64
    with pytest.raises(ConfigError, match="outside"):  # without the key, the same file is refused
        load_client(_client(tmp_path / "acme2", "participants:\n- path: participants.csv\n"
                            "org_chart: ../shared/org_chart.csv\n"))


BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"]
                 + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)])


def test_an_alias_bomb_in_client_yaml_is_refused_quickly(tmp_path):
    assert len(BOMB) < 2048
    path = _client(tmp_path / "acme", "participants:\n- path: participants.csv\nreports:\n  x:\n" +
                   "\n".join("    " + line for line in BOMB.splitlines()) + "\nfairness_attributes: *i\n")
    with pytest.raises(ConfigError, match="expand to more than"):
        load_client(path)


def test_a_recursive_alias_is_refused(tmp_path):
    path = _client(tmp_path / "acme", "participants:\n- path: participants.csv\nreports: &r [1, *r]\n")
    with pytest.raises(ConfigError, match="loop"):
        load_client(path)


def test_an_alias_bomb_in_a_design_file_is_a_design_error(tmp_path):
    path = tmp_path / "design.yaml"
    path.write_text(BOMB + "\nkind: formal\n")
    with pytest.raises(DesignError, match="expand to more than"):
        ProgramDesign.from_yaml(path)


def test_small_aliases_still_work(tmp_path):
    path = _client(tmp_path / "acme", "participants:\n- path: participants.csv\nfairness_attributes: &f [site]\n"
                   "reports: {attrs: *f}\n")
    assert load_client(path).get("fairness_attributes") == ["site"]


def test_a_cp1252_client_yaml_gets_a_clear_error_naming_the_line(tmp_path):
    folder = tmp_path / "acme"
    _client(folder, "")
    (folder / "client.yaml").write_bytes("client: Café Ltd\nprogramme:\n  template: formal\n".encode("cp1252"))
    with pytest.raises(ConfigError, match=r"not saved as UTF-8.*line 1.*é.*cp1252"):
        load_client(folder)


def test_a_binary_client_yaml_gets_a_clear_error(tmp_path):
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "client.yaml").write_bytes(b"PK\x03\x04\x00\x00binary\xff\xfe")
    with pytest.raises(ConfigError, match="not a text file"):
        load_client(folder)


@pytest.mark.parametrize("body, key", [
    ("client:\nprogramme:\n  template: formal\nparticipants:\n- path: participants.csv\n", "client"),
    ('client: ""\nprogramme:\n  template: formal\nparticipants:\n- path: participants.csv\n', "client"),
    ("client: Acme\nprogramme:\nparticipants:\n- path: participants.csv\n", "programme"),
    ("client: Acme\nprogramme:\n  template: formal\nparticipants:\n", "participants"),
])
def test_an_empty_required_key_fails_validation(tmp_path, body, key):
    path = _client(tmp_path / "acme", body, header="")
    with pytest.raises(ConfigError, match=f'"{key}" has no value'):
        load_client(path)


def test_a_folder_named_as_a_file_is_refused(tmp_path):
    (tmp_path / "acme" / "meetings.csv").mkdir(parents=True)
    path = _client(tmp_path / "acme", "participants:\n- path: participants.csv\nmeetings: meetings.csv\n")
    with pytest.raises(ConfigError, match="is a folder"):
        load_client(path)


def test_an_alias_bomb_or_cp1252_in_a_mapping_file_is_a_clear_error(tmp_path):
    from toolkit.errors import IntakeError
    from toolkit.intake.mapping import read_mapping

    bomb = tmp_path / "mapping.yaml"
    bomb.write_text(BOMB + "\ncolumns: *i\n")
    with pytest.raises(IntakeError, match="expand to more than"):
        read_mapping(bomb)
    legacy = tmp_path / "legacy.yaml"
    legacy.write_bytes('"Département": department\n'.encode("cp1252"))
    with pytest.raises(IntakeError, match="not saved as UTF-8"):
        read_mapping(legacy)


def test_a_nul_byte_in_a_client_yaml_path_is_a_clear_problem_not_a_value_error(tmp_path):
    folder = tmp_path / "riverbank"
    shutil.copytree(sample_data_dir() / "riverbank", folder)
    client = folder / "client.yaml"
    client.write_text(client.read_text(encoding="utf-8").replace("meetings: meetings.csv",
                                                                 'meetings: "meet\\0ings.csv"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"meet\\x00ings.csv is not a file name"):
        load_client(client)
