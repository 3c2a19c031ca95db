"""No page holds a visible string literal: every text a page shows comes through T() from lessons.i18n."""

import ast
import re
from pathlib import Path

import pytest

from tests import ROOT

MINE = ["app.py", "pages/1_Preprocess.py", "pages/2_Scale_and_zero_point.py", "pages/3_STE.py"]
FILES = sorted({*MINE, *(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))})

# streamlit calls that put text on the page
DISPLAY = {
    "title",
    "header",
    "subheader",
    "markdown",
    "write",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "button",
    "slider",
    "select_slider",
    "radio",
    "selectbox",
    "multiselect",
    "checkbox",
    "toggle",
    "number_input",
    "text_input",
    "text_area",
    "file_uploader",
    "camera_input",
    "metric",
    "expander",
    "tabs",
    "segmented_control",
    "pills",
    "page_link",
    "download_button",
    "image",
    "dataframe",
    "table",
    "plotly_chart",
    "graphviz_chart",
    "form_submit_button",
    "link_button",
    "set_page_config",
    "spinner",
    "status",
    "help",
    "popover",
    "exception",
}
# st.latex and st.code are left out: formulas and code read the same in both languages
WORD = re.compile(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]{2,}")  # two letters or kana/kanji in a row
UNITS = {"dB"}
# keyword arguments that never reach the screen as text
SAFE_KW = {
    "key",
    "type",
    "format",
    "width",
    "height",
    "icon",
    "on_change",
    "on_click",
    "args",
    "kwargs",
    "label_visibility",
    "horizontal",
    "step",
    "min_value",
    "max_value",
    "value",
    "options",
    "language",
    "layout",
    "page_icon",
    "border",
    "gap",
    "vertical_alignment",
    "delta_color",
    "use_container_width",
    "config",
    "selection_mode",
    "placement",
    "theme",
}


def is_text(s: str) -> bool:
    """A literal shows text if it holds a word; numbers, punctuation and units like dB are not text."""
    return any(w not in UNITS for w in WORD.findall(s))


def literal_texts(node: ast.AST) -> list[str]:
    """Visible words in string constants of an expression, also inside f-strings (T(...) calls are fine)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if is_text(node.value) else []
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return [ast.unparse(node)] if any(is_text(p) for p in parts) else []
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for e in node.elts for s in literal_texts(e)]
    if isinstance(node, ast.BinOp):
        return literal_texts(node.left) + literal_texts(node.right)
    return []


def offending(path: Path) -> list[str]:
    bad = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DISPLAY
        ):
            continue
        args = (
            node.args[1:] if node.func.attr == "page_link" else node.args
        )  # page_link's first arg is a path
        if node.func.attr in (
            "radio",
            "selectbox",
            "select_slider",
            "segmented_control",
            "pills",
            "multiselect",
        ):
            args = args[:1]  # options are ids, shown through format_func
        for a in args:
            bad += [f"{path.name}:{node.lineno} {s!r}" for s in literal_texts(a)]
        for kw in node.keywords:
            if kw.arg not in SAFE_KW:
                bad += [f"{path.name}:{node.lineno} {kw.arg}={s!r}" for s in literal_texts(kw.value)]
    return bad


@pytest.mark.parametrize("name", FILES)
def test_no_visible_literal(name):
    assert offending(ROOT / name) == []


def test_the_check_catches_literals(tmp_path):
    p = tmp_path / "x.py"
    p.write_text(
        'import streamlit as st\nst.title("Hello")\nc.metric(f"n = {n} items", 3)\n'
        'st.button(T("k"), key="k")\nc.metric(T("m"), f"{x:.2f} dB")\nst.caption(f"**{T(\'a\')}**")\n'
    )
    assert len(offending(p)) == 2
