"""The audit trail: how a report was made (parameters, input fingerprints, versions, solver facts).

Report notebooks call :func:`record` to hand facts to the audit trail through an invisible
output; :func:`audit_trail` collects them with everything else after the run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..client import ClientConfig
from ..labels import duration

__all__ = ["AUDIT_MIME", "audit_trail", "audit_markdown", "input_files", "record", "strip_audit_outputs"]

AUDIT_MIME = "application/vnd.mentoring-toolkit.audit+json"
_KEY_PACKAGES = ("pandas", "numpy", "scipy", "PuLP", "highspy", "ortools", "altair", "vl-convert-python", "papermill",
                 "nbconvert", "Jinja2")


def input_files(config: ClientConfig) -> list[Path]:
    """client.yaml and every file it names, each once, in a stable order."""
    found: list[Path] = [config.path]

    def walk(value: Any) -> None:
        if isinstance(value, Path):
            if value not in found:
                found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(config.data)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def audit_trail(config: ClientConfig, parameters: Mapping[str, Any], *, notebook=None,
                started: dt.datetime | None = None, seconds: float | None = None) -> dict:
    """How a report was made: parameters, input hashes, versions, solver facts, date, duration."""
    versions = {"mentoring-toolkit": __version__, "Python": sys.version.split()[0]}
    for package in _KEY_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    facts: dict[str, Any] = {}
    if notebook is not None:
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if AUDIT_MIME in data:
                    facts.update(data[AUDIT_MIME])
    root = config.folder
    return {
        # a file the run writes (team_file) is named as it lands beside the report, never by its scratch path
        "parameters": {key: (_relative(Path(value), root) if key == "client" else
                             Path(value).name if key == "team_file" and value else value)
                       for key, value in parameters.items()},
        "inputs": [{"file": _relative(path, root), "resolved": str(path.resolve()), "sha256": _sha256(path),
                    "bytes": path.stat().st_size} for path in input_files(config)],
        "versions": versions,
        "facts": facts,
        "run_at": (started or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "seconds": round(seconds, 1) if seconds is not None else None,
    }


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:  # outside the client folder (allowed explicitly): the full path, never just its name
        return str(path.resolve())


def strip_audit_outputs(notebook) -> None:
    for cell in notebook.cells:
        if cell.get("outputs"):
            cell["outputs"] = [output for output in cell["outputs"] if AUDIT_MIME not in output.get("data", {})]


def audit_markdown(audit: dict) -> str:
    def cell(value: Any) -> str:
        return html.escape(str(value)).replace("|", "&#124;")

    def fact(key: str, value: Any) -> str:
        if key in ("seconds", "solve seconds") and isinstance(value, (int, float)):
            return duration(value)
        if isinstance(value, float):
            return f"{value:,.2f}"
        return str(value)

    lines = ["### Audit trail", "", "How this report was made, so that it can be reproduced and checked.", "",
             f"Run on {audit['run_at']}; it took {duration(audit['seconds'])}.", "", "**Parameters**", "",
             "| parameter | value |", "| --- | --- |"]
    lines += [f"| {cell(key)} | {cell(value)} |" for key, value in audit["parameters"].items()]
    if audit["facts"]:
        lines += ["", "**Solver and results**", "", "| item | value |", "| --- | --- |"]
        lines += [f"| {cell(key)} | {cell(fact(key, value))} |" for key, value in audit["facts"].items()]
    lines += ["", "**Input files** (SHA-256 fingerprints: any change to a file changes its fingerprint)", "",
              "| file | bytes | SHA-256 |", "| --- | ---: | --- |"]
    lines += [f"| {cell(item['file'])} | {item['bytes']:,} | `{item['sha256']}` |" for item in audit["inputs"]]
    lines += ["", "**Software**", "", "| package | version |", "| --- | --- |"]
    lines += [f"| {cell(name)} | {cell(version)} |" for name, version in audit["versions"].items()]
    return "\n".join(lines)


class _AuditNote:
    """Invisible output that hands facts (solver, status, ...) from a notebook to the audit trail."""

    def __init__(self, facts: Mapping[str, Any]) -> None:
        self.facts = {key: (value if isinstance(value, (int, float, bool)) else str(value))
                      for key, value in facts.items()}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {AUDIT_MIME: self.facts, "text/plain": ""}


def record(**facts: Any) -> None:
    """From a report notebook: add facts (solver, status, objective, ...) to the audit trail."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - outside IPython there is no report to add to
        return
    if getattr(get_ipython(), "kernel", None) is None:  # plain Python or a terminal: no notebook, nothing to print
        return
    display(_AuditNote(facts))
