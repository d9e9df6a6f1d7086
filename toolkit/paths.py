"""Paths that stay where they belong: file names made from ids, files the studio saves, folders in a client folder.

Nothing a participant typed, and nothing a text box in the studio says, becomes a path as it is:

- :func:`participant_file`: a file named after a participant, pair or circle id, always directly
  inside its folder (the id itself when it is a plain name, else a slug and a short hash of the id,
  so ``../../x`` or ``/etc/passwd`` as an id only ever names a file such as ``x-1a2b3c4d.html``);
- :func:`export_path`: where the studio saves what a text box names, confined to the client's
  ``exports/`` folder (a path that climbs out, an absolute path elsewhere, a symbolic link, a device
  name such as ``CON`` is refused with the fix);
- :func:`confined_folder`: a folder inside another (``matches/``, ``exports/``, a round's outputs),
  refused when it or a folder on the way is a symbolic link, so a link planted in one client's
  folder cannot make the toolkit write into another client's;
- :func:`safe_slug`: text as a short lower-case ASCII name (client folders).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import ToolkitError
from .files import safe_filename

__all__ = ["safe_slug", "participant_file", "export_path", "confined_folder", "check_output_folder",
           "ID_FILE_NAME", "SLUG_LIMIT"]

#: An id that may be a file name as it is: letters, digits, dot, dash, underscore; at most 80 characters.
ID_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
#: The longest slug :func:`safe_slug` makes (file systems allow 255 bytes a name; leave room for suffixes).
SLUG_LIMIT = 60
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_slug(text: object, limit: int = SLUG_LIMIT) -> str:
    """``text`` as a lower-case ASCII slug (``"Åsa & Co. Ltd"`` -> ``"asa-co-ltd"``), at most ``limit``
    characters, cut at a dash; ``""`` when nothing of it is a letter or digit."""
    ascii_text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[limit // 2:] else cut).strip("-")
    return slug


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def participant_file(folder: str | os.PathLike, identifier: object, suffix: str) -> Path:
    """The file for one participant, pair or circle: ``<folder>/<name><suffix>``, always directly in ``folder``.

    The name is the id itself when it is a plain file name (``E042``, ``pair-007``); any other id
    (``../../x``, ``/etc/passwd``, ``CON``, ``José García``, 300 characters) gets a slug of it and the
    first 8 hex digits of its SHA-256, so two ids never share a file and none leaves the folder.
    """
    text = str(identifier)
    if ID_FILE_NAME.fullmatch(text) and not text.endswith(".") and text.split(".")[0].lower() not in _WINDOWS_DEVICES:
        stem = text
    else:
        stem = f"{safe_slug(text, 40) or 'id'}-{_hash(text)}"
    path = Path(folder) / f"{stem}{suffix}"
    assert path.parent == Path(folder)  # by construction; a guard against future edits
    return path


def _refuse(message: str, fix: str, path: str | Path | None) -> ToolkitError:
    return ToolkitError(message, fix=fix, path=path)


def _no_link(path: Path, what: str) -> None:
    if path.is_symlink():
        raise _refuse(f"{path} is a symbolic link (to {os.readlink(path)}), so {what} could land in another "
                      "folder (another client's); the toolkit writes only into real folders.",
                      "replace the link with an ordinary folder (move its files in), then try again", path)


def confined_folder(base: str | os.PathLike, *parts: str, create: bool = True) -> Path:
    """``base/<parts...>``: a folder inside ``base``, created if needed (``create``).

    Raises
    ------
    ToolkitError
        When a part climbs (``..``) or names a path, when the folder or one on the way is a symbolic
        link, is a file, or resolves outside ``base``.
    """
    base = Path(base)
    current = base
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\\" in part or "\x00" in part:
            raise _refuse(f"{part!r} is not a folder name inside {base}.", "name a folder inside it, such as exports",
                          base / str(part))
        current = current / part
        _no_link(current, "files written there")
        if current.exists() and not current.is_dir():
            raise _refuse(f"{current} is a file, so nothing can be written into it as a folder.",
                          "rename or move that file, then try again", current)
        if create and not current.exists():
            current.mkdir()
    if current.exists() and not _inside(current.resolve(), base.resolve()):
        raise _refuse(f"{current} leads outside {base}.", "use an ordinary folder inside it", current)
    return current


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def export_path(folder: str | os.PathLike, requested: object, *, suffixes: Iterable[str] = (".xlsx",),
                default: str | None = None) -> Path:
    """Where a file the studio saves goes: inside ``folder`` (the client's ``exports/``), whatever was typed.

    ``requested`` is what a text box says: a file name (``matching.xlsx``), a path inside the folder
    (``round 2/matching.xlsx``) or an absolute path that is inside it (the box's default). The folder and
    the folders on the way are created.

    Raises
    ------
    ToolkitError
        For a path that leaves the folder (``..``, an absolute path elsewhere, ``~``), a symbolic link
        (the folder, one on the way or the file), a device name (``CON``, ``NUL``, ``COM1``), a name with
        control or reserved characters, a folder, or a suffix not in ``suffixes``; the fix names a safe name.
    """
    folder = Path(folder)
    suffixes = tuple(suffix.lower() for suffix in suffixes)
    text = str(requested if requested is not None else "").strip() or (default or "")
    example = default or f"export{suffixes[0] if suffixes else ''}"
    fix = f"give a file name such as {example}; files from the studio are saved in {folder} only"
    if not text:
        raise _refuse("No file name was given.", fix, folder)
    relative = _relative_inside(folder, text, fix)
    parts = relative.parts
    if not parts:  # "." or "./": the folder itself, not a file in it
        raise _refuse(f"{text!r} names the exports folder itself, not a file in it.", fix, folder)
    for part in parts:
        if part in (".", "..") or safe_filename(part, default="") != part:
            safe = safe_filename(part)
            raise _refuse(f"{text!r} cannot be saved: {part!r} is not a plain file or folder name (it climbs out, or "
                          "holds a character or device name that files must not have).",
                          f"give a name such as {safe if part not in ('.', '..') else example}; files from the studio "
                          f"are saved in {folder} only", folder)
    if suffixes and Path(parts[-1]).suffix.lower() not in suffixes:
        raise _refuse(f"{parts[-1]!r} cannot be saved here: the file must end in {' or '.join(suffixes)}.", fix, folder)
    _no_link(folder, "exports")
    folder.mkdir(parents=True, exist_ok=True)
    target = confined_folder(folder, *parts[:-1]) / parts[-1]
    _no_link(target, "the export")
    if target.is_dir():
        raise _refuse(f"{target} is a folder, so a file of that name cannot be saved.", fix, target)
    if not _inside(target.parent.resolve(), folder.resolve()):
        raise _refuse(f"{text!r} leads outside {folder}.", fix, folder)
    return target


def _relative_inside(folder: Path, text: str, fix: str) -> Path:
    """What ``text`` names, relative to ``folder``; an absolute (or ``~``) path must be inside it."""
    if any(ord(character) < 32 for character in text):
        raise _refuse(f"{text.encode('unicode_escape').decode('ascii')!r} is not a file name (it holds a control "
                      "character).", fix, folder)
    given = Path(text)
    if text.startswith("~") or given.drive or given.is_absolute():
        for root in (folder, folder.resolve()):
            lexical = Path(os.path.normpath(given))
            if _inside(lexical, Path(os.path.normpath(root))) and lexical != Path(os.path.normpath(root)):
                return lexical.relative_to(Path(os.path.normpath(root)))
        raise _refuse(f"{text!r} is outside the exports folder, so it was not saved.", fix, folder)
    return given


def check_output_folder(out: str | os.PathLike, client_folder: str | os.PathLike) -> Path:
    """``out`` for a client's outputs: refused when it is (or passes through) a symbolic link inside the
    client folder, or when it lies inside another client's folder (a folder holding its own client.yaml)."""
    out, client = Path(out), Path(client_folder).resolve()
    absolute = Path(os.path.abspath(out))
    if _inside(absolute, client):  # inside this client's folder: every folder on the way must be real
        confined_folder(client, *absolute.relative_to(client).parts, create=False)
        return out
    resolved = out.resolve()
    for parent in (resolved, *resolved.parents):
        if (parent / "client.yaml").is_file() and parent != client:
            raise _refuse(f"{out} is inside another client's folder ({parent}), so this client's files would be "
                          "written among theirs.", "choose an output folder outside every other client's folder",
                          out)
        if parent == client:
            break
    return out
