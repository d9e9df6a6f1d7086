"""Attacks on inputs: huge or odd files, hostile YAML, hostile logos, hostile command-line values.

Size guards come before reading: a workbook that claims a cell at XFD1048576, a zip bomb of a
workbook, a million-row CSV, a file past the byte limit, a FIFO or a device where a file should be
all stop with an error that names the limit and the client.yaml line that raises it. Every YAML
file (client.yaml, designs, instruments, goal libraries, comment themes, the toolkit's own templates)
is read by the one guarded loader. A logo is a PNG, JPEG or SVG image by its content, under 1 MB.
"""

from __future__ import annotations

import ast
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import toolkit as tk
from toolkit.cli import main as cli_main
from toolkit.errors import ConfigError, IntakeError, ToolkitError
from toolkit.images import LOGO_LIMIT, image_type, logo_problem
from toolkit.intake.readers import READ_LIMITS, read_limits, reading_limits, set_read_limits
from toolkit.safe_yaml import MAX_YAML_BYTES, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
RIVERBANK = ROOT / "sample_data" / "riverbank"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture(autouse=True)
def _default_limits():
    previous = set_read_limits()
    yield
    set_read_limits(previous)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _far_cell_workbook(path: Path, cell: str = "XFD1048576") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "name", "role"])
    sheet.append(["E1", "Sam", "mentee"])
    sheet[cell] = "x"
    workbook.save(path)
    return path


@pytest.mark.parametrize("cell, limit", [("XFD1048576", "max_rows"), ("XFD2", "max_columns"), ("ALL5001", "max_cells")])
def test_a_small_workbook_with_one_far_cell_is_refused_before_its_grid_is_built(tmp_path, cell, limit):
    path = _far_cell_workbook(tmp_path / "far.xlsx", cell)
    assert path.stat().st_size < 12_000
    before = _peak_mb()
    with pytest.raises(IntakeError, match=f"limits.{limit}") as refused:
        tk.read_table(path)
    assert _peak_mb() - before < 200  # the grid (up to 17 billion cells) was never allocated
    message = str(refused.value)
    assert cell in message and "client.yaml" in message and "limits:" in message


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_unpacked(tmp_path):
    path = _far_cell_workbook(tmp_path / "bomb.xlsx", "C3")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * (30 * 1024 * 1024))  # 30 MB of zeros, 30 KB packed
    assert path.stat().st_size < 100_000
    with reading_limits(max_file_mb=2), pytest.raises(IntakeError, match="unpacks to") as refused:
        tk.read_table(path)  # 2 MB allowed on disk, so 20 MB unpacked; the default 50 MB allows 500 MB
    assert "max_file_mb" in str(refused.value)


@pytest.mark.slow
def test_a_million_row_csv_is_refused_while_streaming_and_the_limit_can_be_raised(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("id,name,role\n")
        stream.writelines(f"E{number},n,mentee\n" for number in range(1_000_000))
    before = _peak_mb()
    with pytest.raises(IntakeError, match="limits.max_rows") as refused:
        tk.read_table(path)
    assert _peak_mb() - before < 400
    assert "max_rows: 1000001" in str(refused.value) or "max_rows: 1000002" in str(refused.value)
    with reading_limits(max_rows=300):
        small = tmp_path / "small.csv"
        small.write_text("id,name\n" + "".join(f"E{n},x\n" for n in range(200)), encoding="utf-8")
        assert len(tk.read_table(small).rows) == 200


def test_bytes_columns_and_rows_limits_each_name_their_setting(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{n}" for n in range(1_500)) + "\n" + ",".join("x" * 1_500) + "\n", encoding="utf-8")
    with pytest.raises(IntakeError, match="limits.max_columns"):
        tk.read_table(wide)
    with reading_limits(max_file_mb=1):
        heavy = tmp_path / "heavy.csv"
        heavy.write_bytes(b"id,name\n" + b"E1," + b"y" * (2 * 1024 * 1024) + b"\n")
        with pytest.raises(IntakeError, match="limits.max_file_mb"):
            tk.read_table(heavy)
    assert read_limits() == READ_LIMITS


def test_client_yaml_limits_raise_the_limits_for_that_clients_files(tmp_path):
    client = tmp_path / "riverbank"
    shutil.copytree(RIVERBANK, client)
    with open(client / "client.yaml", "a", encoding="utf-8") as stream:
        stream.write("limits:\n  max_rows: 400000\n  max_file_mb: 80\n")
    config = tk.load_client(client)
    assert read_limits().max_rows == 400_000 and read_limits().max_file_mb == 80
    assert config.limits.max_columns == READ_LIMITS.max_columns
    with open(client / "client.yaml", "a", encoding="utf-8") as stream:
        stream.write("  max_cells: -5\n")
    with pytest.raises(ConfigError, match="limits.max_cells"):
        tk.load_client(client)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_or_a_device_where_a_file_should_be_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "participants.csv"
    os.mkfifo(fifo)
    with pytest.raises(IntakeError, match="not an ordinary file"):
        tk.read_table(fifo)
    with pytest.raises(IntakeError, match="not an ordinary file"):
        tk.read_table("/dev/zero")
    yaml_fifo = tmp_path / "client.yaml"
    os.mkfifo(yaml_fifo)
    with pytest.raises(ConfigError, match="not an ordinary file"):
        tk.load_client(yaml_fifo)
    client = tmp_path / "riverbank"
    shutil.copytree(RIVERBANK, client)
    (client / "org_chart.csv").unlink()
    os.mkfifo(client / "org_chart.csv")
    os.mkfifo(client / "logo.png")
    with open(client / "client.yaml", "a", encoding="utf-8") as stream:
        stream.write("branding:\n  logo: logo.png\n")
    with pytest.raises(ConfigError, match="not an ordinary file") as refused:
        tk.load_client(client)
    assert "org_chart" in str(refused.value) and "branding.logo" in str(refused.value)


# -- YAML -------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_every_yaml_read_in_the_toolkit_goes_through_the_guarded_loader():
    offenders = []
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        if path.name == "safe_yaml.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml" \
                    and node.func.attr in ("load", "safe_load", "full_load", "unsafe_load", "load_all",
                                           "safe_load_all"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    # client.py re-reads a client.yaml that compose_yaml (size-checked) already accepted, to find a bad date's line
    assert [offender.split(":")[0] for offender in offenders] in ([], ["toolkit/client.py"]), offenders


@pytest.mark.parametrize("text, problem", [
    ("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e]\n", "aliases"),
    ("a: &a [*a]\n", "loop|alias"),
    ("!!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n", "could not determine|constructor"),
    ("a: !!python/name:os.system\n", "could not determine|constructor"),
    ("[" * 5000 + "]" * 5000, "too deeply|nest"),
    ("a: 1\na: 2\n", "twice"),
    ("\x00\x01binary", "not a text file"),
])
def test_hostile_yaml_is_refused_by_every_loader(tmp_path, text, problem):
    path = tmp_path / "hostile.yaml"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(ToolkitError, match=problem):
        parse_yaml(path)
    with pytest.raises(ToolkitError):
        tk.survey.load_instrument(str(path))
    assert not Path("/tmp/pwned-by-yaml").exists()


def test_a_huge_yaml_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "client.yaml"
    with open(path, "wb") as stream:
        stream.write(b"client: x\n# " + b"y" * (MAX_YAML_BYTES + 10) + b"\n")
    with pytest.raises(ConfigError, match="MB"):
        tk.load_client(path)


# -- logos --------------------------------------------------------------------------------------------

def _with_logo(tmp_path: Path, name: str, data: bytes) -> Path:
    client = tmp_path / "riverbank"
    shutil.copytree(RIVERBANK, client)
    (client / name).write_bytes(data)
    with open(client / "client.yaml", "a", encoding="utf-8") as stream:
        stream.write(f"branding:\n  logo: {name}\n")
    return client


@pytest.mark.parametrize("name, data, problem", [
    ("logo.png", (RIVERBANK / "participants.xlsx").read_bytes(), "not a PNG, JPEG or SVG"),  # the sign-up workbook
    ("logo.png", b"id,email\n1,a@b.example\n", "not a PNG, JPEG or SVG"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "script"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "onload"),
    ("logo.svg", b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><svg>&x;</svg>",
     "ENTITY|DOCTYPE|not a PNG"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><image href='http://evil.example/t.png'/></svg>", "href"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><foreignObject><p>x</p></foreignObject></svg>",
     "foreignObject"),
    ("logo.jpg", b"\xff\xd8\xff" + b"\0" * (LOGO_LIMIT + 1), "at most 1,024 KB"),
    ("logo.png", b"GIF89a\x01\x00\x01\x00", "not a PNG, JPEG or SVG"),
])
def test_a_logo_must_be_a_small_png_jpeg_or_plain_svg_by_its_content(tmp_path, name, data, problem):
    client = _with_logo(tmp_path, name, data)
    with pytest.raises(ConfigError, match=problem):
        tk.load_client(client)


def test_a_real_logo_is_embedded_with_the_type_its_content_says(tmp_path):
    client = _with_logo(tmp_path, "logo.svg", PNG)  # a PNG saved under an .svg name
    config = tk.load_client(client)
    assert image_type(config.branding["logo"]) == "image/png" and logo_problem(config.branding["logo"]) is None
    assert "data:image/png;base64," in tk.studio.banner(config).data


# -- command-line values and names ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["-1", "nan", "inf", "-inf", "0", "1e999", "abc", ""])
def test_a_time_limit_that_cannot_be_kept_is_a_clear_usage_error(value, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli_main(["match", "--client", str(RIVERBANK), "--dry-run", f"--time-limit={value}"])
    assert stopped.value.code == 2
    assert "is not a number of seconds above 0" in capsys.readouterr().err
    with pytest.raises(ToolkitError, match="seconds"):
        tk.match(tk.load_client(RIVERBANK).roster(), tk.load_client(RIVERBANK).design(),
                 time_limit=float(value) if value not in ("abc", "") else value)


@pytest.mark.parametrize("port", ["113891", "0", "80", "1023", "65536", "-1", "99999999999999999999"])
def test_a_port_outside_1024_to_65535_is_refused_before_anything_starts(port, capsys):
    assert cli_main(["studio", "--client", str(RIVERBANK), "--port", port]) == 2
    error = capsys.readouterr().err
    assert f"--port {int(port)} is not a port the studio can use" in error and "1024 to 65535" in error
    with pytest.raises(ToolkitError, match="1024"):
        tk.studio.check_port(port)
    assert tk.studio.check_port("8866") == 8866 and tk.studio.check_port(None) is None


@pytest.mark.slow
def test_the_saved_report_notebook_holds_no_absolute_path(tmp_path):
    client = tmp_path / "private" / "clients" / "riverbank"
    shutil.copytree(RIVERBANK, client)
    run = tk.reports.run("readiness", client, tmp_path / "out")
    saved = run.notebook.read_text(encoding="utf-8")
    assert str(tmp_path) not in saved and str(ROOT) not in saved and os.path.expanduser("~") + "/" not in saved
    assert '"riverbank/client.yaml"' in saved.replace("\\", "")
    assert str(tmp_path) not in run.html.read_text(encoding="utf-8")


def test_the_studio_server_module_refuses_to_start_without_its_token():
    started = subprocess.run([sys.executable, "-m", "toolkit.studio_server", "--no-browser"], input="short\n",
                             capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert started.returncode != 0 and "needs its token" in started.stderr


def test_size_guards_read_no_byte_of_a_refused_file(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"id\n" + b"1\n" * 10)
    opened = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(self) or b"")
    with reading_limits(max_file_mb=0), pytest.raises(IntakeError, match="max_file_mb"):
        tk.read_table(path)
    assert opened == []
