"""Build hook only: all metadata lives in pyproject.toml.

The toolkit's ``templates/``, ``notebooks/`` and ``sample_data/`` folders sit at the top of the
repository (where a checkout and ``pip install -e .`` use them). A wheel has no such folders, so
``build_py`` copies them into the built package as ``toolkit/data/<name>``, where
``toolkit.resources`` looks first. Left out: ``sample_data/generate.py`` (the sample generator,
a developer tool), notebook checkpoints and bytecode. Editable installs copy nothing and keep
reading the checkout's folders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_FOLDERS = ("templates", "notebooks", "sample_data")
NOT_SHIPPED = {ROOT / "sample_data" / "generate.py"}
IGNORED_NAMES = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    return {name for name in names
            if name in IGNORED_NAMES or name.endswith((".pyc", ".pyo")) or Path(folder, name) in NOT_SHIPPED}


class build_py_with_data(build_py):
    """``build_py`` that also copies the top-level data folders into ``toolkit/data``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # pip install -e .: toolkit.resources falls back to the checkout's folders
        target = Path(self.build_lib) / "toolkit" / "data"
        for name in DATA_FOLDERS:
            source = ROOT / name
            if not source.is_dir():
                raise FileNotFoundError(f"{source} is missing: the wheel would ship without its {name} folder")
            destination = target / name
            if destination.exists():
                shutil.rmtree(destination)  # no stale files from an earlier build
            shutil.copytree(source, destination, ignore=_ignore)


setup(cmdclass={"build_py": build_py_with_data})
