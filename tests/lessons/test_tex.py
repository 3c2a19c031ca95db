"""lessons.common.tex: each side of a chain is one KaTeX group; negatives in a sum get parentheses."""

from lessons.common.tex import chain, par, side_by_side


def test_a_chain_braces_each_side_so_only_its_equals_signs_break():
    assert chain("z", r"0 - \mathrm{round}(-63.75)", "64") == r"{z} = {0 - \mathrm{round}(-63.75)} = {64}"


def test_formulas_side_by_side_break_only_between_them():
    assert side_by_side("a = 1", "b = 2") == r"{a = 1} \quad\allowbreak\quad {b = 2}"


def test_only_a_negative_number_gets_parentheses():
    assert [par(0), par(-2), par("-63.75"), par(255)] == ["0", "(-2)", "(-63.75)", "255"]
