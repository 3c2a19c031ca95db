"""The layers stay apart: qlib imports no streamlit, no plotly and no lesson; lessons import no streamlit."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

from tests import ROOT


def modules(package: str) -> list[str]:
    """Every module of a package in the repository, found on disk (so a new module is checked too)."""
    found = [package]
    for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
        if not info.name.endswith("__main__"):
            found.append(info.name)
    return sorted(found)


FORBIDDEN = {"qlib": ("streamlit", "plotly", "lessons", "ui"), "lessons": ("streamlit", "ui")}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_what_its_layer_must_not(package):
    names = modules(package)
    assert len(names) > 5
    code = (
        f"import importlib, sys\nbad = {{}}\nfor name in {names!r}:\n    importlib.import_module(name)\n"
        f"    hit = [m for m in {FORBIDDEN[package]!r} if m in sys.modules]\n"
        "    if hit:\n        bad[name] = hit\n        break\nprint(bad)\nassert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_walk_sees_every_library_module():
    names = modules("qlib")
    assert {"qlib.quant", "qlib.observers", "qlib.int8", "qlib.pretrained"} <= set(names)
