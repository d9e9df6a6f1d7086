"""Which client column becomes which toolkit field: automatic suggestions and explicit mappings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from ..errors import IntakeError, Problem, ToolkitError, did_you_mean
from ..safe_yaml import parse_yaml
from . import schema
from .answers import MAX_CAPACITY, read_capacity, read_meeting_mode, read_role
from .ladders import load_preset, order_problems
from .tables import column_letter

if TYPE_CHECKING:
    from .tables import Table


__all__ = ["ColumnMapping", "read_mapping", "suggest_mapping", "mapping_seniority", "STRUCTURED_KEYS", "is_structured"]


IGNORE = "ignore"
#: The keys of a structured mapping (a mapping file, or a participants entry's mapping: in client.yaml).
STRUCTURED_KEYS = {"columns", "values", "seniority"}


@dataclass
class ColumnMapping:
    """How one file's columns map onto the canonical schema.

    Attributes
    ----------
    fields
        Column index -> canonical field, for every mapped column.
    ignored
        Column indexes deliberately not used (form-tool system columns, or mapped to ``ignore``).
    unmapped
        Column indexes that matched no field: kept as extra data, not used for matching.
    ambiguous
        Column index -> the fields it could mean equally well (needs an explicit mapping).
    conflicts
        Field -> column indexes that all claim a single-valued field (needs an explicit mapping).
    values
        Per-field value translations from a mapping file, e.g. ``{"seniority": {"Grade A": 6}}``.
    explicit
        Column indexes mapped by the caller rather than automatically.
    """

    headers: list[str]
    fields: dict[int, str] = field(default_factory=dict)
    ignored: list[int] = field(default_factory=list)
    unmapped: list[int] = field(default_factory=list)
    ambiguous: dict[int, list[str]] = field(default_factory=dict)
    conflicts: dict[str, list[int]] = field(default_factory=dict)
    values: dict[str, dict[str, object]] = field(default_factory=dict)
    explicit: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, str]:
        """Header -> field for mapped columns (what to save as an explicit mapping)."""
        return {self.headers[index]: name for index, name in sorted(self.fields.items())}

    def columns_for(self, name: str) -> list[int]:
        return [index for index, mapped in sorted(self.fields.items()) if mapped == name]

    def frame(self):
        """One row per column: header, letter, field, how it was decided (for the mapping widget)."""
        import pandas as pd

        records = []
        for index, header in enumerate(self.headers):
            if index in self.fields:
                status = "explicit" if index in self.explicit else "automatic"
                mapped = self.fields[index]
            elif index in self.ambiguous:
                status, mapped = "ambiguous: " + " or ".join(self.ambiguous[index]), ""
            elif index in self.ignored:
                status, mapped = "ignored", ""
            else:
                status, mapped = "not used", ""
            records.append({"column": column_letter(index), "header": header, "field": mapped, "status": status})
        return pd.DataFrame(records)


def is_structured(mapping: object) -> TypeGuard[Mapping]:
    """Whether a mapping is the structured form (``columns:``, ``values:``, ``seniority:`` sections) rather
    than the flat one (client header -> toolkit field); a flat mapping's values are field names."""
    return (isinstance(mapping, Mapping) and bool(mapping) and set(mapping) <= STRUCTURED_KEYS
            and all(isinstance(section, Mapping) or section is None for section in mapping.values()))


def read_mapping(mapping: Mapping | str | Path | None) -> tuple[dict[str, str | None], dict[str, dict]]:
    """Read an explicit mapping: a dict, or a YAML file.

    Two forms are accepted: flat (``{client header: toolkit field}``) or structured
    (``{"columns": {...}, "values": {field: {client value: toolkit value}}}``).
    A field of ``null`` or ``"ignore"`` tells the toolkit not to use that column.
    """
    if mapping is None:
        return {}, {}
    source = None
    if isinstance(mapping, (str, Path)):
        source = Path(mapping)
        if not source.exists():
            raise IntakeError(f"The mapping file {source} does not exist.", fix="check the path", path=source)
        # UTF-8 only and alias bombs refused, like client.yaml (toolkit.safe_yaml).
        mapping = parse_yaml(source, error=IntakeError, what="mapping file") or {}
    if not isinstance(mapping, Mapping):
        raise IntakeError(
            f"A column mapping must be a dictionary of client header -> toolkit field, not {type(mapping).__name__}.",
            fix='write it like {"Work Email": "email", "Grade": "seniority"}', path=source,
        )
    if is_structured(mapping):
        columns = dict(mapping.get("columns") or {})
        values = {str(key): dict(table or {}) for key, table in (mapping.get("values") or {}).items()}
    else:
        columns, values = dict(mapping), {}
    problems = _mapping_problems(columns, values, source)
    if is_structured(mapping) and mapping.get("seniority") is not None:
        problems += _seniority_problems(mapping["seniority"], source)
    if problems:
        raise IntakeError("The column mapping has problems:", problems=problems)
    return {str(header): (None if name in (None, IGNORE) else str(name)) for header, name in columns.items()}, values


def _mapping_problems(columns: Mapping, values: dict[str, dict], source: Path | None) -> list[Problem]:
    """Columns sent to a field the toolkit does not have, translations for such a field, and
    translations to an answer the toolkit cannot read."""
    problems = []
    for header, name in columns.items():
        if name is not None and name != IGNORE and name not in schema.FIELD_NAMES:
            problems.append(Problem(
                f'the mapping sends column "{header}" to "{name}", which is not a toolkit field'
                + did_you_mean(str(name), schema.FIELD_NAMES),
                fix=f"use one of: {', '.join(schema.FIELD_NAMES)}, or \"ignore\"", path=str(source) if source else None,
            ))
    for name in values:
        if name not in schema.FIELD_NAMES:
            problems.append(Problem(
                f'the mapping has value translations for "{name}", which is not a toolkit field'
                + did_you_mean(name, schema.FIELD_NAMES), fix="correct the field name",
                path=str(source) if source else None,
            ))
        problems += _value_problems(name, values[name], source)
    return problems


def _allowed(name: str, target: object) -> bool:
    if target is None:  # null: the answer says nothing; read as missing
        return True
    if name == "role":
        return read_role(str(target)).sure
    if name == "meeting_mode":
        return read_meeting_mode(str(target)).sure
    if name == "capacity":
        return not isinstance(target, bool) and read_capacity(str(target)).sure
    if name == "seniority":
        return isinstance(target, (int, float)) and not isinstance(target, bool) and 0 < target <= 20
    return True


_ALLOWED_WORDS = {"role": "mentor, mentee or both", "meeting_mode": "in_person, virtual, hybrid or no_preference",
                  "capacity": f"a whole number from 1 to {MAX_CAPACITY}", "seniority": "a level number (1 = entry level)"}


def _value_problems(name: str, table: Mapping, source) -> list[Problem]:
    """Each ``values:`` answer must say what the toolkit should read: a role, a mode, a number."""
    return [Problem(f'values: {name}: "{answer}" is {target!r}, which is not {_ALLOWED_WORDS[name]}',
                    f"write {_ALLOWED_WORDS[name]} for it (or null when it means no answer)",
                    path=str(source) if source else None)
            for answer, target in table.items() if name in _ALLOWED_WORDS and not _allowed(name, target)]


def _seniority_problems(section: object, source) -> list[Problem]:
    if not isinstance(section, Mapping) or not set(section) <= {"order", "preset"} or len(section) != 1:
        return [Problem(f"seniority: should hold order: (the client's grades) or preset: (a sector's ladder), not "
                        f"{section!r}", 'write seniority: {preset: banking} or seniority: {order: [Analyst, '
                        "Associate, VP]}", path=str(source) if source else None)]
    if "preset" in section:
        try:
            load_preset(str(section["preset"]))
        except ToolkitError as error:
            return [Problem(error.headline, error.fix, path=str(source) if source else None)]
        return []
    return order_problems(section["order"], source)


def mapping_seniority(mapping: Mapping | str | Path | None) -> list | None:
    """The grade ladder a mapping file (or dict) gives under ``seniority:`` (``order:`` or ``preset:``), or None.

    ``validate --file X --mapping M.yaml`` has no client.yaml: the mapping file holds the ladder too.
    """
    if isinstance(mapping, (str, Path)):
        source = Path(mapping)
        mapping = parse_yaml(source, error=IntakeError, what="mapping file") if source.exists() else None
    if not is_structured(mapping):
        return None
    section = mapping.get("seniority")
    if not isinstance(section, Mapping):
        return None
    if section.get("preset"):
        return load_preset(str(section["preset"])).as_order()
    return section.get("order")


def find_column(table: Table, header: str) -> int | None:
    for labels in (table.headers, table.header_ids):
        if header in labels:
            return labels.index(header)
    wanted = schema.normalise_header(header)
    for labels in (table.headers, table.header_ids):
        normalised = [schema.normalise_header(label) for label in labels]
        if wanted in normalised:
            return normalised.index(wanted)
    return None


def suggest_mapping(table: Table, mapping: Mapping | str | Path | None = None) -> ColumnMapping:
    """Map a table's columns onto the schema: the explicit mapping first, then automatically.

    Never raises for ambiguity: the result lists ambiguous columns and conflicting
    fields so that a widget can show them; :func:`load_roster` turns them into errors.
    """
    explicit, values = read_mapping(mapping)
    result = ColumnMapping(headers=list(table.headers), values=values)
    _apply_explicit(table, explicit, result)
    claimed: dict[str, list[tuple[int, int]]] = {}
    explicitly_mapped = set(result.fields.values())
    for index, (label, column_id) in enumerate(zip(table.headers, table.header_ids)):
        if index in result.explicit:
            continue
        normalised = {schema.normalise_header(label), schema.normalise_header(column_id)}
        if normalised & schema.SYSTEM_COLUMNS or (table.shape == "microsoft_forms" and "id" in normalised):
            result.ignored.append(index)
            continue
        candidates = schema.match_header(column_id) if column_id != label else []
        candidates = candidates or schema.match_header(label)
        candidates = [(name, strength) for name, strength in candidates if name not in explicitly_mapped]
        if not candidates:
            result.unmapped.append(index)
            continue
        top = candidates[0][1]
        best = [name for name, strength in candidates if strength == top]
        if len(best) > 1:
            result.ambiguous[index] = best
            continue
        claimed.setdefault(best[0], []).append((index, top))
    for name, claims in claimed.items():
        _settle_claims(name, claims, result)
    result.unmapped.sort()
    result.ignored.sort()
    return result


def _apply_explicit(table: Table, explicit: dict[str, str | None], result: ColumnMapping) -> None:
    """The columns the caller mapped (None: ignore the column); a header not in the file stops the load."""
    problems = []
    for header, name in explicit.items():
        index = find_column(table, header)
        if index is None:
            problems.append(Problem(
                f'the mapping names column "{header}", which is not in the file'
                + did_you_mean(header, table.headers), fix="copy the header exactly as it appears in the file",
                path=table.path,
            ))
            continue
        result.explicit.add(index)
        if name is None:
            result.ignored.append(index)
        else:
            result.fields[index] = name
    if problems:
        raise IntakeError(f"The column mapping does not fit {table.name}:", problems=problems)


def _settle_claims(name: str, claims: list[tuple[int, int]], result: ColumnMapping) -> None:
    """The columns (index, strength of the header's match) that claim one field: all of them feed a list
    field; otherwise the strongest wins, and a tie is a conflict the user settles."""
    if len(claims) == 1 or schema.field(name).kind in ("list", "references", "availability"):
        # Several columns may feed one list (e.g. "Preference 1", "Preference 2"), in column order.
        for index, _ in claims:
            result.fields[index] = name
        return
    strongest = max(strength for _, strength in claims)
    winners = [index for index, strength in claims if strength == strongest]
    if len(winners) == 1:
        result.fields[winners[0]] = name
    else:
        result.conflicts[name] = winners
    result.unmapped += [index for index, strength in claims if strength < strongest]
