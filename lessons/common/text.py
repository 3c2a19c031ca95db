"""Numbers as running text writes them: a negative number with a real minus sign (U+2212), not a hyphen."""

from __future__ import annotations


def signed(v: int) -> str:
    """-128 -> '−128' (in a sentence; code and tables keep Python's '-')."""
    return f"−{-v}" if v < 0 else str(v)


def real(v: float, spec: str = ".4g") -> str:
    """-2.00784 -> '−2.008': a real number in a sentence, formatted by `spec`, with a real minus sign."""
    return format(float(v), spec).replace("-", "−")
