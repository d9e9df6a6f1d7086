"""`pip install .` (not editable) gives a working toolkit.

Builds the wheel, checks the data folders are inside it (and the sample generator is not), installs
it into a fresh virtual environment and runs the installed command line from an empty folder, far
from the checkout, on a copy of a sample client.

No downloads: the fresh environment borrows this interpreter's installed dependencies through a
``.pth`` file, and the wheel is installed with ``--no-deps --no-index``. The build itself runs with
``--no-build-isolation`` when this environment has ``setuptools>=77`` and ``wheel`` (``make install``
puts them there); otherwise pip's isolated build fetches them (once; pip caches them).

``mentoring-toolkit demo`` is not run here: from the installed wheel it takes about 100 s (three clients,
four steps each), too long for this test; ``validate`` and one report cover the installed data folders.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600  # seconds, per subprocess
SHIPPED = [
    "toolkit/data/templates/programs/formal.yaml",
    "toolkit/data/notebooks/reports/readiness.ipynb",
    "toolkit/data/sample_data/northwind/client.yaml",
    "toolkit/data/templates/studio/voila/templates/mentoring-toolkit/index.html.j2",  # the studio's offline pages
]
# Not part of the source to build from: left out when the checkout is copied for the build.
TOP_LEVEL_SKIPPED = {".git", ".venv", "venv", "build", "dist", "reports", "out", "test-artifacts", ".pytest_cache",
                     ".hypothesis"}
SKIPPED_ANYWHERE = {"__pycache__", ".ipynb_checkpoints"}


def _not_source(folder: str, names: list[str]) -> set[str]:
    top = Path(folder).resolve() == ROOT
    return {name for name in names if name in SKIPPED_ANYWHERE or name.endswith(".egg-info")
            or (top and name in TOP_LEVEL_SKIPPED)}


pytestmark = pytest.mark.slow


def _can_build_offline() -> bool:
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return major >= 77 and importlib.util.find_spec("wheel") is not None


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment of a person who activated the fresh venv: no PYTHONPATH pointing at the checkout."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "MENTORING_TOOLKIT_TEMPLATES"}}
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    return env


def _run(label: str, timings: dict[str, float], command: list, **kwargs) -> subprocess.CompletedProcess:
    started = time.perf_counter()
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=TIMEOUT,
                            **kwargs)
    timings[label] = time.perf_counter() - started
    assert result.returncode == 0, (f"{label} exited {result.returncode}\n--- stdout\n{result.stdout}\n"
                                    f"--- stderr\n{result.stderr}")
    return result


def test_wheel_installs_a_working_toolkit(tmp_path):
    timings: dict[str, float] = {}

    # 1. Build the wheel from a copy of the checkout (so the build leaves no build/ or *.egg-info here).
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_not_source)
    dist = tmp_path / "dist"
    offline = _can_build_offline()
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source]
    if offline:
        build.insert(5, "--no-build-isolation")
    else:
        print("\nNOTICE: setuptools>=77 and wheel are not both in this environment (make install adds them); "
              "building with pip's build isolation, which fetches them.", file=sys.stderr)
    _run("build wheel" + ("" if offline else " (isolated)"), timings, build)
    wheels = list(dist.glob("mentoring_toolkit-*.whl"))
    assert len(wheels) == 1, wheels
    wheel = wheels[0]

    # 2. The data folders are in it; the sample generator and stray files are not.
    names = zipfile.ZipFile(wheel).namelist()
    for name in SHIPPED:
        assert name in names, f"{name} is not in {wheel.name}"
    assert not [name for name in names if name.endswith("generate.py")], "the sample generator must not ship"
    assert not [name for name in names if ".ipynb_checkpoints" in name or "__pycache__" in name
                or name.endswith(".pyc")]

    # 3. A fresh venv with the wheel; then it borrows this interpreter's dependencies (the .pth is written
    #    after the install, so pip never sees this environment's editable toolkit).
    venv = tmp_path / "venv"
    #    The venv gets no pip of its own (ensurepip takes seconds): this environment's pip installs into it
    #    (``--python``), as the venv's own would.
    _run("create venv", timings, [sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    env = _clean_env(venv)
    empty = tmp_path / "empty"
    empty.mkdir()
    _run("pip install wheel", timings,
         [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
          "--disable-pip-version-check", wheel], env=env, cwd=empty)
    purelib = Path(_run("purelib", timings, [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        env=env, cwd=empty).stdout.strip())
    import pandas

    borrowed = Path(pandas.__file__).resolve().parent.parent  # .../lib/python3.X/site-packages
    (purelib / "_borrowed_dependencies.pth").write_text(f"{borrowed}\n")
    # A real install puts nbconvert's HTML templates in the venv's share/jupyter; borrow those too (only
    # those: the other environment's share/jupyter/kernels may hold a kernel that runs its own Python).
    candidates = [prefix / "share" / "jupyter" / "nbconvert" for prefix in (borrowed.parents[2], Path(sys.prefix))]
    templates = next((path for path in candidates if (path / "templates" / "lab").is_dir()), None)
    assert templates, f"nbconvert's templates are in none of {candidates}"
    (venv / "share" / "jupyter").mkdir(parents=True, exist_ok=True)
    (venv / "share" / "jupyter" / "nbconvert").symlink_to(templates, target_is_directory=True)
    found = _run("import toolkit", timings,
                 [python, "-c", "import toolkit, toolkit.resources as r; print(toolkit.__file__); "
                                "print(r.templates_dir()); print(r.notebooks_dir()); print(r.sample_data_dir()); "
                                "import toolkit.studio as s; print(s.template_root())"],
                 env=env, cwd=empty).stdout.split()
    installed = (purelib / "toolkit").resolve()
    for path in found:
        assert Path(path).resolve().is_relative_to(installed), (
            f"{path} is not inside the fresh venv's toolkit ({installed}): the checkout leaked in")

    # 4. The installed command line, from an empty folder, on a copy of a sample client.
    client = tmp_path / "client"
    shutil.copytree(ROOT / "sample_data" / "riverbank", client)
    script = venv / "bin" / "mentoring-toolkit"
    runs = [
        _run("validate", timings, [script, "validate", "--client", client / "client.yaml"], env=env, cwd=empty),
        _run("report readiness", timings,
             [script, "report", "readiness", "--client", client / "client.yaml", "--out", tmp_path / "out"],
             env=env, cwd=empty),
    ]
    assert (tmp_path / "out" / "readiness.html").is_file()
    for result in runs:
        assert "Traceback" not in result.stderr, result.stderr
    kernel = venv / "share" / "jupyter" / "kernels" / "mentoring-toolkit" / "kernel.json"
    assert str(python) in kernel.read_text(), "the report kernel must run the fresh venv's Python"
    assert list(empty.iterdir()) == [], "running from a folder must not leave files in it"

    print("\nwheel test timings: " + ", ".join(f"{label} {seconds:.1f}s" for label, seconds in timings.items()))
