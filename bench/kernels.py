"""The arithmetic's speed: qlib's fake_quant against PyTorch's fused kernel, and the int8 engine's latency.

One intra-op thread throughout (the app runs its models on one), inputs made once, the median of several runs.
"""

from __future__ import annotations

import functools
import statistics

import torch

from bench.common import budget, summary, timed
from qlib import pretrained, torch_ref
from qlib.data import load_digits
from qlib.model import num_threads
from qlib.quant import calc_qparams, fake_quant

FAKE_QUANT_RATIO_BUDGET = 3.0


def _ours(x: torch.Tensor, qp) -> torch.Tensor:
    return fake_quant(x, qp)


def _theirs(x: torch.Tensor, qp) -> torch.Tensor:
    return torch.fake_quantize_per_tensor_affine(x, float(qp.scale), int(qp.zero_point), qp.qmin, qp.qmax)


def _forward(fn, x: torch.Tensor, qp, repeat: int) -> float:
    """Median ms of fn(x) alone."""
    return summary(timed(functools.partial(fn, x, qp), repeat))["median_ms"]


def _forward_backward(fn, x: torch.Tensor, qp, repeat: int) -> float:
    """Median ms of fn(x) and the backward pass of a unit gradient through it."""
    xg, ones = x.clone().requires_grad_(True), torch.ones_like(x)

    def step() -> None:
        fn(xg, qp).backward(ones)
        xg.grad = None

    return summary(timed(step, repeat))["median_ms"]


def fake_quant_rows(sizes: tuple[int, ...], repeat: int = 15) -> list[dict]:
    """Forward and forward+backward of qlib.quant.fake_quant and torch.fake_quantize_per_tensor_affine."""
    qp = calc_qparams(-3.0, 3.0, 8)
    rows = []
    for n in sizes:
        x = torch.randn(n, generator=torch.Generator().manual_seed(0))
        for what, how in (("forward", _forward), ("forward + backward", _forward_backward)):
            q, t = how(_ours, x, qp, repeat), how(_theirs, x, qp, repeat)
            rows.append(
                {
                    "what": f"fake_quant {what}, {n / 1e6:g}M floats",
                    "qlib_ms": q,
                    "torch_ms": t,
                    "ratio": q / t,
                    "qlib_Mfloat_per_s": n / q / 1e3,
                }
            )
    return rows


def int8_rows(repeat: int = 15) -> list[dict]:
    """Int8Model for one image and a batch of 256, against the fp32 TinyCNN and PyTorch's quantized twin."""
    x = load_digits().test[0]
    int8 = pretrained.load("qat-w8a8")
    models = {
        "qlib_int8": int8,
        "fp32": pretrained.load("fp32").eval(),
        "torch_int8": torch_ref.to_torch_quantized(int8),
    }
    rows = []
    for batch in (1, 256):
        with torch.no_grad(), torch_ref.quant_engine():
            ms = {
                name: summary(timed(functools.partial(m, x[:batch]), repeat))["median_ms"]
                for name, m in models.items()
            }
        rows.append(
            {
                "what": f"inference, batch {batch}",
                **{f"{k}_ms": v for k, v in ms.items()},
                "qlib_int8_per_image_us": 1000 * ms["qlib_int8"] / batch,
            }
        )
    return rows


def run(quick: bool = False) -> dict:
    """Kernel figures and the fake_quant budget (the worst qlib / PyTorch ratio)."""
    repeat = 3 if quick else 15
    with num_threads(1):
        fq = fake_quant_rows((1_000_000,) if quick else (1_000_000, 10_000_000), repeat)
        inf = int8_rows(repeat)
    worst = max(fq, key=lambda r: r["ratio"])
    return {
        "title": "Kernels (one thread)",
        "rows": fq + inf,
        "budgets": [
            budget(
                f"fake_quant / PyTorch, worst case ({worst['what']})",
                worst["ratio"],
                FAKE_QUANT_RATIO_BUDGET,
                "×",
            )
        ],
        "notes": [
            "Medians; PyTorch on the fbgemm engine. qlib_int8 is the integer-only engine (fixed-point "
            "requantization, int64 accumulators emulating int32), written in torch ops, not a fused kernel.",
            f"median of ratios: {statistics.median(r['ratio'] for r in fq):.2f}",
        ],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
