"""Calibration and low bits on both networks: the calibration bake-off (qlib.calibration) and the low-bit ladder
(qlib.ladder), with the times they take.

`python -m bench.lowbit` writes bench/results/lowbit.md and lowbit.json and prints the tables:

1. the bake-off: six activation observers × 1, 10, 100, 1,000 calibration images (three seeded subsets each) ×
   8- and 4-bit activations (8-bit per-channel weights), for the tiny CNN and the mobile net: test accuracy on
   the integer engine (mean, min–max over the subsets), the logits' SQNR, each layer's own SQNR, CPU seconds;
2. the ladder: W8A8 … W2A2 × PTQ, PTQ + bias correction, AdaRound, QAT, LSQ, for both nets: test accuracy on the
   integer engine, CPU seconds of each.

`--quick` runs a reduced version (one seed, two sizes, three widths) to check the machinery, and writes nothing;
`--render` rewrites lowbit.md from lowbit.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from dataclasses import asdict
from pathlib import Path

import torch

from qlib import calibration, ladder, pretrained
from qlib.data import load_digits
from qlib.model import evaluate
from qlib.qat import ALL_OBSERVERS

RESULTS = Path(__file__).resolve().parent / "results"
NETS = {"tiny_cnn": "fp32", "mobile_cnn": "mobile/fp32"}  # the shipped fp32 models the studies start from
A_BITS = (8, 4)
PAPERS = [
    "Calibration of ResNet18 on ImageNet, as the issue cites published comparisons: MSE, min-max and entropy "
    "(KL) within about 0.2 points of each other, percentile about 1.3 points lower.",
    "Nagel et al. 2020 (AdaRound), ResNet18 W4A8: round to nearest 23.99 %, AdaRound 68.71 % (float 69.68 %).",
    "Krishnamoorthi 2018, Tables 5–6: 4-bit weights collapse with PTQ where QAT recovers most of the accuracy.",
    "Esser et al. 2019 (LSQ): ResNet18 W3A3 70.2 %, W2A2 67.6 % against 70.5 % full precision.",
]


def cpu_vendor() -> str:
    """'GenuineIntel' or 'AuthenticAMD': with the same ISA, an AMD CPU trained the ladder to other accuracies than
    the recording machine did (which kernels differ, I have not traced)."""
    try:
        for line in open("/proc/cpuinfo", encoding="ascii", errors="replace"):
            if line.startswith("vendor_id"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _machine(load: list[float]) -> dict:
    return {
        "torch": torch.__version__,
        "threads": 1,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),  # trained runs differ between AVX2 and AVX-512
        "cpu_vendor": cpu_vendor(),  # ... and between two AVX-512 machines (seen: W4A4 LSQ on an AMD one)
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": load,
    }


def bakeoff_section(fp32, splits, n_images, seeds, a_bits) -> dict:
    """The runs and their summary cells for one net at one activation width."""
    runs = calibration.bakeoff(fp32, splits, ALL_OBSERVERS, n_images, seeds, a_bits)
    return {
        "a_bits": a_bits,
        "n_images": list(n_images),
        "seeds": list(seeds),
        "cells": [asdict(c) for c in calibration.summarize(runs)],
        "runs": [asdict(r) for r in runs],
    }


def ladder_section(fp32, splits, configs) -> list[dict]:
    """Every rung, printed as it finishes."""

    def show(r):
        print(
            f"  {r.net:10s} {r.config:6s} {r.method:9s} {100 * r.test_acc:6.2f} %  {r.cpu_seconds:5.1f} CPU-s",
            flush=True,
        )

    return [asdict(r) for r in ladder.ladder(fp32, configs, ladder.METHODS, splits, callback=show)]


def run(quick: bool = False) -> dict:
    """Both studies on both nets, from the shipped fp32 models."""
    load = [round(os.getloadavg()[0], 2)]
    splits = load_digits()
    n_images, seeds = ((1, 100), (0,)) if quick else (calibration.N_IMAGES, calibration.SEEDS)
    configs = ((8, 8), (4, 4), (2, 2)) if quick else ladder.CONFIGS
    res: dict = {"fp32": {}, "bakeoff": {}, "ladder": {}, "quick": quick}
    for net, name in NETS.items():
        fp32 = pretrained.load(name)
        res["fp32"][net] = evaluate(fp32, *splits.test)
        res["bakeoff"][net] = []
        for a in A_BITS:
            c0 = time.process_time()
            res["bakeoff"][net].append(bakeoff_section(fp32, splits, n_images, seeds, a))
            print(f"bake-off {net} A{a}: {time.process_time() - c0:.1f} CPU-s", flush=True)
        res["ladder"][net] = ladder_section(fp32, splits, configs)
    load.append(round(os.getloadavg()[0], 2))
    res["machine"] = _machine(load)
    return res


# ---------------------------------------------------------------------------------------------------------------
# markdown


def _pct(v: float) -> str:
    return f"{100 * v:.1f}"


def bakeoff_table(section: dict) -> list[str]:
    """Observer × number of images: mean accuracy (min–max over the subsets) and mean logits SQNR."""
    ns = section["n_images"]
    out = [
        "| observer | "
        + " | ".join(f"{n:,} image{'s' if n > 1 else ''}" for n in ns)
        + f" | CPU-s ({ns[-1]:,}) |",
        "|---|" + "---|" * (len(ns) + 1),
    ]
    cells = {(c["observer"], c["n_images"]): c for c in section["cells"]}
    for obs in dict.fromkeys(c["observer"] for c in section["cells"]):
        row = []
        for n in ns:
            c = cells[(obs, n)]
            spread = f" ({_pct(c['min_acc'])}–{_pct(c['max_acc'])})" if c["seeds"] > 1 else ""
            row.append(f"{_pct(c['mean_acc'])}{spread} · {c['output_sqnr_db']:.1f} dB")
        out.append(f"| {obs} | " + " | ".join(row) + f" | {cells[(obs, ns[-1])]['cpu_seconds']:.2f} |")
    return out


def layer_sqnr_table(section: dict) -> list[str]:
    """Each layer's own SQNR (dB) with the most images, first seed, per observer."""
    n, seed = section["n_images"][-1], section["seeds"][0]
    runs = [r for r in section["runs"] if r["n_images"] == n and r["seed"] == seed]
    names = [layer["name"] for layer in runs[0]["sensitivity"]["layers"]]
    out = ["| observer | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for r in runs:
        dbs = [f"{layer['own_db']:.1f}" for layer in r["sensitivity"]["layers"]]
        out.append(f"| {r['observer']} | " + " | ".join(dbs) + " |")
    return out


def ladder_table(rungs: list[dict]) -> list[str]:
    """Widths × methods: test accuracy (%) on the integer engine."""
    methods = list(dict.fromkeys(r["method"] for r in rungs))
    configs = list(dict.fromkeys((r["w_bits"], r["a_bits"]) for r in rungs))
    acc = {(r["w_bits"], r["a_bits"], r["method"]): r["test_acc"] for r in rungs}
    out = ["| widths | " + " | ".join(methods) + " |", "|---|" + "---|" * len(methods)]
    for w, a in configs:
        out.append(f"| W{w}A{a} | " + " | ".join(_pct(acc[(w, a, m)]) for m in methods) + " |")
    return out


def ladder_times(rungs: list[dict]) -> str:
    """Median CPU seconds of each method over the widths."""
    methods = list(dict.fromkeys(r["method"] for r in rungs))
    med = {m: statistics.median(r["cpu_seconds"] for r in rungs if r["method"] == m) for m in methods}
    return ", ".join(f"{m} {med[m]:.1f}" for m in methods)


def readme_table(res: dict) -> str:
    """The README's ladder: one table per net, widths × methods."""
    names = {"tiny_cnn": "Tiny CNN", "mobile_cnn": "MobileNet-style net"}
    parts = []
    for net, rungs in res["ladder"].items():
        parts.append(
            f"{names.get(net, net)} (fp32 {_pct(res['fp32'][net])} %):\n\n" + "\n".join(ladder_table(rungs))
        )
    return "\n\n".join(parts)


def readme_bakeoff(res: dict) -> str:
    """The README's bake-off line table: W8A8 and W8A4 with 1,000 calibration images, mean over subsets."""
    rows = [
        "| activations | net | " + " | ".join(ALL_OBSERVERS) + " |",
        "|---|---|" + "---|" * len(ALL_OBSERVERS),
    ]
    for a_index, a in enumerate(A_BITS):
        for net in res["bakeoff"]:
            sec = res["bakeoff"][net][a_index]
            n = sec["n_images"][-1]
            cells = {c["observer"]: c for c in sec["cells"] if c["n_images"] == n}
            label = "tiny" if net == "tiny_cnn" else "mobile"
            rows.append(
                f"| A{a} | {label} | " + " | ".join(_pct(cells[o]["mean_acc"]) for o in ALL_OBSERVERS) + " |"
            )
    return "\n".join(rows)


def to_markdown(res: dict) -> str:
    """Every table, with the setting each was measured in."""
    m = res["machine"]
    out = [
        "# Calibration and low bits (qlib.calibration, qlib.ladder)",
        "",
        "Digits, 360 test images (one image = 0.28 points), every quantized model run on qlib's integer engine. "
        "fp32: "
        + ", ".join(f"{net} {_pct(acc)} %" for net, acc in res["fp32"].items())
        + " (the shipped models).",
        "",
        "## The calibration bake-off",
        "",
        "PTQ with 8-bit per-channel weights; only the activation observer and the calibration images change "
        "(seeded subsets of the 1,077 training images, in batches of 32). Each cell: test accuracy, mean over "
        f"{len(next(iter(res['bakeoff'].values()))[0]['seeds'])} subsets (min–max), · the SQNR of the logits "
        "against the float network's. CPU-s: calibration and conversion with 1,000 images.",
    ]
    for net, sections in res["bakeoff"].items():
        for sec in sections:
            out += ["", f"### {net}, {sec['a_bits']}-bit activations", "", *bakeoff_table(sec)]
            out += ["", "Each layer's own SQNR (dB), 1,000 images, first subset:", "", *layer_sqnr_table(sec)]
    out += [
        "",
        "## The low-bit ladder",
        "",
        "Test accuracy (%) on the integer engine; symmetric per-channel weights, asymmetric activations; PTQ "
        "methods calibrate on all training images at once; QAT and LSQ run the net's recipe (same epochs, "
        "learning rate and seed).",
    ]
    for net, rungs in res["ladder"].items():
        out += [
            "",
            f"### {net}",
            "",
            *ladder_table(rungs),
            "",
            f"Median CPU seconds per model: {ladder_times(rungs)}.",
        ]
    out += [
        "",
        "## At ImageNet scale (the papers' numbers, not measured here)",
        "",
        *[f"- {p}" for p in PAPERS],
        "",
        f"Machine: {m['cpus']} CPUs shared with other jobs, one intra-op thread, torch {m['torch']}, load "
        f"average {m['load_average'][0]} at the start and {m['load_average'][1]} at the end.",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.lowbit", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="reduced run: checks the machinery, not the figures")
    ap.add_argument(
        "--render", action="store_true", help="rewrite lowbit.md from lowbit.json, measure nothing"
    )
    args = ap.parse_args(argv)
    if args.render:
        md = to_markdown(json.loads((RESULTS / "lowbit.json").read_text()))
        (RESULTS / "lowbit.md").write_text(md)
        print(md)
        return
    res = run(quick=args.quick)
    md = to_markdown(res)
    if not args.quick:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "lowbit.md").write_text(md)
        (RESULTS / "lowbit.json").write_text(json.dumps(res, indent=2) + "\n")
    print(md)


if __name__ == "__main__":
    main()
