"""Accuracy benchmark of the second network (qlib.spec.MOBILE_CNN): what BatchNorm folding, per-tensor weights,
cross-layer equalisation and BatchNorm freezing do on it, and how long its training takes.

`python -m bench.mobile` writes bench/results/mobile.md and mobile.json and prints the tables:

1. fp32 (qlib.mobile's recipe) and its training time, wall and CPU-seconds (one thread);
2. BatchNorm folding: each layer's per-channel weight ranges before and after (max/min of max|w|);
3. per-channel against per-tensor weights at 8, 6, 4, 3 bits (8-bit activations), PTQ and QAT: test accuracy
   on the integer engine, the layer that breaks first and its own SQNR, each run's time;
4. cross-layer equalisation against per-tensor PTQ at each width;
5. BatchNorm statistics frozen late in QAT or not: the two validation curves;
6. the same PTQ comparisons from five fp32 seeds (mean, min–max): how much of a difference is the noise of
   360 test images and one training run.
`--quick` runs a reduced version (two widths, one extra seed, short curves) to check the machinery.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from qlib import mobile
from qlib.batchnorm import batch_drift, fold_all
from qlib.data import load_digits
from qlib.equalize import equalize
from qlib.model import n_params
from qlib.train import run_ptq

RESULTS = Path(__file__).resolve().parent / "results"
SEEDS = (0, 1, 2, 3, 4)
PAPERS = [
    "Krishnamoorthi 2018, Table 2: MobileNet-v2 weight-only, asymmetric per-layer 0.001 top-1, per-channel "
    "0.698, float 0.719 (ImageNet).",
    "PyTorch's eager static quantization tutorial, MobileNetV2: 71.9 % float, 56.7 % per-tensor min-max PTQ, "
    "67.3 % per-channel + histogram observer, 71.5 % QAT.",
    "Krishnamoorthi 2018, Tables 5–6: 4-bit weights collapse with PTQ where QAT recovers most of the accuracy.",
    "Nagel et al. 2019 (DFQ): cross-layer equalisation takes MobileNetV2 8-bit per-tensor from about 0.1 % "
    "to 69.9 % (ReLU6 replaced by ReLU first).",
    "Esser et al. 2019 (LSQ): learned step sizes reach full precision at 3–4 bits (not run here).",
]


def _timed(fn):
    """fn() with its wall and CPU seconds."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def fp32_section(splits, seed: int = mobile.SEED) -> tuple[dict, torch.nn.Module]:
    """The recipe's fp32 training from one seed: accuracy and time."""
    r, wall, cpu = _timed(lambda: mobile.train_fp32(seed=seed, splits=splits))
    row = {
        "seed": seed,
        "test_acc": r.test_acc,
        "epochs": len(r.history),
        "params": n_params(r.model),
        "seconds": wall,
        "cpu_seconds": cpu,
    }
    return row, r.model


def folding_section(fp32) -> list[dict]:
    """Each conv + BatchNorm's channel spread before and after folding, and its γ/σ."""
    return [
        {
            "layer": f.name,
            "spread_before": f.before.spread,
            "spread_after": f.after.spread,
            "absmax_before": f.before.tensor_absmax,
            "absmax_after": f.after.tensor_absmax,
            "gamma_over_sigma_min": float(f.multiplier.abs().min()),
            "gamma_over_sigma_max": float(f.multiplier.abs().max()),
        }
        for f in fold_all(fp32)
    ]


def granularity_section(fp32, splits, bits) -> list[dict]:
    """Every variant's accuracy, the layer that breaks first, each layer's SQNR (printed as they finish)."""
    rows = []

    def record(r):
        worst = r.sensitivity.layer(r.sensitivity.breaks_first)
        rows.append(
            {
                "method": r.variant.method.upper(),
                "w_bits": r.variant.w_bits,
                "per_channel": r.variant.per_channel,
                "test_acc": r.test_acc,
                "breaks_first": worst.name,
                "breaks_first_db": worst.own_db,
                "own_db": {s.name: s.own_db for s in r.sensitivity.layers},
                "cumulative_db": {s.name: s.cumulative_db for s in r.sensitivity.layers},
                "seconds": r.seconds,
            }
        )
        print(f"  {r.variant.name:30s} {100 * r.test_acc:.2f} %  breaks first: {worst.name}", flush=True)

    mobile.granularity(fp32, bits=bits, splits=splits, callback=record)
    return rows


def qat_cpu_seconds(fp32, splits) -> dict:
    """One QAT run (4-bit per-channel, the recipe's epochs) timed alone: wall and CPU-seconds."""
    _, wall, cpu = _timed(lambda: mobile.quantize(fp32, mobile.Variant("qat", 4), splits))
    return {"what": f"QAT w4a8 ({mobile.QAT_EPOCHS} epochs)", "seconds": wall, "cpu_seconds": cpu}


def cle_section(fp32, splits, bits) -> dict:
    """Per-tensor PTQ before and after equalising, per-channel beside it."""
    eq, rows = mobile.cle_study(fp32, bits=bits, splits=splits)
    worst = lambda s: min(layer.own_db for layer in s.layers)  # noqa: E731
    return {
        "iterations": eq.iterations,
        "replaced_relu6": list(eq.replaced_relu6),
        "spreads": {n: list(eq.spread(n)) for n in eq.model.spec.names},
        "rows": [
            {
                "w_bits": r.w_bits,
                "per_tensor": r.per_tensor,
                "per_tensor_relu": r.per_tensor_relu,
                "per_tensor_equalized": r.per_tensor_equalized,
                "per_channel": r.per_channel,
                "worst_before": [r.before.breaks_first, worst(r.before)],
                "worst_after": [r.after.breaks_first, worst(r.after)],
                "dw3_before": r.before.layer("dw3").own_db,
                "dw3_after": r.after.layer("dw3").own_db,
            }
            for r in rows
        ],
    }


def freeze_section(fp32, splits, epochs: int, freeze: int) -> dict:
    """The two QAT curves, with and without freezing BatchNorm, and the batch statistics' drift."""
    c, wall, cpu = _timed(
        lambda: mobile.bn_freeze_curves(fp32, w_bits=4, epochs=epochs, freeze_bn_after=freeze, splits=splits)
    )
    return {
        "w_bits": c.w_bits,
        "epochs": epochs,
        "freeze_bn_after": c.freeze_bn_after,
        "frozen_val": [e.val_acc for e in c.frozen],
        "unfrozen_val": [e.val_acc for e in c.unfrozen],
        "frozen_loss": [e.train_loss for e in c.frozen],
        "unfrozen_loss": [e.train_loss for e in c.unfrozen],
        "frozen_test_acc": c.frozen_test_acc,
        "unfrozen_test_acc": c.unfrozen_test_acc,
        "drift": [
            {"layer": d.name, "sigma": d.sigma, "mean": d.mean} for d in batch_drift(fp32, splits.train[0])
        ],
        "seconds": wall,
        "cpu_seconds": cpu,
    }


def seeds_section(splits, seeds, bits) -> dict:
    """PTQ per-channel / per-tensor / per-tensor after CLE from fp32 nets trained from several seeds."""
    per_seed = []
    for seed in seeds:
        row, fp32 = fp32_section(splits, seed)
        eq = equalize(fp32)
        accs = {"fp32": row["test_acc"], "fp32_cpu_seconds": row["cpu_seconds"]}
        for b in bits:
            accs[f"pc{b}"] = run_ptq(fp32, mobile.qconfig(b), splits).test_acc
            accs[f"pt{b}"] = run_ptq(fp32, mobile.qconfig(b, per_channel=False), splits).test_acc
            accs[f"cle{b}"] = run_ptq(eq.model, mobile.qconfig(b, per_channel=False), splits).test_acc
        accs["dw3_spread"] = next(f.after.spread for f in fold_all(fp32) if f.name == "dw3")
        per_seed.append(accs)
        print(f"  seed {seed}: " + " ".join(f"{k} {v:.4f}" for k, v in accs.items()), flush=True)
    keys = [k for k in per_seed[0] if k != "fp32_cpu_seconds"]
    summary = {
        k: {
            "mean": statistics.fmean(r[k] for r in per_seed),
            "min": min(r[k] for r in per_seed),
            "max": max(r[k] for r in per_seed),
        }
        for k in keys
    }
    return {"seeds": list(seeds), "rows": per_seed, "summary": summary}


def run(quick: bool = False) -> dict:
    """Everything, from the recipe's fp32 model (trained here: the same weights as the shipped one)."""
    load = [round(os.getloadavg()[0], 2)]
    splits = load_digits()
    bits = (8, 3) if quick else mobile.W_BITS
    print("fp32 …", flush=True)
    fp32_row, fp32 = fp32_section(splits)
    print(f"  {100 * fp32_row['test_acc']:.2f} %  {fp32_row['cpu_seconds']:.1f} CPU-s", flush=True)
    print("per-channel against per-tensor …", flush=True)
    granularity = granularity_section(fp32, splits, bits)
    res = {
        "fp32": fp32_row,
        "qat_timing": qat_cpu_seconds(fp32, splits),
        "folding": folding_section(fp32),
        "granularity": granularity,
    }
    print("cross-layer equalisation …", flush=True)
    res["cle"] = cle_section(fp32, splits, bits)
    print("BatchNorm freezing …", flush=True)
    res["freeze"] = freeze_section(fp32, splits, *((4, 2) if quick else (12, 6)))
    print("seeds …", flush=True)
    res["seeds"] = seeds_section(splits, SEEDS[:2] if quick else SEEDS, (8, 4, 3) if not quick else (8, 3))
    load.append(round(os.getloadavg()[0], 2))
    res["machine"] = {
        "torch": torch.__version__,
        "threads": 1,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": load,
    }
    res["quick"] = quick
    return res


def _pct(v: float) -> str:
    return f"{100 * v:.2f} %"


def to_markdown(res: dict) -> str:
    """The tables as markdown."""
    f = res["fp32"]
    out = [
        "# The MobileNet-style net (qlib.spec.MOBILE_CNN)",
        "",
        "conv1 3×3 → [dw 3×3 → pw 1×1] ×2 (the second depthwise with stride 2), each conv with BatchNorm and ReLU6, "
        f"then a linear layer: {f['params']} parameters. Digits, 360 test images (one image = 0.28 points); "
        "quantized models run on qlib's integer engine (fixed-point requantization); activations 8-bit.",
        "",
        f"fp32: **{_pct(f['test_acc'])}** after {f['epochs']} epochs, {f['seconds']:.1f} s wall, "
        f"{f['cpu_seconds']:.1f} CPU-s on one thread. One QAT run ({res['qat_timing']['what']}): "
        f"{res['qat_timing']['seconds']:.1f} s wall, {res['qat_timing']['cpu_seconds']:.1f} CPU-s.",
        "",
        "## BatchNorm folding: per-channel weight ranges",
        "",
        "spread = largest channel's max|w| / smallest channel's, before and after W' = γ·W/σ.",
        "",
        "| layer | spread before | spread after | γ/σ min | γ/σ max |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| {r['layer']} | {r['spread_before']:.2f} | {r['spread_after']:.2f} | "
        f"{r['gamma_over_sigma_min']:.2f} | {r['gamma_over_sigma_max']:.2f} |"
        for r in res["folding"]
    ]
    out += [
        "",
        "## Per-channel against per-tensor weights",
        "",
        "'breaks first' = the layer with the lowest own SQNR (quantized alone, float input), in dB.",
        "",
        "| method | weight bits | per-channel | per-tensor | breaks first (per-channel) | breaks first (per-tensor) |",
        "|---|---|---|---|---|---|",
    ]
    g = res["granularity"]
    for method in ("PTQ", "QAT"):
        for b in sorted({r["w_bits"] for r in g}, reverse=True):
            pc = next(r for r in g if r["method"] == method and r["w_bits"] == b and r["per_channel"])
            pt = next(r for r in g if r["method"] == method and r["w_bits"] == b and not r["per_channel"])
            out.append(
                f"| {method} | {b} | {_pct(pc['test_acc'])} | {_pct(pt['test_acc'])} | "
                f"{pc['breaks_first']} {pc['breaks_first_db']:.1f} dB | {pt['breaks_first']} {pt['breaks_first_db']:.1f} dB |"
            )
    out += [
        "",
        "Own SQNR (dB) per layer, PTQ:",
        "",
        "| weights | " + " | ".join(g[0]["own_db"]) + " |",
        "|---|" + "---|" * len(g[0]["own_db"]),
    ]
    for r in (r for r in g if r["method"] == "PTQ"):
        label = f"w{r['w_bits']} {'per-channel' if r['per_channel'] else 'per-tensor'}"
        out.append(f"| {label} | " + " | ".join(f"{v:.1f}" for v in r["own_db"].values()) + " |")
    c = res["cle"]
    out += [
        "",
        "## Cross-layer equalisation (Nagel et al. 2019) against per-tensor PTQ",
        "",
        f"BatchNorm folded, ReLU6 replaced by ReLU in {', '.join(c['replaced_relu6'])} (ReLU6 is not "
        f"scale-equivariant), then every pair equalised ({c['iterations']} sweeps). Spreads after folding → "
        "after equalising: "
        + ", ".join(f"{n} {a:.1f} → {b:.1f}" for n, (a, b) in c["spreads"].items())
        + ".",
        "",
        "| weight bits | per-tensor | ReLU6 → ReLU | equalised | per-channel | worst layer before | worst layer after |",
        "|---|---|---|---|---|---|---|",
    ]
    out += [
        f"| {r['w_bits']} | {_pct(r['per_tensor'])} | {_pct(r['per_tensor_relu'])} | "
        f"{_pct(r['per_tensor_equalized'])} | {_pct(r['per_channel'])} | {r['worst_before'][0]} "
        f"{r['worst_before'][1]:.1f} dB | {r['worst_after'][0]} {r['worst_after'][1]:.1f} dB |"
        for r in c["rows"]
    ]
    fr = res["freeze"]
    out += [
        "",
        "## BatchNorm statistics frozen late in QAT, or not (Krishnamoorthi 2018, Figs. 14–15)",
        "",
        f"QAT w{fr['w_bits']}a8, {fr['epochs']} epochs, the same run with BatchNorm frozen from epoch "
        f"{fr['freeze_bn_after']} (0-based) or never; observers never frozen. Validation accuracy per epoch:",
        "",
        "| epoch | " + " | ".join(str(i + 1) for i in range(fr["epochs"])) + " | test |",
        "|---|" + "---|" * (fr["epochs"] + 1),
        "| frozen | "
        + " | ".join(f"{100 * v:.1f}" for v in fr["frozen_val"])
        + f" | {_pct(fr['frozen_test_acc'])} |",
        "| not frozen | "
        + " | ".join(f"{100 * v:.1f}" for v in fr["unfrozen_val"])
        + f" | {_pct(fr['unfrozen_test_acc'])} |",
        "",
        "Batch statistics (batches of 32) against the running ones, mean |σ_B/σ − 1|: "
        + ", ".join(f"{d['layer']} {100 * d['sigma']:.1f} %" for d in fr["drift"])
        + f". Both runs: {fr['seconds']:.1f} s wall, {fr['cpu_seconds']:.1f} CPU-s.",
    ]
    s = res["seeds"]
    out += [
        "",
        f"## From {len(s['seeds'])} fp32 seeds (PTQ): mean and min–max over seeds",
        "",
        "| | " + " | ".join(s["summary"]) + " |",
        "|---|" + "---|" * len(s["summary"]),
        "| mean | "
        + " | ".join(
            f"{v['mean']:.2f}" if k == "dw3_spread" else f"{100 * v['mean']:.2f}"
            for k, v in s["summary"].items()
        )
        + " |",
        "| min–max | "
        + " | ".join(
            f"{v['min']:.2f}–{v['max']:.2f}"
            if k == "dw3_spread"
            else f"{100 * v['min']:.1f}–{100 * v['max']:.1f}"
            for k, v in s["summary"].items()
        )
        + " |",
        "",
        "pc/pt/cle<b>: per-channel / per-tensor / per-tensor after equalisation at b-bit weights (test accuracy, %); "
        "dw3_spread: the folded dw3 weight's channel spread.",
        "",
        "## At ImageNet scale (the papers' numbers, not measured here)",
        "",
        *[f"- {p}" for p in PAPERS],
        "",
        f"Machine: {res['machine']['cpus']} CPUs shared with other jobs, one intra-op thread, torch "
        f"{res['machine']['torch']}, load average {res['machine']['load_average'][0]} at the start and "
        f"{res['machine']['load_average'][1]} at the end (wall times vary with it; accuracies and CPU-seconds "
        "much less).",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.mobile", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="reduced run: checks the machinery, not the figures")
    args = ap.parse_args(argv)
    res = run(quick=args.quick)
    md = to_markdown(res)
    if not args.quick:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "mobile.md").write_text(md)
        (RESULTS / "mobile.json").write_text(json.dumps(res, indent=2) + "\n")
    print(md)


if __name__ == "__main__":
    main()
