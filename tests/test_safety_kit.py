"""The programme kit survives hostile names: braces in client, programme and participant names, and a
carriage return or ESC in the programme name, without a broken calendar or CSV."""

from __future__ import annotations

import csv
import shutil

import openpyxl
import pytest
from icalendar import Calendar

from toolkit.kit import write_kit
from toolkit.resources import sample_data_dir


def _hostile_client(tmp_path):
    folder = tmp_path / "lumen"
    shutil.copytree(sample_data_dir() / "lumen", folder)
    path = folder / "client.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("client: Lumen Labs (fictional)", 'client: "Lumen {{ evil }} Labs"')
    text = text.replace("  name: Lumen Circles 2026", '  name: "Lumen\\r\\nBEGIN:VEVENT\\x1b\\x07 {{ x }}"')
    path.write_text(text, encoding="utf-8")
    people = folder / "participants.csv"
    people.write_text(people.read_text(encoding="utf-8").replace("Anja Becker", "Anja {{ cycler }} Becker"),
                      encoding="utf-8")
    return path


@pytest.mark.slow
def test_braces_and_line_breaks_in_names_do_not_break_the_kit(tmp_path):
    written = write_kit(_hostile_client(tmp_path), tmp_path / "kit")
    by_name = {path.name: path for path in written}
    calendar = Calendar.from_ical(by_name["communications.ics"].read_bytes())
    events = list(calendar.walk("VEVENT"))
    lines = by_name["communications.ics"].read_bytes().split(b"\r\n")
    assert sum(line == b"BEGIN:VEVENT" for line in lines) == len(events) > 0
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert str(calendar["X-WR-CALNAME"]) == "Lumen BEGIN:VEVENT {{ x }}"
    for name in ("communications_timeline.csv", "introductions.csv"):
        with open(by_name[name], encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))
        assert len({len(row) for row in rows}) == 1  # no row split
    for path in written:
        if path.suffix in (".ics", ".csv", ".md", ".html"):
            text = path.read_text(encoding="utf-8-sig")
            assert "\x1b" not in text and "\x07" not in text, path.name
    book = openpyxl.load_workbook(by_name["communications_timeline.xlsx"])
    assert not any("\x1b" in str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
    assert "Lumen {{ evil }} Labs" in by_name["leadership_brief.html"].read_text(encoding="utf-8")
