"""Grade ladders: how grades are spelled, which titles rank differently by sector, and the sector presets.

A client's seniority answers are grades on the client's own ladder. Three things decide how they
are read:

* **the same grade, spelled differently** is one grade: case, spacing and punctuation do not
  matter, a generic prefix before a code does not either ("Band 8A" = "band 8a" = "8a",
  "Grade 7" = "G7"), and the usual abbreviations are the title ("VP" = "Vice President");
  :func:`grade_key` gives the key they share;
* **titles whose rank depends on the sector** (Vice President, Director, Associate, Principal,
  Consultant, Partner, ...) are never ranked without asking: :data:`SECTOR_DEPENDENT` says why each
  one varies;
* **sector presets** in ``templates/ladders/*.yaml`` give a whole ladder in one client.yaml line
  (``seniority: {preset: banking}``), each with its source noted (:func:`load_preset`).

The suggested ladder (:func:`suggested_order`) groups variants, puts codes in their natural order
(Band 8a < 8b < 9) and is valid ``seniority: order:`` YAML as printed (:func:`ladder_yaml`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Problem, did_you_mean
from ..resources import data_dir, templates_dir
from ..safe_yaml import parse_yaml
from .schema import normalise_header

__all__ = ["SECTOR_DEPENDENT", "PRESET_NAMES", "LadderPreset", "grade_key", "code_level", "sector_title",
           "load_preset", "presets", "fitting_presets", "order_problems", "suggested_order", "ladder_yaml",
           "yaml_string"]

# Titles whose rank depends on the sector: never ranked from the built-in ladder without asking.
SECTOR_DEPENDENT: dict[str, str] = {
    "vice president": "banks put Vice President below Director; elsewhere it is an executive above Director",
    "vp": "banks put VP below Director; elsewhere it is an executive above Director",
    "assistant vice president": "a bank title below Vice President; its place elsewhere varies",
    "avp": "a bank title below VP; its place elsewhere varies",
    "senior vice president": "a Director-level title in some banks, an executive elsewhere",
    "svp": "a Director-level title in some banks, an executive elsewhere",
    "executive vice president": "its place depends on the firm's ladder",
    "evp": "its place depends on the firm's ladder",
    "director": "in banks Director is above VP, in the UK Civil Service it is the second Senior Civil Service "
                "band, in many firms it is the top of the ladder",
    "associate director": "above Senior Manager in some firms, a mid-level title in others",
    "assistant director": "above Senior Manager in some firms, a mid-level title in others",
    "deputy director": "the first Senior Civil Service band in the UK Civil Service; elsewhere it varies",
    "senior director": "its place depends on the firm's ladder",
    "executive director": "a Director-level title in banks, a board member elsewhere",
    "managing director": "a senior banker or consultant in banks and consulting firms, the head of the company "
                         "elsewhere",
    "associate": "an entry grade in banks and law firms, mid-level in some consulting firms, senior in "
                 "universities (Associate Professor)",
    "senior associate": "its place depends on the firm's ladder",
    "analyst": "an entry grade in banks and consulting, a professional grade elsewhere",
    "senior analyst": "its place depends on the firm's ladder",
    "principal": "senior in consulting and engineering, a head teacher in schools, mid-level elsewhere",
    "consultant": "an entry grade in consulting firms, a senior doctor in the NHS",
    "senior consultant": "its place depends on the firm's ladder",
    "partner": "the top of law and consulting firms; every employee in some employee-owned companies",
    "officer": "an entry grade in the UK Civil Service (Executive Officer), a commissioned rank in the armed "
               "forces, a bank title",
    "executive": "a junior title in sales (Account Executive), the top of the ladder elsewhere",
    "fellow": "a junior research post in universities, a senior title in some firms",
}

# Abbreviations people write for the same title (longest first when applied).
_ABBREVIATIONS: dict[str, str] = {
    "assistant vice president": "avp", "senior vice president": "svp", "executive vice president": "evp",
    "vice president": "vp", "managing director": "md", "senior executive service": "ses",
    "senior executive officer": "seo", "higher executive officer": "heo", "executive officer": "eo",
    "administrative officer": "ao", "administrative assistant": "aa", "senior civil service": "scs",
    "snr": "senior", "sr": "senior", "jnr": "junior", "jr": "junior", "mgr": "manager", "asst": "assistant",
    "assoc": "associate", "dir": "director", "mngr": "manager",
}
_ABBREVIATION_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _ABBREVIATIONS), key=len, reverse=True))
                                   + r")\b")
# Words before a code that say only "this is a grade": "Band 8a" is 8a, "Grade 7" is G7 is 7.
_GENERIC_PREFIXES = {"band", "grade", "g", "level", "lvl", "l", "pay", "job", "career", "afc", "nhs", "agenda",
                     "for", "change"}


def _folded(text: object) -> str:
    """Case-folded, accents removed, every other character kept (grades may be written in any script)."""
    decomposed = unicodedata.normalize("NFKD", str(text).replace("&", " and ").casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character)).casefold()


def _tokens(text: object, *, keep_prefix: bool = False) -> list[str]:
    """Words and numbers of a grade, abbreviations expanded to one form, numbers without leading zeros.

    A generic prefix before a code is dropped ("Band 8a" -> 8a), or with ``keep_prefix`` written one way
    ("Grade 7" and "G7" -> g 7; "Band 7" stays band 7: another ladder).
    """
    words = " ".join(re.findall(r"[^\W\d_]+|\d+", _folded(text)))
    normalised = _ABBREVIATION_PATTERN.sub(lambda match: _ABBREVIATIONS[match.group(1)], words)
    tokens = [str(int(token)) if token.isdecimal() else token
              for token in re.findall(r"[^\W\d_]+|\d+", normalised)]
    kept: list[str] = []
    while len(tokens) > 1 and tokens[0] in _GENERIC_PREFIXES and any(token.isdigit() for token in tokens[1:]):
        if tokens[0] in _PREFIX_FORMS:
            kept = [_PREFIX_FORMS[tokens[0]]]
        tokens = tokens[1:]
    return kept + tokens if keep_prefix else tokens


_PREFIX_FORMS = {"band": "band", "grade": "g", "g": "g", "level": "l", "lvl": "l", "l": "l"}


def grade_key(text: object) -> str:
    """The key two spellings of one grade share: ``"Band 8A"``, ``"band 8a"`` and ``"8a"`` -> ``"8a"``;
    ``"VP"``, ``"V.P."`` and ``"Vice President"`` -> ``"vp"``; ``"GS-07"`` -> ``"gs7"``."""
    return "".join(_tokens(text))


_CODE = re.compile(r"(?:(band|grade|g|level|lvl|l|gs|p|m|ic|or|of|wo)\s*)?(\d{1,2})\s*([a-d])?")


def code_level(text: object) -> tuple[str, float | int] | None:
    """A grade code as (prefix, level): ``"Band 8a"`` -> ``("band", 8.1)``, ``"G7"`` -> ``("g", 7)``.

    A letter after the number orders the ranges of one band (NHS Band 8a < 8b < 8c < 8d < Band 9).
    None when the text is not a code.
    """
    normalised = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", normalise_header(text))
    normalised = re.sub(r"^(?:afc|nhs|pay|job|career)\s+", "", normalised)
    match = _CODE.fullmatch(normalised)
    if not match:
        return None
    number = int(match.group(2))
    suffix = match.group(3)
    return match.group(1) or "", number + ("abcd".index(suffix) + 1) / 10 if suffix else number


def sector_title(text: object) -> tuple[str, str] | None:
    """The sector-dependent title a grade names, and why its rank varies; None when it names none."""
    padded = f" {normalise_header(text)} "
    for title in sorted(SECTOR_DEPENDENT, key=len, reverse=True):
        if f" {title} " in padded:
            return title, SECTOR_DEPENDENT[title]
    return None


# ------------------------------------------------------------------------------------------------
# Presets
# ------------------------------------------------------------------------------------------------

PRESET_NAMES = ("banking", "consulting", "uk_civil_service", "nhs_agenda_for_change", "us_federal_gs",
                "academia_uk", "academia_us", "military_nato")


@dataclass(frozen=True)
class LadderPreset:
    """A sector's grade ladder from ``templates/ladders/NAME.yaml``.

    ``order`` is most junior first; each step lists the names people write for that grade.
    """

    name: str
    title: str
    source: str
    order: tuple[tuple[str, ...], ...]

    def keys(self) -> set[str]:
        return {grade_key(grade) for step in self.order for grade in step}

    def holds(self, grade: str) -> bool:
        """Whether ``grade`` is on this ladder: the same name, or a bare code ("8a") of one of its codes.
        "G4" is not the NHS's "Band 4": a prefix names the ladder."""
        prefixed = "".join(_tokens(grade, keep_prefix=True))
        if prefixed in {"".join(_tokens(name, keep_prefix=True)) for step in self.order for name in step}:
            return True
        return prefixed == grade_key(grade) and grade_key(grade) in self.keys()

    def as_order(self) -> list[list[str]]:
        """The ladder in ``seniority: order:`` form."""
        return [list(step) for step in self.order]

    def summary(self) -> str:
        return " < ".join(step[0] for step in self.order)


def _preset_folders() -> list[Path]:
    folders = [templates_dir() / "ladders", data_dir("templates") / "ladders"]
    return [folder for folder in dict.fromkeys(folders) if folder.is_dir()]


@lru_cache(maxsize=32)
def _read_preset(path: Path) -> LadderPreset:
    data = parse_yaml(path, error=ConfigError, what="grade ladder") or {}
    order = data.get("order")
    if not isinstance(order, list) or not order or not all(isinstance(step, (list, str)) for step in order):
        raise ConfigError(f"{path.name}: order: should list the grades most junior first.", path=path,
                          fix="write order: [[Analyst], [Associate], ...], one list of names per grade")
    return LadderPreset(str(data.get("name") or path.stem), str(data.get("title") or path.stem),
                        " ".join(str(data.get("source") or "").split()),
                        tuple(tuple(str(grade) for grade in (step if isinstance(step, list) else [step]))
                              for step in order))


def presets() -> dict[str, LadderPreset]:
    """Every preset ladder, by name (a consultancy's templates folder may add its own)."""
    found: dict[str, LadderPreset] = {}
    for folder in _preset_folders():
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, _read_preset(path))
    return found


def load_preset(name: str) -> LadderPreset:
    """The preset called ``name``; a ConfigError listing the presets otherwise."""
    available = presets()
    if name not in available:
        raise ConfigError(f"seniority: preset: {name!r} is not a grade ladder the toolkit has"
                          + did_you_mean(str(name), list(available)) + ".",
                          fix="use one of: " + ", ".join(available) + " (or list the client's grades under "
                              "seniority: order:, most junior first)")
    return available[name]


def fitting_presets(grades: Iterable[str]) -> list[LadderPreset]:
    """The presets that hold every one of these grades (by :func:`grade_key`), most specific first."""
    named = [grade for grade in grades if grade_key(grade)]
    if not named:
        return []
    fitting = [preset for preset in presets().values() if all(preset.holds(grade) for grade in named)]
    return sorted(fitting, key=lambda preset: (len(preset.keys()), preset.name))


# ------------------------------------------------------------------------------------------------
# A client's order: its problems, and the order the toolkit suggests
# ------------------------------------------------------------------------------------------------


def order_problems(order: Any, source: Path | str | None, where: str = "seniority.order") -> list[Problem]:
    """``seniority: order:`` must list grades (or lists of names for one grade) with no grade at two places.

    Two spellings of one grade (``"Band 8A"``, ``"band 8a"``) are one grade: listed in the same step
    they are names for it; listed at two steps the ladder contradicts itself.
    """
    if order is None:
        return []
    path = str(source) if source is not None else None
    fix = 'list the grades most junior first, e.g. order: [AO, EO, HEO, SEO, "Grade 7", "Grade 6"]'
    if not isinstance(order, list) or not order:
        return [Problem(f"{where} should be a list of grades, not {order!r}", fix, path)]
    seen: dict[str, tuple[int, str]] = {}
    problems = []
    for position, item in enumerate(order, 1):
        for grade in item if isinstance(item, list) else [item]:
            if isinstance(grade, (dict, list)) or grade is None or not grade_key(grade):
                problems.append(Problem(f"{where} item {position} should be a grade, not {grade!r}", fix, path))
                continue
            key = grade_key(grade)
            if key in seen and seen[key][0] != position:
                earlier = seen[key][1]
                same = "" if str(earlier).strip().casefold() == str(grade).strip().casefold() else \
                    f' ("{earlier}" and "{grade}" are one grade written two ways)'
                problems.append(Problem(f'{where} lists "{grade}" twice (items {seen[key][0]} and {position}){same}',
                                        "keep it once, at its place on the ladder", path))
            seen.setdefault(key, (position, str(grade)))
    return problems


def suggested_order(levels: Iterable[tuple[str, object]], people: Mapping[str, int] | None = None
                    ) -> list[str | list[str]]:
    """The client's ladder as read, most junior first, ready for ``seniority: order:``.

    ``levels`` is (grade as written, level or None). Spellings of one grade (:func:`grade_key`) are one
    step, written as most people wrote it (``people``: answer -> how many gave it); grades read as the
    same level share a step (a list); grades not read at all go last, one each. Blank answers and
    non-answers must be left out by the caller.
    """
    counts = dict(people or {})
    spellings: dict[str, dict[str, int]] = {}
    level_of: dict[str, float | None] = {}
    for grade, level in levels:
        key = grade_key(grade)
        if not key:
            continue
        spellings.setdefault(key, {})
        spellings[key][grade] = spellings[key].get(grade, 0) + counts.get(grade, 1)
        known = level is not None and level == level
        if key not in level_of or (level_of[key] is None and known):
            level_of[key] = float(level) if known else None  # type: ignore[arg-type]

    def shown(key: str) -> str:
        return sorted(spellings[key].items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))[0][0]

    by_level: dict[float, list[str]] = {}
    unread: list[str] = []
    for key, level in level_of.items():
        if level is None:
            unread.append(shown(key))
        else:
            by_level.setdefault(level, []).append(shown(key))
    order: list[str | list[str]] = []
    for level in sorted(by_level):
        grades = sorted(by_level[level], key=lambda grade: (grade.casefold(), grade))
        order.append(grades[0] if len(grades) == 1 else grades)
    unread.sort(key=lambda grade: (_natural(grade), grade))
    return order + list(unread)


def _natural(text: str) -> tuple:
    """Sort key that puts codes in their natural order: Band 2 < Band 10, 8a < 8b."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _tokens(text))


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def yaml_string(text: object) -> str:
    """A YAML double-quoted string that reads back as ``text`` (JSON escapes; line separators escaped)."""
    quoted = json.dumps(str(text), ensure_ascii=False)
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", quoted)


def ladder_yaml(order: Sequence[str | Sequence[str]]) -> str:
    """``order`` as one YAML flow list: ``["Graduate", ["Analyst", "Associate"], "Manager"]``."""
    items = [yaml_string(item) if isinstance(item, str) else "[" + ", ".join(yaml_string(grade) for grade in item) + "]"
             for item in order]
    return "[" + ", ".join(items) + "]"
