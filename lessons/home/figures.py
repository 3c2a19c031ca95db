"""The home page's pictures: the quantization formula and the QAT loop as a Graphviz diagram.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

from lessons.plot import BLUE, GREEN, VERMILION, Tr

# the two formulas of the whole app, before any numbers are put in. Each half is one group (KaTeX breaks a line
# only after a relation or an operator outside any group), with \allowbreak between: a narrow screen puts the
# second half on its own line, never "x̂ =" at the end of one line and its value on the next.
QUANT_FORMULA = (
    r"{q = \mathrm{clamp}\!\left(\mathrm{round}\!\left(\frac{x}{s}\right) + z,\; q_{min},\; q_{max}\right)}"
    r"\qquad\allowbreak {\hat{x} = (q - z)\cdot s}"
)


def qat_flow_dot(tr: Tr) -> str:
    """The QAT loop as a Graphviz DOT string: forward top to bottom, the gradient coming back beside it.

    Stacked, it fits half a projector's page and a phone at a readable size (left to right, 6 boxes in a row drew
    its text at 8 px on a 1280 px projector)."""
    n = {k: tr(f"flow.{k}") for k in ("input", "pre", "fq_in", "fq_w", "out", "loss", "ste", "update")}
    esc = {k: v.replace('"', r"\"") for k, v in n.items()}
    return f"""digraph qat {{
  rankdir=TB; bgcolor="transparent"; nodesep=0.35; ranksep=0.45;
  node [shape=box, style="rounded,filled", fontname="Noto Sans CJK JP, sans-serif", fontsize=15,
        color="{BLUE}", fillcolor="#E8F1F8", penwidth=1.4, margin="0.18,0.10"];
  edge [color="{BLUE}", penwidth=1.4, fontname="Noto Sans CJK JP, sans-serif", fontsize=11];
  input [label="{esc["input"]}"]; pre [label="{esc["pre"]}"]; fq_in [label="{esc["fq_in"]}"];
  fq_w [label="{esc["fq_w"]}"]; out [label="{esc["out"]}"];
  loss [label="{esc["loss"]}", color="{VERMILION}", fillcolor="#FBE9DF"];
  ste [label="{esc["ste"]}", color="{VERMILION}", fillcolor="#FBE9DF"];
  update [label="{esc["update"]}", color="{GREEN}", fillcolor="#E3F4EE"];
  input -> pre -> fq_in -> fq_w -> out -> loss;
  loss -> ste [color="{VERMILION}", style=dashed, constraint=false];
  ste -> update [color="{VERMILION}", style=dashed, constraint=false];
  update -> fq_w [color="{GREEN}", style=dashed, constraint=false];
  {{ rank=same; out; ste; }}
  {{ rank=same; fq_w; update; }}
}}"""
