"""Formulas that wrap where a reader would break them: after an `=`, never inside one side of it.

KaTeX lets a line break after every relation and binary operator at the top level of a formula (ui/layout.py turns
that on for display formulas), so on a phone `z = 0 − round(−63.75) = 64` could end a line in "0 −". A braced
group is one unbreakable piece, so writing each side of a chain of equalities as a group leaves the `=` signs as
the only places to break; a side still too wide for the screen is drawn smaller (ui/layout.py's FIT).
"""

from __future__ import annotations


def chain(*sides: str) -> str:
    """a = b = c, each side one unbreakable piece: `chain("z", "0 - 1", "-1")` -> '{z} = {0 - 1} = {-1}'."""
    return " = ".join("{" + s + "}" for s in sides)


def side_by_side(*formulas: str) -> str:
    """Two or more formulas on one line with a wide gap; a narrow screen breaks the line between them only (each
    is one piece: greedy wrapping would otherwise end the first line inside the second formula)."""
    return r" \quad\allowbreak\quad ".join("{" + f + "}" for f in formulas)


def par(v: float | int | str) -> str:
    """A number in a sum, in parentheses when negative, so `255 - (0)` reads `255 - 0` and `6 - (-2)` stays."""
    text = str(v)
    return f"({text})" if text.startswith("-") else text
