"""The integer page's formulas as LaTeX, with the numbers of one `Explanation` written in."""

from __future__ import annotations

from lessons.common.tex import chain, par, side_by_side
from lessons.integer_inference.lesson import Explanation

# The layer in one line; a phone breaks it after "=", after "z_out +" and before M, never inside the sum (a group).
GENERAL = (
    r"q_\mathrm{out} = \mathrm{clamp}\Big(z_\mathrm{out} + {\mathrm{round}\big(M \cdot (\textstyle\sum_k"
    r" (q_{\mathrm{in},k} - z_\mathrm{in})\, q_{w,k} + b_q)\big),\ \mathrm{lo},\ \mathrm{hi}\Big)}"
    r" \quad\allowbreak\quad {M = \frac{s_\mathrm{in}\, s_w}{s_\mathrm{out}} = M_0 \cdot 2^{-n}}"
)


def num(v: float) -> str:
    """A real number for LaTeX: 6 significant digits, an exponent written as a power of ten."""
    s = f"{v:.6g}"
    if "e" not in s:
        return s
    mant, exp = s.split("e")
    return rf"{mant} \times 10^{{{int(exp)}}}"


def accumulate(e: Explanation, shown: int = 3) -> str:
    """acc = Σ (q_in − z_in)·q_w, with the first terms written out."""
    terms = [rf"({q}-{par(e.z_in)})\cdot{par(w)}" for q, w in zip(e.q_in, e.w, strict=True)]
    shown_terms = terms[:shown] + ([r"\cdots"] if len(terms) > shown else [])
    shown_terms[-1] += f" = {e.acc}"  # the result stays with the last term: no line ends in "="
    sigma = rf"\sum_{{k=1}}^{{{len(terms)}}} (q_{{\mathrm{{in}},k}} - z_{{\mathrm{{in}}}})\, q_{{w,k}}"
    return (
        chain(r"\mathrm{acc}", sigma) + " = " + " + ".join("{" + t + "}" for t in shown_terms)
    )  # wraps at a +


def add_bias(e: Explanation) -> str:
    """acc + b_q."""
    return chain(r"\mathrm{acc} + b_q", f"{e.acc} + {par(e.b_q)}", str(e.acc_bias))


def multiplier(e: Explanation) -> str:
    """M = s_in·s_w / s_out ≈ M0·2^−n."""
    exact = chain(
        r"M",
        r"\frac{s_\mathrm{in}\, s_w}{s_\mathrm{out}}",
        rf"\frac{{{num(e.s_in)} \times {num(e.s_w)}}}{{{num(e.s_out)}}}",
    )
    return rf"{exact} = {{{num(e.m)} \approx M_0 \cdot 2^{{-n}}}} = {{{e.m0} \cdot 2^{{-{e.n}}}}}"


def requantize(e: Explanation) -> str:
    """The two gemmlowp roundings: the high multiply, then the rounding shift (after a left shift if M ≥ 1)."""
    pre = [rf"{e.acc_bias} \cdot 2^{{{e.left}}} = {e.shifted_in}"] if e.left else []
    high = rf"\mathrm{{round}}\!\left(\frac{{{par(e.shifted_in)} \cdot {e.m0}}}{{2^{{31}}}}\right) = {e.high}"
    shift = rf"\mathrm{{round}}\!\left(\frac{{{par(e.high)}}}{{2^{{{e.right}}}}}\right) = {e.rounded}"
    return side_by_side(*pre, high, shift)


def exact(e: Explanation) -> str:
    """The value the two roundings approximate: (acc + b_q)·M, in output steps."""
    return chain(r"(\mathrm{acc} + b_q)\cdot M", rf"{e.acc_bias} \times {num(e.m)}", f"{e.exact:.4f}")


def clamp(e: Explanation) -> str:
    """+ z_out, clamped to the output code range."""
    return chain(
        r"q_\mathrm{out}",
        rf"\mathrm{{clamp}}({par(e.rounded)} + {e.z_out},\ {e.lo},\ {e.hi})",
        rf"\mathrm{{clamp}}({e.pre_clamp},\ {e.lo},\ {e.hi})",
        str(e.q_out),
    )


def dequantize(e: Explanation) -> str:
    """y_int = s_out·(q_out − z_out)."""
    return chain(
        r"y_\mathrm{int}",
        r"s_\mathrm{out}\,(q_\mathrm{out} - z_\mathrm{out})",
        rf"{num(e.s_out)} \times ({e.q_out} - {par(e.z_out)})",
        num(e.y_int),
    )
