"""Code health the review asked for: no function in toolkit/ above cyclomatic complexity 25 (radon)."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 25


def _blocks(blocks, prefix=""):
    for block in blocks:
        yield prefix + block.name, block
        yield from _blocks(getattr(block, "methods", []) or [], prefix + block.name + ".")
        yield from _blocks(getattr(block, "closures", []) or [], prefix + block.name + ".")


def test_no_function_in_the_toolkit_is_above_complexity_25():
    over: dict[str, str] = {}
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        for name, block in _blocks(cc_visit(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{block.lineno}"  # a method is listed once, by its place
            if block.complexity > LIMIT and len(name) > len(over.get(where, "")):
                over[where] = f"{where} {name} ({block.complexity})"
    assert not over, f"{len(over)} functions above complexity {LIMIT} (split them):\n" + "\n".join(sorted(over.values()))


def test_the_check_finds_a_complex_function():
    """The measure itself: a function with 30 branches is found, one with 3 is not."""
    branches = "\n".join(f"    if x == {n}:\n        return {n}" for n in range(30))
    complex_code = f"def tangled(x):\n{branches}\n    return -1\n"
    simple_code = "def plain(x):\n    if x:\n        return 1\n    return 0\n"
    assert [block.complexity for block in cc_visit(complex_code)] == [31]
    assert [block.complexity for block in cc_visit(simple_code)] == [2]
