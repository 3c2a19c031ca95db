"""`python -m qlib.export MODEL --format onnx|tflite --out FILE`: write a shipped model as an ONNX or TFLite file.

MODEL is a shipped model name (`qlib.pretrained.available()`): the quantized ones are written as int8, "fp32"
as float32. A model the format can't hold exactly (activations below 8 bits) is refused with the reason, and
nothing is written. Exit status: 0 written, 1 refused or not writable, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qlib.export import FORMATS, SUFFIX, ExportError, export, plan

GRAPH = {
    "onnx": "ONNX opset 13, QOperator: QuantizeLinear -> QLinearConv per layer (the linear layer as a 1x1 "
    "QLinearConv) -> DequantizeLinear; uint8 activations",
    "tflite": "TFLite int8: QUANTIZE -> CONV_2D per layer (the linear layer as a 1x1 CONV_2D) -> DEQUANTIZE; "
    "int8 activations = uint8 codes - 128",
}


def describe(model, fmt: str) -> list[str]:
    """What the file holds, one line each: the graph, the layers, and the plan's notes."""
    from qlib.int8 import Int8Model

    if not isinstance(model, Int8Model):
        return ["float32 TinyCNN (conv+ReLU, conv+ReLU, linear), the size baseline"]
    p = plan(model)
    lines = [GRAPH[fmt]]
    for lp in p.layers:
        layer = lp.layer
        lines.append(
            f"  {lp.name}: {layer.kind} {tuple(layer.w_q.shape)}, int8 weights per output channel, "
            f"int32 bias, output scale {layer.out_scale:.6g} zero point {layer.out_zp}"
        )
    return lines + [f"  note: {n}" for n in p.notes]


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, export, write the file; return the exit status."""
    from qlib import pretrained

    names = pretrained.available()
    ap = argparse.ArgumentParser(prog="python -m qlib.export", description=__doc__.split("\n\n")[0])
    ap.add_argument("model", metavar="MODEL", help=f"a shipped model: {', '.join(names)}")
    ap.add_argument("--format", required=True, choices=FORMATS, help="file format")
    ap.add_argument("--out", type=Path, help="output file (default: MODEL.onnx / MODEL.tflite here)")
    args = ap.parse_args(argv)
    if args.model not in names:
        ap.error(f"unknown model {args.model!r}; shipped models: {', '.join(names)}")
    out = args.out or Path(args.model + SUFFIX[args.format])
    model = pretrained.load(args.model)
    try:
        data = export(model, args.format)
        lines = describe(model, args.format)
    except ExportError as e:
        print(f"refused: {args.model} cannot be exported to {args.format}: {e}", file=sys.stderr)
        return 1
    try:
        out.write_bytes(data)
    except OSError as e:
        print(f"cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"wrote {out}: {len(data):,} bytes, {args.model} as {args.format}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
