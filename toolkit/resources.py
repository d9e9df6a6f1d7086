"""Where the toolkit's own files are: templates, notebooks and the sample clients.

In a checkout they are the repository's top-level ``templates/``, ``notebooks/`` and
``sample_data/`` folders; in an installed wheel the build copies them into the package as
``toolkit/data/...`` and they are found with :mod:`importlib.resources`. Code asks here and
never builds paths from ``__file__``.

``MENTORING_TOOLKIT_TEMPLATES`` points the toolkit at another templates folder (a consultancy's
own programme templates, say).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import ToolkitError

__all__ = ["TEMPLATES_ENV", "templates_dir", "notebooks_dir", "sample_data_dir", "data_dir", "is_sample_client"]

TEMPLATES_ENV = "MENTORING_TOOLKIT_TEMPLATES"
_FOLDERS = ("templates", "notebooks", "sample_data")


def data_dir(name: str) -> Path:
    """The toolkit's ``templates``, ``notebooks`` or ``sample_data`` folder, installed or in a checkout."""
    if name not in _FOLDERS:
        raise ValueError(f"data_dir name must be one of {', '.join(_FOLDERS)}, not {name!r}")
    installed = Path(str(resources.files("toolkit"))) / "data" / name
    if installed.is_dir():
        return installed
    checkout = Path(str(resources.files("toolkit"))).parent / name
    if checkout.is_dir():
        return checkout
    raise ToolkitError(
        f"The toolkit's {name} folder was not found (looked in {installed} and {checkout}).",
        fix="reinstall the toolkit (pip install mentoring-toolkit, or make install in a checkout)",
    )


def templates_dir() -> Path:
    """The templates folder: ``$MENTORING_TOOLKIT_TEMPLATES`` if set, else the toolkit's own."""
    configured = os.environ.get(TEMPLATES_ENV)
    if configured:
        path = Path(configured).expanduser()
        if not path.is_dir():
            raise ToolkitError(
                f"{TEMPLATES_ENV} is set to {configured!r}, which is not a folder.",
                fix=f"point {TEMPLATES_ENV} at a templates folder (the one holding programs/), or unset it",
            )
        return path
    return data_dir("templates")


def notebooks_dir() -> Path:
    """The notebooks folder (the teaching notebooks, and ``reports/`` with the report notebooks)."""
    return data_dir("notebooks")


def sample_data_dir() -> Path:
    """The folder of fictional sample clients, one sub-folder each with its ``client.yaml``."""
    return data_dir("sample_data")


def is_sample_client(folder: str | Path) -> bool:
    """Whether a client folder (or its client.yaml) is one of the bundled sample clients.

    The samples are read-only: ``match`` and the matching studio never adopt a match into them
    (copy the folder, then work on the copy).
    """
    path = Path(folder)
    if path.suffix.lower() in (".yaml", ".yml"):
        path = path.parent
    return path.resolve().parent == sample_data_dir().resolve()
