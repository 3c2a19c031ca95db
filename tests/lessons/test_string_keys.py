"""Every string key the code asks for exists: a typo would show the raw key on the page, not fail a test."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lessons.i18n import NAMESPACES, STRINGS
from tests import ROOT

KEYS = set(STRINGS["en"])
CALLERS = {"T", "tr", "T_"}  # the names a page, a figure or the shell gives its translator


def namespace_of(path: Path) -> str:
    """The string namespace a file reads: its lesson package, its page's id, or home for app.py."""
    rel = path.relative_to(ROOT)
    if rel.parts[0] == "lessons":
        return rel.parts[1]
    if rel.name == "app.py" or rel.parts[0] == "ui":
        return "home"
    from ui.shell import PAGES

    return next(pid for pid, file, _ in PAGES if file == str(rel))


def asked_keys(path: Path) -> list[tuple[int, str, bool]]:
    """(line, key or key prefix, is_prefix) of every T("...") / T(f"...{x}") call and note(T, "...")."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        arg = (
            node.args[1]
            if name == "note" and len(node.args) > 1
            else node.args[0]
            if name in CALLERS
            else None
        )
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            out.append((node.lineno, arg.value, False))
        elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
            out.append((node.lineno, arg.values[0].value, True))
    return out


FILES = sorted(
    [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "ui").glob("*.py"),
        *(ROOT / "lessons").glob("*/*.py"),
    ]
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_asked_for_exists(path):
    ns = namespace_of(path)
    if ns not in NAMESPACES:
        pytest.skip(f"{path.name} reads no strings")
    missing = []
    for line, key, prefix in asked_keys(path):
        full = key if key.startswith("common.") else f"{ns}.{key}"
        found = any(k.startswith(full) for k in KEYS) if prefix else full in KEYS
        if not found:
            missing.append(f"{path.name}:{line} {full}")
    assert not missing, missing


def test_keys_held_in_data_exist():
    """Keys a lesson hands to its page as data: the code walk-throughs' notes and the URL messages."""
    from lessons.pytorch_and_tensorflow.lesson import EAGER_STEPS
    from lessons.pytorch_and_tensorflow.tf_code import TF_STEPS
    from lessons.scale_and_zero_point.settings import parse_query

    notes = [f"pytorch_and_tensorflow.{k}" for k, _ in (*EAGER_STEPS, *TF_STEPS)]
    _, msgs = parse_query({"bits": "99", "min": "x", "x": ["1", "2"], "max": "-5"})
    urls = [f"scale_and_zero_point.{k}" for k, _ in msgs]
    assert len(urls) >= 3
    assert [k for k in notes + urls if k not in KEYS] == []


def test_the_check_finds_a_missing_key(tmp_path):
    p = tmp_path / "x.py"
    p.write_text('T("title")\nT(f"preset.{n}")\nT("no_such_key")\nnote(T, "note.nope")\n')
    keys = asked_keys(p)
    assert [k for _, k, _ in keys] == ["title", "preset.", "no_such_key", "note.nope"]
    assert [k for _, k, pre in keys if not pre and f"scale_and_zero_point.{k}" not in KEYS] == [
        "no_such_key",
        "note.nope",
    ]


def test_every_lesson_has_its_line_on_the_home_map():
    """A page added to ui.shell.PAGES without its home-map line showed the raw key on the home page."""
    from lessons.i18n import LANGS, STRINGS
    from ui.shell import PAGES

    for pid, _, _ in PAGES[1:]:
        for lang in LANGS:
            assert f"home.map.{pid}" in STRINGS[lang] and f"common.page.{pid}" in STRINGS[lang], (pid, lang)
