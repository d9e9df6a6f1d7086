"""Reading YAML a consultant (or anyone who emailed them a file) wrote, safely.

- Only plain YAML types (safe loader: no ``!!python`` tags).
- Aliases (``*name``) are allowed only while the document they expand to stays small: a
  "billion laughs" file of 2 KB that would expand to millions of entries is refused before it
  is built, with the line of the anchor that does it. Recursive aliases are refused.
- The file must be UTF-8 text: a file saved as Windows cp1252 or a binary file gets a clear
  error naming the line and how to re-save it, never a ``UnicodeDecodeError``.
- A key written twice in one block (two ``mapping:`` under one participants entry) is refused with
  both line numbers: PyYAML alone keeps the later one and drops the earlier without a word.
- A TAB used for indentation is named as such (YAML indents with spaces only).

Used by :mod:`toolkit.client` (client.yaml) and :mod:`toolkit.design.checker` (programme designs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ToolkitError

__all__ = ["MAX_NODES", "MAX_YAML_BYTES", "YamlTooLarge", "YamlDuplicateKey", "read_yaml_text", "compose_yaml", "parse_yaml",
           "explain_yaml_error"]

#: The most values (mappings, lists and scalars, with every alias expanded) a YAML file may hold.
MAX_NODES = 50_000
#: The largest YAML file read (bytes): a client.yaml, a design or an instrument is a few KB.
MAX_YAML_BYTES = 2 * 1024 * 1024

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlTooLarge(yaml.YAMLError):
    """Aliases that expand to too much (or to themselves); shaped like PyYAML's errors."""

    def __init__(self, problem: str, mark) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class YamlDuplicateKey(yaml.YAMLError):
    """The same key twice in one mapping; carries the key and both (1-based) line numbers."""

    def __init__(self, key: str, first_line: int, second_line: int, mark) -> None:
        problem = (f'the key "{key}" is written twice in the same block (lines {first_line} and {second_line}); '
                   "the second would silently replace the first")
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark
        self.key = key
        self.first_line = first_line
        self.second_line = second_line
        self.merged: str | None = None  # both blocks merged, as YAML to paste, when both are blocks of keys

    @property
    def fix(self) -> str:
        if self.merged:
            return (f"merge the two `{self.key}:` blocks into one: replace both (from line {self.first_line}) with "
                    f"this block, which holds everything the two say:\n{self.merged}")
        if self.key in ("mapping", "values", "columns"):
            return (f"merge the two `{self.key}:` blocks into one: keep the `{self.key}:` on line {self.first_line}, "
                    f"move the lines indented under line {self.second_line} beneath it (each of columns:, values:, "
                    "role:, seniority: ... once), and delete line " + str(self.second_line))
        return (f"keep one `{self.key}:` (line {self.first_line} or line {self.second_line}) and delete the other, "
                "moving anything under it that you still need")


def read_yaml_text(path: str | Path, *, error: type[ToolkitError] = ToolkitError, what: str = "YAML file") -> str:
    """The text of a YAML file, or ``error`` saying why it is not readable UTF-8 text."""
    path = Path(path)
    if path.is_dir():
        raise error(f"{path} is a folder, not a {what}.", fix=f"give the path of the {what} itself", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise error(f"{path.name} is {size / 1024 / 1024:,.1f} MB, far more than any {what} (at most "
                        f"{MAX_YAML_BYTES // 1024 // 1024} MB are read).",
                        fix=f"check you named the right file; a {what} is a short text file", path=path)
        if not path.is_file():
            raise error(f"{path} is not an ordinary file, so it cannot be a {what}.",
                        fix=f"give the path of the {what} itself", path=path)
        data = path.read_bytes()
    except OSError as problem:
        raise error(f"The {what} {path.name} could not be read ({problem.strerror or problem}).",
                    fix="check the file exists and you may read it", path=path) from None
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error(f"{path.name} is not a text file (it holds binary data), so it cannot be a {what}.",
                    fix=f"check you named the right file; a {what} is plain text you can open in Notepad or TextEdit",
                    path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        byte = data[problem.start: problem.start + 1]
        try:
            shown = byte.decode("cp1252")
            guess = f' (probably "{shown}" saved in the Windows cp1252 encoding)'
        except UnicodeDecodeError:
            guess = ""
        raise error(f"{path.name} is not saved as UTF-8 text: line {line} has the byte 0x{byte.hex()}{guess}.",
                    fix="open it in a text editor and save it with the encoding UTF-8 (Notepad: File > Save As > "
                        "Encoding: UTF-8)", path=path, row=line) from None


def _check_size(root: yaml.Node) -> None:
    """Refuse aliases that expand beyond MAX_NODES values, or into themselves (memoised: linear time)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise YamlTooLarge("an alias refers to the value that contains it (a loop)", node.start_mark)
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_NODES:
                raise YamlTooLarge(
                    f"aliases (*name) here expand to more than {MAX_NODES:,} values, far more than any "
                    "real file needs (a 'billion laughs' file)", node.start_mark)
        active.discard(key)
        sizes[key] = total
        return total

    size(root)


def _check_duplicates(root: yaml.Node) -> None:
    """Refuse a mapping that has the same plain key twice (PyYAML would keep the later one silently)."""
    stack, seen_nodes = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[tuple[str, str], tuple[yaml.Node, yaml.Node]] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    ident = (key.tag, key.value)
                    if ident in keys:
                        duplicate = YamlDuplicateKey(key.value, keys[ident][0].start_mark.line + 1,
                                                     key.start_mark.line + 1, key.start_mark)
                        duplicate.merged = _merged_block(key, keys[ident][1], value)
                        raise duplicate
                    keys[ident] = (key, value)
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += list(node.value)


def _merged_block(key: yaml.ScalarNode, first: yaml.Node, second: yaml.Node) -> str | None:
    """Two blocks of keys under the same key, merged, as YAML at the key's own indentation.

    The first block's entries come first; where both set the same answer, the second (the one
    written later, which PyYAML would have used) wins.
    """
    if not (isinstance(first, yaml.MappingNode) and isinstance(second, yaml.MappingNode)):
        return None
    try:
        values = [yaml.load(yaml.serialize(node), Loader=_Loader) for node in (first, second)]
    except (yaml.YAMLError, RecursionError):
        return None

    def merge(one: dict, two: dict) -> dict:
        result = dict(one)
        for name, value in two.items():
            both = result.get(name)
            result[name] = merge(both, value) if isinstance(both, dict) and isinstance(value, dict) else value
        return result

    if not all(isinstance(value, dict) for value in values):
        return None
    text = yaml.safe_dump({key.value: merge(*values)}, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=1000)
    indent = " " * key.start_mark.column
    return "\n".join(indent + line for line in text.splitlines()) + \
        f"\n{indent}# (the rest of the entry stays as it is)"


def explain_yaml_error(problem: yaml.YAMLError, text: str) -> tuple[int | None, str, str]:
    """(line, what is wrong, the fix) for a YAML error, in words a consultant reads.

    A TAB in the indentation is named as such; a duplicate key gives both lines and how to merge.
    """
    mark = getattr(problem, "problem_mark", None)
    line = (mark.line + 1) if mark else None
    reason = getattr(problem, "problem", None) or str(problem)
    if isinstance(problem, YamlDuplicateKey):
        return problem.second_line, reason, problem.fix
    lines = text.splitlines()
    tabbed = [number for number, content in enumerate(lines, 1)
              if "\t" in content[: len(content) - len(content.lstrip(" \t"))]]
    if tabbed and ("\\t" in reason or "\t" in reason or (line in tabbed) or "cannot start any token" in reason):
        first = line if line in tabbed else tabbed[0]
        return first, ("the line is indented with a TAB character; YAML indentation must use spaces, not TABs"),\
            "replace the TAB at the start of that line with spaces (two per level, lined up with the lines around it)"
    return line, reason, "check the indentation and colons on that line and the one above; text with a colon or # " \
                         "in it goes in quotes"


def compose_yaml(text: str, *, unique_keys: bool = False) -> tuple[Any, yaml.Node | None]:
    """The data of one YAML document and its node tree (for line numbers).

    With ``unique_keys``, a key written twice in one mapping raises :class:`YamlDuplicateKey`
    (client.yaml and mapping files; the design checker lists every duplicate itself).

    Raises
    ------
    yaml.YAMLError
        For YAML that does not parse, :class:`YamlTooLarge` for alias bombs and loops and
        :class:`YamlDuplicateKey` (all carry ``problem`` and ``problem_mark``).
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_size(node)
        if unique_keys:
            _check_duplicates(node)
        return loader.construct_document(node), node
    except RecursionError:
        raise YamlTooLarge("the file nests values too deeply", None) from None
    finally:
        loader.dispose()


def parse_yaml(path: str | Path, *, error: type[ToolkitError] = ToolkitError, what: str = "YAML file") -> Any:
    """Read, check and load a YAML file; every failure is ``error`` with the line number."""
    path = Path(path)
    text = read_yaml_text(path, error=error, what=what)
    try:
        return compose_yaml(text, unique_keys=True)[0]
    except yaml.YAMLError as problem:
        line, reason, fix = explain_yaml_error(problem, text)
        raise error(f"{path.name} is not valid YAML: {reason}", fix=fix, path=path, row=line) from None
