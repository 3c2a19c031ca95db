"""Numbers as running text writes them: a negative number with a real minus sign (U+2212), not a hyphen."""

from __future__ import annotations


def minus(text: str) -> str:
    """'-0.28' -> '−0.28': the hyphens of a formatted number as real minus signs (text around it stays as it is)."""
    return text.replace("-", "−")


def signed(v: int) -> str:
    """-128 -> '−128' (in a sentence; code and tables keep Python's '-')."""
    return f"−{-v}" if v < 0 else str(v)


def real(v: float, spec: str = ".4g") -> str:
    """-2.00784 -> '−2.008': a real number in a sentence, formatted by `spec`, with a real minus sign."""
    return minus(format(float(v), spec))


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def sci(v: float, digits: int = 3) -> str:
    """0.00107 -> '1.07 × 10⁻³': a very small or large number as a reader writes it, not Python's '1.07e-03';
    one between 0.01 and 1000 plainly (0.209)."""
    if v == 0 or 0.01 <= abs(v) < 1000:
        return real(v, f".{digits}g")
    m, e = f"{float(v):.{digits - 1}e}".split("e")
    # no-break spaces around ×: a narrow line never leaves "2.31 ×" at its end and "10⁻⁶" on the next
    return f"{real(float(m), f'.{digits - 1}f')}\u00a0×\u00a010{str(int(e)).translate(SUPERSCRIPT)}"
