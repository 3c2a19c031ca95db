"""Training while the class watches: one QAT run per bit width, the page's own buttons, and the PTQ / QAT sweeps.

Every run starts from the shipped fp32 model, on the digits splits, on one intra-op thread (as the app trains).
"""

from __future__ import annotations

import statistics
import time

from bench.common import budget
from lessons.qat_training import lesson as lab
from qlib import pretrained, train
from qlib.data import load_digits

QAT_BUDGET_S, SWEEP_BUDGET_S = 10.0, 60.0


def one_qat_per_width(fp32, splits, bits_list: tuple[int, ...], repeat: int) -> list[dict]:
    """qlib.train.train_qat with the shipped recipe at each width (w = a), the median of `repeat` runs.

    The runs are seeded, so every repeat trains the same model: only the time varies (with the machine).
    """
    rows = []
    for bits in bits_list:
        runs = [train.train_qat(train.default_qconfig(bits), init=fp32, splits=splits) for _ in range(repeat)]
        seconds = sorted(r.seconds for r in runs)
        rows.append(
            {
                "what": f"QAT w{bits}a{bits} (recipe: {len(runs[0].history)} epochs)",
                "seconds": statistics.median(seconds),
                "min_s": seconds[0],
                "max_s": seconds[-1],
                "test_acc": runs[0].test_acc,
            }
        )
    return rows


def page_buttons(fp32, splits) -> list[dict]:
    """The QAT page with its default settings: 'Train QAT' and 'Run the sweep' as a student clicks them."""
    plan = lab.Plan(lab.STEPS["qat"], lab.Config(), lab.FP32_EPOCHS, lab.QAT_EPOCHS)
    runs, qat_s = lab.run_plan(plan, lab.Runs(), fp32, splits, lambda tick: None)
    sweep = lab.sweep(fp32, splits, lab.SWEEP_EPOCHS)
    return [
        {
            "what": f"page: Train QAT (w8a8, {lab.QAT_EPOCHS} epochs)",
            "seconds": qat_s,
            "test_acc": runs.qat.test_acc,
        },
        {
            "what": f"page: PTQ / QAT sweep ({len(sweep.rows)} widths, {lab.SWEEP_EPOCHS} epoch each)",
            "seconds": sweep.seconds,
        },
    ]


def full_sweep(fp32, splits) -> dict:
    """PTQ and QAT at 8, 6, 4, 3 and 2 bits with the full recipe (qlib.train.bit_sweep, as bench.accuracy runs)."""
    t0 = time.perf_counter()
    rows = train.bit_sweep(fp32_model=fp32, splits=splits)
    return {
        "what": f"PTQ / QAT sweep, full recipe ({', '.join(str(r.bits) for r in rows)} bits)",
        "seconds": time.perf_counter() - t0,
    }


def run(quick: bool = False) -> dict:
    """Training figures and their budgets (quick: two widths, no full sweep)."""
    splits, fp32 = load_digits(), pretrained.load("fp32")
    train.train_qat(
        train.default_qconfig(8), epochs=1, init=fp32, splits=splits
    )  # warm-up: torch's one-time setup
    widths = (8, 2) if quick else (8, 7, 6, 5, 4, 3, 2)
    rows = one_qat_per_width(fp32, splits, widths, 1 if quick else 3)
    slowest = max(rows, key=lambda r: r["seconds"])
    budgets = [
        budget(f"one QAT training, slowest width ({slowest['what']})", slowest["seconds"], QAT_BUDGET_S, "s")
    ]
    if not quick:
        rows += page_buttons(fp32, splits)
        rows.append(full_sweep(fp32, splits))
        budgets.append(budget("whole PTQ / QAT sweep, full recipe", rows[-1]["seconds"], SWEEP_BUDGET_S, "s"))
    return {
        "title": "Training (one thread)",
        "rows": rows,
        "budgets": budgets,
        "notes": [
            "One QAT per width: the median of 3 runs (min and max beside it); the buttons and sweeps: one run.",
            "From the shipped fp32 model, after one untimed warm-up epoch (torch's one-time set-up, which "
            "a running server has already paid); test accuracy on the 360 test images, integer engine.",
        ],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
