"""Output folders that hold one round's files: agreements, introductions and the kit follow the current round.

A command that writes papers for the pairs (``agreements``, ``kit``, a re-match's introductions) writes
them through :func:`write_for_round`:

* the files are written into a hidden folder inside ``--out`` first, so a failed run changes nothing;
* ``--out`` then holds the current round's files and ``round.json``, the index naming the round (its
  number and folder, the fingerprint of its pairs, what may be said of its certificate, the files);
* the files of a superseded round are moved to ``<out>/round-NN/`` (``<out>/as-run/`` for a pairs file
  kept before rounds, ``<out>/proposed/`` for a match not adopted), with their index;
* writing the same round again replaces its files (any it no longer writes are removed).

So a folder never mixes rounds. A folder holding files of the same kind that no index accounts for
(written by an earlier version, or by hand) is not guessed about: the command stops and names them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..files import output_folder, write_text
from .checks import fingerprint, member_lines
from .store import Round

if TYPE_CHECKING:
    from ..matching.result import MatchResult

__all__ = ["INDEX_NAME", "RoundLabel", "round_label", "write_for_round", "read_index"]

#: The index every round output folder holds.
INDEX_NAME = "round.json"
_STAGING_PREFIX = ".writing-"


@dataclass(frozen=True)
class RoundLabel:
    """Which round a folder of outputs belongs to.

    Attributes
    ----------
    key
        ``round-03`` for an adopted round (also the name of the folder its files move to when a later
        round replaces it), ``as-run`` for the pairs file a client kept before rounds, ``proposed`` for a
        match made but not adopted, ``no-match`` before any match.
    title
        The same in words, for indexes ("round 3 (round-03-2026-11-30), adopted 30 November 2026").
    fingerprint
        SHA-256 of the members of the pairs or circles the files were written for ("" without a match).
    certificate
        What may be said of those pairs ("certified optimal", "edited by hand after adoption ...: not
        certified", ...).
    """

    key: str
    title: str
    fingerprint: str = ""
    certificate: str = ""


def round_label(adopted: Round | None = None, result: MatchResult | None = None, *, proposed: bool = False) -> RoundLabel:
    """The label of the files written for ``adopted`` (a round), or for ``result`` when no round is used.

    ``result`` without a round is the client's pairs file (``as-run``), or with ``proposed=True`` a match
    made now and not adopted. Neither: ``no-match``.
    """
    if adopted is not None:
        return RoundLabel(f"round-{adopted.number:02d}", f"round {adopted.number} ({adopted.name}), adopted "
                          f"{adopted.created:%d %B %Y}", adopted.fingerprint, adopted.certificate_words())
    if result is None:
        return RoundLabel("no-match", "before any match")
    table = result.circles if result.shape == "circles" else result.pairs
    prints = fingerprint(member_lines(table, result.shape))
    if proposed:
        words = "certified optimal" if result.certificate.certified else f"not certified ({result.status})"
        return RoundLabel("proposed", "a match made now and not adopted (agreements --rematch)", prints, words)
    return RoundLabel("as-run", "the pairs file named in client.yaml (the match as run, before rounds)", prints,
                      "not certified: the match as run, read from a file")


def read_index(out: str | os.PathLike) -> dict | None:
    """The round index of an output folder (``round.json``), or None when it has none."""
    path = Path(out) / INDEX_NAME
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigError("this round index is not readable.", path=path,
                          fix="delete it and the files beside it, then run the command again") from None


def write_for_round(out: str | os.PathLike, label: RoundLabel, write: Callable[[Path], Iterable[Path]], *,
                    kind: str) -> list[Path]:
    """Write one round's files into ``out`` with ``write(folder)``, keeping ``out`` to that round alone.

    Parameters
    ----------
    out
        The output folder (created when missing).
    label
        The round the files are for (:func:`round_label`).
    write
        Writes the files into the folder it is given (a staging folder) and returns their paths.
    kind
        What the files are (``agreements``, ``kit``, ``introductions``): a folder holds one kind.

    Returns
    -------
    list of pathlib.Path
        The files as they are now in ``out`` (the index ``round.json`` not included).

    Raises
    ------
    ConfigError
        When ``out`` holds another kind's files, or files of this kind that no index accounts for.
    """
    out = output_folder(out)
    _remove_dead_staging(out)
    previous = read_index(out)
    if previous is not None and previous.get("kind") != kind:
        raise ConfigError(f"{out} holds the {previous.get('kind')} of {previous.get('title')}, so the {kind} cannot "
                          "be written there without mixing them.", path=out / INDEX_NAME,
                          fix=f"give the {kind} their own folder with --out")
    staging = out / f"{_STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        written = [Path(path).relative_to(staging) for path in write(staging)]
        if previous is None:
            _refuse_unaccounted(out, written, kind)
        if previous is not None and previous.get("key") != label.key:
            _move_aside(out, previous)
        elif previous is not None:
            for name in set(previous.get("files") or []) - {str(path.as_posix()) for path in written}:
                (out / name).unlink(missing_ok=True)
        # No time stamp: the same round written twice gives the same bytes (outputs are deterministic).
        record = {"kind": kind, **asdict(label), "files": sorted(path.as_posix() for path in written)}
        # The index first: a run stopped while moving files in leaves fewer files, never another round's.
        write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", out / INDEX_NAME)
        final = []
        for relative in written:
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, target)
            final.append(target)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _refuse_unaccounted(out: Path, written: list[Path], kind: str) -> None:
    """Stop when ``out`` (with no index) holds files of the kinds about to be written that will not be replaced."""
    suffixes = {path.suffix for path in written}
    names = {path.as_posix() for path in written}
    strays = sorted(path.name for path in out.iterdir() if path.is_file() and not path.name.startswith(".")
                    and path.suffix in suffixes and path.name not in names)
    if strays:
        shown = ", ".join(strays[:8]) + (f" and {len(strays) - 8} more" if len(strays) > 8 else "")
        raise ConfigError(f"{out} already holds {len(strays)} file{'s' if len(strays) != 1 else ''} that no round "
                          f"index accounts for ({shown}): they may be {kind} of another round; nothing was written.",
                          path=out, fix="move those files out of the folder (or delete them), or give --out an "
                                        "empty folder")


def _move_aside(out: Path, previous: dict) -> None:
    """Move a superseded round's files (and its index) to ``out/<its key>/``."""
    archive = out / str(previous.get("key") or "earlier")
    for name in list(previous.get("files") or []) + [INDEX_NAME]:
        source = out / name
        if source.is_file():
            target = archive / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for name in sorted({str(Path(name).parent) for name in previous.get("files") or []} - {"."}, key=len,
                       reverse=True):
        with contextlib.suppress(OSError):  # a subfolder (goal_progress/) left empty by the move; kept if not
            (out / name).rmdir()


def _remove_dead_staging(out: Path) -> None:
    """Remove staging folders that runs which have ended left behind (killed while writing)."""
    for path in out.iterdir():
        if not (path.is_dir() and path.name.startswith(_STAGING_PREFIX)):
            continue
        try:
            pid = int(path.name[len(_STAGING_PREFIX):].split("-")[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # pragma: no cover - os.kill(pid, 0) would end the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or a platform without signal 0: assume it is running
        return True
    return True
