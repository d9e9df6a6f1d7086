"""Fuzzing: hostile participants, surveys and client.yaml files through intake, match, exports and a report.

Hypothesis draws the hostility: control characters, formula prefixes after CR/LF/tab, braces, emails,
huge numbers, huge cells, mixed encodings, alias bombs and path escapes. The invariants:

- nothing raises except the toolkit's own errors (a ToolkitError names file, row, column, fix);
- no CSV cell (read back with ``csv``), and no line inside one, starts with a formula character, and
  no Excel cell (read back with ``openpyxl``) is a formula;
- no email address appears in any export or report.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.client import load_client
from toolkit.design.model import ProgramDesign
from toolkit.errors import ToolkitError
from toolkit.files import FORMULA_PREFIXES
from toolkit.matching.exports import export_match
from toolkit.measure.survey import load_survey
from toolkit.resources import sample_data_dir

EMAIL = re.compile(r"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
NORTHWIND = sample_data_dir() / "northwind"

_pieces = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["\x1b[31m", "\x07", "\x00", "\r", "\n", "\t", "\r\n", "\x0b", "\x7f", "\u2028", "\ufeff",
                     "\u00a0", "\u200b"]),
    st.sampled_from(["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")', "\uff1d1+1"]),
    st.sampled_from(["{{ x }}", "{% if %}", "}}", "{", "José", "Zoë", "<script>alert(1)</script>", "**bold**",
                     "ana@evil.example", "99999999999999999999", "-1", "NaN", "1e400", "0x10", '"', "'", ",", ";"]),
)
#: Hostile text: pieces joined, so formula characters land after line breaks and tabs.
hostile = st.lists(_pieces, max_size=5).map("".join)
#: What might sit in an email column.
hostile_email = st.one_of(st.builds(lambda n: f"p{n}@acme.example", st.integers(0, 99)), hostile)


def _export_cells(folder: Path) -> list[str]:
    cells = []
    for path in sorted(folder.rglob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))
        assert len({len(row) for row in rows}) <= 1, f"{path.name}: a row was split"
        cells += [cell for row in rows for cell in row]
    for path in sorted(folder.rglob("*.xlsx")):
        for sheet in openpyxl.load_workbook(path):
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{path.name}!{cell.coordinate} is a formula: {cell.value!r}"
    return cells


def _assert_safe(cells: list[str]) -> None:
    for cell in cells:
        for part in cell.replace("\t", "\n").split("\n"):
            assert not part.startswith(FORMULA_PREFIXES), repr(cell)
        assert not EMAIL.search(cell), f"an email reached an export: {cell!r}"


HEADER = ["Employee ID", "Full Name", "Work Email", "Department", "Programme Role", "Max Mentees",
          "Programme Start Date", "Skills I Can Offer", "Skills I Want to Develop"]


@st.composite
def participant_files(draw):
    count = draw(st.integers(2, 9))
    rows = [HEADER]
    for number in range(count):
        role = "Mentor" if number % 3 == 0 else "Mentee"
        rows.append([
            draw(st.one_of(st.just(f"E{number:03d}"), hostile, hostile_email)),
            draw(st.one_of(st.just(f"Person {number}"), hostile, st.just(""))),
            draw(st.one_of(st.just(f"p{number}@acme.example"), hostile_email, st.just(""))),
            draw(st.one_of(st.sampled_from(["Sales", "Finance"]), hostile)),
            draw(st.one_of(st.just(role), hostile)),
            draw(st.one_of(st.just("2" if role == "Mentor" else ""), hostile)),
            draw(st.one_of(st.just("2026-03-02"), st.sampled_from(["03/04/2026", "March 2026", "1900-01-01",
                                                                   "31/12/9999", "2026-02-30"]), hostile)),
            draw(st.one_of(st.just("Python; SQL"), hostile)),
            draw(st.one_of(st.just("SQL"), hostile)),
        ])
    huge = draw(st.booleans())
    if huge:
        rows[1][8] = "x" * 140_000
    encodings = draw(st.lists(st.sampled_from(["utf-8", "cp1252"]), min_size=len(rows), max_size=len(rows)))
    return rows, encodings


def _write_rows(path: Path, rows, encodings) -> Path:
    lines = []
    for row, encoding in zip(rows, encodings):
        buffer = []
        writer = csv.writer(_ListWriter(buffer), lineterminator="\r\n")
        writer.writerow(row)
        lines.append("".join(buffer).encode(encoding, errors="replace"))
    path.write_bytes(b"".join(lines))
    return path


class _ListWriter:
    def __init__(self, buffer):
        self.buffer = buffer

    def write(self, text):
        self.buffer.append(text)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(participant_files())
def test_hostile_participants_through_intake_match_and_exports(tmp_path_factory, drawn):
    rows, encodings = drawn
    folder = tmp_path_factory.mktemp("fuzz")
    path = _write_rows(folder / "participants.csv", rows, encodings)
    try:
        roster = tk.load_roster(path, lenient=True)
        result = tk.match(roster, ProgramDesign.from_template("formal"))
        export_match(result, folder / "out")
    except ToolkitError as error:
        assert str(error)  # a clear message, never an empty one
        event(f"refused: {type(error).__name__}")
        return
    event("exported")
    _assert_safe(_export_cells(folder / "out"))


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(3, 40), hostile), min_size=1, max_size=4))
def test_hostile_survey_answers_are_loaded_or_refused_clearly(tmp_path_factory, changes):
    with open(NORTHWIND / "survey_end.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    rows = rows[:12]
    for column, value in changes:
        rows[3 + column % 9][column % len(rows[0])] = value
    path = tmp_path_factory.mktemp("survey") / "survey_end.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    try:
        load_survey(path, "end_of_programme")
    except ToolkitError as error:
        assert str(error)


_BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"] + [
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)])


@st.composite
def client_files(draw):
    escape = draw(st.sampled_from(["participants.csv", "../../../../etc/passwd", "/etc/passwd", "../x/p.csv",
                                   "link.csv", ".", "sub"]))
    value = draw(st.one_of(hostile, st.sampled_from(["", "null", "~", "[]", "{}", "&a x", "*a", "!!python/object:os.system",
                                                     "2026-01-01", "#hash", "Acme: Ltd"])))
    key = draw(st.sampled_from(["client", "slug", "sector", "programme", "participants", "org_chart", "privacy",
                                "fairness_attributes", "reports", "date_format", "allow_outside_folder", "oops"]))
    body = (f"client: Acme\nprogramme:\n  template: formal\nparticipants:\n- path: {escape}\n"
            f"{key}: {value!r}\n")
    if draw(st.booleans()):
        body += "reports:\n  x:\n" + "\n".join("    " + line for line in _BOMB.splitlines()) + "\n"
    data = body.encode("utf-8")
    mangle = draw(st.sampled_from(["none", "cp1252", "binary", "bom"]))
    if mangle == "cp1252":
        data = data.replace(b"Acme", "Acmé".encode("cp1252"))
    elif mangle == "binary":
        data = b"PK\x03\x04\x00" + data
    elif mangle == "bom":
        data = b"\xef\xbb\xbf" + data
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(client_files())
def test_hostile_client_yaml_is_validated_or_refused_clearly(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("clients")
    folder = root / "acme"
    folder.mkdir()
    shutil.copy(NORTHWIND / "participants.csv", folder / "participants.csv")
    (folder / "sub").mkdir()
    (root / "x").mkdir()
    (root / "x" / "p.csv").write_text("id\n1\n")
    (folder / "link.csv").symlink_to(root / "x" / "p.csv")
    (folder / "client.yaml").write_bytes(data)
    try:
        config = load_client(folder)
    except ToolkitError as error:
        assert str(error)
        return
    allowed = config.get("allow_outside_folder") is True
    for entry in config.get("participants", []):
        if not allowed:
            assert Path(entry["path"]).resolve().is_relative_to(folder.resolve())


@pytest.mark.slow
def test_a_hostile_client_through_the_matching_report_shows_no_email_or_markup(tmp_path):
    folder = tmp_path / "acme"
    folder.mkdir()
    rows = [HEADER]
    for number in range(12):
        role = "Mentor" if number % 3 == 0 else "Mentee"
        rows.append([f"p{number}@acme.example", "" if number % 2 else f"<b>Bo{number}</b>\x1b {{{{ x }}}}", "",
                     ["Sales", "Finance"][number % 2], role, "2" if role == "Mentor" else "", "2026-03-02",
                     "=cmd|' /C calc'!A0", "SQL"])
    _write_rows(folder / "participants.csv", rows, ["utf-8"] * len(rows))
    (folder / "client.yaml").write_text(
        'client: "Acme {{ x }} <i>Ltd</i>\\x1b\\x07"\nprogramme:\n  template: formal\n  name: "Spring\\r\\nBEGIN:VEVENT"\n'
        "participants:\n- path: participants.csv\n", encoding="utf-8")
    run = tk.reports.run("matching", folder / "client.yaml", tmp_path / "out")
    page = run.html.read_text(encoding="utf-8")
    assert not EMAIL.search(page.replace("@mentoring-toolkit", ""))
    assert "<b>Bo" not in page and "<i>Ltd" not in page and "\x1b" not in page and "\x07" not in page
    assert not list((tmp_path / "out").glob(".matching-*"))


@pytest.mark.parametrize("size", [131_073, 1_000_000])
def test_huge_cells_in_every_reader(tmp_path, size):
    rows = [HEADER, ["E1", "y" * size, "a@b.example", "Sales", "Mentor", "2", "2026-03-02", "", ""]]
    path = _write_rows(tmp_path / "p.csv", rows, ["utf-8", "utf-8"])
    assert len(tk.read_table(path).rows[0][1]) == size
