"""The integer page's formulas as LaTeX, with the numbers of one `Explanation` written in."""

from __future__ import annotations

from lessons.integer_inference.lesson import Explanation

GENERAL = (
    r"q_\mathrm{out} = \mathrm{clamp}\Big(z_\mathrm{out} + \mathrm{round}\big(M \cdot "
    r"(\textstyle\sum_k (q_{\mathrm{in},k} - z_\mathrm{in})\, q_{w,k} + b_q)\big),\ \mathrm{lo},\ \mathrm{hi}\Big),"
    r"\qquad M = \frac{s_\mathrm{in}\, s_w}{s_\mathrm{out}} = M_0 \cdot 2^{-n}"
)


def num(v: float) -> str:
    """A real number for LaTeX: 6 significant digits, an exponent written as a power of ten."""
    s = f"{v:.6g}"
    if "e" not in s:
        return s
    mant, exp = s.split("e")
    return rf"{mant} \times 10^{{{int(exp)}}}"


def par(v: int) -> str:
    """An integer for LaTeX, negative ones in parentheses (so `+ (-5)` reads right)."""
    return f"({v})" if v < 0 else str(v)


def accumulate(e: Explanation, shown: int = 3) -> str:
    """acc = Σ (q_in − z_in)·q_w, with the first terms written out."""
    terms = [rf"({q}-{par(e.z_in)})\cdot{par(w)}" for q, w in zip(e.q_in, e.w, strict=True)]
    body = " + ".join(terms[:shown]) + ("" if len(terms) <= shown else r" + \cdots")
    return (
        rf"\mathrm{{acc}} = \sum_{{k=1}}^{{{len(terms)}}} (q_{{\mathrm{{in}},k}} - z_{{\mathrm{{in}}}})\, q_{{w,k}}"
        rf" = {body} = {e.acc}"
    )


def add_bias(e: Explanation) -> str:
    """acc + b_q."""
    return rf"\mathrm{{acc}} + b_q = {e.acc} + {par(e.b_q)} = {e.acc_bias}"


def multiplier(e: Explanation) -> str:
    """M = s_in·s_w / s_out ≈ M0·2^−n."""
    return (
        rf"M = \frac{{s_\mathrm{{in}}\, s_w}}{{s_\mathrm{{out}}}} = \frac{{{num(e.s_in)} \times {num(e.s_w)}}}"
        rf"{{{num(e.s_out)}}} = {num(e.m)} \approx M_0 \cdot 2^{{-n}} = {e.m0} \cdot 2^{{-{e.n}}}"
    )


def requantize(e: Explanation) -> str:
    """The two gemmlowp roundings: the high multiply, then the rounding shift (after a left shift if M ≥ 1)."""
    pre = rf"{e.acc_bias} \cdot 2^{{{e.left}}} = {e.shifted_in},\quad " if e.left else ""
    return (
        pre
        + rf"\mathrm{{round}}\!\left(\frac{{{par(e.shifted_in)} \cdot {e.m0}}}{{2^{{31}}}}\right) = {e.high}"
        rf",\quad \mathrm{{round}}\!\left(\frac{{{par(e.high)}}}{{2^{{{e.right}}}}}\right) = {e.rounded}"
    )


def exact(e: Explanation) -> str:
    """The value the two roundings approximate: (acc + b_q)·M, in output steps."""
    return rf"(\mathrm{{acc}} + b_q)\cdot M = {e.acc_bias} \times {num(e.m)} = {e.exact:.4f}"


def clamp(e: Explanation) -> str:
    """+ z_out, clamped to the output code range."""
    return (
        rf"q_\mathrm{{out}} = \mathrm{{clamp}}({par(e.rounded)} + {e.z_out},\ {e.lo},\ {e.hi})"
        rf" = \mathrm{{clamp}}({e.pre_clamp},\ {e.lo},\ {e.hi}) = {e.q_out}"
    )


def dequantize(e: Explanation) -> str:
    """y_int = s_out·(q_out − z_out)."""
    return (
        rf"y_\mathrm{{int}} = s_\mathrm{{out}}\,(q_\mathrm{{out}} - z_\mathrm{{out}}) = {num(e.s_out)} \times"
        rf" ({e.q_out} - {e.z_out}) = {num(e.y_int)}"
    )
